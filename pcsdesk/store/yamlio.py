"""YAML in and out: a safe loader that refuses duplicate keys, and a stable, tag-free writer."""

from __future__ import annotations

import re
from typing import Any

import yaml

from pcsdesk.errors import BrokenTicket

# libyaml's parser when the wheel has it: a ticket parses in about 0.5 ms instead of 4.5 ms.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader that refuses duplicate keys.

    A line-based merge can leave two `status:` lines in one mapping; a plain loader
    silently keeps the last, which would hide the damage from `check`.
    """


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError as e:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be plain text", key_node.start_mark
            ) from e
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        try:
            seen[key] = loader.construct_object(value_node, deep=deep)
        except _BadValue as e:
            if e.keyed:
                raise
            raise _BadValue(f"{key}: {e.problem}", e.problem_mark, keyed=True) from e
    return seen


class _BadValue(yaml.constructor.ConstructorError):
    """A well-formed scalar that names no real value: 2027-02-30, a 5000-digit number."""

    def __init__(self, problem: str, mark: Any, keyed: bool = False) -> None:
        super().__init__(None, None, problem, mark)
        self.keyed = keyed


def _checked_scalar(construct: Any, what: str) -> Any:
    """A scalar constructor whose ValueError (an impossible date, a huge number) names the value."""

    def checked(loader: Any, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError) as e:
            if len(node.value) > 40:
                shown, reason = f"{node.value[:12]}...", f"{len(node.value)} characters long"
            else:
                shown, reason = node.value, str(e).split(";")[0]
            raise _BadValue(f"{shown} is not {what} ({reason})", node.start_mark) from e

    return checked


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)
for _tag, _what in (("int", "a usable number"), ("float", "a usable number"),
                    ("timestamp", "a real date or time")):
    _full_tag = f"tag:yaml.org,2002:{_tag}"
    _StrictLoader.add_constructor(
        _full_tag, _checked_scalar(_StrictLoader.yaml_constructors[_full_tag], _what)
    )


def load_yaml(text: str | bytes, path: str, allow_aliases: bool = True) -> Any:
    """Parse YAML safely; a problem becomes BrokenTicket naming `path` and the line.

    `allow_aliases=False` (ticket files) refuses `*alias` references: pcsdesk never
    writes them, and a few lines of nested aliases expand into billions of values
    when the ticket is compared, written back or printed as JSON.
    """
    try:
        _screen(text, allow_aliases)
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader subclass
    except yaml.YAMLError as e:
        line = _line(e)
        if line is None and isinstance(e, yaml.reader.ReaderError) and isinstance(text, bytes):
            line = text[: e.position].count(b"\n") + 1
        where = f":{line}" if line is not None else ""   # path:line:, as `check` names a place
        problem = _describe(e)
        raise BrokenTicket(f"{path}{where}: {problem}", line=line, problem=problem) from e


# Deeper than any ticket or configuration file nests. libyaml builds nodes by
# recursion in C: about 25,000 levels (a 50 KB file of "[" or "- ") overflow the
# stack and kill the process, and its flow scanner is quadratic in the depth.
MAX_DEPTH = 100


def _screen(text: str | bytes, allow_aliases: bool) -> None:
    """Refuse nesting beyond MAX_DEPTH (and aliases, if asked) before libyaml builds anything.

    A cheap bound first: block nesting needs a column per level at the start of
    some line, and flow nesting (or a tag or anchor between indicators) a bracket,
    "!" or "&" per level. Only a file over the bound, or holding a "*" when aliases
    are refused, has its events scanned; that scan stops at the first level too deep,
    so its cost stays linear.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    bound = max(map(len, _LEADING.findall(data)), default=0) + sum(data.count(c) for c in b"[{!&")
    if bound <= MAX_DEPTH and (allow_aliases or b"*" not in data):
        return
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent) and not allow_aliases:
            raise _Refused(f"an alias (*{event.anchor}) is not allowed here; write the value out",
                           event.start_mark)


class _Refused(yaml.YAMLError):
    """YAML that parses but that pcsdesk will not build; read by _line and _describe like any other."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark
        self.context = None


# What starts a line before its content: indentation and block indicators.
_LEADING = re.compile(rb"^[ \t?-]*", re.MULTILINE)


def _line(error: yaml.YAMLError) -> int | None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def _describe(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.reader.ReaderError):
        if "characters are not allowed" in str(error.reason):
            return "holds a control character, which YAML does not allow; remove it"
        return "not UTF-8 text; save the file as UTF-8 and try again"
    problem = getattr(error, "problem", None)
    if problem:
        context = getattr(error, "context", None)
        text = f"{context}: {problem}" if context else str(problem)
    else:
        text = str(error).splitlines()[0]
    if "could not determine a constructor" in text:
        text += " (tags such as !!python/... are not allowed; remove the tag)"
    return " ".join(text.split())


# The pure-Python dumper: libyaml's escapes emoji and other text outside the Basic
# Multilingual Plane, which a reviewer would then read as \U0001F389.
class _TicketDumper(yaml.SafeDumper):
    """Writes plain YAML: no tags, anchors or aliases; block scalars for multi-line text."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


# Characters YAML reads as line breaks or that PyYAML does not escape reliably
# outside double quotes (NEL would come back as a space).
_NEEDS_DOUBLE_QUOTES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _represent_str(dumper: Any, text: str) -> yaml.ScalarNode:
    # Block style keeps a reviewer's diff line by line; PyYAML itself falls back to
    # a quoted style where a block scalar could not hold the text exactly.
    if _NEEDS_DOUBLE_QUOTES.search(text):
        style: str | None = '"'
    else:
        style = "|" if "\n" in text else None
    node: yaml.ScalarNode = dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)
    return node


_TicketDumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """YAML text for plain data, keys in the order given."""
    text: str = yaml.dump(
        data,
        Dumper=_TicketDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
    return text


def line_of(text: str, where: tuple[object, ...]) -> int | None:
    """The line where the value at key path `where` starts, e.g. ("closed", 3, "date").

    Walks the composed node tree (no objects are built), so it is exact for list
    entries and nested keys; the deepest part of the path that exists is used.
    """
    try:
        node = yaml.compose(text, Loader=_StrictLoader)
    except yaml.YAMLError:
        return None
    found: int | None = None
    for part in where:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            key_line = next(k for k, v in node.value if v is match).start_mark.line
            node, found = match, key_line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            found = node.start_mark.line + 1
        else:
            break
    return found
