"""The read side: a derived sqlite index of the committed tickets, for list, overdue, report and completion.

Why an index: parsing one ticket costs about 0.3 ms even with libyaml, so reading
100,000 of them for every `list` would take half a minute. The index keeps one row
per ticket file in `<git dir>/pcsdesk/index.sqlite` (never committed, never
cloned), keyed by git's own object ids:

- every folder under tickets/ with its tree id, every ticket file with its blob id;
- on open, HEAD's tickets tree id is compared with the stored one: equal means
  the index is exact; otherwise only the folders whose tree id changed are read
  (one `git cat-file --batch` for everything), and only blobs with a new id are
  parsed. So it follows any change to HEAD, whoever made it: pcsdesk, `git pull`,
  a merge on the git host, a hand edit committed, a branch switch, a reset;
- a missing, corrupt or older-schema file is rebuilt; a large rebuild parses on
  every core, each worker reading its blobs through its own `git cat-file --batch`;
- a file that cannot be read stays in the index as a problem row, so it is
  reported every time, exactly as the command would report it without the index;
- concurrency: sqlite in WAL mode. A process that finds the index behind HEAD
  takes sqlite's write lock (BEGIN IMMEDIATE), looks again, and brings it up to
  date; a second process waits for that lock, then finds nothing left to do.
  Rows are read in the same transaction that checked the tree id, so an answer
  always matches one commit;
- each row has room for figures the query core derives from it (due time and
  response time) with the key they were derived under; the index stores them and
  hands them back, never computing or judging them itself.

`verify()` compares the index with the tickets themselves, for `check`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from pcsdesk.errors import BrokenTicket, InvalidInput, StoreBusy
from pcsdesk.rules.ids import TICKETS_DIR, id_from_path
from pcsdesk.rules.ticket import ticket_from_data
from pcsdesk.store.quickyaml import Declined, quick_load
from pcsdesk.store.store import Store, parse_ticket_bytes

if TYPE_CHECKING:
    import sqlite3

# Bump when the tables or what is parsed into them change: an index of another
# version is rebuilt, never read.
SCHEMA_VERSION = 4
INDEX_FILE = "index.sqlite"
# Below this many files to parse, one process is quicker than starting workers.
PARALLEL_THRESHOLD = 1500
# Files handed to a worker at a time; small enough that one `cat-file --batch`
# request list fits in a pipe buffer (500 x 65 bytes), large enough to amortise IPC.
CHUNK = 400
# How long to wait for another process that is bringing the index up to date
# (a cold rebuild of 100,000 tickets takes about 20 s on two cores).
BUSY_TIMEOUT_SECONDS = 180.0

_COLUMNS = (
    "path", "parent", "blob", "path_id", "problem", "id", "status", "priority", "building",
    "category", "summary", "requester", "entered_by", "entered_at", "assignee", "assignee_key",
    "first_response_at", "note_count", "requester_key", "entered_by_key",
)
# What a TicketRow is made of, in its field order (times as epoch seconds), then the
# figures the query core stored for the row (see store_figures).
_ROW_COLUMNS = ("id", "path", "status", "priority", "building", "category", "summary",
                "requester", "entered_by", "entered_at", "assignee", "first_response_at",
                "note_count", "derived_for", "due", "response_seconds")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE folders (path TEXT PRIMARY KEY, parent TEXT NOT NULL, oid TEXT NOT NULL);
CREATE INDEX folders_by_parent ON folders (parent);
CREATE TABLE tickets (
    path TEXT PRIMARY KEY,
    parent TEXT NOT NULL,
    blob TEXT NOT NULL,
    path_id TEXT,             -- the ID the path names, NULL when the path is not an ID's place
    problem TEXT,             -- why the file cannot be read, NULL for a readable ticket
    id TEXT, status TEXT, priority TEXT, building TEXT, category TEXT, summary TEXT,
    requester TEXT, entered_by TEXT,
    entered_at INTEGER,       -- epoch seconds (times are stored to the second)
    assignee TEXT,
    assignee_key TEXT,        -- the assignee lower-cased by Python, which folds all of Unicode
    first_response_at INTEGER,
    note_count INTEGER,
    requester_key TEXT,       -- requester and entered_by lower-cased, as assignee_key
    entered_by_key TEXT,
    -- Figures the query core derived from the row, under the key it names (store_figures).
    derived_for INTEGER,
    due INTEGER,              -- epoch seconds
    response_seconds INTEGER
);
CREATE INDEX tickets_by_parent ON tickets (parent);
CREATE INDEX tickets_by_status ON tickets (status, building);
CREATE INDEX tickets_by_entry ON tickets (entered_at);
CREATE INDEX tickets_by_assignee ON tickets (assignee_key);
-- "My tickets": what a person asked for or typed in, fast at 100,000 tickets.
CREATE INDEX tickets_by_requester ON tickets (requester_key);
CREATE INDEX tickets_by_entered_by ON tickets (entered_by_key);
CREATE INDEX tickets_by_id ON tickets (path_id);
-- Problems are read on every listing: a partial index finds them without a scan.
CREATE INDEX tickets_with_problems ON tickets (path) WHERE problem IS NOT NULL;
"""


class TicketRow(NamedTuple):
    """One ticket as the index holds it: its fields without the notes log, by name.

    A named tuple rather than a frozen dataclass: a report over a school year makes
    tens of thousands of rows, and a tuple is built seven times faster. `rules/`
    accepts it wherever it accepts a Ticket's fields (rules.promise.PromiseTicket).
    """

    id: str
    path: str
    status: str
    priority: str
    building: str
    category: str | None
    summary: str
    requester: str
    entered_by: str
    entered_at: datetime
    assignee: str
    first_response_at: datetime | None
    note_count: int
    # What the query core last stored for this row with store_figures: the key it
    # derived them under, and the figures (epoch seconds, seconds); None if nothing.
    figures_key: int | None = None
    figures_due: int | None = None
    figures_response: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def is_emergency(self) -> bool:
        return self.priority == "emergency"


# ---- parsing a file into a row: shared by this process and the workers ----

Record = tuple[Any, ...]   # one `tickets` row, in _COLUMNS order
T = TypeVar("T")


def parse_record(
    content: bytes, path: str, parent: str, blob: str, tz: tzinfo, exact: bool = False
) -> Record:
    """The index row of one ticket file: its fields, or the problem that stops reading it.

    Files in the form pcsdesk writes are read by the quick reader below; anything
    else, and every file with a problem, by the full YAML loader, so the problem
    text is exactly what the commands print. `exact` always uses the full loader.
    """
    path_id = id_from_path(path)
    try:
        ticket = None
        if not exact:
            try:
                ticket = ticket_from_data(quick_load(content), tz)
            except (Declined, InvalidInput):
                ticket = None
            except Exception:  # a fault of the quick reader must never cost a correct answer
                ticket = None
        if ticket is None:
            ticket = parse_ticket_bytes(content, path, tz)
        first = ticket.first_response_at
        record = (
            path, parent, blob, path_id, None, ticket.id, ticket.status, ticket.priority,
            ticket.building, ticket.category, ticket.summary, ticket.requester, ticket.entered_by,
            int(ticket.entered_at.timestamp()), ticket.assignee, ticket.assignee.lower(),
            int(first.timestamp()) if first else None, len(ticket.notes),
            ticket.requester.lower(), ticket.entered_by.lower(),
        )
        # Rows are rebuilt from these numbers: they must come back as the same times.
        datetime.fromtimestamp(record[13], tz)
    except BrokenTicket as e:
        return (path, parent, blob, path_id, str(e), *([None] * 15))
    except (ValueError, OverflowError, OSError) as e:
        # A time so far off that the calendar's zone cannot hold it (year 1, year 9999).
        return (path, parent, blob, path_id, f"{path}: cannot be read ({e})", *([None] * 15))
    if path_id != ticket.id:
        problem = f"{path}: the id {ticket.id!r} does not match the file name"
        return (path, parent, blob, path_id, problem, *([None] * 15))
    return record


_WORKER: dict[str, Any] = {}


def _worker_start(root: str, env: dict[str, str], tz_name: str, exact: bool) -> None:
    from zoneinfo import ZoneInfo

    _WORKER["tz"] = ZoneInfo(tz_name)
    _WORKER["exact"] = exact
    _WORKER["cat"] = subprocess.Popen(
        ["git", "cat-file", "--batch"], cwd=root, env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )


def _worker_parse(files: list[tuple[str, str, str]]) -> list[Record]:
    """Read a chunk of blobs with one request list and parse each into a row."""
    cat = _WORKER["cat"]
    cat.stdin.write(b"".join(f"{blob}\n".encode() for _p, _parent, blob in files))
    cat.stdin.flush()
    out = []
    for path, parent, blob in files:
        header = cat.stdout.readline().split()
        content = cat.stdout.read(int(header[2])) if len(header) == 3 else b""
        if len(header) == 3:
            cat.stdout.read(1)
        out.append(parse_record(content, path, parent, blob, _WORKER["tz"], _WORKER["exact"]))
    return out


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class Progress(Protocol):
    """What the index reports a long rebuild's progress to; a face draws it (or not)."""

    def advance(self, count: int) -> None: ...
    def finish(self) -> None: ...


# Given the number of files to parse, the face's progress display for them.
ProgressFactory = Callable[[int], Progress]


class _NoProgress:
    def advance(self, count: int) -> None:
        pass

    def finish(self) -> None:
        pass


# ---- the index ----

class TicketIndex:
    """Rows of HEAD's tickets from the sqlite index, brought up to date on every use."""

    def __init__(self, store: Store, progress: ProgressFactory | None = None) -> None:
        self.store = store
        self.progress = progress
        self.path = _git_dir(store) / "pcsdesk" / INDEX_FILE
        self._db: sqlite3.Connection | None = None

    # ---- the public interface ----

    def rows(
        self,
        building: str | None = None,
        assignee: str | None = None,
        status: str | None = None,
        entered_from: datetime | None = None,
        entered_to: datetime | None = None,
        person: str | None = None,
    ) -> tuple[list[TicketRow], list[str]]:
        """The readable tickets matching the filters, and one problem line per unreadable file.

        Filters are exact: building code, assignee (any case), status ("all" or None:
        every status), entered_from <= entered_at < entered_to, and person: the
        requester or whoever entered it (any case). Problems are always all of
        them, whatever the filters, so nothing broken goes unreported.
        """
        where: list[str] = ["problem IS NULL"]
        args: list[Any] = []
        if building is not None:
            where.append("building = ?")
            args.append(building)
        if assignee is not None:
            where.append("assignee_key = ?")
            args.append(assignee.strip().lower())
        if person is not None:
            # Two indexed lookups joined by sqlite's OR optimisation, not a scan.
            where.append("(requester_key = ? OR entered_by_key = ?)")
            key = person.strip().lower()
            args += [key, key]
        if status is not None and status != "all":
            where.append("status = ?")
            args.append(status)
        if entered_from is not None:
            where.append("entered_at >= ?")
            args.append(int(entered_from.timestamp()))
        if entered_to is not None:
            where.append("entered_at < ?")
            args.append(int(entered_to.timestamp()))
        # Only constant clauses are joined here; the values go in as parameters.
        query = (f"SELECT {', '.join(_ROW_COLUMNS)} FROM tickets "  # noqa: S608
                 f"WHERE {' AND '.join(where)} ORDER BY path")

        def read(db: sqlite3.Connection) -> tuple[list[TicketRow], list[str]]:
            # Rows are built as the cursor yields them: no second copy of 100,000 records.
            return (
                self._rows(db.execute(query, args)),
                [p for (p,) in db.execute(
                    "SELECT problem FROM tickets WHERE problem IS NOT NULL ORDER BY path")],
            )

        return self._answer(read)

    def ids(self, prefix: str = "") -> list[str]:
        """The IDs of every ticket file, readable or not, starting with `prefix`."""
        low = prefix.upper()
        # A range on the index rather than LIKE, whose wildcards an ID never holds anyway.
        high = low[:-1] + chr(ord(low[-1]) + 1) if low else "\uffff"

        def read(db: sqlite3.Connection) -> list[str]:
            return [i for (i,) in db.execute(
                "SELECT path_id FROM tickets WHERE path_id >= ? AND path_id < ? ORDER BY path_id",
                (low, high),
            )]

        return self._answer(read)

    def _rows(self, records: Iterable[Record]) -> list[TicketRow]:
        tz = self.store.calendar.tz
        stamp = datetime.fromtimestamp
        rows: list[TicketRow] = []
        shared: dict[Any, Any] = {}
        share: Callable[[Any, Any], Any] = shared.setdefault
        for r in records:
            # Statuses, buildings and people repeat: one string object each, not one a
            # row (sqlite hands out new ones), which halves a 100,000-row listing's memory.
            rows.append(TicketRow(r[0], r[1], share(r[2], r[2]), share(r[3], r[3]), share(r[4], r[4]),
                                  share(r[5], r[5]), r[6], share(r[7], r[7]), share(r[8], r[8]),
                                  stamp(r[9], tz), share(r[10], r[10]),
                                  stamp(r[11], tz) if r[11] is not None else None, r[12],
                                  r[13], r[14], r[15]))
        return rows

    def store_figures(self, figures: Sequence[tuple[int, int, int | None, TicketRow]]) -> None:
        """Keep figures derived from rows: (key, due epoch seconds, response seconds, row).

        Best-effort: a busy index skips it (they are derived again next time), and a
        row whose times changed since it was read is left alone.
        """
        import sqlite3

        fresh = [(key, due, seconds, row.path, int(row.entered_at.timestamp()),
                  int(row.first_response_at.timestamp()) if row.first_response_at else None)
                 for key, due, seconds, row in figures]
        if not fresh:
            return

        try:
            db = self._connect()
            db.execute("PRAGMA busy_timeout = 50")
            db.execute("BEGIN IMMEDIATE")
            # Only where the times they were counted from are still the row's.
            db.executemany("UPDATE tickets SET derived_for = ?, due = ?, response_seconds = ? "
                           "WHERE path = ? AND entered_at = ? AND first_response_at IS ?", fresh)
            db.execute("COMMIT")
        except sqlite3.Error:
            pass   # another process holds the index: the figures are computed next time
        finally:
            self.close()

    def verify(self) -> list[str]:
        """Compare the index with the tickets themselves; one line per difference.

        Every ticket file at HEAD is read and parsed again (on every core) and
        its row compared with the stored one, and the folder ids are checked. A
        difference means the index was damaged or written by a faulty version:
        it is then rebuilt, so the next command reads correct rows again.
        """
        target = self._target()
        found = self._answer(lambda db: {
            row[0]: tuple(row)
            for row in db.execute(f"SELECT {', '.join(_COLUMNS)} FROM tickets")  # noqa: S608
        })
        stored_folders = self._answer(lambda db: dict(db.execute("SELECT path, oid FROM folders")))
        folders: dict[str, str] = {}
        files: list[tuple[str, str, str]] = []
        if target is not None:
            self._walk_all(TICKETS_DIR, target, folders, files)
        # The full YAML loader for every file: the quick reader is checked too.
        expected = {record[0]: record for record in self._parse(files, exact=True)}
        differences = []
        for path in sorted(set(found) | set(expected)):
            if path not in expected:
                differences.append(f"{path}: in the index but not in the tickets at HEAD")
            elif path not in found:
                differences.append(f"{path}: missing from the index")
            elif found[path] != expected[path]:
                columns = [c for c, a, b in zip(_COLUMNS, found[path], expected[path], strict=True)
                           if a != b]
                differences.append(f"{path}: the index differs from the file in {', '.join(columns)}")
        if stored_folders != folders:
            differences.append("the index's folder ids differ from HEAD's tickets tree")
        if differences:
            self._rebuild_from_scratch()
        return [f"index {self.path}: {d}" for d in differences]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # ---- keeping it up to date ----

    def _answer(self, read: Callable[[sqlite3.Connection], T]) -> T:
        """Run `read` on an index that matches HEAD, updating it first if it does not.

        The connection is closed afterwards: no lock or WAL snapshot outlives the
        answer, even in a process that keeps running (tests, a future server).
        """
        try:
            return self._answer_once(read)
        finally:
            self.close()

    def _answer_once(self, read: Callable[[sqlite3.Connection], T]) -> T:
        import sqlite3

        target = self._target()
        for attempt in range(3):
            try:
                db = self._connect()
                # A read transaction: the check and the rows see one snapshot.
                db.execute("BEGIN")
                try:
                    if self._current(db) == (target or ""):
                        return read(db)
                finally:
                    db.execute("COMMIT")
                db.execute("BEGIN IMMEDIATE")
                try:
                    stored = self._current(db)
                    if stored != (target or ""):
                        self._update(db, target)
                    result = read(db)
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
                return result
            except sqlite3.OperationalError as e:
                if "locked" in str(e) or "busy" in str(e):
                    raise StoreBusy(
                        f"another pcsdesk command has been updating the ticket index for "
                        f"{BUSY_TIMEOUT_SECONDS:.0f} s; try again in a moment"
                    ) from e
                self._discard(attempt)
            except sqlite3.DatabaseError:
                # Not a database, a damaged page, a file from another program:
                # the index is only derived data, so it is thrown away and rebuilt.
                self._discard(attempt)
        raise AssertionError("unreachable: the index is rebuilt on the last attempt")

    def _discard(self, attempt: int) -> None:
        self.close()
        if attempt >= 2:
            raise StoreBusy(f"cannot use the ticket index {self.path}; delete it and try again")
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(f"{self.path}{suffix}")
            except FileNotFoundError:
                pass

    def _connect(self) -> sqlite3.Connection:
        import sqlite3

        if self._db is not None:
            return self._db
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # A derived cache: losing the last update on a power cut is harmless (it is
            # redone from git), so skip the fsync that full durability would cost.
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA journal_size_limit=8388608")
            version = self._schema_version(db)
            if version != str(SCHEMA_VERSION):
                db.execute("BEGIN IMMEDIATE")
                try:
                    # Looked at again under the lock: another process may have just made it.
                    if self._schema_version(db) != str(SCHEMA_VERSION):
                        tables = [name for (name,) in db.execute(
                            "SELECT name FROM sqlite_master WHERE type = 'table' "
                            "AND name NOT LIKE 'sqlite_%'")]
                        for name in tables:
                            db.execute(f'DROP TABLE IF EXISTS "{name}"')
                        for statement in _SCHEMA.split(";"):
                            if statement.strip():
                                db.execute(statement)
                        db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                    db.execute("COMMIT")
                except BaseException:
                    if db.in_transaction:
                        db.execute("ROLLBACK")
                    raise
        except BaseException:
            db.close()
            raise
        self._db = db
        return db

    @staticmethod
    def _schema_version(db: sqlite3.Connection) -> str | None:
        import sqlite3

        try:
            found = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError as e:
            if "no such table" in str(e):
                return None
            raise
        return found[0] if found else None

    def _key(self) -> str:
        # The rows hold times in the calendar's zone and naive times in files are read
        # in it, so a change of zone makes a different index.
        return self.store.calendar.timezone

    def _current(self, db: sqlite3.Connection) -> str | None:
        """The tickets tree id the index describes, or None when it is for another time zone."""
        meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('tree', 'timezone')"))
        if meta.get("timezone") != self._key():
            return None
        return meta.get("tree")

    def _target(self) -> str | None:
        """HEAD's tickets tree id, or None when HEAD has no tickets folder."""
        # The head first: it tells the reader the hash size, sparing a rev-parse.
        commit = self.store.head().commit
        found = self.store.reader.object(f"{commit}:{TICKETS_DIR}")
        return found[0] if found is not None and found[1] == "tree" else None

    def _update(self, db: sqlite3.Connection, target: str | None) -> None:
        """Bring the tables from what they describe to `target`, reading only what changed."""
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta.get("timezone") != self._key():
            db.execute("DELETE FROM folders")
            db.execute("DELETE FROM tickets")
        files: list[tuple[str, str, str]] = []
        if target is None:
            db.execute("DELETE FROM folders")
            db.execute("DELETE FROM tickets")
        else:
            self._walk_changes(db, TICKETS_DIR, "", target, files)
        if files:
            db.executemany(
                f"INSERT OR REPLACE INTO tickets ({', '.join(_COLUMNS)}) "  # noqa: S608
                f"VALUES ({', '.join('?' * len(_COLUMNS))})",
                self._parse(files),
            )
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                       [("tree", target or ""), ("timezone", self._key())])

    def _walk_changes(
        self, db: sqlite3.Connection, path: str, parent: str, oid: str,
        files: list[tuple[str, str, str]],
    ) -> None:
        """Compare the folder `path` (tree `oid`) with its stored state; collect files to parse."""
        stored = db.execute("SELECT oid FROM folders WHERE path = ?", (path,)).fetchone()
        if stored is not None and stored[0] == oid:
            return
        entries = self.store.reader.tree(oid) or []
        old_folders = dict(db.execute("SELECT path, oid FROM folders WHERE parent = ?", (path,)))
        old_files = dict(db.execute("SELECT path, blob FROM tickets WHERE parent = ?", (path,)))
        for entry in entries:
            name = entry.name.decode("utf-8", "surrogateescape")
            child = f"{path}/{name}"
            if entry.is_tree:
                if old_folders.pop(child, None) != entry.oid:
                    self._walk_changes(db, child, path, entry.oid, files)
            elif name.endswith(".yaml") and entry.mode != "160000":
                if old_files.pop(child, None) != entry.oid:
                    files.append((child, path, entry.oid))
        for gone in old_folders:
            _delete_folder(db, gone)
        db.executemany("DELETE FROM tickets WHERE path = ?", [(p,) for p in old_files])
        db.execute("INSERT OR REPLACE INTO folders VALUES (?, ?, ?)", (path, parent, oid))

    def _walk_all(self, path: str, oid: str, folders: dict[str, str],
                  files: list[tuple[str, str, str]]) -> None:
        """Every folder and ticket file under `path`, for verify()."""
        folders[path] = oid
        for entry in self.store.reader.tree(oid) or []:
            name = entry.name.decode("utf-8", "surrogateescape")
            child = f"{path}/{name}"
            if entry.is_tree:
                self._walk_all(child, entry.oid, folders, files)
            elif name.endswith(".yaml") and entry.mode != "160000":
                files.append((child, path, entry.oid))

    def _parse(self, files: Sequence[tuple[str, str, str]], exact: bool = False) -> Iterator[Record]:
        """Parse the files (path, parent, blob id): in this process, or on every core when many."""
        tz = self.store.calendar.tz
        progress: Progress = self.progress(len(files)) if self.progress is not None else _NoProgress()
        try:
            if len(files) < PARALLEL_THRESHOLD or _cores() < 2:
                reader = self.store.reader
                for number, (path, parent, blob) in enumerate(files, start=1):
                    content = reader.blob(blob) or b""
                    yield parse_record(content, path, parent, blob, tz, exact)
                    if number % 200 == 0:
                        progress.advance(200)
                return
            yield from self._parse_in_parallel(files, progress, exact)
        finally:
            progress.finish()

    def _parse_in_parallel(
        self, files: Sequence[tuple[str, str, str]], progress: Progress, exact: bool
    ) -> Iterator[Record]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # fork: the workers start with pcsdesk and PyYAML already imported.
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        context = multiprocessing.get_context(method)
        chunks = [list(files[i:i + CHUNK]) for i in range(0, len(files), CHUNK)]
        with ProcessPoolExecutor(
            _cores(), mp_context=context, initializer=_worker_start,
            initargs=(str(self.store.root), dict(self.store.git.env), self._key(), exact),
        ) as pool:
            for records in pool.map(_worker_parse, chunks):
                yield from records
                progress.advance(len(records))

    def _rebuild_from_scratch(self) -> None:
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM folders")
                db.execute("DELETE FROM tickets")
                self._update(db, self._target())
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            self.close()


def _delete_folder(db: sqlite3.Connection, path: str) -> None:
    """Forget a folder that is gone and everything under it."""
    # A range on the primary key ('/' + 1 is '0'), not LIKE: names may hold % or _.
    low, high = f"{path}/", f"{path}0"
    db.execute("DELETE FROM folders WHERE path = ? OR (path >= ? AND path < ?)", (path, low, high))
    db.execute("DELETE FROM tickets WHERE path >= ? AND path < ?", (low, high))


def _git_dir(store: Store) -> Path:
    dot_git = store.root / ".git"
    if dot_git.is_dir():
        return dot_git
    # A linked work tree or a submodule: .git is a file naming the real git dir.
    return Path(store.git.text("rev-parse", "--absolute-git-dir"))


def open_index(store: Store, progress: ProgressFactory | None = None) -> TicketIndex:
    """The index of `store`'s tickets at HEAD; `progress` shows a long rebuild's progress."""
    return TicketIndex(store, progress)
