"""A ticket file as a row: the named fields the index keeps, and parsing a file into one.

Shared by the index in this process and by the workers of a large rebuild. A
file that cannot be read becomes a row that holds its problem, so it is reported
every time, exactly as a command reading the file itself would report it.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, NamedTuple

from pcsdesk.errors import BrokenTicket, InvalidInput
from pcsdesk.rules import ticket as rules_ticket
from pcsdesk.rules.ids import id_from_path
from pcsdesk.rules.ticket import ticket_from_data
from pcsdesk.store.git import Git, ObjectReader
from pcsdesk.store.quickyaml import Declined, quick_load
from pcsdesk.store.store import parse_ticket_bytes

# One `tickets` table row, by column.
COLUMNS = (
    "path", "parent", "blob", "path_id", "problem", "id", "status", "priority", "building",
    "category", "summary", "requester", "entered_by", "entered_at", "assignee", "assignee_key",
    "first_response_at", "note_count", "requester_key", "entered_by_key", "updated_at",
)
# A row holding only its problem: the named fields are empty.
_NO_FIELDS = (None,) * (len(COLUMNS) - 5)
# What a TicketRow is made of, in its field order (times as epoch seconds), then the
# figures the query core stored for the row (see store_figures).
ROW_COLUMNS = ("id", "path", "status", "priority", "building", "category", "summary",
                "requester", "entered_by", "entered_at", "assignee", "first_response_at",
                "note_count", "derived_for", "due", "response_seconds", "updated_at")


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
    # The last log entry's time, or when it was entered ("My tickets" shows it).
    updated_at: datetime | None = None

    # The rules live in rules/ticket.py, once, for a Ticket and a row alike.
    @property
    def is_open(self) -> bool:
        return rules_ticket.is_open(self)

    @property
    def is_emergency(self) -> bool:
        return rules_ticket.is_emergency(self)


# ---- parsing a file into a row: shared by this process and the workers ----

Record = tuple[Any, ...]   # one `tickets` row, in COLUMNS order


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
        updated = max((note.at for note in ticket.notes), default=ticket.entered_at)
        record = (
            path, parent, blob, path_id, None, ticket.id, ticket.status, ticket.priority,
            ticket.building, ticket.category, ticket.summary, ticket.requester, ticket.entered_by,
            int(ticket.entered_at.timestamp()), ticket.assignee, ticket.assignee.lower(),
            int(first.timestamp()) if first else None, len(ticket.notes),
            ticket.requester.lower(), ticket.entered_by.lower(), int(updated.timestamp()),
        )
        # Rows are rebuilt from these numbers: they must come back as the same times.
        datetime.fromtimestamp(record[13], tz)
        datetime.fromtimestamp(record[20], tz)
    except BrokenTicket as e:
        return (path, parent, blob, path_id, str(e), *_NO_FIELDS)
    except (ValueError, OverflowError, OSError) as e:
        # A time so far off that the calendar's zone cannot hold it (year 1, year 9999).
        return (path, parent, blob, path_id, f"{path}: cannot be read ({e})", *_NO_FIELDS)
    if path_id != ticket.id:
        problem = f"{path}: the id {ticket.id!r} does not match the file name"
        return (path, parent, blob, path_id, problem, *_NO_FIELDS)
    return record


# ---- the workers of a large rebuild (pcsdesk.store.workers) ----

_WORKER: dict[str, Any] = {}


def worker_start(root: str, env: dict[str, str], hash_bytes: int, tz_name: str, exact: bool) -> None:
    """In each worker: the time zone, and its own `git cat-file --batch` through the git door."""
    from zoneinfo import ZoneInfo

    _WORKER["tz"] = ZoneInfo(tz_name)
    _WORKER["exact"] = exact
    _WORKER["reader"] = ObjectReader(Git(Path(root), env), hash_bytes)


def worker_parse(files: list[tuple[str, str, str]]) -> list[Record]:
    """Read a chunk of blobs (path, parent, blob id) in a few round trips and parse each into a row."""
    contents = _WORKER["reader"].blobs([blob for _path, _parent, blob in files])
    return [parse_record(content or b"", path, parent, blob, _WORKER["tz"], _WORKER["exact"])
            for (path, parent, blob), content in zip(files, contents, strict=True)]
