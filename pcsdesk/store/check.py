"""`check`: every ticket file at HEAD read and validated, and with a base, what changed since it.

The tickets are read from git's objects at HEAD (never from the work tree, never
from the index's cache), so CI checks exactly what a pull request would merge.
The configuration is read at HEAD too. A large store is checked on every core,
each worker reading its own files through one `git cat-file --batch`.

With a base REF the comparison is made with the point where HEAD's history meets
REF (`git merge-base`), as a pull request's diff is: a target branch that moved
on since the branch was made is not taken for notes removed on the branch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from pcsdesk.errors import BrokenTicket, ConfigError, InvalidInput
from pcsdesk.rules.calendar import Calendar, calendar_from_dict
from pcsdesk.rules.directory import Directory, directory_from_dict
from pcsdesk.rules.ids import TICKETS_DIR
from pcsdesk.rules.texts import READ_MAX_BYTES, TICKET_MAX_BYTES
from pcsdesk.rules.ticket import Ticket
from pcsdesk.rules.trust import entry_problems
from pcsdesk.rules.validation import (
    Problem,
    check_ticket,
    compare_with_base,
    read_ticket,
    times_without_offset,
)
from pcsdesk.store.git import Git, GitFailed, ObjectReader
from pcsdesk.store.provenance import commits_between, entry_commits
from pcsdesk.store.quickyaml import Declined, quick_load
from pcsdesk.store.store import CALENDAR_FILE, DIRECTORY_FILE, Store, parse_config
from pcsdesk.store.workers import in_parallel, worth_parallel
from pcsdesk.store.yamlio import line_of, load_yaml

# Below this many ticket files one process is quicker than starting workers.
PARALLEL_THRESHOLD = 1500
CHUNK = 500
_IGNORED = {f"{TICKETS_DIR}/.gitkeep"}


@dataclass(frozen=True)
class CheckResult:
    problems: list[str]      # `path:line: problem` or `path: problem`, sorted by path
    tickets: int             # ticket files checked
    changed: int             # ticket files changed since the base (0 without one)
    base: str | None         # the commit compared with
    # Lines that are not problems but a reviewer must see (the configuration changed).
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    root: str
    env: dict[str, str]
    tz: tzinfo
    directory: Directory | None
    changed: frozenset[str]


def _place(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line else path


def _problem_line(path: str, content: bytes | None, problem: Problem) -> str:
    line = None
    if content is not None and problem.where:
        line = line_of(content.decode("utf-8", "replace"), problem.where)
    return f"{_place(path, line)}: {problem.text}"


def _read_and_check(path: str, content: bytes, context: _Context) -> tuple[Ticket | None, list[str]]:
    """The ticket in one file (None when unreadable) and the lines of its problems.

    Files in the form pcsdesk writes are read by the quick reader (the same data
    PyYAML gives, checked against it in tests/store/test_index.py, five times
    faster); it declines everything else, duplicate keys included, and the strict
    loader then reads the file and names any problem with its line.
    """
    if len(content) > TICKET_MAX_BYTES:
        size = f"{path}: {len(content) // 1024} KiB, more than a ticket file may hold ({TICKET_MAX_BYTES // 1024} KiB)"
        if len(content) > READ_MAX_BYTES:
            return None, [size + "; not read further"]
        oversize = [size]
    else:
        oversize = []
    try:
        data = quick_load(content)
    except Declined:
        try:
            data = load_yaml(content, path, allow_aliases=False)
        except BrokenTicket as e:
            return None, [*oversize, f"{_place(path, e.line)}: {e.problem}"]
    read = read_ticket(data, context.tz)
    if isinstance(read, Problem):
        return None, [*oversize, _problem_line(path, content, read)]
    people = True if path in context.changed else None
    problems = check_ticket(read, path, context.directory, people) + times_without_offset(data)
    return read, oversize + [_problem_line(path, content, problem) for problem in problems]


def _check_files(files: Sequence[tuple[str, str]], context: _Context, reader: ObjectReader) -> list[str]:
    problems: list[str] = []
    for (path, _oid), content in zip(files, reader.blobs([oid for _, oid in files]), strict=True):
        if content is None:
            problems.append(f"{path}: cannot be read from git")
            continue
        try:
            problems += _read_and_check(path, content, context)[1]
        except (ValueError, OverflowError, RecursionError) as e:
            # A time beyond what the calendar's zone can hold, and the like.
            problems.append(f"{path}: cannot be read ({type(e).__name__}: {e})")
    return problems


_worker: dict[str, Any] = {}


def _worker_start(context: _Context, hash_bytes: int) -> None:
    _worker["context"] = context
    _worker["reader"] = ObjectReader(Git(Path(context.root), context.env), hash_bytes)


def _worker_check(files: list[tuple[str, str]]) -> list[str]:
    return _check_files(files, _worker["context"], _worker["reader"])


def _check_all(store: Store, files: Sequence[tuple[str, str]], context: _Context) -> Iterator[str]:
    if not worth_parallel(len(files), PARALLEL_THRESHOLD):
        yield from _check_files(files, context, store.reader)
        return
    yield from in_parallel(_worker_check, files, CHUNK, _worker_start, (context, store.head().hash_bytes))


# ---- the configuration at HEAD ----

def _config_at(store: Store, commit: str, problems: list[str]) -> tuple[tzinfo, Directory | None]:
    from pcsdesk.store.setup import default_calendar

    tz = default_calendar().tz
    directory = None
    for name in (CALENDAR_FILE, DIRECTORY_FILE):
        content = store.reader.blob(f"{commit}:{name}")
        if content is None:
            problems.append(f"{name}: missing; restore it from git history")
            continue
        read = _check_config(name, content, problems)
        if isinstance(read, Calendar):
            tz = read.tz
        elif isinstance(read, Directory):
            directory = read
    return tz, directory


def _check_config(name: str, content: bytes, problems: list[str]) -> Calendar | Directory | None:
    """calendar.yaml or buildings.yaml read from `content`; None (and the problem noted) if it cannot be."""
    try:
        if name == CALENDAR_FILE:
            return parse_config(name, content, calendar_from_dict)
        return parse_config(name, content, directory_from_dict)
    except ConfigError as e:
        problems.append(f"{_place(name, e.line)}: {e.problem}")
    return None


# ---- what changed since the base ----

def resolve_base(store: Store, ref: str) -> tuple[str, str]:
    """(REF's commit, the merge base of REF and HEAD), or InvalidInput saying what to do."""
    if not ref or ref.startswith("-") or "\n" in ref:
        raise InvalidInput(f"{ref!r} is not a git revision; pass a branch, tag or commit, e.g. origin/main")
    try:
        commit = store.git.text("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except GitFailed:
        commit = ""
    if not commit:
        raise InvalidInput(
            f"{ref!r} is not a commit in this repository; fetch it first "
            f"(git fetch origin) or name a branch, tag or commit"
        )
    try:
        base = store.git.text("merge-base", commit, store.head().commit)
    except GitFailed:
        base = ""
    if not base:
        raise InvalidInput(f"{ref} shares no history with HEAD; nothing to compare with")
    return commit, base


class TreeChange(NamedTuple):
    """One path under tickets/ that differs between two commits (raw `diff-tree` output)."""

    status: str     # A (added), M (changed), D (deleted), T (type changed)
    mode: str       # its mode at the newer commit ("000000" when deleted)
    oid: str        # its blob at the newer commit
    path: str


def tree_changes(git: Git, base: str, head: str) -> list[TreeChange]:
    """Every path under tickets/ that differs between `base` and `head`."""
    raw = git.run("diff-tree", "-r", "-z", "--no-renames", base, head, "--", TICKETS_DIR)
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    changes = []
    for meta, path in zip(fields[0::2], fields[1::2], strict=False):
        parts = meta.lstrip(":").split()
        if len(parts) == 5:
            changes.append(TreeChange(parts[4][:1], parts[1], parts[3], path))
    return changes


def changed_tickets(store: Store, base: str, head: str) -> dict[str, str]:
    """Ticket paths changed between two commits: path -> A (added), M (changed) or D (deleted)."""
    return {c.path: c.status for c in tree_changes(store.git, base, head)
            if c.path.endswith(".yaml") and c.path not in _IGNORED}


def _not_a_ticket_file(path: str, mode: str) -> str | None:
    """Why a path under tickets/ is not a regular ticket file, or None when it is one."""
    if path in _IGNORED:
        return None
    if mode == "120000":
        return f"{path}: is a symbolic link, not a ticket file"
    if mode == "160000":
        return f"{path}: is a submodule, not a ticket file"
    if mode != "100644":
        return f"{path}: has mode {mode}, not a plain ticket file (100644)"
    if not path.endswith(".yaml"):
        return (f"{path}: is not a ticket file (tickets/YYMM/X/YYMM-XXXXX.yaml); pcsdesk does not read "
                "it: rename it back or remove it")
    return None


def _compare(
    store: Store, base: str, head: str, ref: str, changes: list[TreeChange], tz: tzinfo
) -> list[str]:
    """What changed since the base that must not, and the trust rules for every entry added."""
    problems = []
    tickets = [c for c in changes if c.path.endswith(".yaml") and c.path not in _IGNORED]
    commits = commits_between(store.git, base, head)
    judged = [c.path for c in tickets if c.status in ("A", "M") and c.mode == "100644"]
    added_by = entry_commits(store.git, store.reader.blob, commits, frozenset(judged), tz)
    for change in sorted(tickets, key=lambda c: c.path):
        path = change.path
        if change.status == "D":
            problems.append(f"{path}: deleted since {ref}; tickets are never deleted")
            continue
        if path not in judged:
            continue
        after = store.reader.blob(change.oid)
        before = store.reader.blob(f"{base}:{path}") if change.status == "M" else None
        if after is None:
            continue
        new = _ticket_or_none(after, path, tz)
        old = _ticket_or_none(before, path, tz) if before is not None else None
        if new is None or (before is not None and old is None):
            continue   # an unreadable file is reported by the full check
        found = compare_with_base(old, new, ref) if old is not None else []
        found += entry_problems(old, new, added_by.get(path, {}), ref)
        problems += [_problem_line(path, after, p) for p in found]
    return problems


def _ticket_or_none(content: bytes, path: str, tz: tzinfo) -> Ticket | None:
    try:
        read = read_ticket(load_yaml(content, path, allow_aliases=False), tz)
    except (BrokenTicket, ValueError, OverflowError, RecursionError):
        return None
    return read if isinstance(read, Ticket) else None


# ---- the configuration: changes are notices for the reviewer ----

CONFIG_FILES = (CALENDAR_FILE, DIRECTORY_FILE, ".gitattributes")


def config_changes(git: Git, base: str | None, head: str) -> list[str]:
    """Which of calendar.yaml, buildings.yaml and .gitattributes differ between base and head."""
    if base is None:
        listed = git.run("ls-tree", "--name-only", "-z", head, "--", *CONFIG_FILES)
    else:
        listed = git.run("diff-tree", "--name-only", "-z", "--no-renames", base, head, "--", *CONFIG_FILES)
    return sorted(name for name in listed.decode("utf-8", "surrogateescape").split("\0") if name)


def _config_notices(git: Git, base: str, head: str, ref: str) -> list[str]:
    notices = []
    for name in config_changes(git, base, head):
        raw = git.run("log", "-z", "--format=%h%x00%ae%x00%s", f"^{base}", head, "--", name)
        fields = raw.decode("utf-8", "replace").split("\0")
        commits = [f"{short.strip()} by {email}: {subject}"
                   for short, email, subject in zip(fields[0::3], fields[1::3], fields[2::3], strict=False)]
        if not commits:   # changed by a merge alone
            commits = ["in a merge"]
        notices.append(
            f"{name}: notice: changed since {ref} ({'; '.join(commits)}); "
            "the rules changed: review who made the change and why"
        )
    return notices


# ---- the whole check ----

def _ticket_files(store: Store, commit: str, problems: list[str]) -> list[tuple[str, str]]:
    raw = store.git.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", TICKETS_DIR)
    files = []
    for entry in raw.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, _kind, oid = meta.decode().split()
        path = name.decode("utf-8", "surrogateescape")
        if path in _IGNORED:
            continue
        why = _not_a_ticket_file(path, mode)
        if why is not None:
            problems.append(why)
            continue
        files.append((path, oid))
    return files


def check_store(
    store: Store, base_ref: str | None = None, verify_index: bool = True, uncommitted: bool = True
) -> CheckResult:
    """Every problem of the store at HEAD, and with `base_ref` of what changed since it.

    With a base only the tickets changed since it are read (and the configuration),
    so the check costs about the same at 100 and at 100,000 tickets.

    With `uncommitted` (and a work tree) also of what is staged and what is changed in
    the work tree, so `check` serves as a pre-commit hook: a reviewer who breaks
    calendar.yaml hears about it before committing, not from the next `list`.
    """
    head = store.head().commit
    base = resolve_base(store, base_ref)[1] if base_ref is not None else None
    result = check_commit(store, head, base, base_ref)
    extra: list[str] = []
    if uncommitted:
        tz, directory = _config_at(store, head, [])
        extra += _check_uncommitted(store, tz, directory)
    if verify_index:
        extra += _verify_index(store)
    if not extra:
        return result
    problems = sorted(result.problems + [_one_line(p) for p in extra], key=_sort_key)
    return CheckResult(problems, result.tickets, result.changed, result.base, result.notices)


def check_commit(store: Store, head: str, base: str | None, base_name: str | None = None) -> CheckResult:
    """The check of commit `head`, against `base` when given; reads git only (no work tree needed).

    `base` is used as given: `check --base` passes the merge base, the server's gate
    the commit the branch held before the push.
    """
    problems: list[str] = []
    tz, directory = _config_at(store, head, problems)
    name = base_name or (base[:10] if base else "")
    notices: list[str] = []
    if base is None:
        files = _ticket_files(store, head, problems)
        changes: list[TreeChange] = []
    else:
        changes = tree_changes(store.git, base, head)
        files = []
        for change in changes:
            if change.status == "D":
                continue
            why = _not_a_ticket_file(change.path, change.mode)
            if why is not None:
                problems.append(why)
            elif change.path not in _IGNORED:
                files.append((change.path, change.oid))
        notices = _config_notices(store.git, base, head, name)
    changed = frozenset(path for path, _ in files) if base is not None else frozenset()
    context = _Context(str(store.root), dict(store.git.env), tz, directory, changed)
    problems += _check_all(store, files, context)
    if base is not None:
        problems += _compare(store, base, head, name, changes, tz)
    lines = sorted((_one_line(problem) for problem in problems), key=_sort_key)
    ticket_changes = sum(1 for c in changes if c.path.endswith(".yaml") and c.path not in _IGNORED)
    return CheckResult(lines, len(files), ticket_changes, base, [_one_line(n) for n in notices])


# ---- what is staged or changed in the work tree ----

_STAGED = "staged, not committed"
_CHANGED = "changed in the work tree, not committed"


def _check_uncommitted(store: Store, tz: tzinfo, directory: Directory | None) -> list[str]:
    """Problems of the staged and work-tree versions of the files that differ from HEAD."""
    if store.git.run("rev-parse", "--is-inside-work-tree", check=False).strip() != b"true":
        return []   # a bare repository, or git's quarantine in pre-receive: HEAD is all there is
    paths = ("--", CALENDAR_FILE, DIRECTORY_FILE, TICKETS_DIR)
    staged = _name_status(store.git.run("diff-index", "--cached", "-z", "--name-status", "--no-renames",
                                        "HEAD", *paths))
    changed = _name_status(store.git.run("diff-files", "-z", "--name-status", "--no-renames", *paths))
    for name in store.git.run("ls-files", "-z", "--others", "--exclude-standard", "--", TICKETS_DIR).split(b"\0"):
        if name:
            changed[name.decode("utf-8", "surrogateescape")] = "A"
    versions: list[tuple[str, str, bytes | None]] = []   # (path, which copy, content or None if deleted)
    for path, status in sorted(staged.items()):
        versions.append((path, _STAGED, None if status == "D" else store.reader.blob(f":{path}")))
    problems: list[str] = []
    for path, status in sorted(changed.items()):
        if (store.root / path).is_symlink():
            problems.append(f"{path}: ({_CHANGED}) is a symbolic link, not a ticket file")
            continue
        versions.append((path, _CHANGED, None if status == "D" else _read_file(store.root / path)))
    # The configuration first: the tickets are checked against the version that will be committed.
    for path, which, content in versions:
        if path in (CALENDAR_FILE, DIRECTORY_FILE) and content is not None:
            found: list[str] = []
            read = _check_config(path, content, found)
            problems += [_labelled(line, which) for line in found]
            if isinstance(read, Calendar):
                tz = read.tz
            elif isinstance(read, Directory):
                directory = read
    context = _Context(str(store.root), dict(store.git.env), tz, directory, frozenset(p for p, _, _ in versions))
    for path, which, content in versions:
        if path in (CALENDAR_FILE, DIRECTORY_FILE) or path in _IGNORED:
            continue
        if content is None:
            problems.append(f"{path}: ({which}) deleted; tickets are never deleted: "
                            f"git checkout HEAD -- {path}")
        elif not path.endswith(".yaml"):
            continue
        else:
            try:
                found = _read_and_check(path, content, context)[1]
            except (ValueError, OverflowError, RecursionError) as e:
                found = [f"{path}: cannot be read ({type(e).__name__}: {e})"]
            problems += [_labelled(line, which) for line in found]
    return problems


def _name_status(raw: bytes) -> dict[str, str]:
    fields = raw.decode("utf-8", "surrogateescape").split("\0")
    return {path: status[:1] for status, path in zip(fields[0::2], fields[1::2], strict=False) if path}


def _read_file(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:   # gone since git looked: as good as deleted
        return None


def _labelled(line: str, which: str) -> str:
    """`path:line: (staged, not committed) problem`: which copy of the file the problem is in."""
    place, _, problem = line.partition(": ")
    return f"{place}: ({which}) {problem}"


# Line breaks and other control characters, as YAML values and git paths may hold them.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(problem: str) -> str:
    """A problem as exactly one line: a value from a file must not start a line of its own.

    CI runners read some lines of a job's output as commands (GitHub's `::...::`);
    a ticket a pull request made must not be able to print one.
    """
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], problem)


def _sort_key(line: str) -> tuple[str, int, str]:
    place, _, rest = line.partition(": ")
    path, _, number = place.partition(":")
    return (path, int(number) if number.isdigit() else 0, rest)


def _verify_index(store: Store) -> list[str]:
    """The listing cache compared with the tickets, when this clone has one (CI has none)."""
    from pcsdesk.store import index as index_module

    index = index_module.open_index(store)
    try:
        verify = getattr(index, "verify", None)
        location = getattr(index, "path", None)
        if verify is None or location is None or not location.exists():
            return []
        return [str(line) for line in verify()]
    finally:
        index.close()
