"""notify's plumbing: the commits since `refs/pcsdesk/notified`, and the refs it moves.

`refs/pcsdesk/notified` records how far notify has told people: every commit it
can reach has been announced. It normally names a commit of the store's branch
(HEAD, after a complete run). While a run works through a merge of two clones'
histories, the commits announced so far may be the tips of two lines, neither an
ancestor of the other; the ref then names a *progress commit*: an empty-tree
commit whose parents are those tips, made only so that `git rev-list HEAD --not
<ref>` gives exactly what is left. A run that finishes moves the ref to HEAD.

Every move is a compare-and-swap (`update-ref <ref> <new> <old>` in a transaction
of one `git update-ref --stdin` process kept for the whole run), so a second
writer is caught rather than overwritten. The overdue notices already sent are a
list of ticket IDs in `refs/pcsdesk/notified-overdue` (a parentless commit holding
one file), moved the same way.

The walk is one `git log --raw` over every commit since the recorded ones: no
path limit, since git's history simplification for a path would hide the side of
a merge whose commits are exactly the news. Merges bring no diff of their own:
their sides' commits are walked one by one.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pcsdesk.errors import PcsdeskError
from pcsdesk.rules.ids import TICKETS_DIR, id_from_path
from pcsdesk.store.git import GitFailed, end_pipe
from pcsdesk.store.store import Store

NOTIFIED_REF = "refs/pcsdesk/notified"
OVERDUE_REF = "refs/pcsdesk/notified-overdue"
OVERDUE_FILE = "overdue"
PROGRESS_MESSAGE = "pcsdesk notify: announced up to these commits (a run in progress)\n"
TICKET_TRAILER = "Pcsdesk-Ticket"
ACTION_TRAILER = "Pcsdesk-Action"
LOCK_FILE = "pcsdesk-notify.lock"
# notify's own commits (progress, overdue list) are made under this identity.
_IDENTITY = {
    "GIT_AUTHOR_NAME": "pcsdesk notify", "GIT_AUTHOR_EMAIL": "notify@pcsdesk.invalid",
    "GIT_COMMITTER_NAME": "pcsdesk notify", "GIT_COMMITTER_EMAIL": "notify@pcsdesk.invalid",
}
# One field per placeholder; the record starts with \x01 so it cannot be mistaken
# for a path of the raw diff that follows it.
_FIELDS = ("%H", "%P", "%ae", "%an", "%cI",
           f"%(trailers:key={TICKET_TRAILER},valueonly,separator=%x2C)",
           f"%(trailers:key={ACTION_TRAILER},valueonly,separator=%x2C)")
_FORMAT = "%x01" + "%x00".join(_FIELDS)


class RefMoved(PcsdeskError):
    """Someone else moved notify's ref during this run."""


@dataclass(frozen=True)
class TicketFileChange:
    """One ticket file a commit changed: its ID and the blobs before (None: new) and after."""

    ticket_id: str
    path: str
    before: str | None
    after: str | None   # None: the commit deleted the file


@dataclass(frozen=True)
class CommitChanges:
    """One commit since the recorded ones, and the ticket files it changed."""

    commit: str
    parents: tuple[str, ...]
    author_email: str
    author_name: str
    committed_at: str
    ticket_trailer: str
    action: str | None   # the Pcsdesk-Action trailer; None for a commit made by hand
    tickets: tuple[TicketFileChange, ...]

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1


@dataclass(frozen=True)
class Recorded:
    """What `refs/pcsdesk/notified` says: the ref's own value and the commits it stands for."""

    oid: str                 # what the ref points at (for the compare-and-swap)
    tips: tuple[str, ...]    # every commit these reach has been announced


def resolve_commit(store: Store, name: str) -> str | None:
    found = store.git.run("rev-parse", "--verify", "-q", "--end-of-options", f"{name}^{{commit}}", check=False)
    text = found.decode().strip()
    return text or None


def read_recorded(store: Store) -> Recorded | None:
    """The notified ref, or None before notify's first run (or if it names no commit here)."""
    oid = resolve_commit(store, NOTIFIED_REF)
    if oid is None:
        return None
    raw = store.reader.read(oid)
    if raw is None or raw[0] != "commit":
        return None
    header, _, message = raw[1].partition(b"\n\n")
    lines = header.decode("utf-8", "replace").splitlines()
    parents = tuple(line.split()[1] for line in lines if line.startswith("parent "))
    tree = next((line.split()[1] for line in lines if line.startswith("tree ")), "")
    if parents and message.decode("utf-8", "replace") == PROGRESS_MESSAGE and tree == empty_tree(store):
        return Recorded(oid, parents)
    return Recorded(oid, (oid,))


def empty_tree(store: Store) -> str:
    """The empty tree's id in this repository's object format (SHA-1 or SHA-256)."""
    return store.git.text("hash-object", "-t", "tree", "-w", "--stdin", input=b"")


def is_ancestor(store: Store, older: str, newer: str) -> bool:
    return store.git.ok("merge-base", "--is-ancestor", older, newer)


def commits_since(store: Store, tips: tuple[str, ...], head: str) -> list[CommitChanges]:
    """Every commit `head` reaches that no tip reaches, parents before children.

    Each with the ticket files it changed against its parent (none for a merge).
    `--topo-order` keeps a side branch's commits together and every commit after
    its parents, which is what the progress ref relies on.
    """
    args = ["log", "--reverse", "--topo-order", "--no-renames", "--raw", "--no-abbrev", "--root",
            "-z", f"--format={_FORMAT}", head, "--not", *tips, "--"]
    raw = store.git.run(*args)
    return _parse_log(raw)


def _parse_log(raw: bytes) -> list[CommitChanges]:
    tokens = raw.split(b"\0")
    found: list[CommitChanges] = []
    position = 0
    count = len(_FIELDS)
    while position < len(tokens):
        token = tokens[position].lstrip(b"\n")
        if not token.startswith(b"\x01"):
            position += 1
            continue
        fields = [t.decode("utf-8", "replace") for t in tokens[position:position + count]]
        fields[0] = fields[0].lstrip("\n\x01")
        position += count
        changes: list[TicketFileChange] = []
        while position + 1 < len(tokens) and tokens[position].lstrip(b"\n").startswith(b":"):
            meta = tokens[position].lstrip(b"\n")[1:].decode().split()
            path = tokens[position + 1].decode("utf-8", "surrogateescape")
            position += 2
            change = _ticket_change(meta, path)
            if change is not None:
                changes.append(change)
        commit, parents, email, name, committed, ticket, action = fields
        found.append(CommitChanges(
            commit=commit, parents=tuple(parents.split()), author_email=email, author_name=name,
            committed_at=committed, ticket_trailer=ticket.strip(), action=action.strip() or None,
            tickets=tuple(changes),
        ))
    return found


def _ticket_change(meta: list[str], path: str) -> TicketFileChange | None:
    """A raw diff line as a ticket change, or None for any file that is not a ticket file."""
    # meta: old mode, new mode, old blob, new blob, status
    if len(meta) < 5 or not path.startswith(f"{TICKETS_DIR}/"):
        return None
    ticket_id = id_from_path(path)
    if ticket_id is None:
        return None
    old_mode, new_mode, old_blob, new_blob = meta[:4]
    before = old_blob if old_mode.startswith("100") and set(old_blob) != {"0"} else None
    after = new_blob if new_mode.startswith("100") and set(new_blob) != {"0"} else None
    return TicketFileChange(ticket_id, path, before, after)


def blob_at(store: Store, commit: str, path: str) -> bytes | None:
    """A file's bytes at a commit, None where it does not exist."""
    return store.reader.blob(f"{commit}:{path}")


def blob(store: Store, oid: str) -> bytes | None:
    return store.reader.blob(oid)


class RefMover:
    """Moves refs by compare-and-swap, one `git update-ref --stdin` transaction per move.

    One process for the run instead of one per commit (about 2 ms each on this
    kind of machine, a fifth of a run's time at 1,000 commits).
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._proc: subprocess.Popen[bytes] | None = None
        self._zero = "0" * (store.head().hash_bytes * 2)

    def move(self, ref: str, new: str, old: str | None) -> None:
        """Point `ref` at `new` if it still points at `old` (None: if it does not exist)."""
        if self._proc is None:
            self._proc = self._store.git.pipe("update-ref", "--stdin")
        assert self._proc.stdin is not None and self._proc.stdout is not None
        expected = old or self._zero
        try:
            self._proc.stdin.write(
                f"start\nupdate {ref} {new} {expected}\nprepare\ncommit\n".encode()
            )
            self._proc.stdin.flush()
            replies = [self._proc.stdout.readline() for _ in range(3)]
        except BrokenPipeError:
            replies = []
        if replies != [b"start: ok\n", b"prepare: ok\n", b"commit: ok\n"]:
            detail = self._finish_failed()
            raise RefMoved(
                f"{ref} was moved by something else during this run ({detail}); "
                "run `pcsdesk notify` again: it goes on from wherever the ref now points"
            )

    def _finish_failed(self) -> str:
        assert self._proc is not None
        _out, err = self._proc.communicate()
        self._proc = None
        lines = err.decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else "git update-ref failed"

    def close(self) -> None:
        if self._proc is not None:
            end_pipe(self._proc)
            self._proc = None


def progress_commit(store: Store, tips: tuple[str, ...]) -> str:
    """The commit to record when the announced commits are several tips: an empty-tree commit."""
    if len(tips) == 1:
        return tips[0]
    parents = [arg for tip in sorted(tips) for arg in ("-p", tip)]
    return store.git.run(
        "commit-tree", empty_tree(store), *parents, input=PROGRESS_MESSAGE.encode(), env=_IDENTITY
    ).decode().strip()


# ---- the overdue notices already sent ----


def read_overdue_told(store: Store) -> tuple[set[str] | None, str | None]:
    """The IDs whose overdue notice was sent, and the ref's commit; (None, None) before the first run."""
    oid = resolve_commit(store, OVERDUE_REF)
    if oid is None:
        return None, None
    content = store.reader.blob(f"{oid}:{OVERDUE_FILE}") or b""
    return {line for line in content.decode("utf-8", "replace").split() if line}, oid


def overdue_commit(store: Store, told: set[str]) -> str:
    """A parentless commit whose one file lists `told`, sorted (old lists are left to gc)."""
    content = "".join(f"{ticket_id}\n" for ticket_id in sorted(told)).encode()
    blob_oid = store.git.text("hash-object", "-w", "--stdin", input=content)
    tree = store.git.text("mktree", input=f"100644 blob {blob_oid}\t{OVERDUE_FILE}\n".encode())
    return store.git.run(
        "commit-tree", tree, input=b"pcsdesk notify: overdue notices sent\n", env=_IDENTITY
    ).decode().strip()


# ---- one run at a time ----


@contextmanager
def notify_lock(store: Store) -> Iterator[bool]:
    """Hold notify's lock for this repository; yields False when another run holds it.

    An OS lock (flock), released when the process dies, so a killed run never
    leaves the next one locked out. It lives in git's common directory, shared by
    every work tree of the repository, as refs/pcsdesk/ is.
    """
    try:
        common = store.git.text("rev-parse", "--git-common-dir")
    except GitFailed:
        common = ".git"
    path = Path(common) if os.path.isabs(common) else store.root / common
    with open(path / LOCK_FILE, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
