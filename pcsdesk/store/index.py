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

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pcsdesk.errors import StoreBusy
from pcsdesk.rules.ids import TICKETS_DIR
from pcsdesk.store import index_db, rows, treewalk
from pcsdesk.store.rows import COLUMNS, ROW_COLUMNS, Record, TicketRow
from pcsdesk.store.store import Store
from pcsdesk.store.workers import in_parallel, worth_parallel

if TYPE_CHECKING:
    import sqlite3

T = TypeVar("T")
__all__ = ["TicketIndex", "TicketRow", "open_index"]

INDEX_FILE = "index.sqlite"
# Below this many files to parse, one process is quicker than starting workers.
PARALLEL_THRESHOLD = 1500
# Files handed to a worker at a time: large enough to amortise the IPC.
CHUNK = 400
# The progress display is told every this many files.
PROGRESS_STEP = 200
# How long to wait for another process that is bringing the index up to date
# (a cold rebuild of 100,000 tickets takes about 20 s on two cores).
BUSY_TIMEOUT_SECONDS = 180.0



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
        query = (f"SELECT {', '.join(ROW_COLUMNS)} FROM tickets "  # noqa: S608
                 f"WHERE {' AND '.join(where)} ORDER BY path")

        def read(db: sqlite3.Connection) -> tuple[list[TicketRow], list[str]]:
            # Rows are built as the cursor yields them: no second copy of 100,000 records.
            return (
                self._rows(db.execute(query, args)),
                [p for (p,) in db.execute(
                    "SELECT problem FROM tickets WHERE problem IS NOT NULL ORDER BY path")],
            )

        return self._answer(read)

    def person_rows(self, person: str, limit: int | None = None, offset: int = 0) -> tuple[list[TicketRow], int]:
        """"My tickets": one page of the person's readable tickets (requester or entered by,
        any case), open ones first, newest first; and how many they have in all.

        Sorted and cut by sqlite over its two person indexes, so a page costs the
        same for a person with ten tickets or ten thousand.
        """
        key = person.strip().lower()
        where = "problem IS NULL AND (requester_key = ? OR entered_by_key = ?)"

        def read(db: sqlite3.Connection) -> tuple[list[TicketRow], int]:
            (total,) = db.execute(f"SELECT count(*) FROM tickets WHERE {where}", (key, key)).fetchone()  # noqa: S608
            found = self._rows(db.execute(
                f"SELECT {', '.join(ROW_COLUMNS)} FROM tickets WHERE {where} "  # noqa: S608
                "ORDER BY status != 'open', entered_at DESC, id LIMIT ? OFFSET ?",
                (key, key, -1 if limit is None else limit, offset)))
            return found, total

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
                                  r[13], r[14], r[15], stamp(r[16], tz) if r[16] is not None else None))
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
            for row in db.execute(f"SELECT {', '.join(COLUMNS)} FROM tickets")  # noqa: S608
        })
        stored_folders = self._answer(lambda db: dict(db.execute("SELECT path, oid FROM folders")))
        folders: dict[str, str] = {}
        files: list[tuple[str, str, str]] = []
        if target is not None:
            treewalk.walk_all(self.store.reader, TICKETS_DIR, target, folders, files)
        # The full YAML loader for every file: the quick reader is checked too.
        expected = {record[0]: record for record in self._parse(files, exact=True)}
        differences = []
        for path in sorted(set(found) | set(expected)):
            if path not in expected:
                differences.append(f"{path}: in the index but not in the tickets at HEAD")
            elif path not in found:
                differences.append(f"{path}: missing from the index")
            elif found[path] != expected[path]:
                columns = [c for c, a, b in zip(COLUMNS, found[path], expected[path], strict=True)
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
        index_db.discard(self.path)

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = index_db.connect(self.path, BUSY_TIMEOUT_SECONDS)
        return self._db

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
            treewalk.walk_changes(db, self.store.reader, TICKETS_DIR, "", target, files)
        if files:
            db.executemany(
                f"INSERT OR REPLACE INTO tickets ({', '.join(COLUMNS)}) "  # noqa: S608
                f"VALUES ({', '.join('?' * len(COLUMNS))})",
                self._parse(files),
            )
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                       [("tree", target or ""), ("timezone", self._key())])

    def _parse(self, files: Sequence[tuple[str, str, str]], exact: bool = False) -> Iterator[Record]:
        """Parse the files (path, parent, blob id): in this process, or on every core when many."""
        progress: Progress = self.progress(len(files)) if self.progress is not None else _NoProgress()
        if worth_parallel(len(files), PARALLEL_THRESHOLD):
            setup = (str(self.store.root), dict(self.store.git.env), self.store.head().hash_bytes,
                     self._key(), exact)
            records = in_parallel(rows.worker_parse, files, CHUNK, rows.worker_start, setup)
        else:
            records = self._parse_here(files, exact)
        try:
            for number, record in enumerate(records, start=1):
                yield record
                if number % PROGRESS_STEP == 0:
                    progress.advance(PROGRESS_STEP)
        finally:
            progress.finish()

    def _parse_here(self, files: Sequence[tuple[str, str, str]], exact: bool) -> Iterator[Record]:
        tz = self.store.calendar.tz
        reader = self.store.reader
        for start in range(0, len(files), CHUNK):
            chunk = files[start:start + CHUNK]
            contents = reader.blobs([blob for _path, _parent, blob in chunk])
            for (path, parent, blob), content in zip(chunk, contents, strict=True):
                yield rows.parse_record(content or b"", path, parent, blob, tz, exact)

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


def _git_dir(store: Store) -> Path:
    dot_git = store.root / ".git"
    if dot_git.is_dir():
        return dot_git
    # A linked work tree or a submodule: .git is a file naming the real git dir.
    return Path(store.git.text("rev-parse", "--absolute-git-dir"))


def open_index(store: Store, progress: ProgressFactory | None = None) -> TicketIndex:
    """The index of `store`'s tickets at HEAD; `progress` shows a long rebuild's progress."""
    return TicketIndex(store, progress)
