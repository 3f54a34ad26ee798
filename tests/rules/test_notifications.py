"""Who is told about which change: docs/notify.md's table as a pure function, and its invariants."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from pcsdesk.rules.notifications import added_entries, mail_address, who_is_told
from pcsdesk.rules.ticket import Note, Ticket, append_note

ETS, TECH, NETOPS = "ets@pcschools.us", "tech@pcschools.us", "netops@pcschools.us"
TEACHER, COWORKER = "jsmith@pcschools.us", "mjones@pcschools.us"
STAFF = frozenset({ETS, TECH, NETOPS})
T0 = datetime(2026, 11, 30, 10, 0, tzinfo=timezone(timedelta(hours=-7)))


def ticket(**changes: object) -> Ticket:
    base = Ticket(id="2611-7KQ3X", status="open", priority="normal", building="PCHS", category=None,
                  summary="Projector shows no signal", description="", requester=TEACHER,
                  entered_by=TEACHER, entered_at=T0, assignee=ETS)
    return replace(base, **changes)  # type: ignore[arg-type]


def after(before: Ticket, by: str, kind: str, to: str | None = None, minutes: int = 5) -> Ticket:
    return append_note(before, Note(T0 + timedelta(minutes=minutes), by, kind, f"{kind} by {by}", to), STAFF)


def told(before: Ticket | None, now: Ticket, author: str) -> list[tuple[str, str]]:
    return [(n.kind, n.recipient) for n in who_is_told(before, now, author, STAFF)]


class TestTheTable:
    def test_new_ticket(self) -> None:
        assert told(None, ticket(), TEACHER) == [("receipt", TEACHER), ("new", ETS)]

    def test_new_ticket_entered_by_its_assignee_gives_only_the_receipt(self) -> None:
        assert told(None, ticket(entered_by=ETS), ETS) == [("receipt", TEACHER)]

    def test_assignment(self) -> None:
        start = ticket()
        assert told(start, after(start, ETS, "assign", TECH), ETS) == [("assigned", TECH), ("update", TEACHER)]

    def test_escalation_by_the_requester_who_is_staff_tells_only_the_new_assignee(self) -> None:
        start = ticket(requester=TECH, entered_by=TECH)
        assert told(start, after(start, TECH, "escalate", NETOPS), TECH) == [("assigned", NETOPS)]

    def test_staff_note_is_the_first_response_once(self) -> None:
        start = ticket()
        first = after(start, TECH, "note")
        notices = who_is_told(start, first, TECH, STAFF)
        assert [(n.kind, n.recipient, n.first_response) for n in notices] == [("update", TEACHER, True)]
        second = after(first, ETS, "note", minutes=9)
        assert [n.first_response for n in who_is_told(first, second, ETS, STAFF)] == [False]

    def test_close_by_staff_and_by_the_requester(self) -> None:
        start = ticket()
        assert told(start, after(start, ETS, "close"), ETS) == [("closed", TEACHER)]
        assert told(start, after(start, TEACHER, "close"), TEACHER) == []

    def test_reopen_by_the_requester_and_by_staff(self) -> None:
        closed = after(ticket(), ETS, "close")
        assert told(closed, after(closed, TEACHER, "reopen", minutes=9), TEACHER) == [("reopened", ETS)]
        assert told(closed, after(closed, TECH, "reopen", minutes=9), TECH) == [
            ("reopened", ETS), ("reopened", TEACHER)]

    def test_notes_by_the_requester_and_by_a_coworker_reach_the_assignee(self) -> None:
        start = ticket()
        assert told(start, after(start, TEACHER, "note"), TEACHER) == [("note", ETS)]
        assert told(start, after(start, COWORKER, "note"), COWORKER) == [("note", ETS)]

    def test_a_hand_edit_without_entries_is_judged_from_the_fields(self) -> None:
        start = ticket()
        assert told(start, replace(start, assignee=TECH), ETS) == [("assigned", TECH)]
        assert told(start, replace(start, status="closed"), ETS) == [("closed", TEACHER)]

    def test_entries_already_told_are_not_told_again(self) -> None:
        start = ticket()
        noted = after(start, TECH, "note")
        assert who_is_told(start, noted, TECH, STAFF, already_told=noted.notes) == []


def test_added_entries_are_a_multiset_difference() -> None:
    start = ticket()
    one = after(start, ETS, "note")
    assert added_entries(start, one) == list(one.notes)
    assert added_entries(one, one) == []


class TestAddresses:
    def test_an_email_is_used_lower_cased(self) -> None:
        assert mail_address(" JSmith@PCSchools.us ") == "jsmith@pcschools.us"

    def test_a_bare_user_name_gets_the_district_domain(self) -> None:
        assert mail_address("jsmith", "pcschools.us") == "jsmith@pcschools.us"
        assert mail_address("jsmith") is None

    def test_anything_that_could_add_a_header_or_recipient_is_refused(self) -> None:
        for text in ("a@b.org\nBcc: x@y.org", "A <a@b.org>", "a@b.org, c@d.org", "Jane Smith", ""):
            assert mail_address(text, "pcschools.us") is None


PEOPLE = st.sampled_from([ETS, TECH, NETOPS, TEACHER, COWORKER])
STEP = st.tuples(PEOPLE, st.sampled_from(["note", "assign", "escalate", "close", "reopen"]),
                 st.sampled_from([ETS, TECH, NETOPS]))


@settings(deadline=None, max_examples=60)
@given(st.lists(STEP, min_size=1, max_size=6), PEOPLE)
def test_nobody_is_told_of_their_own_action_and_only_the_people_of_the_ticket_are_told(
    steps: list[tuple[str, str, str]], requester: str,
) -> None:
    current = ticket(requester=requester, entered_by=requester)
    for minutes, (by, kind, to) in enumerate(steps, start=1):
        hands_over = kind in ("assign", "escalate")
        nxt = after(current, by, kind, to if hands_over else None, minutes=minutes)
        notices = who_is_told(current, nxt, by, STAFF)
        people = {requester, nxt.assignee, *([to] if hands_over else [])}
        for notice in notices:
            assert notice.recipient != by
            assert notice.recipient in people
            assert [e.by for e in notice.entries] == [by]
        assert len({(n.kind, n.recipient) for n in notices}) == len(notices)
        current = nxt
