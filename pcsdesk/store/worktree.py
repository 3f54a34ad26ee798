"""Which ticket and configuration files in the work tree are not as committed at HEAD, cheaply.

Reads answer from HEAD and name on stderr the files they did not see. One
`git status --untracked-files=all` over the store cost 0.3 s of the machine at
100,000 tickets: it lstat()s every tracked file (0.2 s, on the other core while
the command works; only a file-system monitor would avoid it, and git has none on
Linux) and then reads all 1,200 ticket folders to find files git does not track
(0.1 s more). So git is asked only about tracked files (`--untracked-files=no`),
and the untracked ones are found from the folders' modification times: a file
created, renamed or deleted in a folder changes the folder's time, so a folder
whose time is the one recorded in `.git/pcsdesk/folders` when it was last listed
holds the same names as then, and git lists only the folders whose time moved
(after a write, the ticket's own folder). Editing a file in place does not change
its folder's time, but that file is tracked and git's lstat sees it.

The lstat()s cannot be avoided, but they can be done early: a read command
starts this query (start_early) before it imports click and the rest of
pcsdesk, so git's 0.2 s overlap the command's own work instead of following it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pcsdesk.rules.ids import TICKETS_DIR
from pcsdesk.store.git import Git
from pcsdesk.store.root import CALENDAR_FILE, DIRECTORY_FILE

if TYPE_CHECKING:
    import subprocess

# The tracked ticket and configuration files that differ from HEAD (staged or in the
# work tree). `--no-optional-locks`: a read must never take git's index lock from a writer.
# `core.preloadIndex=false`: one thread of lstat()s rather than one per core, which
# leaves Python a core of its own on a 2-core machine (0.11 s of CPU, not 0.14 s).
TRACKED_QUERY = ("--no-optional-locks", "-c", "core.preloadIndex=false", "status", "--porcelain=v1", "-z",
                 "--untracked-files=no", "--no-renames", "--ignore-submodules", "--")
# The files whose uncommitted changes reads name.
READ_FILES = (CALENDAR_FILE, DIRECTORY_FILE, TICKETS_DIR)
RECORD_FILE = "folders"
_RECORD_MARK = "pcsdesk folders 1"
# A folder changed this recently may change again within the same tick of its
# clock (file times are coarse): it is listed again next time rather than trusted.
_SETTLED_NS = 2_000_000_000


def changed_paths(status_output: bytes, paths: tuple[str, ...]) -> list[str]:
    """The paths named in `git status --porcelain=v1 -z` output that are among `paths` or below them."""
    found = []
    for entry in status_output.split(b"\0"):
        if len(entry) > 3:
            path = entry[3:].decode("utf-8", "replace")
            if any(path == p or path.startswith(f"{p}/") for p in paths):
                found.append(path)
    return found


class UntrackedFiles:
    """The files git does not track (nor ignore) below one folder of the work tree, e.g. tickets/."""

    def __init__(self, git: Git, folder: str, record: Path) -> None:
        self.git = git
        self.folder = folder
        self.record = record
        self._pending: subprocess.Popen[bytes] | None = None
        self._listed: list[str] = []     # folders git is asked about
        self._known: list[str] = []      # untracked files recorded last time
        self._times: dict[str, int] = {}

    def start(self) -> None:
        """Stat the recorded folders and, if any moved, start git listing them (collected by paths())."""
        recorded, self._known = self._read_record()
        now = time.time_ns()
        # Relative to the root's descriptor, with plain strings: 1,200 stat()s cost ~5 ms
        # this way, several times that through pathlib.
        root_fd = os.open(self.git.root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            for folder, recorded_ns in recorded.items():
                try:
                    mtime_ns = os.stat(folder, dir_fd=root_fd).st_mtime_ns
                except OSError:
                    continue          # gone: its parent's time moved, so the parent is listed
                if mtime_ns == recorded_ns and now - mtime_ns > _SETTLED_NS:
                    self._times[folder] = mtime_ns
                else:
                    self._listed.append(folder)
        finally:
            os.close(root_fd)
        if not recorded:
            self._listed = [self.folder]
        # The times are taken before git lists the folders: a file made in between
        # moves its folder's time again, so that folder is listed next time.
        for listed in self._listed:
            self._walk_times(listed, now)
        if self._listed or self._known:
            self._pending = self.git.start(
                "--literal-pathspecs", "ls-files", "--others", "--exclude-standard", "-z", "--",
                *self._listed, *self._known,
            )

    def paths(self) -> list[str]:
        """The untracked files (relative to the store's root); [] when git could not tell."""
        if self._pending is None:
            return []
        pending, self._pending = self._pending, None
        stdout, _ = pending.communicate()
        if pending.returncode != 0:
            return []
        found = sorted(p for p in stdout.decode("utf-8", "replace").split("\0") if p)
        self._record_listed(found)
        return found

    def close(self) -> None:
        if self._pending is not None:
            self._pending.communicate()
            self._pending = None

    def _walk_times(self, listed: str, now: int) -> None:
        """Note the times of a folder to be listed and of every folder below it."""
        root = self.git.root
        for here, _subfolders, _files in os.walk(root / listed):
            try:
                mtime_ns = os.stat(here).st_mtime_ns
            except OSError:
                continue
            # An unsettled time is recorded as 0, so the folder is listed again next time.
            self._times[os.path.relpath(here, root)] = mtime_ns if now - mtime_ns > _SETTLED_NS else 0

    def _record_listed(self, untracked: list[str]) -> None:
        """Remember the folders' times and the untracked files, for the next command."""
        lines = [_RECORD_MARK, *(f"{ns} {folder}" for folder, ns in sorted(self._times.items())),
                 *(f"- {path}" for path in untracked)]
        temporary = self.record.with_name(f".{self.record.name}.{os.getpid()}.tmp")
        try:
            self.record.parent.mkdir(exist_ok=True)
            temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
            os.replace(temporary, self.record)
        except OSError:
            pass    # a read-only store: every read lists the folders again, correct but slower

    def _read_record(self) -> tuple[dict[str, int], list[str]]:
        try:
            lines = self.record.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return {}, []
        if not lines or lines[0] != _RECORD_MARK:
            return {}, []
        times: dict[str, int] = {}
        known: list[str] = []
        for line in lines[1:]:
            first, _, rest = line.partition(" ")
            if first == "-":
                known.append(rest)
            elif first.isdigit():
                times[rest] = int(first)
        return times, known


class WorkTreeQuery:
    """Which of READ_FILES differ from HEAD: asked of git at once, answered by paths()."""

    def __init__(self, git: Git, git_dir: Path) -> None:
        self._status: subprocess.Popen[bytes] | None = git.start(*TRACKED_QUERY, *READ_FILES)
        self._untracked = UntrackedFiles(git, TICKETS_DIR, git_dir / "pcsdesk" / RECORD_FILE)
        self._untracked.start()

    def paths(self) -> list[str]:
        """The files changed, staged or new, sorted; [] when git could not tell."""
        if self._status is None:
            return []
        status, self._status = self._status, None
        stdout, _ = status.communicate()
        new_files = self._untracked.paths()
        if status.returncode != 0:
            return []
        return sorted({*changed_paths(stdout, READ_FILES), *new_files})

    def close(self) -> None:
        if self._status is not None:
            self._status.communicate()
            self._status = None
        self._untracked.close()


# Queries started before the Store of their root existed (start_early), by root.
_early: dict[Path, WorkTreeQuery] = {}


def start_early(root: Path) -> None:
    """Start the query for the store at `root` now; the Store for that root takes it over (take_early)."""
    if root not in _early and (root / ".git").is_dir():
        _early[root] = WorkTreeQuery(Git(root), root / ".git")


def take_early(root: Path) -> WorkTreeQuery | None:
    return _early.pop(root, None)
