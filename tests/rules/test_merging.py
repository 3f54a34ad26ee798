"""Merging two versions of a ticket: every note from both sides, by time, the same in every clone."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import ETS, NETOPS, TEACHER, TECH

from pcsdesk.rules.merging import TicketMergeConflict, merge_notes, merge_tickets, note_key
from pcsdesk.rules.ticket import Note, Ticket

DENVER = ZoneInfo("America/Denver")
START = datetime(2026, 11, 30, 10, 0, tzinfo=DENVER)
STAFF = frozenset({ETS, TECH, NETOPS})


def note(minutes: int, text: str = "checked", by: str = ETS, kind: str = "note", to: str | None = None) -> Note:
    return Note(at=START + timedelta(minutes=minutes), by=by, kind=kind, text=text, to=to)


def ticket(*notes: Note, **fields: object) -> Ticket:
    base = Ticket(
        id="2611-7KQ3X", status="open", priority="normal", building="PCHS", category=None,
        summary="Projector shows no signal", description="", requester=TEACHER, entered_by=TEACHER,
        entered_at=START, assignee=ETS, notes=tuple(notes),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def is_subsequence(short: tuple[Note, ...] | list[Note], long: tuple[Note, ...]) -> bool:
    remaining = iter(long)
    return all(any(item == other for other in remaining) for item in short)


# ---- generated histories: a shared base, then each side appends ----

people = st.sampled_from([ETS, TECH, TEACHER])
notes_strategy = st.builds(
    lambda minute, by, text: note(minute, text, by),
    st.integers(0, 6),          # few distinct times, so ties are common
    people,
    st.sampled_from(["a", "b", "c"]),
)


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Note], list[Note], list[Note]]:
    base = draw(st.lists(notes_strategy, max_size=4))
    shared = draw(st.lists(notes_strategy, max_size=2))   # the same note reached both sides
    # Notes written on one side differ from the other side's: the same person cannot
    # write the same text at the same second in two clones. Within a side they may repeat.
    ours = base + shared + [replace(n, text=f"ours {n.text}") for n in draw(st.lists(notes_strategy, max_size=4))]
    theirs = base + shared + [replace(n, text=f"theirs {n.text}") for n in draw(st.lists(notes_strategy, max_size=4))]
    return base, ours, theirs


class TestNotesProperties:
    @settings(max_examples=150, deadline=None)
    @given(histories())
    def test_the_result_is_the_same_whichever_side_is_ours(
        self, history: tuple[list[Note], list[Note], list[Note]]
    ) -> None:
        base, ours, theirs = history
        assert merge_notes(base, ours, theirs) == merge_notes(base, theirs, ours)

    @settings(max_examples=150, deadline=None)
    @given(histories())
    def test_every_note_of_both_sides_is_kept_in_each_sides_order(
        self, history: tuple[list[Note], list[Note], list[Note]]
    ) -> None:
        base, ours, theirs = history
        merged = merge_notes(base, ours, theirs)
        counts = Counter(merged)
        assert counts == Counter(ours) | Counter(theirs)
        assert is_subsequence(ours, merged)
        assert is_subsequence(theirs, merged)
        assert tuple(merged[:len(base)]) == tuple(base)

    @settings(max_examples=100, deadline=None)
    @given(histories())
    def test_merging_again_changes_nothing(self, history: tuple[list[Note], list[Note], list[Note]]) -> None:
        base, ours, theirs = history
        merged = merge_notes(base, ours, theirs)
        assert merge_notes(ours, merged, merged) == merged
        assert merge_notes(ours, merged, ours) == merged
        assert merge_notes(theirs, theirs, merged) == merged

    @settings(max_examples=100, deadline=None)
    @given(histories())
    def test_new_notes_come_in_time_order_after_the_base(
        self, history: tuple[list[Note], list[Note], list[Note]]
    ) -> None:
        base, ours, theirs = history
        ours_new, theirs_new = ours[len(base):], theirs[len(base):]
        if ours_new != sorted(ours_new, key=note_key) or theirs_new != sorted(theirs_new, key=note_key):
            return   # a side's own log out of time order keeps its order
        merged = merge_notes(base, ours, theirs)
        assert list(merged[len(base):]) == sorted(merged[len(base):], key=note_key)


class TestNotes:
    def test_concurrent_notes_interleave_by_time(self) -> None:
        first = note(0, "entered")
        ours = [first, note(30, "ours at 10:30"), note(90, "ours at 11:30")]
        theirs = [first, note(60, "theirs at 11:00")]
        assert [n.text for n in merge_notes([first], ours, theirs)] == [
            "entered", "ours at 10:30", "theirs at 11:00", "ours at 11:30"
        ]

    def test_notes_interleaved_by_an_earlier_merge_keep_their_place(self) -> None:
        a, c = note(0, "a"), note(20, "c")
        b = note(10, "b from a third clone")
        ours = [a, b, c, note(30, "ours")]
        theirs = [a, c, note(25, "theirs")]
        merged = merge_notes([a, c], ours, theirs)
        assert [n.text for n in merged] == ["a", "b from a third clone", "c", "theirs", "ours"]

    def test_a_removed_base_note_is_a_conflict(self) -> None:
        a, b = note(0, "a"), note(10, "b")
        with pytest.raises(TicketMergeConflict, match="removed or edited in theirs"):
            merge_notes([a, b], [a, b, note(20)], [a])

    def test_an_edited_base_note_is_a_conflict(self) -> None:
        a = note(0, "a")
        with pytest.raises(TicketMergeConflict, match=r"the note of 2026-11-30T10:00:00-07:00 by "
                                                       r"ets.pchs@pcschools.us was removed or edited in ours"):
            merge_notes([a], [note(0, "a, edited")], [a, note(5)])

    def test_reordered_base_notes_are_a_conflict(self) -> None:
        a, b = note(0, "a"), note(10, "b")
        with pytest.raises(TicketMergeConflict, match="moved in ours"):
            merge_notes([a, b], [b, a], [a, b])

    def test_common_notes_in_different_orders_are_a_conflict(self) -> None:
        a, x, y = note(0, "a"), note(10, "x"), note(20, "y")
        with pytest.raises(TicketMergeConflict, match="different order"):
            merge_notes([a], [a, x, y], [a, y, x])


class TestFields:
    def test_closed_on_one_side_and_a_note_on_the_other(self) -> None:
        base = ticket(note(0, "looking", by=TECH))
        closed = ticket(*base.notes, note(60, "fixed", kind="close"), status="closed")
        noted = ticket(*base.notes, note(30, "any news?", by=TEACHER))
        for ours, theirs in ((closed, noted), (noted, closed)):
            merged = merge_tickets(base, ours, theirs, STAFF)
            assert merged.status == "closed"
            assert [n.text for n in merged.notes] == ["looking", "any news?", "fixed"]

    def test_a_note_after_the_close_on_the_other_side_keeps_it_closed_unless_reopened(self) -> None:
        base = ticket()
        closed = ticket(note(10, "fixed", kind="close"), status="closed")
        reopened_later = ticket(note(20, "broken again", by=TEACHER, kind="reopen"))
        merged = merge_tickets(base, closed, reopened_later, STAFF)
        assert merged.status == "open"
        assert merge_tickets(base, reopened_later, closed, STAFF) == merged

    def test_fields_are_derived_from_the_merged_log(self) -> None:
        base = ticket()
        escalated = ticket(note(30, "needs the network team", kind="escalate", to=NETOPS), assignee=NETOPS,
                           first_response_at=START + timedelta(minutes=30))
        answered = ticket(note(10, "on my way", by=TECH), first_response_at=START + timedelta(minutes=10))
        merged = merge_tickets(base, escalated, answered, STAFF)
        assert merged.assignee == NETOPS
        assert merged.first_response_at == START + timedelta(minutes=10)
        assert merged == merge_tickets(base, answered, escalated, STAFF)

    def test_the_changed_side_wins_for_other_fields(self) -> None:
        base = ticket()
        renamed = ticket(summary="Projector in 204 shows no signal")
        noted = ticket(note(5))
        merged = merge_tickets(base, noted, renamed, STAFF)
        assert merged.summary == "Projector in 204 shows no signal"
        assert len(merged.notes) == 1

    def test_what_others_found_merges_like_the_other_fields(self) -> None:
        merged = merge_tickets(ticket(), ticket(note(5)), ticket(others_affected=True), STAFF)
        assert merged.others_affected is True and len(merged.notes) == 1
        with pytest.raises(TicketMergeConflict, match="others_affected was changed on both sides"):
            merge_tickets(ticket(), ticket(others_affected=False), ticket(others_affected=True), STAFF)

    def test_the_same_field_changed_differently_is_a_conflict(self) -> None:
        with pytest.raises(TicketMergeConflict, match="summary was changed on both sides"):
            merge_tickets(ticket(), ticket(summary="One"), ticket(summary="Two"), STAFF)

    def test_a_changed_requester_is_a_conflict(self) -> None:
        with pytest.raises(TicketMergeConflict, match="requester was changed"):
            merge_tickets(ticket(), ticket(requester="other@pcschools.us"), ticket(note(1)), STAFF)

    def test_unknown_fields_merge_like_the_others(self) -> None:
        base = ticket(extra=(("room", "204"),))
        ours = ticket(extra=(("room", "204"), ("asset", "PCSD-1")))
        theirs = ticket(note(1), extra=(("room", "205"),))
        merged = merge_tickets(base, ours, theirs, STAFF)
        assert dict(merged.extra) == {"room": "205", "asset": "PCSD-1"}
        assert merged.extra == merge_tickets(base, theirs, ours, STAFF).extra

    def test_every_problem_is_named(self) -> None:
        a = note(0, "a")
        with pytest.raises(TicketMergeConflict) as caught:
            merge_tickets(ticket(a), ticket(summary="One"), ticket(summary="Two"), STAFF)
        assert len(caught.value.problems) == 3   # the summary, and note a missing on each side


class TestCreatedOnBothSides:
    def test_identical_tickets_are_one(self) -> None:
        assert merge_tickets(None, ticket(), ticket(), STAFF) == ticket()

    def test_two_tickets_with_one_id_are_a_conflict(self) -> None:
        with pytest.raises(TicketMergeConflict, match="two tickets got the same ID"):
            merge_tickets(None, ticket(), ticket(summary="Printer jam"), STAFF)
