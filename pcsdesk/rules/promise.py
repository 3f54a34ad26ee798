"""The first-response promise: which tickets missed it (or are about to), and how well it was kept."""

from __future__ import annotations

from collections.abc import Iterable
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
from pcsdesk.rules.routing import requester_contact

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


def due_of(cal: Calendar, ticket: PromiseTicket) -> datetime:
    """The first-response due time; the index's rows bring it already counted on this calendar.

    (The index caches due and response times per calendar: at 100,000 tickets a
    report over 30 days spent most of its time recounting them.)
    """
    known: datetime | None = getattr(ticket, "first_response_due", None)
    return known if known is not None else first_response_due(cal, ticket.entered_at)


def is_overdue(ticket: PromiseTicket, due: datetime, now: datetime) -> bool:
    """SPEC: open, no first response, and the due time strictly before now."""
    return ticket.status == "open" and ticket.first_response_at is None and due < now


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
    cal: Calendar, tickets: Iterable[T], now: datetime, within_seconds: int | None = None
) -> list[Pending[T]]:
    """The overdue tickets, emergencies first, then most overdue first.

    With `within_seconds`, also the open tickets with no first response that fall due
    within that much *business* time from now: due at or before the instant when that
    much business time has passed. Business time, not wall-clock time, so that a
    6:30 run with 8 hours covers exactly today's working day and a Friday run
    reaches into Monday instead of dying over the weekend.
    """
    horizon = add_business_seconds(cal, now, within_seconds) if within_seconds is not None else None
    found: list[Pending[T]] = []
    for ticket in tickets:
        if ticket.status != "open" or ticket.first_response_at is not None:
            continue
        due = due_of(cal, ticket)
        overdue = due < now
        if overdue or (horizon is not None and due <= horizon):
            found.append(Pending(ticket, due, business_seconds_late(cal, due, now), overdue))
    found.sort(key=pending_order)
    return found


def pending_order(item: Pending[T]) -> tuple[bool, int, datetime, str]:
    """Emergencies first, then most business time late (soonest due among those not yet late)."""
    return (item.ticket.priority != "emergency", -item.seconds_late, item.due, item.ticket.id)


def contact_for(directory: Directory, building_code: str) -> StaffMember | None:
    """Whom the requester should contact about a late response (procedure 4b): tech, else ETS."""
    building = directory.buildings.get(building_code)
    return requester_contact(directory, building) if building is not None else None


def contact_text(member: StaffMember | None) -> str:
    """Name and phone for a table; the email where no phone is listed."""
    if member is None:
        return "-"
    return f"{member.name}, {member.phone}" if member.phone else f"{member.name} <{member.email}>"


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


def outcome_of(cal: Calendar, ticket: PromiseTicket, now: datetime) -> Outcome:
    due = due_of(cal, ticket)
    answered = ticket.first_response_at
    if answered is not None:
        known = getattr(ticket, "response_business_seconds", None)
        seconds = known if known is not None else business_seconds_between(cal, ticket.entered_at, answered)
        return Outcome("on_time" if answered <= due else "late", response_seconds=seconds)
    if ticket.status == "open":
        return Outcome("waiting", overdue=due < now)
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
    cal: Calendar, tickets: Iterable[PromiseTicket], first: date, last: date, now: datetime
) -> PromiseReport:
    """Counts per building and per current assignee for tickets entered from `first` to `last`.

    Dates are the district's local dates of entered_at, both ends included. The
    assignee is whoever holds the ticket now.
    """
    total = PromiseCounts()
    buildings: dict[str, PromiseCounts] = {}
    assignees: dict[str, PromiseCounts] = {}
    for ticket in tickets:
        entered = ticket.entered_at.astimezone(cal.tz).date()
        if not first <= entered <= last:
            continue
        outcome = outcome_of(cal, ticket, now)
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
