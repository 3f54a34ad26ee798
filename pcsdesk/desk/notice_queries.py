"""The questions notify asks (to join desk/queries.py once issue 9's read core lands)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Protocol

from pcsdesk.rules import promise
from pcsdesk.rules.calendar import Calendar
from pcsdesk.rules.directory import Directory, StaffMember
from pcsdesk.rules.ticket import Ticket
from pcsdesk.store.store import Store


class Context(Protocol):
    @property
    def calendar(self) -> Calendar: ...
    @property
    def directory(self) -> Directory: ...
    @property
    def tz(self) -> tzinfo: ...
    def now(self) -> datetime: ...


class StoreContext:
    """A store's calendar and directory and a clock (until desk.context.Context lands)."""

    def __init__(self, store: Store, now: datetime) -> None:
        self._store = store
        self._now = now

    @property
    def calendar(self) -> Calendar:
        return self._store.calendar

    @property
    def directory(self) -> Directory:
        return self._store.directory

    @property
    def tz(self) -> tzinfo:
        return self._store.calendar.tz

    def now(self) -> datetime:
        return self._now


@dataclass(frozen=True)
class TicketFacts:
    """What a message says of a ticket besides its own fields."""

    due: datetime
    due_words: str                 # "by Wed Dec 2, 10:00"
    contact: StaffMember | None    # whom the requester calls when the first response is late
    building_name: str
    link: str | None               # the ticket's web page, when district.portal_url is set


def when_in_words(value: datetime, tz: tzinfo) -> str:
    """A time as a person reads it: "Wed Dec 2, 10:00"."""
    local = value.astimezone(tz)
    return f"{local:%a %b} {local.day}, {local:%H:%M}"


def ticket_link(directory: Directory, ticket_id: str) -> str | None:
    """SPEC: links point at district.portal_url + /tickets/<ID>."""
    return f"{directory.portal_url}/tickets/{ticket_id}" if directory.portal_url else None


def ticket_facts(ctx: Context, ticket: Ticket) -> TicketFacts:
    directory = ctx.directory
    due = promise.due_of(ctx.calendar, ticket)
    building = directory.buildings.get(ticket.building)
    return TicketFacts(
        due=due,
        due_words=f"by {when_in_words(due, ctx.tz)}",
        contact=promise.contact_for(directory, ticket.building),
        building_name=building.name if building is not None else ticket.building,
        link=ticket_link(directory, ticket.id),
    )


def overdue_tickets(store: Store, ctx: Context, now: datetime) -> list[Ticket]:
    """The tickets whose first response is overdue at `now`, read whole (for their messages)."""
    from pcsdesk.store.index import open_index

    rows, _problems = open_index(store, progress=False).rows(status="open")
    found = promise.awaiting_response(ctx.calendar, rows, now)
    return [store.read_ticket(item.ticket.id) for item in found]
