"""Business time: the first-response due time counted in working hours of open days."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import SPEC_CALENDAR_YAML

from pcsdesk.errors import ConfigError
from pcsdesk.rules.business_time import (
    add_business_seconds,
    business_seconds_between,
    explain_due,
    first_response_due,
)
from pcsdesk.rules.calendar import Calendar, Closure, calendar_from_dict

DENVER = ZoneInfo("America/Denver")
HOUR = 3600

SPEC_YAML = SPEC_CALENDAR_YAML

SPEC = calendar_from_dict(yaml.safe_load(SPEC_YAML))
# The same calendar without the open Saturday, for plain weekends around DST.
PLAIN = dataclasses.replace(SPEC, open_days=())


def at(text: str) -> datetime:
    """An instant from ISO text; without an offset it is Denver wall-clock time."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=DENVER)


def closing(cal: Calendar, *days: date) -> Calendar:
    return dataclasses.replace(cal, closed=cal.closed + tuple(Closure(d, d, "Snow day") for d in days))


class TestTheSpecTable:
    @pytest.mark.parametrize(
        ("entered", "due"),
        [
            ("2026-11-30T10:00", "2026-12-02T10:00:00-07:00"),
            ("2026-11-25T10:00", "2026-12-01T10:00:00-07:00"),
            ("2026-11-28T09:00", "2026-12-01T15:00:00-07:00"),
            ("2026-11-30T06:00", "2026-12-01T15:00:00-07:00"),
            ("2026-11-30T15:00", "2026-12-02T15:00:00-07:00"),
            ("2027-03-12T10:00-07:00", "2027-03-15T10:00:00-06:00"),
        ],
    )
    def test_due(self, entered: str, due: str) -> None:
        result = first_response_due(SPEC, at(entered))
        assert result.isoformat() == due
        assert result.tzinfo is SPEC.tz


class TestEntryAroundOpeningAndClosing:
    @pytest.mark.parametrize(
        ("entered", "due"),
        [
            ("2026-11-30T06:59:59", "2026-12-01T15:00:00-07:00"),  # a second before opening
            ("2026-11-30T07:00:00", "2026-12-01T15:00:00-07:00"),  # at opening
            ("2026-11-30T07:00:01", "2026-12-02T07:00:01-07:00"),
            ("2026-11-30T14:59:59", "2026-12-02T14:59:59-07:00"),  # a second before closing
            ("2026-11-30T15:00:00", "2026-12-02T15:00:00-07:00"),  # at closing
            ("2026-11-30T15:00:01", "2026-12-02T15:00:00-07:00"),
            ("2026-11-30T23:59:59", "2026-12-02T15:00:00-07:00"),
            ("2026-12-04T15:00:00", "2026-12-08T15:00:00-07:00"),  # Friday at closing: over the weekend
        ],
    )
    def test_due(self, entered: str, due: str) -> None:
        assert first_response_due(SPEC, at(entered)).isoformat() == due

    def test_a_deadline_on_a_closing_time_is_that_closing_time(self) -> None:
        assert add_business_seconds(SPEC, at("2026-11-30T07:00"), 8 * HOUR) == at("2026-11-30T15:00")
        assert add_business_seconds(SPEC, at("2026-11-30T14:00"), HOUR) == at("2026-11-30T15:00")
        assert add_business_seconds(SPEC, at("2026-11-30T14:00"), HOUR + 1) == at("2026-12-01T07:00:01")

    def test_microseconds_are_dropped(self) -> None:
        entered = at("2026-11-30T10:00:00.999999")
        assert first_response_due(SPEC, entered) == at("2026-12-02T10:00")
        assert first_response_due(SPEC, entered).microsecond == 0

    def test_a_naive_time_is_district_time(self) -> None:
        assert first_response_due(SPEC, datetime(2026, 11, 30, 10)) == at("2026-12-02T10:00")

    def test_any_zone_in_gives_district_time_out(self) -> None:
        due = first_response_due(SPEC, datetime(2026, 11, 30, 17, tzinfo=UTC))  # 10:00 in Denver
        assert due.isoformat() == "2026-12-02T10:00:00-07:00"


class TestDaylightSaving:
    def test_spring_forward_weekend(self) -> None:
        # DST begins Sunday 2027-03-14; without the open Saturday, Friday 10:00 runs to Tuesday 10:00.
        due = first_response_due(PLAIN, at("2027-03-12T10:00"))
        assert due.isoformat() == "2027-03-16T10:00:00-06:00"

    def test_fall_back_weekend(self) -> None:
        # DST ends Sunday 2026-11-01.
        due = first_response_due(PLAIN, at("2026-10-30T10:00"))
        assert due.isoformat() == "2026-11-03T10:00:00-07:00"

    @pytest.mark.parametrize(
        ("start", "end", "hours"),
        [
            ("2027-03-12T10:00", "2027-03-15T10:00", 8),  # across spring forward: 5 h + 3 h
            ("2026-10-30T10:00", "2026-11-02T10:00", 8),  # across fall back
            ("2027-03-12T15:00", "2027-03-15T07:00", 0),
            ("2026-10-30T15:00", "2026-11-02T07:00", 0),
            ("2027-03-12T10:00", "2027-03-15T10:00", 8),
        ],
    )
    def test_between_is_exact(self, start: str, end: str, hours: int) -> None:
        # Naive wall-clock subtraction would be off by an hour here.
        assert business_seconds_between(PLAIN, at(start), at(end)) == hours * HOUR

    def test_between_counts_the_open_saturday(self) -> None:
        assert business_seconds_between(SPEC, at("2027-03-12T10:00"), at("2027-03-15T10:00")) == 16 * HOUR

    def test_a_clock_change_inside_working_hours_counts_real_time(self) -> None:
        # Hours that include 02:00: the spring-forward Sunday loses an hour of work,
        # the fall-back Sunday gains one; due times stay exact instants.
        data = yaml.safe_load(SPEC_YAML) | {"workdays": ["sun"], "hours": {"open": "00:00", "close": "06:00"},
                                            "open": []}
        cal = calendar_from_dict(data)
        spring, fall = date(2027, 3, 14), date(2026, 11, 1)
        for day, hours in ((spring, 5), (fall, 7)):
            start = datetime.combine(day, time(0), tzinfo=DENVER)
            assert business_seconds_between(cal, start, start + timedelta(days=1)) == hours * HOUR
        due = add_business_seconds(cal, datetime.combine(spring, time(0), tzinfo=DENVER), 3 * HOUR)
        assert due.isoformat() == "2027-03-14T04:00:00-06:00"


class TestClosures:
    def test_winter_closure_over_the_year_end(self) -> None:
        assert first_response_due(SPEC, at("2026-12-23T10:00")).isoformat() == "2027-01-05T10:00:00-07:00"
        assert first_response_due(SPEC, at("2026-12-28T09:00")).isoformat() == "2027-01-05T15:00:00-07:00"
        assert first_response_due(SPEC, at("2026-12-31T23:59:59")).isoformat() == "2027-01-05T15:00:00-07:00"

    def test_a_snow_day_moves_the_due_time_later(self) -> None:
        entered = at("2026-11-30T10:00")
        before = first_response_due(SPEC, entered)
        after = first_response_due(closing(SPEC, date(2026, 12, 1)), entered)
        assert (before, after) == (at("2026-12-02T10:00"), at("2026-12-03T10:00"))

    def test_a_closure_after_the_due_time_changes_nothing(self) -> None:
        entered = at("2026-11-30T10:00")
        assert first_response_due(closing(SPEC, date(2026, 12, 3)), entered) == at("2026-12-02T10:00")

    def test_a_whole_year_closed(self) -> None:
        cal = dataclasses.replace(PLAIN, closed=(Closure(date(2027, 1, 1), date(2027, 12, 31), "Rebuild"),))
        assert first_response_due(cal, at("2026-12-31T14:00")).isoformat() == "2028-01-04T14:00:00-07:00"
        assert business_seconds_between(cal, at("2026-12-31T14:00"), at("2028-01-04T14:00")) == 16 * HOUR

    def test_only_listed_open_days(self) -> None:
        cal = dataclasses.replace(SPEC, workdays=frozenset(), closed=(),
                                  open_days=(Closure(date(2027, 3, 13), date(2027, 3, 14), "Weekend drive"),))
        assert first_response_due(cal, at("2026-11-30T10:00")).isoformat() == "2027-03-14T15:00:00-06:00"
        with pytest.raises(ConfigError, match="no business day on or after 2027-03-15"):
            first_response_due(cal, at("2027-03-14T10:00"))
        assert business_seconds_between(cal, at("2027-03-14T10:00"), at("2030-01-01T00:00")) == 5 * HOUR


class TestArithmetic:
    def test_between_is_zero_unless_end_is_later(self) -> None:
        assert business_seconds_between(SPEC, at("2026-11-30T10:00"), at("2026-11-30T10:00")) == 0
        assert business_seconds_between(SPEC, at("2026-11-30T12:00"), at("2026-11-30T10:00")) == 0

    def test_between_skips_closed_and_off_time(self) -> None:
        assert business_seconds_between(SPEC, at("2026-11-25T10:00"), at("2026-12-01T10:00")) == 16 * HOUR
        assert business_seconds_between(SPEC, at("2026-11-28T00:00"), at("2026-11-30T06:00")) == 0

    def test_adding_nothing_is_the_start(self) -> None:
        assert add_business_seconds(SPEC, at("2026-11-28T09:00"), 0) == at("2026-11-28T09:00")

    def test_adding_a_negative_amount_is_refused(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            add_business_seconds(SPEC, at("2026-11-30T10:00"), -1)


class TestExplainDue:
    def test_over_thanksgiving(self) -> None:
        assert explain_due(SPEC, at("2026-11-25T10:00")) == [
            "entered Wed 2026-11-25 10:00 -07:00; first response due within 2 business days = "
            "16h00 of working time (07:00-15:00, Mon-Fri, America/Denver)",
            "Wed 2026-11-25  10:00-15:00  5h00 counted",
            "Thu 2026-11-26  skipped: closed (Thanksgiving)",
            "Fri 2026-11-27  skipped: closed (Thanksgiving Friday)",
            "Sat 2026-11-28  skipped: Saturday",
            "Sun 2026-11-29  skipped: Sunday",
            "Mon 2026-11-30  07:00-15:00  8h00 counted",
            "Tue 2026-12-01  07:00-10:00  3h00 counted",
            "due Tue 2026-12-01 10:00 -07:00",
        ]

    def test_open_saturday_and_clock_change(self) -> None:
        assert explain_due(SPEC, at("2027-03-12T10:00"))[1:] == [
            "Fri 2027-03-12  10:00-15:00  5h00 counted",
            "Sat 2027-03-13  07:00-15:00  8h00 counted  (open: Saturday office day)",
            "Sun 2027-03-14  skipped: Sunday",
            "Mon 2027-03-15  07:00-10:00  3h00 counted  (clocks changed: now UTC-06:00)",
            "due Mon 2027-03-15 10:00 -06:00",
        ]

    def test_a_long_closure_is_one_line(self) -> None:
        lines = explain_due(SPEC, at("2026-12-23T14:30:15"))
        assert lines[1:] == [
            "Wed 2026-12-23  14:30:15-15:00  0h29m45s counted",
            "Thu 2026-12-24 to Fri 2027-01-01  skipped: closed (Winter closure), 9 days",
            "Sat 2027-01-02  skipped: Saturday",
            "Sun 2027-01-03  skipped: Sunday",
            "Mon 2027-01-04  07:00-15:00  8h00 counted",
            "Tue 2027-01-05  07:00-14:30:15  7h30m15s counted",
            "due Tue 2027-01-05 14:30:15 -07:00",
        ]

    def test_entered_after_closing(self) -> None:
        lines = explain_due(SPEC, at("2026-11-30T16:20"))
        assert lines[1] == "Mon 2026-11-30  nothing counted: entered at 16:20, at or after closing (15:00)"
        assert lines[-1] == "due Wed 2026-12-02 15:00 -07:00"

    def test_agrees_with_first_response_due(self) -> None:
        entered = at("2026-11-28T09:00")
        due = first_response_due(SPEC, entered)
        assert explain_due(SPEC, entered)[-1] == f"due Tue {due:%Y-%m-%d %H:%M} -07:00"


# ---- properties over random calendars and instants ----

ZONES = ["America/Denver", "UTC", "Europe/London", "Australia/Lord_Howe", "America/St_Johns",
         "America/Santiago", "Asia/Kathmandu"]
START = date(2026, 1, 1)
SPAN_DAYS = 3 * 366
EPOCH_LOW = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
EPOCH_HIGH = int(datetime(2028, 12, 31, tzinfo=UTC).timestamp())


def _run(days: st.SearchStrategy[int]) -> st.SearchStrategy[tuple[date, date]]:
    return st.tuples(st.integers(0, SPAN_DAYS), days).map(
        lambda pair: (START + timedelta(days=pair[0]), START + timedelta(days=pair[0] + pair[1]))
    )


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    opens = draw(st.integers(0, 24 * 60 - 2))
    closes = draw(st.integers(opens + 1, 24 * 60 - 1))
    closed_runs = draw(st.lists(st.one_of(_run(st.integers(0, 4)), _run(st.integers(20, 400))), max_size=6))
    open_runs = draw(st.lists(_run(st.integers(0, 2)), max_size=6))
    # Validation refuses a day both closed and open, so keep only open runs clear of closures.
    open_runs = [o for o in open_runs if all(o[1] < c[0] or o[0] > c[1] for c in closed_runs)]
    data: dict[str, Any] = {
        "timezone": draw(st.sampled_from(ZONES)),
        "workdays": sorted(draw(st.sets(st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
                                        min_size=1))),
        "hours": {"open": _hhmm(opens), "close": _hhmm(closes)},
        "first_response_business_days": draw(st.integers(1, 5)),
        "closed": [{"from": a, "to": b, "reason": "closed"} for a, b in closed_runs],
        "open": [{"from": a.isoformat(), "to": b.isoformat()} for a, b in open_runs],
    }
    return calendar_from_dict(data)


instants = st.builds(
    lambda seconds, micro: datetime.fromtimestamp(seconds, UTC).replace(microsecond=micro),
    st.integers(EPOCH_LOW, EPOCH_HIGH),
    st.integers(0, 999_999),
)

PROPERTY_SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _whole(value: datetime) -> datetime:
    return value.replace(microsecond=0)


def _inside_working_hours(cal: Calendar, instant: datetime) -> bool:
    day = instant.astimezone(cal.tz).date()
    window = cal.window(day)
    if not cal.is_business_day(day) or window is None:
        return False
    if not window[0] < instant.timestamp() <= window[1]:
        return False
    # Where no clock change falls inside the day's hours, also check the wall clock directly.
    # A closing time the clocks skip (01:00 on a spring-forward night) is reached at the
    # instant the window ends, which the wall clock then calls 02:00: the offsets differ.
    opening = datetime.combine(day, cal.opens, tzinfo=cal.tz)
    closing_ = datetime.combine(day, cal.closes, tzinfo=cal.tz)
    if opening.utcoffset() == closing_.utcoffset() == instant.astimezone(cal.tz).utcoffset():
        return cal.opens < instant.astimezone(cal.tz).time() <= cal.closes
    return True


class TestProperties:
    @PROPERTY_SETTINGS
    @given(calendars(), instants)
    @example(  # hypothesis found it: the closing time is one the clocks skip that night
        calendar_from_dict({"timezone": "Europe/London", "workdays": ["mon", "tue", "wed", "thu", "fri", "sun"],
                            "hours": {"open": "00:00", "close": "01:00"}, "first_response_business_days": 5}),
        datetime(2027, 3, 22, 1, 0, tzinfo=UTC),
    )
    def test_due_is_after_entry_in_working_hours_after_exactly_the_allowance(
        self, cal: Calendar, entered: datetime
    ) -> None:
        due = first_response_due(cal, entered)
        assert due.tzinfo is cal.tz and due.microsecond == 0
        assert due > _whole(entered)
        assert _inside_working_hours(cal, due)
        allowance = cal.first_response_business_days * cal.business_day_seconds
        assert business_seconds_between(cal, entered, due) == allowance
        # The earliest such instant: a second earlier (in UTC: wall-clock arithmetic would step
        # into the hour the clocks skip) the allowance is not yet used up.
        assert business_seconds_between(cal, entered, due.astimezone(UTC) - timedelta(seconds=1)) == allowance - 1

    @PROPERTY_SETTINGS
    @given(calendars(), instants, st.data())
    def test_closing_a_day_never_makes_a_due_time_earlier(
        self, cal: Calendar, entered: datetime, data: st.DataObject
    ) -> None:
        due = first_response_due(cal, entered)
        first = entered.astimezone(cal.tz).date()
        span = (due.date() - first).days
        day = first + timedelta(days=data.draw(st.integers(0, span + 1)))
        later = first_response_due(closing(cal, day), entered)
        assert later >= due
        window = cal.window(day)
        if first < day < due.date() and window is not None and window[1] > window[0]:
            assert later > due  # a whole counted day is gone

    @PROPERTY_SETTINGS
    @given(calendars(), instants, instants, st.integers(0, 5000), st.integers(0, 5000))
    def test_add_is_monotonic_and_inverse_to_between(
        self, cal: Calendar, one: datetime, two: datetime, x: int, y: int
    ) -> None:
        # Amounts up to five business days, whatever the length of this calendar's day.
        early, late = sorted((_whole(one), _whole(two)))
        small, big = sorted(k * cal.business_day_seconds // 1000 for k in (x, y))
        assert add_business_seconds(cal, early, small) <= add_business_seconds(cal, late, small)
        assert add_business_seconds(cal, early, small) <= add_business_seconds(cal, early, big)
        assert business_seconds_between(cal, early, add_business_seconds(cal, early, big)) == big

    @PROPERTY_SETTINGS
    @given(calendars(), instants, instants, instants)
    def test_between_adds_up(self, cal: Calendar, one: datetime, two: datetime, three: datetime) -> None:
        a, b, c = sorted(_whole(v) for v in (one, two, three))
        total = business_seconds_between(cal, a, c)
        assert total == business_seconds_between(cal, a, b) + business_seconds_between(cal, b, c)
        assert 0 <= total <= int((c - a).total_seconds())

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(calendars(), instants)
    def test_explanation_ends_at_the_due_time_and_counts_the_allowance(
        self, cal: Calendar, entered: datetime
    ) -> None:
        lines = explain_due(cal, entered)
        due = first_response_due(cal, entered)
        assert lines[-1].startswith(f"due {due:%a %Y-%m-%d %H:%M}")
        counted = 0
        for line in lines[1:-1]:
            match = re.search(r"  (\d+)h(\d\d)(?:m(\d\d)s)? counted", line)
            if match:
                counted += int(match[1]) * HOUR + int(match[2]) * 60 + int(match[3] or 0)
            else:
                assert "skipped: " in line or "nothing counted" in line, line
        assert counted == cal.first_response_business_days * cal.business_day_seconds
