"""Every question the faces ask of the helpdesk, answered as plain values.

The read side's one path: a face (terminal, web page, email) calls a query here
with the store and a Context; the query reads rows from the store's index or a
ticket file, judges due times, overdue, first response and unresponsiveness
only through `rules/`, and returns a result value that any face can render.

The derived figures (a ticket's due time and business time to first response)
cost ~90 us a ticket to count; at 100,000 tickets a report spent most of its
time on them. So the query core caches them in the index's rows, keyed by a
fingerprint of the calendar's whole value (a snow day added to calendar.yaml,
committed or not, makes every figure be counted again) and by the times they
were counted from (the index only keeps a figure while the row's times match).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from pcsdesk.desk.context import Context
from pcsdesk.errors import BrokenTicket
from pcsdesk.rules import promise
from pcsdesk.rules.business_time import business_seconds_between
from pcsdesk.rules.clock import due_in_words
from pcsdesk.rules.people import staff_member
from pcsdesk.rules.routing import building_of, supervisor_of

if TYPE_CHECKING:
    from pcsdesk.rules.calendar import Calendar
    from pcsdesk.rules.directory import Directory, StaffMember
    from pcsdesk.rules.notifications import Notice
    from pcsdesk.rules.ticket import Note, Ticket
    from pcsdesk.store.history import Change
    from pcsdesk.store.index import TicketIndex, TicketRow
    from pcsdesk.store.store import Store

# Bump when business time counts differently: cached figures are then counted again.
FIGURES_VERSION = 1


# ---- result values ----


class ListedTicket(NamedTuple):
    """One ticket in a listing: its index row and the figures the rules give it."""

    row: TicketRow
    due: datetime                  # the first-response due time
    response_seconds: int | None   # business seconds from entry to first response
    overdue: bool                  # rules.promise.is_overdue, judged at the listing's time

    # What rules.promise needs of a ticket (PromiseTicket), passed through from the row.
    @property
    def id(self) -> str:
        return self.row.id

    @property
    def status(self) -> str:
        return self.row.status

    @property
    def priority(self) -> str:
        return self.row.priority

    @property
    def building(self) -> str:
        return self.row.building

    @property
    def assignee(self) -> str:
        return self.row.assignee

    @property
    def entered_at(self) -> datetime:
        return self.row.entered_at

    @property
    def first_response_at(self) -> datetime | None:
        return self.row.first_response_at


class Listing(NamedTuple):
    """Tickets matching a question, and one line per ticket file that could not be read."""

    tickets: list[ListedTicket]
    problems: list[str]
    now: datetime
    # With list_tickets(quiet=True): the tickets whose assignee has gone quiet, by ID.
    quiet: dict[str, promise.QuietAssignee] = {}  # noqa: RUF012 - never changed in place


class QuietTicket(NamedTuple):
    """An open ticket whose assignee has gone quiet, and whose supervisor to contact."""

    ticket: ListedTicket
    quiet: promise.QuietAssignee


class QuietAssignees(NamedTuple):
    tickets: list[QuietTicket]   # the longest silence first
    problems: list[str]
    now: datetime


class AwaitingTicket(NamedTuple):
    """An open ticket with no first response: overdue, or falling due soon."""

    ticket: ListedTicket
    due: datetime
    seconds_late: int             # business seconds; negative: still to go
    overdue: bool
    contact: StaffMember | None   # whom the requester should call (procedure 4b)

    @property
    def business_hours_late(self) -> float:
        return round(self.seconds_late / 3600, 2)


class Awaiting(NamedTuple):
    tickets: list[AwaitingTicket]
    problems: list[str]
    now: datetime


class Report(NamedTuple):
    report: promise.PromiseReport
    problems: list[str]
    now: datetime
    business_days: int            # the promise: first response within this many


@dataclass(frozen=True)
class TicketView:
    """One ticket as shown: its fields and log, its due time, and what the rules say of it."""

    ticket: Ticket
    due: datetime
    on_time: bool | None                 # None while there is no first response
    overdue: bool
    seconds_late: int                    # business seconds past due when overdue, else 0
    quiet: promise.QuietAssignee | None  # the assignee has gone quiet: tell their supervisor
    building_name: str | None
    assignee_label: str                  # the assignee as the directory describes them
    now: datetime


# ---- the questions ----


def ticket_view(store: Store, ctx: Context, ticket_id: str) -> TicketView:
    """One ticket at HEAD, with its due time, whether it was met, and whom to contact."""
    return view_of(ctx, store.read_ticket(ticket_id))


def view_of(ctx: Context, ticket: Ticket, now: datetime | None = None) -> TicketView:
    """A ticket in hand (just made by an action, say) judged as ticket_view judges it."""
    cal, directory = ctx.calendar, ctx.directory
    now = now if now is not None else ctx.now()
    due = promise.due_of(cal, ticket)
    overdue = promise.is_overdue(ticket, due, now)
    building = directory.buildings.get(ticket.building)
    return TicketView(
        ticket=ticket,
        due=due,
        on_time=promise.response_on_time(ticket, due),
        overdue=overdue,
        seconds_late=business_seconds_between(cal, due, now) if overdue else 0,
        quiet=promise.quiet_assignee(cal, directory, ticket, now),
        building_name=building.name if building else None,
        assignee_label=directory.describe(ticket.assignee),
        now=now,
    )


def list_tickets(
    store: Store,
    ctx: Context,
    building: str | None = None,
    assignee: str | None = None,
    status: str = "open",
    person: str | None = None,
    quiet: bool = False,
) -> Listing:
    """A queue: tickets by building, assignee, status ("open", "closed", "all") and person.

    `person` is the requester or whoever entered the ticket (a co-worker may enter
    one for someone). Emergencies first, then oldest first. `quiet` also finds the
    tickets whose assignee has gone quiet (it reads those that could be).
    """
    code = building_of(ctx.directory, building).code if building else None
    who = staff_member(ctx.directory, assignee, "the assignee") if assignee else None
    index = _index(store, ctx)
    rows, problems = index.rows(building=code, assignee=who, status=status, person=person)
    now = ctx.now()
    listed = _figured(ctx, index, rows, now)
    listed.sort(key=lambda t: (t.priority != "emergency", t.entered_at, t.id))
    found = {item.ticket.id: item.quiet for item in _quiet_among(store, ctx, listed, now)} if quiet else {}
    return Listing(listed, problems, now, found)


def quiet_assignees(store: Store, ctx: Context, as_of: datetime | None = None,
                    building: str | None = None) -> QuietAssignees:
    """Open tickets whose assignee has not updated them for rules.promise.QUIET_BUSINESS_HOURS.

    The procedure's "becomes unavailable or unresponsive": each with the supervisor
    to contact, the longest silence first.
    """
    code = building_of(ctx.directory, building).code if building else None
    now = as_of if as_of is not None else ctx.now()
    index = _index(store, ctx)
    rows, problems = index.rows(building=code, status="open")
    found = _quiet_among(store, ctx, _figured(ctx, index, rows, now), now)
    found.sort(key=lambda item: (item.ticket.priority != "emergency", -item.quiet.quiet_seconds, item.ticket.id))
    return QuietAssignees(found, problems, now)


def _quiet_among(store: Store, ctx: Context, listed: Iterable[ListedTicket], now: datetime) -> list[QuietTicket]:
    """The listed open tickets whose assignee has gone quiet, judged by rules.promise.quiet_assignee.

    The index holds no entry times, so a ticket is read only when it could be quiet:
    open, held by someone with a supervisor, and entered at least the quiet time ago
    in business time (silence is counted from the last entry, never before entry).
    """
    cal, directory = ctx.calendar, ctx.directory
    enough = promise.QUIET_BUSINESS_HOURS * 3600
    found = []
    for item in listed:
        if (not item.row.is_open or supervisor_of(directory, item.assignee) is None
                or business_seconds_between(cal, item.entered_at, now) < enough):
            continue
        try:
            ticket = store.read_ticket(item.id)
        except BrokenTicket:
            continue   # named among the listing's problems when the index read it
        quiet = promise.quiet_assignee(cal, directory, ticket, now)
        if quiet is not None:
            found.append(QuietTicket(item, quiet))
    return found


def tickets_of(store: Store, ctx: Context, person: str, status: str = "all") -> Listing:
    """The tickets this person requested or entered ("My tickets")."""
    return list_tickets(store, ctx, status=status, person=person)


class MyTicket(NamedTuple):
    ticket: ListedTicket
    updated: datetime   # the last log entry's time, or when it was entered


class MyTickets(NamedTuple):
    """One page of "My tickets", and where it stands among them all."""

    tickets: list[MyTicket]
    total: int      # the person's tickets in all
    offset: int     # how many come before this page


def my_tickets(store: Store, ctx: Context, person: str) -> list[MyTicket]:
    """"My tickets" for a page: open ones first, newest first, each with its last update."""
    return my_tickets_page(store, ctx, person).tickets


def my_tickets_page(store: Store, ctx: Context, person: str, limit: int | None = None,
                    offset: int = 0) -> MyTickets:
    """`limit` of the person's tickets from `offset` on, in the order of my_tickets.

    One indexed query: the index keeps each ticket's last update, so no ticket
    file is read, and sqlite sorts and cuts the page.
    """
    index = _index(store, ctx)
    rows, total = index.person_rows(person, limit, max(0, offset))
    now = ctx.now()
    listed = _figured(ctx, index, rows, now)
    return MyTickets([MyTicket(t, t.row.updated_at or t.entered_at) for t in listed], total, max(0, offset))


def visible_ticket(store: Store, ctx: Context, ticket_id: str, who: str) -> TicketView:
    """The ticket if `who` may see it (rules.routing.may_see); otherwise TicketNotFound,
    exactly as for an ID that does not exist, so a page never tells whether it exists."""
    from pcsdesk.errors import InvalidTicketId, TicketNotFound
    from pcsdesk.rules.ids import normalize_ticket_id
    from pcsdesk.rules.routing import may_see

    try:
        canonical = normalize_ticket_id(ticket_id)
    except InvalidTicketId:
        raise TicketNotFound(ticket_id) from None
    ticket = store.read_ticket(canonical)
    if not may_see(ctx.directory, who, ticket):
        raise TicketNotFound(canonical)
    return view_of(ctx, ticket)


def staff_queue(
    store: Store, ctx: Context, buildings: Iterable[str] = (), assignee: str | None = None,
    status: str = "open",
) -> Listing:
    """The staff queue: tickets of these buildings (all when none), open emergencies and
    overdue tickets first, then by first-response due time."""
    codes = list(buildings)
    parts = [list_tickets(store, ctx, code, assignee, status) for code in codes] or [
        list_tickets(store, ctx, None, assignee, status)]
    listed = [ticket for part in parts for ticket in part.tickets]
    listed.sort(key=lambda t: (
        not (t.row.is_open and t.priority == "emergency"), not t.overdue, t.due, t.id))
    return Listing(listed, parts[0].problems, parts[0].now)


def awaiting_response(
    store: Store,
    ctx: Context,
    as_of: datetime | None = None,
    building: str | None = None,
    within_seconds: int | None = None,
) -> Awaiting:
    """Open tickets past their first-response due time (and, with `within_seconds`, due soon).

    Emergencies first, then the most overdue; each with whom the requester should call.
    """
    code = building_of(ctx.directory, building).code if building else None
    now = as_of if as_of is not None else ctx.now()
    index = _index(store, ctx)
    rows, problems = index.rows(building=code, status="open")
    listed = _figured(ctx, index, rows, now)
    found = promise.awaiting_response(ctx.calendar, listed, now, within_seconds, due=lambda t: t.due)
    directory = ctx.directory
    return Awaiting(
        [AwaitingTicket(item.ticket, item.due, item.seconds_late, item.overdue,
                        promise.contact_for(directory, item.ticket.building))
         for item in found],
        problems, now,
    )


def report(
    store: Store, ctx: Context, first: date | None = None, last: date | None = None,
    building: str | None = None,
) -> Report:
    """How well the promise was kept for tickets entered from `first` to `last` (local dates).

    The default period is the last 30 days, today included.
    """
    now = ctx.now()
    cal = ctx.calendar
    last = last if last is not None else now.date()
    first = first if first is not None else promise.default_period(last)[0]
    code = building_of(ctx.directory, building).code if building else None
    # A day's margin each side: rules.promise keeps the exact local dates.
    since = until = None
    if first > date.min + timedelta(days=1):
        since = datetime.combine(first - timedelta(days=1), time(), cal.tz)
    if last < date.max - timedelta(days=2):
        until = datetime.combine(last + timedelta(days=2), time(), cal.tz)
    index = _index(store, ctx)
    rows, problems = index.rows(building=code, status="all", entered_from=since, entered_to=until)
    listed = _figured(ctx, index, rows, now)
    result = promise.promise_report(cal, listed, first, last, now,
                                    figures=lambda t: (t.due, t.response_seconds))
    return Report(result, problems, now, cal.first_response_business_days)


def ticket_log(store: Store, ctx: Context, ticket_id: str) -> list[Change]:
    """Every commit that touched the ticket's file on the current branch, oldest first."""
    from pcsdesk.store.history import ticket_history

    return ticket_history(store, ticket_id)


def ticket_ids(store: Store, prefix: str = "") -> list[str]:
    """The IDs of every ticket file starting with `prefix` (completion, search boxes)."""
    from pcsdesk.store.index import open_index

    return open_index(store).ids(prefix=prefix.upper())


def changed_tickets(store: Store, old: str, new: str = "HEAD") -> list[str]:
    """The IDs of the tickets whose files differ between commits `old` and `new`."""
    from pcsdesk.store.history import changed_ticket_ids

    return changed_ticket_ids(store, old, new)


def ticket_at(store: Store, ticket_id: str, commit: str | None = None) -> Ticket:
    """The ticket as committed at `commit` (default HEAD)."""
    return store.read_ticket(ticket_id, commit)


# ---- figures: derived once per calendar, kept in the index ----


def _index(store: Store, ctx: Context) -> TicketIndex:
    from pcsdesk.store.index import open_index

    return open_index(store, ctx.progress)


def figures_key(cal: Calendar) -> int:
    """A fingerprint of the calendar's whole value (every field that counts business time).

    A number, not text: it is compared on every row read, and sqlite hands back an
    integer without decoding a string.
    """
    import zlib

    text = f"{FIGURES_VERSION}:{cal!r}".encode()
    return (zlib.crc32(text) << 31) ^ (zlib.adler32(text) << 1) ^ len(text)


def _figured(ctx: Context, index: TicketIndex, rows: Iterable[TicketRow], now: datetime) -> list[ListedTicket]:
    """Rows with their due time, response time and overdue verdict; new figures are kept."""
    cal = ctx.calendar
    tz = cal.tz
    key = figures_key(cal)
    stamp = datetime.fromtimestamp
    listed: list[ListedTicket] = []
    fresh: list[tuple[int, int, int | None, TicketRow]] = []
    is_overdue = promise.is_overdue
    for row in rows:
        if row.figures_key == key and row.figures_due is not None:
            due, seconds = stamp(row.figures_due, tz), row.figures_response
        else:
            due = promise.due_of(cal, row)
            seconds = promise.response_seconds(cal, row)
            fresh.append((key, int(due.timestamp()), seconds, row))
        listed.append(ListedTicket(row, due, seconds, is_overdue(row, due, now)))
    if fresh:
        index.store_figures(fresh)
    return listed



def explain_due(ctx: Context, ticket: Ticket) -> list[str]:
    """How the ticket's due time was counted: which days and hours, which skipped, and why."""
    from pcsdesk.rules.business_time import explain_due as explain

    return explain(ctx.calendar, ticket.entered_at)


# ---- what changed, and what a message says (the email face) ----


class TicketNews(NamedTuple):
    """One ticket as one commit changed it, and who that change should reach."""

    ticket_id: str
    before: Ticket | None       # None: the commit made it
    after: Ticket
    notices: list[Notice]


class CommitNews(NamedTuple):
    """One commit since the announced ones: its tickets' news, and files that could not be read."""

    commit: str
    parents: tuple[str, ...]
    committed_at: datetime
    tickets: list[TicketNews]
    problems: list[str]


def changes_between(store: Store, ctx: Context, since: tuple[str, ...], until: str) -> list[CommitNews]:
    """What changed between the commits `since` reach and `until`, commit by commit, parents first.

    Each commit's tickets are compared with the commit's parent: merges bring
    nothing of their own (their sides' commits are here one by one), and a commit
    made by hand is judged from the difference. Who is told is rules/notifications'.
    When a commit of `since` is no longer reachable from `until` (the history was
    rewritten), the entries each ticket held there were announced then and count
    as told, so rewritten commits bring only what is truly new.
    """
    from pcsdesk.rules.notifications import who_is_told
    from pcsdesk.store import notified

    commits = notified.commits_since(store, since, until)
    gone = tuple(tip for tip in since if not notified.is_ancestor(store, tip, until)) if commits else ()
    staff = frozenset(ctx.directory.staff)
    found: list[CommitNews] = []
    for change in commits:
        news: list[TicketNews] = []
        problems: list[str] = []
        for file_change in change.tickets if not change.is_merge else ():
            if file_change.after is None:
                continue   # a deleted ticket file: `check` reports it; nobody to tell
            try:
                after = store.parse_ticket(_blob(store, file_change.after, file_change.path), file_change.path)
                before = (store.parse_ticket(_blob(store, file_change.before, file_change.path), file_change.path)
                          if file_change.before else None)
                told: list[Note] = []
                for tip in gone:
                    content = notified.blob_at(store, tip, file_change.path)
                    if content is not None:
                        earlier = store.parse_ticket(content, file_change.path)
                        told.extend(earlier.notes)
                        before = before or earlier
            except BrokenTicket as e:
                problems.append(f"cannot read {file_change.ticket_id} in commit {change.commit[:12]}, "
                                f"so nobody was told of it: {e}")
                continue
            notices = who_is_told(before, after, change.author_email, staff, told)
            news.append(TicketNews(file_change.ticket_id, before, after, notices))
        found.append(CommitNews(change.commit, change.parents, datetime.fromisoformat(change.committed_at),
                                news, problems))
    return found


def _blob(store: Store, oid: str, path: str) -> bytes:
    from pcsdesk.store import notified

    content = notified.blob(store, oid)
    if content is None:
        raise BrokenTicket(f"{path}: its blob {oid} is missing from the repository")
    return content


@dataclass(frozen=True)
class TicketFacts:
    """What a message says of a ticket besides its own fields."""

    due: datetime
    due_words: str                 # "by Wed Dec 2, 10:00"
    contact: StaffMember | None    # whom the requester calls when the first response is late
    building_name: str
    link: str | None               # the ticket's web page, when district.portal_url is set


def ticket_link(directory: Directory, ticket_id: str) -> str | None:
    """Links point at district.portal_url + /tickets/<ID> (docs/notify.md)."""
    return f"{directory.portal_url}/tickets/{ticket_id}" if directory.portal_url else None


def ticket_facts(ctx: Context, ticket: Ticket) -> TicketFacts:
    """The due time in words, whom the requester should contact, the building, the link."""
    directory = ctx.directory
    due = promise.due_of(ctx.calendar, ticket)
    building = directory.buildings.get(ticket.building)
    return TicketFacts(
        due=due,
        due_words=due_in_words(due, ctx.tz, ctx.now()),
        contact=promise.contact_for(directory, ticket.building),
        building_name=building.name if building is not None else ticket.building,
        link=ticket_link(directory, ticket.id),
    )


def overdue_tickets(store: Store, ctx: Context, now: datetime) -> list[Ticket]:
    """The tickets whose first response is overdue at `now`, read whole (for their messages)."""
    return [store.read_ticket(item.ticket.id) for item in awaiting_response(store, ctx, as_of=now).tickets
            if item.overdue]


def staff_queues(store: Store, ctx: Context) -> dict[str, list[ListedTicket]]:
    """Each member of staff's open tickets: overdue first, then emergencies, then soonest due."""
    listing = list_tickets(store, ctx, status="open")
    staff = ctx.directory.staff
    queues: dict[str, list[ListedTicket]] = {}
    for listed in listing.tickets:
        who = listed.assignee.strip().lower()
        if who in staff:
            queues.setdefault(who, []).append(listed)
    for tickets in queues.values():
        tickets.sort(key=lambda t: (not t.overdue, t.priority != "emergency", t.due, t.id))
    return dict(sorted(queues.items()))
