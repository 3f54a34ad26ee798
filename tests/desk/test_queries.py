"""The read core: every question answered as plain values, the verdicts from rules/ only."""

from __future__ import annotations

from datetime import date

import pytest
from support import ETS, NETOPS, TEACHER, Invoker, context, git

from pcsdesk.desk import queries
from pcsdesk.errors import InvalidInput, UnknownBuilding
from pcsdesk.rules import promise
from pcsdesk.store.store import Store

DENVER_MONDAY = "2026-11-30T10:00:00"


class TestOneTicket:
    def test_due_time_and_overdue_come_from_the_rules(self, invoke: Invoker, opened: Store) -> None:
        ticket_id = invoke.new(now=DENVER_MONDAY)
        before = queries.ticket_view(opened, context(opened, "2026-12-02T09:59:00"), ticket_id)
        after = queries.ticket_view(opened, context(opened, "2026-12-02T10:30:00"), ticket_id)
        assert before.due == after.due == promise.due_of(opened.calendar, after.ticket)
        assert before.due.isoformat() == "2026-12-02T10:00:00-07:00"
        assert not before.overdue and before.seconds_late == 0
        assert after.overdue and after.seconds_late == 30 * 60
        assert after.on_time is None
        assert after.building_name is not None and "PCHS" in after.assignee_label

    def test_a_first_response_is_judged_on_time_or_late(self, invoke: Invoker, opened: Store) -> None:
        ticket_id = invoke.new("--requester", TEACHER, now=DENVER_MONDAY)
        invoke(["note", ticket_id, "-m", "On it"], as_user=ETS, now="2026-12-03T08:00:00")
        view = queries.ticket_view(opened, context(opened, "2026-12-04T10:00:00"), ticket_id)
        assert view.on_time is False and not view.overdue

    def test_a_quiet_assignee_names_the_supervisor(self, invoke: Invoker, opened: Store) -> None:
        ticket_id = invoke.new(now=DENVER_MONDAY)
        quiet = queries.ticket_view(opened, context(opened, "2026-12-02T10:00:00"), ticket_id).quiet
        assert quiet is not None and quiet.assignee == ETS
        assert quiet.quiet_seconds == promise.QUIET_BUSINESS_HOURS * 3600
        assert quiet.supervisor.email == "director.technology@pcschools.us"
        assert queries.ticket_view(opened, context(opened, "2026-12-02T09:59:00"), ticket_id).quiet is None


class TestListings:
    def test_queue_filters_and_order(self, invoke: Invoker, opened: Store) -> None:
        normal = invoke.new(now=DENVER_MONDAY)
        urgent = invoke.new("--category", "network", "--emergency", now="2026-11-30T11:00:00")
        invoke(["new", "--building", "DO", "--summary", "Printer jams"], now=DENVER_MONDAY)
        ctx = context(opened, "2026-12-03T10:00:00")
        listing = queries.list_tickets(opened, ctx, building="pchs")
        assert [t.id for t in listing.tickets] == [urgent, normal]      # emergencies first
        assert all(t.overdue == promise.is_overdue(t.row, t.due, listing.now) for t in listing.tickets)
        assert [t.id for t in queries.list_tickets(opened, ctx, assignee=NETOPS.upper()).tickets] == [urgent]
        assert queries.list_tickets(opened, ctx, status="closed").tickets == []
        with pytest.raises(UnknownBuilding):
            queries.list_tickets(opened, ctx, building="XX")

    def test_tickets_of_a_person_requested_or_entered(self, invoke: Invoker, opened: Store) -> None:
        asked = invoke.new("--requester", TEACHER.upper())            # entered by the ETS for them
        typed = invoke.new(as_user=TEACHER)                           # entered by them
        other = invoke.new()
        invoke(["close", typed, "-m", "Fixed"])
        ctx = context(opened, "2026-12-01T10:00:00")
        mine = queries.tickets_of(opened, ctx, TEACHER)
        assert sorted(t.id for t in mine.tickets) == sorted([asked, typed])
        assert [t.id for t in queries.tickets_of(opened, ctx, TEACHER, status="open").tickets] == [asked]
        assert other in {t.id for t in queries.tickets_of(opened, ctx, ETS).tickets}

    def test_awaiting_response_with_contacts(self, invoke: Invoker, opened: Store) -> None:
        late = invoke.new("--requester", TEACHER, now=DENVER_MONDAY)
        answered = invoke.new("--requester", TEACHER, now=DENVER_MONDAY)
        invoke(["note", answered, "-m", "Seen"], now="2026-11-30T11:00:00")
        found = queries.awaiting_response(opened, context(opened, "2026-12-03T10:00:00"))
        assert [item.ticket.id for item in found.tickets] == [late]
        [item] = found.tickets
        assert item.overdue and item.seconds_late == 8 * 3600 and item.business_hours_late == 8.0
        assert item.contact is not None
        soon = queries.awaiting_response(opened, context(opened, "2026-12-02T09:00:00"), within_seconds=3600)
        assert [(i.ticket.id, i.overdue) for i in soon.tickets] == [(late, False)]

    def test_report_counts_the_promise(self, invoke: Invoker, opened: Store) -> None:
        answered = invoke.new("--requester", TEACHER, now=DENVER_MONDAY)
        invoke(["note", answered, "-m", "Seen"], now="2026-11-30T12:00:00")
        invoke.new("--requester", TEACHER, now=DENVER_MONDAY)
        result = queries.report(opened, context(opened, "2026-12-03T10:00:00"),
                                date(2026, 11, 30), date(2026, 11, 30))
        total = result.report.total
        assert (total.entered, total.on_time, total.waiting, total.overdue) == (2, 1, 1, 1)
        assert total.median_business_hours == 2.0
        assert result.business_days == 2


class TestHistory:
    def test_log_and_what_changed_between_commits(self, invoke: Invoker, opened: Store) -> None:
        first = invoke.new()
        start = git(opened.root, "rev-parse", "HEAD").strip()
        second = invoke.new()
        invoke(["note", first, "-m", "Seen"])
        assert queries.changed_tickets(opened, start) == sorted([first, second])
        assert queries.changed_tickets(opened, start, start) == []
        changes = queries.ticket_log(opened, context(opened, DENVER_MONDAY), first)
        assert [c.action for c in changes] == ["new", "note"]
        with pytest.raises(InvalidInput):
            queries.changed_tickets(opened, "--all")

    def test_ids_by_prefix(self, invoke: Invoker, opened: Store) -> None:
        made = sorted(invoke.new() for _ in range(3))
        assert queries.ticket_ids(opened) == made
        assert queries.ticket_ids(opened, made[0][:7].lower()) == [i for i in made if i.startswith(made[0][:7])]
