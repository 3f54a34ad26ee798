"""What check asks of one ticket, and of a ticket compared with its version at a base."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml
from support import ETS, NETOPS, TEACHER

from pcsdesk.rules.directory import directory_from_dict
from pcsdesk.rules.ticket import Note, Ticket, append_note
from pcsdesk.rules.validation import Problem, check_ticket, compare_with_base, read_ticket, where_of

DENVER = ZoneInfo("America/Denver")
START = datetime(2026, 11, 30, 10, 0, tzinfo=DENVER)
PATH = "tickets/2611/7/2611-7KQ3X.yaml"

DIRECTORY = directory_from_dict(yaml.safe_load("""
district: {name: Park City School District}
staff:
  ets.pchs@pcschools.us: {name: PCHS ETS, role: ets}
  netops@pcschools.us: {name: Network Team, role: department}
buildings:
  PCHS: {name: Park City High School, ets: ets.pchs@pcschools.us}
categories:
  network: {assign_to: netops@pcschools.us}
"""))
STAFF = DIRECTORY.staff


def entered() -> Ticket:
    return Ticket(
        id="2611-7KQ3X", status="open", priority="normal", building="PCHS", category=None,
        summary="Projector shows no signal", description="", requester=TEACHER, entered_by=TEACHER,
        entered_at=START, assignee=ETS,
    )


def with_notes(*notes: Note) -> Ticket:
    """A ticket as the commands make it: each entry appended with append_note."""
    current = entered()
    for note in notes:
        current = append_note(current, note, STAFF)
    return current


def note(minutes: int, text: str = "checked", by: str = ETS, kind: str = "note", to: str | None = None) -> Note:
    return Note(at=START + timedelta(minutes=minutes), by=by, kind=kind, text=text, to=to)


def texts(problems: list[Problem]) -> list[str]:
    return [p.text for p in problems]


class TestOneTicket:
    def test_a_ticket_made_by_the_commands_has_no_problem(self) -> None:
        ticket = with_notes(note(5), note(30, kind="escalate", to=NETOPS), note(60, "fixed", by=NETOPS, kind="close"))
        assert check_ticket(ticket, PATH, DIRECTORY) == []

    def test_unknown_building_and_category(self) -> None:
        problems = check_ticket(replace(entered(), building="XX", category="toasters"), PATH, DIRECTORY)
        assert problems == [
            Problem(("building",), "unknown building 'XX'; known: PCHS"),
            Problem(("category",), "unknown category 'toasters'; known: network"),
        ]

    def test_open_tickets_go_to_staff_only(self) -> None:
        ticket = replace(with_notes(note(5, kind="assign", to=NETOPS)), notes=(note(5, kind="assign", to=TEACHER),),
                         assignee=TEACHER)
        problems = check_ticket(ticket, PATH, DIRECTORY)
        assert [p.where for p in problems] == [("assignee",), ("notes", 0, "to")]

    def test_closed_tickets_keep_the_staff_they_had(self) -> None:
        former = "retired@pcschools.us"
        ticket = replace(
            with_notes(note(60, "fixed", kind="close")),
            notes=(note(5, by=former, kind="assign", to=former), note(60, "fixed", by=former, kind="close")),
            assignee=former, first_response_at=START + timedelta(minutes=5),
        )
        assert check_ticket(ticket, PATH, DIRECTORY) == []
        # ...unless the ticket changed since the base: then today's staff rules apply.
        assert len(check_ticket(ticket, PATH, DIRECTORY, people=True)) == 3

    def test_a_password_is_named_without_repeating_it(self) -> None:
        ticket = with_notes(note(5, "line one\nmy password is Tiger123"))
        problems = check_ticket(ticket, PATH, DIRECTORY)
        assert problems == [Problem(("notes", 0, "text"), (
            "the note of 2026-11-30T10:05:00-07:00 by ets.pchs@pcschools.us seems to state a password "
            "(line 2 of the text); remove it from the ticket and have the password reset (the procedure, step 2c)"
        ))]
        assert "Tiger123" not in problems[0].text

    def test_status_that_does_not_follow_from_the_log(self) -> None:
        assert texts(check_ticket(replace(entered(), status="closed"), PATH, DIRECTORY)) == [
            "status is 'closed' but the notes log makes it 'open' (its last close or reopen entry); the log is the record"
        ]

    def test_assignee_that_does_not_follow_from_the_log(self) -> None:
        ticket = replace(with_notes(note(5, kind="assign", to=NETOPS)), assignee=ETS)
        assert texts(check_ticket(ticket, PATH, DIRECTORY)) == [
            "assignee is ets.pchs@pcschools.us but the last hand-over in the notes log is to netops@pcschools.us"
        ]

    def test_first_response_that_does_not_follow_from_the_log(self) -> None:
        ticket = replace(with_notes(note(5, by=TEACHER), note(9)), first_response_at=START + timedelta(minutes=5))
        assert texts(check_ticket(ticket, PATH, DIRECTORY)) == [
            "first_response_at is 2026-11-30T10:05:00-07:00 but the first entry by technology staff other "
            "than the requester is at 2026-11-30T10:09:00-07:00"
        ]

    def test_a_forged_first_response_on_a_closed_ticket_is_caught_without_the_staff_list(self) -> None:
        ticket = replace(with_notes(note(5, by=TEACHER), note(60, kind="close")),
                         first_response_at=START + timedelta(minutes=1))
        assert texts(check_ticket(ticket, PATH, DIRECTORY)) == [
            "first_response_at is 2026-11-30T10:01:00-07:00 but no response in the notes log was made then"
        ]

    def test_the_id_must_match_the_path(self) -> None:
        assert texts(check_ticket(entered(), "tickets/2611/7/2611-7KQ3Y.yaml", DIRECTORY)) == [
            "the id 2611-7KQ3X does not match the file name (2611-7KQ3Y)"
        ]
        assert texts(check_ticket(entered(), "tickets/2611-7KQ3X.yaml", DIRECTORY)) == [
            "not where a ticket file belongs: ticket 2611-7KQ3X belongs at tickets/2611/7/2611-7KQ3X.yaml"
        ]

    def test_without_a_directory_the_names_are_not_checked(self) -> None:
        assert check_ticket(replace(entered(), building="XX"), PATH, None) == []


class TestSchema:
    def test_the_first_schema_problem_with_its_place(self) -> None:
        data = {"id": "2611-7KQ3X", "status": "open", "priority": "normal", "building": "PCHS",
                "summary": "x", "requester": TEACHER, "entered_by": TEACHER,
                "entered_at": "2026-11-30T10:00:00-07:00", "assignee": ETS,
                "notes": [{"at": "yesterday", "by": ETS, "kind": "note", "text": "x"}]}
        assert read_ticket(data, DENVER) == Problem(
            ("notes", 0, "at"), "notes[0].at: must be an ISO 8601 time with its offset, not 'yesterday'"
        )

    @pytest.mark.parametrize(("key", "where"), [
        ("status", ("status",)), ("notes[12].kind", ("notes", 12, "kind")), ("ticket", ()),
    ])
    def test_where_of(self, key: str, where: tuple[str | int, ...]) -> None:
        assert where_of(key) == where


class TestAgainstTheBase:
    def test_appended_notes_pass(self) -> None:
        base = with_notes(note(5))
        now = append_note(append_note(base, note(9), STAFF), note(20, kind="close"), STAFF)
        assert compare_with_base(base, now) == []

    def test_notes_from_a_merge_may_come_between(self) -> None:
        base = with_notes(note(5, "a"), note(20, "c"))
        now = replace(base, notes=(note(5, "a"), note(10, "b, from another clone"), note(20, "c")))
        assert compare_with_base(base, now) == []

    def test_an_edited_note(self) -> None:
        base = with_notes(note(5, "a"), note(9, "b"))
        now = replace(base, notes=(note(5, "a"), note(9, "b, better")))
        assert compare_with_base(base, now, "origin/main") == [Problem(("notes", 1), (
            "note 2 at origin/main (the note of 2026-11-30T10:09:00-07:00 by ets.pchs@pcschools.us) "
            "was edited; notes are never changed"
        ))]

    def test_a_removed_note(self) -> None:
        base = with_notes(note(5, "a"), note(9, "b"))
        now = replace(base, notes=(note(9, "b"),))
        assert texts(compare_with_base(base, now)) == [
            "note 1 at the base (the note of 2026-11-30T10:05:00-07:00 by ets.pchs@pcschools.us) was removed; "
            "notes are never removed"
        ]

    def test_a_reordered_note(self) -> None:
        base = with_notes(note(5, "a"), note(9, "b"))
        now = replace(base, notes=(note(9, "b"), note(5, "a")))
        problems = compare_with_base(base, now)
        assert [p.where for p in problems] == [("notes", 0)]
        assert "was moved; notes are never reordered" in problems[0].text

    @pytest.mark.parametrize(("field", "value"), [
        ("id", "2611-7KQ3Y"), ("requester", "other@pcschools.us"), ("entered_at", START - timedelta(days=1)),
        ("entered_by", ETS),
    ])
    def test_identity_fields_never_change(self, field: str, value: object) -> None:
        problems = compare_with_base(entered(), replace(entered(), **{field: value}))
        assert [p.where for p in problems] == [(field,)]
        assert problems[0].text.endswith("; it never changes")
