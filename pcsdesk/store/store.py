"""A ticket store: a git work tree holding calendar.yaml, buildings.yaml and tickets/."""

from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple, TypeVar

from pcsdesk.errors import (
    BrokenTicket,
    ConfigError,
    StoreBusy,
    StoreConflict,
    StoreNotFound,
    TicketNotFound,
)
from pcsdesk.rules.calendar import Calendar, calendar_from_dict
from pcsdesk.rules.directory import Directory, directory_from_dict
from pcsdesk.rules.ids import ticket_path
from pcsdesk.rules.texts import READ_MAX_BYTES, TICKET_MAX_BYTES
from pcsdesk.rules.ticket import Ticket, TicketDataError, ticket_from_data, ticket_to_data
from pcsdesk.store.git import Author as Author  # re-exported: callers say store.Author
from pcsdesk.store.git import BlobWriter, Git, GitFailed, ObjectReader, TreeWriter, commit_tree, updated_tree
from pcsdesk.store.root import CALENDAR_FILE as CALENDAR_FILE  # re-exported, like the two below
from pcsdesk.store.root import DIRECTORY_FILE as DIRECTORY_FILE
from pcsdesk.store.root import find_store_root as find_store_root
from pcsdesk.store.root import is_store as is_store
from pcsdesk.store.worktree import WorkTreeQuery, take_early
from pcsdesk.store.yamlio import dump_yaml, line_of, load_yaml

if TYPE_CHECKING:
    import subprocess

# How long a command waits for another pcsdesk process, or for git's index lock,
# before giving up with StoreBusy: long enough for a dozen commands in a queue.
LOCK_WAIT_SECONDS = 30.0
# The object format, HEAD's commit and the branch it is on, in one process.
_HEAD_QUERY = ("rev-parse", "--show-object-format", "HEAD", "--symbolic-full-name", "HEAD")


T = TypeVar("T")


def parse_config(name: str, content: bytes, build: Callable[[object], T]) -> T:
    """calendar.yaml or buildings.yaml from its bytes, by `build`; any problem is ConfigError naming file and line.

    The one loader of the configuration: reads at HEAD, `check` at any commit and in
    the work tree, all go through it.
    """
    try:
        return build(load_yaml(content, name))
    except BrokenTicket as e:
        raise ConfigError(e.problem, file=name, line=e.line) from None
    except ConfigError as e:
        e.file = name
        if e.where and e.line is None:
            e.line = line_of(content.decode("utf-8", "replace"), e.where)
        raise e from None


# A named tuple, not a frozen dataclass: every command imports this module, and a
# dataclass costs ~1 ms to create at import (it compiles six methods).
class Head(NamedTuple):
    ref: str          # the branch to move, or "HEAD" when detached
    commit: str
    hash_bytes: int


class Store:
    """Reads tickets from the committed tree and writes each change as one commit."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.git = Git(root)
        self._reader: ObjectReader | None = None
        self._calendar: Calendar | None = None
        self._directory: Directory | None = None
        self._head: Head | None = None
        self._head_pending: subprocess.Popen[bytes] | None = None
        self._batch_pending: subprocess.Popen[bytes] | None = None
        self._worktree: WorkTreeQuery | None = take_early(root)
        self._git_dir: Path | None = None
        # The blob ids calendar.yaml and buildings.yaml were parsed from (see refresh).
        self._config_oids: dict[str, str] = {}
        self._tree_writer: TreeWriter | None = None
        self._blob_writer: BlobWriter | None = None
        # How long a writer waits for the store's lock (tests shorten it).
        self.lock_wait = LOCK_WAIT_SECONDS

    def start_git(self) -> None:
        """Start the git processes every command needs, before it reads its configuration.

        A git process spends ~2 ms starting up (loading, reading its own config).
        Started here, the rev-parse of HEAD and the `cat-file --batch` reader start
        while Python parses calendar.yaml and buildings.yaml, instead of after.
        """
        if self._head is None and self._head_pending is None:
            self._head_pending = self.git.start(*_HEAD_QUERY)
        if self._reader is None and self._batch_pending is None:
            self._batch_pending = ObjectReader.start(self.git)

    def start_status(self) -> None:
        """Start asking git which ticket and configuration files differ from HEAD (see uncommitted)."""
        if self._worktree is None and (self.root / ".git").exists():
            self._worktree = WorkTreeQuery(self.git, self.git_dir)

    def uncommitted(self) -> list[str]:
        """Ticket files, calendar.yaml and buildings.yaml whose work tree or staged copy is not HEAD's.

        Reads answer from HEAD; this is what they then tell the technician they did not
        see: tracked files changed or staged, and new ticket files git does not track
        (store/worktree.py says how both stay cheap at 100,000 tickets).
        """
        self.start_status()
        query, self._worktree = self._worktree, None
        return query.paths() if query is not None else []

    # ---- configuration ----

    def config_bytes(self, name: str) -> bytes:
        """calendar.yaml or buildings.yaml as committed at HEAD, like the tickets (docs/reference.md)."""
        # HEAD first: it tells the reader the hash size (see read_ticket).
        commit = self.head().commit
        content = self.reader.blob(f"{commit}:{name}")
        if content is None:
            raise ConfigError(
                f"not in the last commit; restore it (git checkout HEAD~1 -- {name}) and commit it",
                file=name,
            )
        return content

    def _load_config(self, name: str, build: Callable[[object], T]) -> T:
        # The blob id with the content, in one round trip: refresh compares it. HEAD
        # first: it tells the reader the hash size (see read_ticket).
        commit = self.head().commit
        found = self.reader.object(f"{commit}:{name}")
        if found is not None and found[1] == "blob":
            content = found[2]
            self._config_oids[name] = found[0]
        else:
            content = self.config_bytes(name)   # says what is missing
        return parse_config(name, content, build)

    @property
    def calendar(self) -> Calendar:
        if self._calendar is None:
            self._calendar = self._load_config(CALENDAR_FILE, calendar_from_dict)
        return self._calendar

    @property
    def directory(self) -> Directory:
        if self._directory is None:
            self._directory = self._load_config(DIRECTORY_FILE, directory_from_dict)
        return self._directory

    @property
    def loaded_directory(self) -> Directory | None:
        return self._directory

    # ---- reading ----

    def head(self) -> Head:
        if self._head is None:
            self._head = self._read_head()
        return self._head

    def _read_head(self) -> Head:
        try:
            pending, self._head_pending = self._head_pending, None
            if pending is not None:
                lines = self.git.finish(pending, _HEAD_QUERY).splitlines()
            else:
                lines = self.git.text(*_HEAD_QUERY).splitlines()
        except GitFailed as e:
            raise StoreNotFound(
                f"{self.root} has no commit yet; run `pcsdesk init {self.root}`"
            ) from e
        object_format, commit = lines[0], lines[1]
        ref = lines[2] if len(lines) > 2 and lines[2].startswith("refs/") else "HEAD"
        return Head(ref=ref, commit=commit, hash_bytes=32 if object_format == "sha256" else 20)

    @property
    def reader(self) -> ObjectReader:
        if self._reader is None:
            if self._head is not None:
                hash_bytes = self._head.hash_bytes
            else:
                object_format = self.git.text("rev-parse", "--show-object-format")
                hash_bytes = 32 if object_format == "sha256" else 20
            self._reader = ObjectReader(self.git, hash_bytes, self._batch_pending)
            self._batch_pending = None
        return self._reader

    def refresh(self) -> None:
        """See the branch as it is now, keeping the git processes: for a long-running server.

        A server's thread keeps one Store from request to request instead of opening
        one per request (two git processes and both configuration files parsed, about
        15 ms). Between requests it asks the open `cat-file --batch` for HEAD (one
        round trip; cat-file resolves names afresh, as _current_head relies on), and
        parses calendar.yaml or buildings.yaml again only when its blob at the new
        HEAD differs. The branch name is kept: if the branch was switched, the first
        commit's compare-and-swap fails and commit_ticket reads everything afresh.
        A reader whose process has gone is started again.
        """
        if self._worktree is not None:
            self._worktree.close()
            self._worktree = None
        reader_alive = self._reader is not None and self._reader.alive()
        if not reader_alive or self._head is None:
            self.close()
            self._head = None
            self._calendar = self._directory = None
            self._config_oids = {}
            self.start_git()
            return
        found = self.reader.object("HEAD")
        if found is None or found[1] != "commit":
            self._head = None
            return
        if found[0] == self._head.commit:
            return
        self._head = Head(self._head.ref, found[0], self._head.hash_bytes)
        for name in (CALENDAR_FILE, DIRECTORY_FILE):
            known = self._config_oids.get(name)
            if known is None:
                continue
            now = self.reader.object(f"{found[0]}:{name}")
            if now is None or now[0] != known:
                if name == CALENDAR_FILE:
                    self._calendar = None
                else:
                    self._directory = None
                self._config_oids.pop(name, None)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._tree_writer is not None:
            self._tree_writer.close()
            self._tree_writer = None
        if self._blob_writer is not None:
            self._blob_writer.close()
            self._blob_writer = None
        if self._batch_pending is not None:
            ObjectReader(self.git, 20, self._batch_pending).close()
            self._batch_pending = None
        if self._head_pending is not None:
            self._head_pending.communicate()
            self._head_pending = None
        if self._worktree is not None:
            self._worktree.close()
            self._worktree = None

    def parse_ticket(self, content: bytes, path: str) -> Ticket:
        """A ticket from file bytes; any problem is BrokenTicket naming the path (and line)."""
        return parse_ticket_bytes(content, path, self.calendar.tz)

    def read_ticket(self, ticket_id: str, commit: str | None = None) -> Ticket:
        path = ticket_path(ticket_id)
        # The head first: it tells the reader the hash size, which spares a
        # `rev-parse --show-object-format` process.
        commit = commit or self.head().commit
        content = self.reader.blob(f"{commit}:{path}")
        if content is None:
            raise TicketNotFound(ticket_id)
        return self.parse_ticket(content, path)

    def ticket_exists(self, ticket_id: str) -> bool:
        return self.reader.read(f"{self.head().commit}:{ticket_path(ticket_id)}") is not None

    def render_ticket(self, ticket: Ticket) -> bytes:
        return dump_yaml(ticket_to_data(ticket, self.calendar.tz)).encode("utf-8")

    # ---- writing ----

    @property
    def git_dir(self) -> Path:
        """The repository's own folder (.git, or where a linked work tree's .git file points)."""
        if self._git_dir is None:
            plain = self.root / ".git"
            self._git_dir = plain if plain.is_dir() else Path(self.git.text("rev-parse", "--absolute-git-dir"))
        return self._git_dir

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Serialises pcsdesk writers in this clone so each sees the last one's commit.

        An OS lock (flock) rather than a lock file: it is released when the process
        dies, so a killed command never leaves the store locked. A blocking flock,
        not a polling one: the kernel queues the waiters, so each waits about as
        long as the queue ahead of it, where pollers were served in no order and
        some gave up after LOCK_WAIT_SECONDS while the store went on committing.
        Other writers (a technician's own `git commit`, `git pull`) are handled by
        the compare-and-swap on the branch instead.
        """
        handle = _wait_for_flock(self.git_dir / "pcsdesk.lock", self.lock_wait)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def ensure_merge_driver(self) -> None:
        """Register the ticket merge driver in this clone if its git config lacks it (a fresh clone).

        git config is not cloned, so without this a plain `git pull` in a new clone
        merges tickets line by line. Every command calls it: reading the config
        file costs a few microseconds; git runs only when something is missing.
        """
        common = self.git_dir
        try:
            pointer = (common / "commondir").read_text().strip()
            common = (common / pointer).resolve()
        except OSError:
            pass
        try:
            config = (common / "config").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return
        if '[merge "pcsdesk-ticket"]' in config and sys.executable in config and "splitIndex = true" in config:
            return
        from pcsdesk.store.merge import ensure_merge_driver

        try:
            ensure_merge_driver(self)
        except (GitFailed, OSError):
            pass   # a read-only clone: reads still work; sync and git pull will say what is wrong

    def refuse_during_merge(self) -> None:
        """A merge, rebase or cherry-pick stopped half-way in this clone: it is the technician's to finish."""
        for marker, command in _HALF_DONE:
            if (self.git_dir / marker).exists():
                raise StoreConflict(
                    f"a {command.split()[1]} is in progress in this clone; finish or abort the "
                    f"{command.split()[1]}: {command} (or settle the files and git commit), then try again"
                )

    def commit_ticket(
        self,
        path: str,
        change: Callable[[bytes | None], bytes],
        message: str | Callable[[], str],
        author: Author,
        when: datetime,
    ) -> str:
        """Apply `change` to the committed file at `path` and commit just that file.

        `change` receives the file's bytes at the branch head (None for a new
        ticket) and returns the new bytes; it runs again on the new head whenever
        another writer moved the branch meanwhile, so nothing is overwritten.
        Order matters for a crash: the branch moves first, then the work tree file
        (atomically), then its index entry, so a killed command leaves the file
        either as it was or as committed.
        """
        with self.write_lock():
            self.refuse_during_merge()
            for _attempt in range(20):
                head = self._current_head()
                current = self.reader.blob(f"{head.commit}:{path}")
                self._refuse_hand_edit(path, current)
                new_content = change(current)
                # A function when the message depends on the ticket `change` just read.
                text = message() if callable(message) else message
                commit = self._make_commit(head, {path: new_content}, text, author, when)
                if self.git.ok("update-ref", "-m", f"pcsdesk: {text}", head.ref, commit, head.commit):
                    self._head = Head(head.ref, commit, head.hash_bytes)
                    self._write_work_tree(path, new_content)
                    break
                self._head = None   # moved meanwhile: read ref and commit afresh
            else:
                raise StoreBusy("the branch kept moving while pcsdesk tried to commit; try again")
        # The index entry last, after the lock: see _IndexEntries.
        self._index_entries().settle(self.git, path)
        return commit

    def _current_head(self) -> Head:
        """HEAD as it is now, asked of the open `cat-file --batch` once HEAD was read.

        cat-file resolves the name afresh on every request, so under the write lock
        this sees the last writer's commit without a new `rev-parse` process (about
        2.5 ms of a write command). The ref name is the one read first; if the
        branch was switched meanwhile, the compare-and-swap fails and the next
        attempt reads everything again.
        """
        if self._head is None:
            # The ref name and hash size; the commit may come from a rev-parse started
            # before the lock was taken, so it is asked for again just below.
            self.head()
        assert self._head is not None
        found = self.reader.object("HEAD")
        if found is None or found[1] != "commit":
            self._head = None
            return self.head()
        self._head = Head(self._head.ref, found[0], self._head.hash_bytes)
        return self._head

    def _refuse_hand_edit(self, path: str, committed: bytes | None) -> None:
        """Never overwrite a change someone made to the ticket file and has not committed."""
        try:
            on_disk = (self.root / path).read_bytes()
        except FileNotFoundError:
            return
        if on_disk == committed:
            return
        # The index still holding what is on disk, and that being the version the head
        # commit replaced, means nobody edited the file: an earlier command was stopped
        # after moving the branch, before the file. A hand edit that was `git add`ed
        # also matches the index, so the index alone cannot tell them apart.
        staged = self.git.text("ls-files", "-s", "--", path).split()
        if staged and committed is not None:
            staged_blob = self.reader.blob(staged[1])
            replaced = self.reader.blob(f"{self.head().commit}^:{path}")
            if staged_blob == on_disk and replaced == on_disk:
                return
        raise StoreConflict(
            f"{path} has changes that are not committed; commit them (git commit {path}) "
            f"or discard them (git checkout HEAD -- {path}), then try again"
        )

    def commit_files(
        self, files: dict[str, bytes], message: str, author: Author, when: datetime
    ) -> str:
        """Commit several files at once (a new store's configuration); also on an unborn branch."""
        with self.write_lock():
            head = self._head_or_unborn()
            commit = self._make_commit(head, files, message, author, when)
            old = head.commit or "0" * (head.hash_bytes * 2)
            if not self.git.ok("update-ref", "-m", f"pcsdesk: {message}", head.ref, commit, old):
                raise StoreBusy("the branch moved while pcsdesk committed; try again")
            for path, content in files.items():
                self._write_work_tree(path, content)
            self._head = Head(head.ref, commit, head.hash_bytes)
        for path in files:
            self._index_entries().settle(self.git, path)
        return commit

    def _head_or_unborn(self) -> Head:
        if self.git.ok("rev-parse", "--verify", "-q", "HEAD"):
            return self._read_head()
        ref = self.git.text("symbolic-ref", "-q", "HEAD")
        object_format = self.git.text("rev-parse", "--show-object-format")
        return Head(ref=ref, commit="", hash_bytes=32 if object_format == "sha256" else 20)

    def _make_commit(
        self, head: Head, files: dict[str, bytes], message: str, author: Author, when: datetime
    ) -> str:
        # mktree starts first: its start-up overlaps with hash-object's run. It is kept
        # for the store's next commit (a server's thread makes many).
        if self._tree_writer is None:
            self._tree_writer = TreeWriter(self.git)
        writer = self._tree_writer
        try:
            if self._blob_writer is None:
                self._blob_writer = BlobWriter(self.git, self.git_dir / "pcsdesk")
            blobs = {path: self._blob_writer.write(content) for path, content in files.items()}
            base = f"{head.commit}^{{tree}}" if head.commit else None
            tree = updated_tree(self.reader, writer, base, blobs)
        except BaseException:
            # Their pipes may hold half a request: the next commit starts new ones.
            self._tree_writer = None
            writer.close()
            if self._blob_writer is not None:
                self._blob_writer.close()
                self._blob_writer = None
            raise
        return commit_tree(self.git, tree, [head.commit] if head.commit else [], message, author, when)

    def _write_work_tree(self, path: str, content: bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, target)

    def _index_entries(self) -> _IndexEntries:
        key = str(self.git_dir)
        with _ENTRIES_GUARD:
            found = _ENTRIES.get(key)
            if found is None:
                found = _ENTRIES[key] = _IndexEntries()
            return found


class _IndexEntries:
    """The index entries of files just committed, one `git update-index` for every thread waiting.

    After the branch moves and the file is written, its index entry is updated so
    `git status` shows the ticket clean. That one process reads and rewrites git's
    whole index: about 35 ms at 100,000 tickets, more than the rest of a commit.
    So it runs after the store's write lock is released (the next writer commits
    meanwhile) and, in a server, for every thread of this process waiting at that
    moment: the first to arrive runs `update-index` for all the paths waiting,
    the others wait for the run that includes theirs. Each still returns only once
    its own entry is written, so a change is done when its caller hears so. Doing
    it outside the lock is safe because update-index stages the file as it is on
    disk: if another writer changed the same file meanwhile, its newer version is
    staged (and written by that writer's own run too); a crash before the entry is
    written leaves exactly the state a crash there always could.
    """

    def __init__(self) -> None:
        self._state = threading.Condition()
        self._waiting: set[str] = set()
        self._running = False
        self._started = 0    # runs begun
        self._finished = 0   # runs ended
        self._failed: dict[int, BaseException] = {}

    def settle(self, git: Git, path: str) -> None:
        with self._state:
            self._waiting.add(path)
            mine = self._started + 1   # the next run to begin takes every path waiting
            while self._finished < mine:
                if self._running:
                    self._state.wait()
                    continue
                self._running = True
                self._started += 1
                number, batch, self._waiting = self._started, sorted(self._waiting), set()
                self._state.release()
                failure: BaseException | None = None
                try:
                    _update_index(git, batch)
                except BaseException as e:
                    failure = e
                finally:
                    self._state.acquire()
                    self._running = False
                    self._finished = number
                    if failure is not None:
                        self._failed[number] = failure
                    for old in [n for n in self._failed if n < number - 64]:
                        del self._failed[old]
                    self._state.notify_all()
            failure = self._failed.get(mine)
        if failure is not None:
            raise failure


_ENTRIES: dict[str, _IndexEntries] = {}
_ENTRIES_GUARD = threading.Lock()


def _update_index(git: Git, paths: list[str]) -> None:
    """These paths' index entries from the files on disk; git's own index.lock may be held by a
    technician's git command for a moment."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            git.run("update-index", "--add", "--", *paths)
            return
        except GitFailed as e:
            if b"index.lock" not in e.stderr or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# What git leaves in its folder while a merge, rebase or cherry-pick waits for the technician.
_HALF_DONE = (
    ("MERGE_HEAD", "git merge --abort"),
    ("rebase-merge", "git rebase --abort"),
    ("rebase-apply", "git rebase --abort"),
    ("CHERRY_PICK_HEAD", "git cherry-pick --abort"),
    ("REVERT_HEAD", "git revert --abort"),
)


def _wait_for_flock(path: Path, timeout: float) -> IO[bytes]:
    """The file at `path` opened and exclusively flock-ed, waiting in the kernel's queue up to `timeout`.

    Uncontended, one non-blocking try. Otherwise a helper thread makes the
    blocking call (flock has no timeout of its own, and a signal would work in
    the main thread only, not in the web server's); if the time runs out first,
    the helper releases the lock as soon as the kernel grants it.
    """
    # Closed by the caller once unlocked, or by the helper thread if the wait is abandoned.
    handle = open(path, "a+b")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return handle
    except BlockingIOError:
        pass
    granted = threading.Event()
    state = {"abandoned": False}
    guard = threading.Lock()

    def wait_in_queue() -> None:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with guard:
            if state["abandoned"]:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
                return
            granted.set()

    threading.Thread(target=wait_in_queue, name="pcsdesk-lock", daemon=True).start()
    if not granted.wait(timeout):
        with guard:
            if not granted.is_set():
                state["abandoned"] = True
                raise StoreBusy(
                    f"other pcsdesk commands have held the store for {timeout:.0f} s; try again in a moment"
                )
    return handle


def parse_ticket_bytes(content: bytes, path: str, tz: tzinfo) -> Ticket:
    """A ticket from file bytes; any problem is BrokenTicket naming the path (and line).

    A function, not only a Store method, so the index's worker processes parse
    exactly as the commands do without opening a store of their own. A file far
    beyond the size pcsdesk writes is not parsed at all: a 60 MB ticket took 70 s
    and 1.8 GB to show.
    """
    if len(content) > READ_MAX_BYTES:
        raise BrokenTicket(
            f"{path}: {len(content) // 1024} KiB, far more than a ticket holds "
            f"({TICKET_MAX_BYTES // 1024} KiB at most); pcsdesk does not read it: split it by hand",
            problem=f"{len(content) // 1024} KiB, more than {READ_MAX_BYTES // 1024} KiB; pcsdesk does not read it",
        )
    data = load_yaml(content, path, allow_aliases=False)
    try:
        return ticket_from_data(data, tz)
    except TicketDataError as e:
        raise BrokenTicket(f"{path}{_line_suffix(content, e.key)}: {e}") from e


def _line_suffix(content: bytes, key: str) -> str:
    """`:N` (path:line, as `check` names a place) for the top-level key a schema error names, when found."""
    top = key.split(".")[0].split("[")[0]
    prefix = f"{top}:".encode()
    for number, line in enumerate(content.splitlines(), start=1):
        if line.startswith(prefix):
            return f":{number}"
    return ""



