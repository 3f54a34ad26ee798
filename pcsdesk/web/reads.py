"""The questions the pages ask, answered from the store and the rules.

A stand-in until `pcsdesk.desk.queries` (issue 9) holds them: each function here
is a query the pages need, with the result value the templates render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pcsdesk.errors import InvalidTicketId, TicketNotFound
from pcsdesk.rules.business_time import first_response_due
from pcsdesk.rules.ids import normalize_ticket_id
from pcsdesk.rules.promise import is_overdue
from pcsdesk.rules.ticket import Ticket
from pcsdesk.store.index import TicketRow, open_index
from pcsdesk.store.store import Store


@dataclass(frozen=True)
class Listed:
    """A ticket as one line of a listing."""

    row: TicketRow
    due: datetime
    overdue: bool
    updated: datetime   # the last entry's time, or when it was entered


def visible_ticket(store: Store, ticket_id: str, who: str) -> Ticket:
    """The ticket if `who` may see it: staff see every ticket, anyone else the ones they
    requested or entered. Anything else is TicketNotFound, exactly as for an unknown ID,
    so the page does not tell whether a ticket exists."""
    try:
        canonical = normalize_ticket_id(ticket_id)
    except InvalidTicketId:
        raise TicketNotFound(ticket_id) from None
    ticket = store.read_ticket(canonical)
    if store.directory.is_staff(who) or who.lower() in (ticket.requester.lower(), ticket.entered_by.lower()):
        return ticket
    raise TicketNotFound(canonical)


def _listed(store: Store, rows: list[TicketRow], now: datetime, with_updates: bool = False) -> list[Listed]:
    found = []
    for row in rows:
        due = row.first_response_due or first_response_due(store.calendar, row.entered_at)
        updated = row.entered_at
        if with_updates and row.note_count:
            # The index holds no entry times: read the file (one cat-file request) for them.
            updated = max(note.at for note in store.read_ticket(row.id).notes)
        found.append(Listed(row, due, is_overdue(row, due, now), updated))
    return found


def my_tickets(store: Store, who: str, now: datetime) -> list[Listed]:
    """The tickets `who` requested or entered: open ones first, newest first within each."""
    rows, _problems = open_index(store, progress=False).rows(status="all")
    key = who.lower()
    mine = [row for row in rows if key in (row.requester.lower(), row.entered_by.lower())]
    mine.sort(key=lambda r: (not r.is_open, -r.entered_at.timestamp(), r.id))
    return _listed(store, mine, now, with_updates=True)


def queue(
    store: Store, now: datetime, buildings: tuple[str, ...] = (), assignee: str | None = None,
    status: str = "open",
) -> list[Listed]:
    """Tickets for staff: emergencies and overdue ones first, then by due time."""
    index = open_index(store, progress=False)
    rows: list[TicketRow] = []
    if buildings:
        for code in buildings:
            rows += index.rows(building=code, assignee=assignee, status=status)[0]
    else:
        rows = index.rows(assignee=assignee, status=status)[0]
    listed = _listed(store, rows, now)
    listed.sort(key=lambda item: (
        not (item.row.is_open and item.row.is_emergency), not item.overdue, item.due, item.row.id
    ))
    return listed
