"""The ticket model: appending to the log, what follows from it, and the file's data both ways."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcsdesk.rules.ticket import (
    FIELD_ORDER,
    NOTE_KINDS,
    Note,
    Ticket,
    TicketDataError,
    append_note,
    derive_from_log,
    is_emergency,
    is_first_response,
    is_open,
    ticket_from_data,
    ticket_to_data,
)

DENVER = ZoneInfo("America/Denver")
AT = datetime(2026, 11, 30, 10, tzinfo=DENVER)
STAFF = frozenset({"ets.pchs@pcschools.us", "netops@pcschools.us"})
TEACHER = "jsmith@pcschools.us"


def ticket(**changes: object) -> Ticket:
    fields: dict[str, object] = dict(
        id="2611-AV52R", status="open", priority="normal", building="PCHS", category=None,
        summary="Projector shows no signal", description="", requester=TEACHER, entered_by=TEACHER,
        entered_at=AT, assignee="ets.pchs@pcschools.us")
    fields.update(changes)
    return Ticket(**fields)  # type: ignore[arg-type]


def note(minutes: int, by: str, kind: str = "note", to: str | None = None) -> Note:
    return Note(at=AT + timedelta(minutes=minutes), by=by, kind=kind, text=f"{kind} by {by}", to=to)


class TestStanding:
    """Open and emergency are decided once, here; the index's rows answer by the same rules."""

    def test_open_and_emergency(self) -> None:
        assert is_open(ticket()) and not is_open(ticket(status="closed"))
        assert is_emergency(ticket(priority="emergency")) and not is_emergency(ticket())

    def test_a_ticket_and_its_index_row_agree(self) -> None:
        from pcsdesk.store.rows import TicketRow

        for status, priority in (("open", "normal"), ("closed", "emergency")):
            model = ticket(status=status, priority=priority)
            row = TicketRow(model.id, "tickets/2611/A/2611-AV52R.yaml", status, priority, model.building,
                            None, model.summary, TEACHER, TEACHER, AT, model.assignee, None, 0)
            assert (row.is_open, row.is_emergency) == (model.is_open, model.is_emergency) == (
                is_open(model), is_emergency(model))


class TestTheLog:
    def test_the_first_response_is_staff_other_than_the_requester(self) -> None:
        assert is_first_response(note(1, "ETS.PCHS@pcschools.us"), TEACHER, STAFF)
        assert not is_first_response(note(1, TEACHER), TEACHER, STAFF)
        assert not is_first_response(note(1, "ets.pchs@pcschools.us", "reopen"), TEACHER, STAFF)
        assert not is_first_response(note(1, "ets.pchs@pcschools.us"), "ets.pchs@pcschools.us", STAFF)

    def test_appending_updates_what_follows(self) -> None:
        t = append_note(ticket(), note(1, TEACHER), STAFF)
        assert t.first_response_at is None
        t = append_note(t, note(2, "ets.pchs@pcschools.us", "escalate", to="netops@pcschools.us"), STAFF)
        assert t.assignee == "netops@pcschools.us" and t.first_response_at == AT + timedelta(minutes=2)
        t = append_note(t, note(3, "netops@pcschools.us", "close"), STAFF)
        assert t.status == "closed" and t.first_response_at == AT + timedelta(minutes=2)
        t = append_note(t, note(4, TEACHER, "reopen"), STAFF)
        assert t.status == "open" and len(t.notes) == 4

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.tuples(st.sampled_from(NOTE_KINDS),
                              st.sampled_from([TEACHER, "ets.pchs@pcschools.us", "netops@pcschools.us"])),
                    max_size=8))
    def test_the_fields_derived_from_the_log_are_what_appending_made(self, steps: list[tuple[str, str]]) -> None:
        t = ticket()
        for number, (kind, by) in enumerate(steps):
            to = "netops@pcschools.us" if kind in ("assign", "escalate") else None
            t = append_note(t, note(number, by, kind, to), STAFF)
        assert derive_from_log(t, STAFF) == t


class TestTheFileData:
    def test_both_ways_in_field_order_with_unknown_keys_kept(self) -> None:
        t = ticket(notes=(note(5, "ets.pchs@pcschools.us", "assign", to="netops@pcschools.us"),),
                   extra=(("x_future", 1),), checklist={"cables": True})
        data = ticket_to_data(t, DENVER)
        assert list(data)[:len(FIELD_ORDER)] == list(FIELD_ORDER) and data["x_future"] == 1
        assert data["entered_at"] == "2026-11-30T10:00:00-07:00"
        assert ticket_from_data(data, DENVER) == t

    @pytest.mark.parametrize(("change", "key"), [
        ({"status": "pending"}, "status"),
        ({"summary": "  "}, "summary"),
        ({"entered_at": "yesterday"}, "entered_at"),
        ({"notes": [{"at": "2026-11-30T10:00:00-07:00", "by": "x", "kind": "assign", "text": ""}]},
         "notes[0].to"),
        ({"checklist": {"cables": "yes"}}, "checklist"),
    ])
    def test_a_wrong_field_is_named(self, change: dict[str, object], key: str) -> None:
        data = {**ticket_to_data(ticket(), DENVER), **change}
        with pytest.raises(TicketDataError) as raised:
            ticket_from_data(data, DENVER)
        assert raised.value.key == key
