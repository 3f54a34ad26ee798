"""The ticket merge driver: git merges two versions of a ticket file with rules/merging, never by lines.

Registered in two parts, since git splits them so: `.gitattributes` (committed,
so every clone has it) names the driver for `tickets/**/*.yaml`, and the
repository's git config (never cloned; `init` and `sync` set it) says how to run
it: `<python> -m pcsdesk merge-driver %O %A %B %P`. A `git pull`, `git merge` or
`pcsdesk sync` then merges a ticket's notes by time and re-derives its fields. A
merge on a git host's side has no driver and merges lines; `pcsdesk check` in CI
catches what that breaks.

On a conflict the driver leaves git's %A file as it was (this clone's version,
valid YAML with no conflict markers), explains on stderr and exits 1, so git
marks the file conflicted and stops.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from pcsdesk.errors import BrokenTicket, StoreConflict
from pcsdesk.rules.ids import TICKETS_DIR
from pcsdesk.rules.merging import TicketMergeConflict, merge_tickets
from pcsdesk.store.store import Store, parse_ticket_bytes

DRIVER = "pcsdesk-ticket"
ATTRIBUTES_FILE = ".gitattributes"
ATTRIBUTE_LINE = f"{TICKETS_DIR}/**/*.yaml merge={DRIVER}"


def driver_command() -> str:
    """The command git runs, through the shell: this Python with pcsdesk; git quotes the %-paths."""
    return f"{shlex.quote(sys.executable)} -m pcsdesk merge-driver %O %A %B %P"


def _configure(store: Store) -> None:
    wanted = {
        f"merge.{DRIVER}.name": "pcsdesk ticket merge: notes by time, fields from the log",
        f"merge.{DRIVER}.driver": driver_command(),
        # A split index: a ticket commit then rewrites a small .git/index holding the
        # changed entry instead of all of them; at 100,000 tickets writing the whole
        # index costs ~60 ms per command, the split one under 1 ms (docs/performance.md).
        # Here rather than only in init, so every clone that syncs gets it too.
        "core.splitIndex": "true",
    }
    for key, value in wanted.items():
        current = store.git.run("config", "--local", "--get", key, check=False).decode().strip()
        if current != value:
            store.git.run("config", "--local", key, value)


def _attributes_with_rule(current: bytes) -> bytes | None:
    """.gitattributes with the driver's line added, or None when it is already there."""
    lines = current.decode("utf-8", "replace").splitlines()
    if ATTRIBUTE_LINE in (line.strip() for line in lines):
        return None
    prefix = current if not current or current.endswith(b"\n") else current + b"\n"
    return prefix + (
        b"# Ticket files are merged by pcsdesk (notes by time), never line by line.\n"
        + ATTRIBUTE_LINE.encode() + b"\n"
    )


def register_merge_driver(store: Store) -> list[tuple[str, bytes]]:
    """Set the repository's git config for the driver; return files to commit with it (init)."""
    _configure(store)
    try:
        current = (store.root / ATTRIBUTES_FILE).read_bytes()
    except FileNotFoundError:
        current = b""
    updated = _attributes_with_rule(current)
    return [(ATTRIBUTES_FILE, updated)] if updated is not None else []


def ensure_merge_driver(store: Store, commit: str | None = None) -> None:
    """The driver configured in this clone (git config is not cloned), for sync and git pull.

    A store whose .gitattributes at `commit` (default HEAD) lacks the rule gets it
    in .git/info/attributes instead: this clone merges tickets safely without a commit.
    """
    _configure(store)
    committed = store.reader.blob(f"{commit or store.head().commit}:{ATTRIBUTES_FILE}") or b""
    if _attributes_with_rule(committed) is None:
        return
    info = Path(store.git.text("rev-parse", "--git-path", "info/attributes"))
    if not info.is_absolute():
        info = store.root / info
    try:
        local = info.read_bytes()
    except FileNotFoundError:
        local = b""
    updated = _attributes_with_rule(local)
    if updated is not None:
        info.parent.mkdir(parents=True, exist_ok=True)
        info.write_bytes(updated)


# ---- merging one ticket file ----

def merge_ticket_bytes(store: Store, base: bytes | None, ours: bytes, theirs: bytes, path: str) -> bytes:
    """The merged file, or StoreConflict naming the path and every problem.

    The result is one side's bytes unchanged when the merge equals it, so a
    merge never rewrites a file only to re-format it.
    """
    if ours == theirs:
        return ours
    if base is not None and base == ours:
        return theirs
    if base is not None and base == theirs:
        return ours
    tz = store.calendar.tz
    try:
        sides = [parse_ticket_bytes(content, path, tz) if content is not None else None
                 for content in (base, ours, theirs)]
    except BrokenTicket as e:
        raise StoreConflict(f"cannot merge {path}: a version is not a readable ticket ({e})") from e
    base_ticket, our_ticket, their_ticket = sides
    assert our_ticket is not None and their_ticket is not None
    try:
        merged = merge_tickets(base_ticket, our_ticket, their_ticket, store.directory.staff)
    except TicketMergeConflict as e:
        raise StoreConflict(f"cannot merge {path}: {'; '.join(e.problems)}") from e
    if merged == our_ticket:
        return ours
    if merged == their_ticket:
        return theirs
    return store.render_ticket(merged)


def run_merge_driver(base_file: str, ours_file: str, theirs_file: str, path: str) -> None:
    """What `pcsdesk merge-driver %O %A %B %P` does: write the merge into %A, or raise StoreConflict."""
    from pcsdesk.store.store import find_store_root

    base = Path(base_file).read_bytes()
    ours = Path(ours_file).read_bytes()
    theirs = Path(theirs_file).read_bytes()
    # git runs the driver at the top of the work tree; the store there says who is staff.
    store = Store(find_store_root(None, Path.cwd()))
    try:
        merged = merge_ticket_bytes(store, base or None, ours, theirs, path)
    except StoreConflict as e:
        raise StoreConflict(
            f"{e}; kept this clone's version of the file (no conflict markers) and git marks it "
            "conflicted: `git merge --abort` goes back, or settle it by hand and run pcsdesk check"
        ) from e
    finally:
        store.close()
    # Written in place: %A is git's own temporary file, read back once the driver exits.
    with open(ours_file, "wb") as handle:
        handle.write(merged)
        handle.flush()
        os.fsync(handle.fileno())
