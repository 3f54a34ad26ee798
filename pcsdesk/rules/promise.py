"""The first-response promise: which tickets missed it (or are about to), and how well it was kept."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Generic, Protocol, TypeVar

from pcsdesk.rules.business_time import (
    add_business_seconds,
    business_seconds_between,
    first_response_due,
)
from pcsdesk.rules.calendar import Calendar
from pcsdesk.rules.directory import Directory, StaffMember
from pcsdesk.rules.routing import requester_contact, supervisor_of
from pcsdesk.rules.ticket import is_open

# The report's period when none is given: the last 30 days, today included. A month is
# what the Technology Department reviews; a longer period is one --from away.
DEFAULT_REPORT_DAYS = 30


class PromiseTicket(Protocol):
    """What the promise needs of a ticket; both Ticket and the index's TicketRow have it."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def priority(self) -> str: ...
    @property
    def building(self) -> str: ...
    @property
    def assignee(self) -> str: ...
    @property
    def entered_at(self) -> datetime: ...
    @property
    def first_response_at(self) -> datetime | None: ...


T = TypeVar("T", bound=PromiseTicket)

# After this many business hours without an entry from the assignee, the ticket
# names their supervisor: the procedure's "becomes unavailable or unresponsive".
QUIET_BUSINESS_HOURS = 16


def due_of(cal: Calendar, ticket: PromiseTicket) -> datetime:
    """The first-response due time: two business days (the calendar's count) after entry."""
    return first_response_due(cal, ticket.entered_at)


def is_overdue(ticket: PromiseTicket, due: datetime, now: datetime) -> bool:
    """The procedure's overdue: open, no first response, and the due time strictly before now."""
    return ticket.status == "open" and ticket.first_response_at is None and due < now


def response_on_time(ticket: PromiseTicket, due: datetime) -> bool | None:
    """Whether the first response came at or before its due time; None while there is none."""
    answered = ticket.first_response_at
    return None if answered is None else answered <= due


def response_seconds(cal: Calendar, ticket: PromiseTicket) -> int | None:
    """Business seconds from entry to the first response, None while there is none."""
    answered = ticket.first_response_at
    return None if answered is None else business_seconds_between(cal, ticket.entered_at, answered)


def business_seconds_late(cal: Calendar, due: datetime, now: datetime) -> int:
    """Business time past due: positive once overdue, negative (time still to go) before.

    Past a due time that fell at closing, the evening and weekend count nothing, so a
    ticket can be overdue by 0 business seconds until the office opens again.
    """
    if due < now:
        return business_seconds_between(cal, due, now)
    return -business_seconds_between(cal, now, due)


@dataclass(frozen=True)
class Pending(Generic[T]):
    """An open ticket with no first response, its due time and how late it is."""

    ticket: T
    due: datetime
    seconds_late: int  # business seconds; negative: still to go
    overdue: bool

    @property
    def business_hours_late(self) -> float:
        return round(self.seconds_late / 3600, 2)


def awaiting_response(
    cal: Calendar, tickets: Iterable[T], now: datetime, within_seconds: int | None = None,
    due: Callable[[T], datetime] | None = None,
) -> list[Pending[T]]:
    """The overdue tickets, emergencies first, then most overdue first.

    With `within_seconds`, also the open tickets with no first response that fall due
    within that much *business* time from now: due at or before the instant when that
    much business time has passed. Business time, not wall-clock time, so that a
    6:30 run with 8 hours covers exactly today's working day and a Friday run
    reaches into Monday instead of dying over the weekend. `due` gives a ticket's due
    time when the caller already knows it (the query core caches them); else due_of.
    """
    due_for = due if due is not None else (lambda ticket: due_of(cal, ticket))
    horizon = add_business_seconds(cal, now, within_seconds) if within_seconds is not None else None
    found: list[Pending[T]] = []
    for ticket in tickets:
        if ticket.status != "open" or ticket.first_response_at is not None:
            continue
        when = due_for(ticket)
        overdue = is_overdue(ticket, when, now)
        if overdue or (horizon is not None and when <= horizon):
            found.append(Pending(ticket, when, business_seconds_late(cal, when, now), overdue))
    found.sort(key=pending_order)
    return found


def pending_order(item: Pending[T]) -> tuple[bool, int, datetime, str]:
    """Emergencies first, then most business time late (soonest due among those not yet late)."""
    return (item.ticket.priority != "emergency", -item.seconds_late, item.due, item.ticket.id)


def contact_for(directory: Directory, building_code: str) -> StaffMember | None:
    """Whom the requester should contact about a late response (procedure 4b): tech, else ETS."""
    building = directory.buildings.get(building_code)
    return requester_contact(directory, building) if building is not None else None


# ---- the unresponsive assignee (procedure: contact the supervisor of someone who stops responding) ----


@dataclass(frozen=True)
class QuietAssignee:
    """An open ticket's assignee who has not touched it for QUIET_BUSINESS_HOURS, and whom to tell."""

    assignee: str
    quiet_seconds: int       # business seconds since the assignee's last entry
    supervisor: StaffMember


class Heard(PromiseTicket, Protocol):
    """What the quiet-assignee rule reads: a Ticket, or the index's row of one."""

    @property
    def heard_at(self) -> datetime | None: ...


def quiet_assignee(cal: Calendar, directory: Directory, ticket: Heard, now: datetime) -> QuietAssignee | None:
    """The supervisor to contact once an open ticket's assignee has gone quiet, else None."""
    if not is_open(ticket) or ticket.heard_at is None:
        return None
    quiet = business_seconds_between(cal, ticket.heard_at, now)
    if quiet < QUIET_BUSINESS_HOURS * 3600:
        return None
    supervisor = supervisor_of(directory, ticket.assignee)
    if supervisor is None:
        return None
    return QuietAssignee(ticket.assignee, quiet, supervisor)


# ---- the report: the promise kept over a period ----


def default_period(today: date, days: int = DEFAULT_REPORT_DAYS) -> tuple[date, date]:
    """The last `days` days, today included."""
    return today - timedelta(days=days - 1), today


@dataclass(frozen=True)
class Outcome:
    """How one ticket stands against its promise."""

    kind: str  # on_time, late, waiting or closed_unanswered
    overdue: bool = False
    response_seconds: int | None = None  # business seconds from entry to first response


Figures = Callable[[T], tuple[datetime, "int | None"]]


def outcome_of(
    cal: Calendar, ticket: PromiseTicket, now: datetime,
    figures: tuple[datetime, int | None] | None = None,
) -> Outcome:
    """On time, late, waiting (overdue or not) or closed unanswered.

    `figures` is (due time, business seconds to first response) when the caller
    already knows them; else they are counted here.
    """
    due, seconds = figures if figures is not None else (due_of(cal, ticket), response_seconds(cal, ticket))
    on_time = response_on_time(ticket, due)
    if on_time is not None:
        return Outcome("on_time" if on_time else "late", response_seconds=seconds)
    if ticket.status == "open":
        return Outcome("waiting", overdue=is_overdue(ticket, due, now))
    return Outcome("closed_unanswered")


@dataclass
class PromiseCounts:
    """One line of the report. entered = on_time + late + waiting + closed_unanswered.

    on_time / late: the first staff response came at or before / after the due time.
    waiting: still open with no first response; `overdue` counts those already past due.
    closed_unanswered: closed with no staff response (the requester closed it).
    """

    entered: int = 0
    on_time: int = 0
    late: int = 0
    waiting: int = 0
    overdue: int = 0
    closed_unanswered: int = 0
    response_seconds: list[int] = field(default_factory=list)

    def record(self, outcome: Outcome) -> None:
        self.entered += 1
        if outcome.kind == "on_time":
            self.on_time += 1
        elif outcome.kind == "late":
            self.late += 1
        elif outcome.kind == "waiting":
            self.waiting += 1
            self.overdue += outcome.overdue
        else:
            self.closed_unanswered += 1
        if outcome.response_seconds is not None:
            self.response_seconds.append(outcome.response_seconds)

    @property
    def median_business_hours(self) -> float | None:
        """The median business hours from entry to first response, over answered tickets."""
        if not self.response_seconds:
            return None
        # statistics.median's arithmetic, written out: importing statistics (decimal,
        # fractions) costs ~10 ms, a twentieth of the whole report.
        ordered = sorted(self.response_seconds)
        middle = len(ordered) // 2
        median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
        return round(median / 3600, 2)

    @property
    def kept_percent(self) -> float | None:
        """Share of decided promises that were kept: on time / (on time + late + overdue)."""
        decided = self.on_time + self.late + self.overdue
        return round(100 * self.on_time / decided, 1) if decided else None


@dataclass
class PromiseReport:
    first: date
    last: date
    total: PromiseCounts
    buildings: dict[str, PromiseCounts]
    assignees: dict[str, PromiseCounts]


def promise_report(
    cal: Calendar, tickets: Iterable[T], first: date, last: date, now: datetime,
    figures: Figures[T] | None = None,
) -> PromiseReport:
    """Counts per building and per current assignee for tickets entered from `first` to `last`.

    Dates are the district's local dates of entered_at, both ends included. The
    assignee is whoever holds the ticket now. `figures` gives a ticket's due time and
    response time when the caller already knows them (see outcome_of).
    """
    total = PromiseCounts()
    buildings: dict[str, PromiseCounts] = {}
    assignees: dict[str, PromiseCounts] = {}
    for ticket in tickets:
        entered = ticket.entered_at.astimezone(cal.tz).date()
        if not first <= entered <= last:
            continue
        outcome = outcome_of(cal, ticket, now, figures(ticket) if figures is not None else None)
        total.record(outcome)
        buildings.setdefault(ticket.building, PromiseCounts()).record(outcome)
        assignees.setdefault(ticket.assignee.lower(), PromiseCounts()).record(outcome)
    return PromiseReport(
        first=first,
        last=last,
        total=total,
        buildings=dict(sorted(buildings.items())),
        assignees=dict(sorted(assignees.items())),
    )
