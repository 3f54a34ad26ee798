"""A quick reader for the YAML that pcsdesk itself writes: the index's cold rebuild, 2.5 times faster.

A cold rebuild parses every ticket, and PyYAML, even with libyaml, spends 0.4 ms
on one (its constructor is Python): 40 s of CPU at 100,000 tickets. Files that
pcsdesk wrote use a small part of YAML: block mappings indented by two, an
indentless sequence of note mappings, single-quoted or plain one-line scalars,
literal block scalars (|, |-, |+), {} and []. quick_load reads exactly that
part and raises Declined at anything else (comments, flow collections, double
quotes, folded or multi-line flow scalars, tabs, anchors, tags, blank lines,
duplicate keys, odd indentation...), and the full loader then reads the file.
Plain scalars are typed by PyYAML's own resolver, so `null`, `true` or `yes`
mean what they mean to PyYAML; any type but text, null and bool declines.
tests/store/test_index.py checks it against PyYAML on generated and mutated files.
"""

from __future__ import annotations

import re
from typing import Any


class Declined(Exception):
    """The quick reader leaves this file to the full YAML loader."""


_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: (.+))?\Z")
_QUOTED = re.compile(r"'((?:[^']|'')*)'\Z")
# Characters that give a plain scalar another meaning when they start it.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# Line breaks other than \n, and the byte order mark, which YAML treats specially.
_ODD_CHARACTERS = re.compile("[\r\x85\u2028\u2029\ufeff]")
_BLOCK_HEADERS = {"|": "clip", "|-": "strip", "|+": "keep"}
_TEXT_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_resolver: Any = None
_PLAIN_SEEN: dict[str, Any] = {}
_GOOD_KEYS: set[str] = set()


def quick_load(content: bytes) -> dict[str, Any]:
    """The mapping a pcsdesk-written ticket file holds, exactly as PyYAML reads it, or Declined."""
    if content[:3] == b"\xef\xbb\xbf" or content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise Declined("byte order mark")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Declined("not UTF-8") from e
    import yaml

    if not text.endswith("\n") or _ODD_CHARACTERS.search(text) or yaml.reader.Reader.NON_PRINTABLE.search(text):
        raise Declined("line breaks or characters that the quick reader leaves to PyYAML")
    lines = text[:-1].split("\n")
    data, end = _mapping(lines, 0, 0)
    if end != len(lines):
        raise Declined(f"at line {end + 1}")
    return data


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _mapping(lines: list[str], i: int, k: int) -> tuple[dict[str, Any], int]:
    """A block mapping whose keys sit at column k, from line i; returns it and the next line."""
    out: dict[str, Any] = {}
    count = len(lines)
    while i < count:
        line = lines[i]
        indent = len(line) - len(line.lstrip(" "))
        if indent < k and line:
            break
        if indent != k or not line:
            raise Declined(f"at line {i + 1}")
        match = _KEY.match(line, k)
        if match is None:
            raise Declined(f"at line {i + 1}")
        key, rest = match.group(1), match.group(2)
        if key in out or (key not in _GOOD_KEYS and not _good_key(key)):
            raise Declined(f"at line {i + 1}")
        i += 1
        value: Any
        if rest is None:
            following = lines[i] if i < count else ""
            deeper = len(following) - len(following.lstrip(" "))
            # Nesting only as a ticket nests (checklist, notes): two levels under the
            # top, so no file the full loader refuses for depth is read here.
            if k == 0 and following.startswith("- ") and deeper == 0:
                value, i = _sequence(lines, i, k)
            elif k == 0 and deeper == 2 and following.strip():
                value, i = _mapping(lines, i, 2)
            elif i == count or (deeper <= k and following.strip()):
                value = None
            else:
                raise Declined(f"at line {i + 1}")
            out[key] = value
            continue
        if rest in _BLOCK_HEADERS:
            value, i = _literal(lines, i, k, _BLOCK_HEADERS[rest])
            out[key] = value
            continue
        # A one-line scalar, or a long one folded onto more-indented lines.
        more: list[str] = []
        while i < count:
            following = lines[i]
            if not following or len(following) - len(following.lstrip(" ")) <= k:
                break
            more.append(following.lstrip(" "))
            i += 1
        if more:
            for piece in (rest, *more):
                # An empty piece is a blank line, which YAML folds into a line break.
                if not piece or piece != piece.rstrip(" ") or "\t" in piece:
                    raise Declined(f"at line {i}")
            # A folded line may start with '@' or '`' (reserved only at a scalar's start),
            # as PyYAML writes a long summary ending in an address; other indicators decline.
            if rest[0] != "'" and any(piece[0] in _INDICATORS and piece[0] not in "@`" for piece in more):
                raise Declined(f"at line {i}")
            rest = " ".join((rest, *more))
        elif rest == "{}":
            out[key] = {}
            continue
        elif rest == "[]":
            out[key] = []
            continue
        if rest[0] == "'":
            quoted = _QUOTED.match(rest)
            if quoted is None:
                raise Declined(f"at line {i}")
            value = quoted.group(1).replace("''", "'")
        else:
            value = _plain(rest)
        out[key] = value
    return out, i


def _sequence(lines: list[str], i: int, k: int) -> tuple[list[Any], int]:
    """An indentless sequence of mappings (`- key: value` at column k), as PyYAML writes notes."""
    items: list[Any] = []
    prefix = " " * k + "- "
    while i < len(lines) and lines[i].startswith(prefix) and _indent(lines[i]) == k:
        # The item's first key shares the dash's line: read it as if the dash were a space.
        first = lines[i]
        lines[i] = " " * (k + 2) + first[k + 2:]
        try:
            item, i_next = _mapping(lines, i, k + 2)
        finally:
            lines[i] = first
        if not item:
            raise Declined(f"at line {i + 1}")
        items.append(item)
        i = i_next
    return items, i


def _literal(lines: list[str], i: int, k: int, chomping: str) -> tuple[str, int]:
    """A literal block scalar under a key at column k: indentation from its first line."""
    if i >= len(lines) or not lines[i].strip(" "):
        raise Declined(f"at line {i + 1}: an empty or blank-led block scalar")
    indent = _indent(lines[i])
    if indent <= k:
        raise Declined(f"at line {i + 1}")
    body: list[str] = []
    while i < len(lines):
        line = lines[i]
        if not line.strip(" "):
            # Spaces only: an empty line, or content if longer than the indentation.
            body.append(line[indent:])
        elif _indent(line) >= indent:
            body.append(line[indent:])
        else:
            break
        i += 1
    trailing = 0
    while trailing < len(body) and body[len(body) - 1 - trailing] == "":
        trailing += 1
    text = "\n".join(body[:len(body) - trailing])
    if chomping == "strip":
        return text, i
    if chomping == "clip":
        return text + "\n", i
    return text + "\n" * (1 + trailing), i


def _plain(value: str) -> Any:
    """A plain scalar, typed as PyYAML types it; Declined for anything but text, null, bool."""
    found = _PLAIN_SEEN.get(value, _PLAIN_SEEN)
    if found is not _PLAIN_SEEN:
        return found
    # As PyYAML's scanner: in block context '-', '?' and ':' may start a plain scalar
    # when a non-space follows ("-a", "--verbose"); the other indicators never.
    starts_plain = value[0] not in _INDICATORS or (value[0] in "-?:" and value[1:2] not in ("", " "))
    if (not starts_plain or value != value.strip(" ") or ": " in value
            or value.endswith(":") or " #" in value or "\t" in value):
        raise Declined(value)
    import yaml

    global _resolver
    if _resolver is None:
        _resolver = yaml.resolver.Resolver()
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _TEXT_TAG:
        result: Any = value
    elif tag == _NULL_TAG:
        result = None
    elif tag == _BOOL_TAG:
        result = yaml.constructor.SafeConstructor.bool_values[value.lower()]
    else:
        raise Declined(value)
    if len(_PLAIN_SEEN) > 20000:   # summaries and notes vary; emails and statuses repeat
        _PLAIN_SEEN.clear()
    _PLAIN_SEEN[value] = result
    return result


def _good_key(key: str) -> bool:
    try:
        good = bool(_plain(key) == key)
    except Declined:
        return False
    if good:
        _GOOD_KEYS.add(key)
    return good
