"""The closures index: the same answers as reading the list top to bottom, built in one sweep."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pcsdesk.rules.calendar import Calendar, calendar_from_dict

START = date(2026, 1, 1)


def runs() -> st.SearchStrategy[list[tuple[int, int, str]]]:
    entry = st.tuples(st.integers(0, 60), st.integers(0, 12), st.sampled_from(["A", "B", "C", ""]))
    return st.lists(entry, max_size=12)


def calendar_of(entries: list[tuple[int, int, str]]) -> Calendar:
    return calendar_from_dict({
        "timezone": "America/Denver", "workdays": ["mon", "tue", "wed", "thu", "fri"],
        "hours": {"open": "07:00", "close": "15:00"}, "first_response_business_days": 2,
        "closed": [{"from": (START + timedelta(days=a)).isoformat(),
                    "to": (START + timedelta(days=a + n)).isoformat(), "reason": why} for a, n, why in entries],
    })


def first_listed(entries: list[tuple[int, int, str]], offset: int) -> int | None:
    return next((i for i, (a, n, _) in enumerate(entries) if a <= offset <= a + n), None)


class TestAgainstTheList:
    @settings(max_examples=300, deadline=None)
    @given(runs())
    def test_each_day_has_the_reason_listed_first_and_its_run_ends_with_that_entry(
        self, entries: list[tuple[int, int, str]]
    ) -> None:
        cal = calendar_of(entries)
        for offset in range(-1, 80):
            day = START + timedelta(days=offset)
            listed = first_listed(entries, offset)
            run = cal.closed_run(day)
            if listed is None:
                assert run is None
                assert cal.day_kind(day)[0] != "closed"
                continue
            end = offset
            while first_listed(entries, end + 1) == listed:
                end += 1
            assert run == (START + timedelta(days=end), entries[listed][2])
            assert cal.day_kind(day) == ("closed", entries[listed][2])
        last = max((a + n for a, n, _ in entries), default=None)
        assert cal.last_closure() == (START + timedelta(days=last) if last is not None else None)

    def test_many_single_days(self) -> None:
        entries = [(3 * n, 0, f"day {n}") for n in range(1460)]
        cal = calendar_of(entries)
        assert cal.closed_run(START + timedelta(days=3 * 700)) == (START + timedelta(days=2100), "day 700")
        assert cal.closed_run(START + timedelta(days=3 * 700 + 1)) is None
