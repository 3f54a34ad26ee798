"""Which commit added each ticket entry since a base: the history `check --base` holds entries against.

Two git processes whatever the number of commits: `git log` lists the commits in
`base..head` (parents before children) with their author and committer date, and
one `git diff-tree --stdin -m` lists, for each of them, the ticket files it
changed against each parent with the blob ids on both sides. An entry is added
by the first commit whose version of the file holds it while none of its
parents' versions do; the blobs are read through the store's one `cat-file`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

from pcsdesk.errors import PcsdeskError
from pcsdesk.rules.ids import TICKETS_DIR
from pcsdesk.rules.merging import note_key
from pcsdesk.rules.ticket import note_from_data
from pcsdesk.rules.trust import Commit
from pcsdesk.store.git import Git
from pcsdesk.store.quickyaml import Declined, quick_load
from pcsdesk.store.yamlio import load_yaml

_ZERO = frozenset({"0" * 40, "0" * 64})

NoteKey = tuple[Any, ...]


def commits_between(git: Git, base: str | None, head: str, *, exclude_all: bool = False) -> list[Commit]:
    """The commits in base..head, parents first; `exclude_all` also leaves out every commit a ref holds."""
    spec = [head, f"^{base}"] if base else [head]
    if exclude_all:
        spec += ["--not", "--all"]
    raw = git.run("log", "--topo-order", "--reverse", "-z", "--format=%H%x00%P%x00%ae%x00%ct", *spec, "--")
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    commits = []
    for start in range(0, len(fields) - 3, 4):
        oid, parents, author, stamp = fields[start:start + 4]
        commits.append(Commit(
            oid=oid.strip("\n"), author=author,
            committed_at=datetime.fromtimestamp(int(stamp), UTC), parents=len(parents.split()),
        ))
    return commits


def _changes(
    git: Git, commits: Iterable[Commit], paths: Collection[str]
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(commit, path) -> one (old blob, new blob) per parent it differs from, for the given paths."""
    listing = "".join(f"{c.oid}\n" for c in commits if c.parents)
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    if not listing:
        return out
    raw = git.run("diff-tree", "--stdin", "-z", "-r", "-m", "--no-renames", "--", TICKETS_DIR,
                  input=listing.encode())
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    commit = ""
    position = 0
    while position < len(fields):
        field = fields[position]
        if field.startswith(":"):
            meta = field[1:].split()
            path = fields[position + 1]
            if path in paths:
                out[(commit, path)].append((meta[2], meta[3]))
            position += 2
        else:
            if field.strip():
                commit = field.strip()
            position += 1
    return out


def entry_commits(
    git: Git, read_blob: Callable[[str], bytes | None], commits: list[Commit], paths: Collection[str],
    tz: tzinfo,
) -> dict[str, dict[NoteKey, Commit]]:
    """For each ticket path, the commit that first held each of its entries (among `commits`)."""
    changes = _changes(git, commits, paths)
    cache: dict[str, frozenset[NoteKey]] = {}

    def keys_of(oid: str) -> frozenset[NoteKey]:
        if oid in _ZERO:
            return frozenset()
        if oid not in cache:
            cache[oid] = _note_keys(read_blob(oid), tz)
        return cache[oid]

    added: dict[str, dict[NoteKey, Commit]] = defaultdict(dict)
    for commit in commits:
        for path in paths:
            diffs = changes.get((commit.oid, path))
            # Unchanged against one parent: that parent already held every entry.
            if not diffs or len(diffs) < commit.parents:
                continue
            before: set[NoteKey] = set()
            for old, _new in diffs:
                before |= keys_of(old)
            for key in keys_of(diffs[0][1]) - before:
                added[path].setdefault(key, commit)
    return added


def _note_keys(content: bytes | None, tz: tzinfo) -> frozenset[NoteKey]:
    """The identities of a file's entries; none when it cannot be read (check reports that)."""
    if not content:
        return frozenset()
    try:
        try:
            data = quick_load(content)
        except Declined:
            data = load_yaml(content, "ticket", allow_aliases=False)
        notes = data.get("notes") if isinstance(data, dict) else None
        return frozenset(note_key(note_from_data(n, i, tz)) for i, n in enumerate(notes or []))
    except (PcsdeskError, ValueError, OverflowError, RecursionError, AttributeError):
        # An unreadable version holds no entry to attribute; check reports the file itself.
        return frozenset()
