"""The queries the web pages ask: a ticket only for those who may see it, My tickets, the staff queue."""

from __future__ import annotations

import pytest
from support import ETS, NETOPS, TEACHER, TECH, Invoker, context

from pcsdesk.desk import queries
from pcsdesk.errors import TicketNotFound
from pcsdesk.store.store import Store

COWORKER = "mjones@pcschools.us"


class TestVisibleTicket:
    def test_the_requester_the_one_who_entered_it_and_staff_see_it(self, invoke: Invoker, opened: Store) -> None:
        ticket_id = invoke.new("--requester", TEACHER, as_user=COWORKER)
        for who in (TEACHER, COWORKER, "JSmith@PCSchools.us", TECH, NETOPS):
            assert queries.visible_ticket(opened, context(opened), ticket_id, who).ticket.id == ticket_id

    def test_anyone_else_gets_the_same_error_as_for_an_unknown_id(self, invoke: Invoker, opened: Store) -> None:
        ticket_id = invoke.new(as_user=TEACHER)
        with pytest.raises(TicketNotFound) as theirs:
            queries.visible_ticket(opened, context(opened), ticket_id, COWORKER)
        with pytest.raises(TicketNotFound) as unknown:
            queries.visible_ticket(opened, context(opened), "2611-ZZZZZ", COWORKER)
        assert type(theirs.value) is type(unknown.value)

    def test_an_id_that_is_not_one_is_not_found(self, opened: Store) -> None:
        with pytest.raises(TicketNotFound):
            queries.visible_ticket(opened, context(opened), "../../etc/passwd", TEACHER)


class TestMyTickets:
    def test_open_first_newest_first_with_the_last_update(self, invoke: Invoker, opened: Store) -> None:
        old = invoke.new(as_user=TEACHER, now="2026-11-30T08:00:00")
        closed = invoke.new(as_user=TEACHER, now="2026-11-30T09:00:00")
        new = invoke.new("--requester", TEACHER, as_user=COWORKER, now="2026-11-30T10:00:00")
        invoke.new(as_user=COWORKER, now="2026-11-30T11:00:00")   # the co-worker's own
        invoke(["close", closed, "-m", "Fixed"], as_user=ETS, now="2026-12-01T09:00:00")
        invoke(["note", old, "-m", "Still broken"], as_user=TEACHER, now="2026-12-02T08:30:00")
        mine = queries.my_tickets(opened, context(opened), TEACHER)
        assert [m.ticket.id for m in mine] == [new, old, closed]
        updated = {m.ticket.id: m.updated.isoformat() for m in mine}
        assert updated == {new: "2026-11-30T10:00:00-07:00", old: "2026-12-02T08:30:00-07:00",
                           closed: "2026-12-01T09:00:00-07:00"}


class TestStaffQueue:
    def test_emergencies_and_overdue_first_then_by_due_time(self, invoke: Invoker, opened: Store) -> None:
        overdue = invoke.new(now="2026-11-25T09:00:00")
        later = invoke.new(now="2026-12-02T09:00:00")
        sooner = invoke.new(now="2026-12-01T11:00:00")
        emergency = invoke.new("--emergency", now="2026-12-02T09:30:00")
        listed = queries.staff_queue(opened, context(opened), ("PCHS",)).tickets
        assert [t.id for t in listed] == [emergency, overdue, sooner, later]
        assert [t.overdue for t in listed] == [False, True, False, False]

    def test_by_building_and_assignee(self, invoke: Invoker, opened: Store) -> None:
        pchs = invoke.new()
        tmjh = invoke(["new", "--building", "TMJH", "--summary", "Printer"]).stdout.split()[0]
        network = invoke(["new", "--building", "TMJH", "--category", "network", "--summary", "Wi-Fi"]).stdout.split()[0]
        ctx = context(opened)
        assert {t.id for t in queries.staff_queue(opened, ctx, ("PCHS", "TMJH")).tickets} == {pchs, tmjh, network}
        assert {t.id for t in queries.staff_queue(opened, ctx, ("TMJH",)).tickets} == {tmjh, network}
        assert [t.id for t in queries.staff_queue(opened, ctx, (), NETOPS).tickets] == [network]
        assert queries.staff_queue(opened, ctx, (), status="closed").tickets == []
