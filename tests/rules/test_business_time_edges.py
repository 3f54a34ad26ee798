"""Business time at the edges of the clock: hours that a change of the clocks cuts into, in any zone,
checked against a brute-force count of instants (docs/procedure.md's definition of working time, read literally)."""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pcsdesk.errors import InvalidInput
from pcsdesk.rules.business_time import (
    add_business_seconds,
    business_seconds_between,
    explain_due,
    first_response_due,
)
from pcsdesk.rules.calendar import Calendar, calendar_from_dict
from pcsdesk.rules.clock import parse_instant

DENVER = ZoneInfo("America/Denver")
MINUTE = 60
EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
LOW, HIGH = datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 12, 31, tzinfo=UTC)


def calendar(zone: str, opens: str, closes: str, days: int = 1, workdays: list[str] | None = None) -> Calendar:
    return calendar_from_dict({
        "timezone": zone, "workdays": workdays or EVERY_DAY, "hours": {"open": opens, "close": closes},
        "first_response_business_days": days,
    })


def brute_force_seconds(cal: Calendar, start: datetime, end: datetime) -> int:
    """Working seconds in [start, end), minute by minute: every instant whose local reading lies
    within the hours of an open day. Exact when start, end, the hours and the zone's changes of
    offset are all on whole minutes, as they are in every zone since 1970."""
    total = 0
    instant = int(start.timestamp())
    stop = int(end.timestamp())
    while instant < stop:
        local = datetime.fromtimestamp(instant, cal.tz)
        if cal.is_business_day(local.date()) and cal.opens <= local.time() < cal.closes:
            total += MINUTE
        instant += MINUTE
    return total


@functools.cache
def changes_of(zone: str) -> list[int]:
    """Roughly when `zone` changes its offset between LOW and HIGH (to the hour)."""
    tz = ZoneInfo(zone)
    found = []
    instant, stop = int(LOW.timestamp()), int(HIGH.timestamp())
    previous = datetime.fromtimestamp(instant, tz).utcoffset()
    while instant < stop:
        instant += 3600
        offset = datetime.fromtimestamp(instant, tz).utcoffset()
        if offset != previous:
            found.append(instant)
            previous = offset
    return found


ALL_ZONES = sorted(z for z in zoneinfo.available_timezones() if not z.startswith(("posix/", "right/")))


@st.composite
def edge_cases(draw: st.DrawFn) -> tuple[Calendar, datetime]:
    """Any zone, any hours, any workdays, and an instant near one of the zone's changes of clock."""
    zone = draw(st.sampled_from(ALL_ZONES))
    opens = draw(st.integers(0, 24 * 60 - 2))
    closes = draw(st.integers(opens + 1, 24 * 60 - 1))
    workdays = sorted(draw(st.sets(st.sampled_from(EVERY_DAY), min_size=1)))
    cal = calendar(zone, f"{opens // 60:02d}:{opens % 60:02d}", f"{closes // 60:02d}:{closes % 60:02d}",
                   draw(st.integers(1, 2)), workdays)
    changes = changes_of(zone)
    if changes:
        around = draw(st.sampled_from(changes)) + draw(st.integers(-2 * 86400, 86400)) // MINUTE * MINUTE
    else:
        around = draw(st.integers(int(LOW.timestamp()) // MINUTE, int(HIGH.timestamp()) // MINUTE)) * MINUTE
    return cal, datetime.fromtimestamp(around, UTC)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestAgainstBruteForce:
    @SETTINGS
    @given(edge_cases(), st.integers(0, 3 * 86400 // MINUTE))
    @example((calendar("America/Denver", "01:15", "02:30"), datetime(2027, 3, 14, 7, 0, tzinfo=UTC)), 2000)
    @example((calendar("America/Denver", "01:30", "03:00"), datetime(2026, 11, 1, 6, 0, tzinfo=UTC)), 500)
    @example((calendar("Pacific/Apia", "07:00", "15:00"), datetime(2011, 12, 29, 0, 0, tzinfo=UTC)), 4000)
    def test_business_seconds_between_counts_exactly_the_working_instants(
        self, case: tuple[Calendar, datetime], minutes: int
    ) -> None:
        cal, start = case
        end = start + timedelta(minutes=minutes)
        assert business_seconds_between(cal, start, end) == brute_force_seconds(cal, start, end)

    @SETTINGS
    @given(edge_cases(), st.integers(1, 16 * 60))
    @example((calendar("America/Denver", "01:15", "02:30"), datetime(2027, 3, 14, 7, 0, tzinfo=UTC)), 75)
    # Due at 02:02 in the hour the clock repeats, its second time (fold=1): a minute before
    # is 01:01 UTC, but wall-clock arithmetic on the local time (fold reset to 0) read it as
    # 00:01 UTC, before the start, so the test failed where the rule was right.
    @example((calendar("Europe/Monaco", "00:00", "02:02", 1, ["sun"]), datetime(2026, 10, 25, 1, 0, tzinfo=UTC)), 2)
    def test_adding_business_time_lands_on_the_first_instant_it_is_used_up(
        self, case: tuple[Calendar, datetime], minutes: int
    ) -> None:
        cal, start = case
        amount = minutes * MINUTE
        due = add_business_seconds(cal, start, amount)
        assert brute_force_seconds(cal, start, due) == amount
        assert brute_force_seconds(cal, start, due.astimezone(UTC) - timedelta(minutes=1)) == amount - MINUTE


class TestHoursInsideAClockChange:
    def test_a_closing_time_the_clock_skips_ends_the_day_at_the_change(self) -> None:
        # 01:15-02:30 on the night DST begins: the clock reads 01:15..01:59, then 03:00.
        cal = calendar("America/Denver", "01:15", "02:30")
        due = first_response_due(cal, datetime(2027, 3, 14, 1, 0, tzinfo=DENVER))
        # 45 minutes on Sunday (to the change), the other 30 on Monday.
        assert due.isoformat() == "2027-03-15T01:45:00-06:00"

    def test_an_opening_time_the_clock_skips_starts_the_day_at_the_change(self) -> None:
        cal = calendar("America/Denver", "02:15", "04:00")
        due = first_response_due(cal, datetime(2027, 3, 14, 0, 0, tzinfo=DENVER))
        # Sunday counts 03:00-04:00 (an hour); the remaining 45 minutes on Monday from 02:15.
        assert due.isoformat() == "2027-03-15T03:00:00-06:00"

    def test_a_repeated_hour_counts_each_time_it_is_within_hours(self) -> None:
        cal = calendar("America/Denver", "01:15", "01:45")
        start = datetime(2026, 11, 1, 0, 0, tzinfo=DENVER)
        assert business_seconds_between(cal, start, start + timedelta(hours=6)) == 3600

    def test_the_explanation_names_the_offset_the_clock_shows(self) -> None:
        cal = calendar("America/Denver", "01:15", "02:30")
        lines = explain_due(cal, datetime(2027, 3, 14, 1, 0, tzinfo=DENVER))
        assert lines[1] == "Sun 2027-03-14  01:15-03:00  0h45 counted  (clocks changed during working hours: now UTC-06:00)"
        assert lines[2] == "Mon 2027-03-15  01:15-01:45  0h30 counted"
        assert lines[-1] == "due Mon 2027-03-15 01:45 -06:00"

    def test_clocks_changed_overnight_is_named_once_with_the_new_offset(self) -> None:
        cal = calendar("America/Denver", "07:00", "15:00", days=2)
        lines = explain_due(cal, datetime(2027, 3, 13, 10, 0, tzinfo=DENVER))
        assert lines[2] == "Sun 2027-03-14  07:00-15:00  8h00 counted  (clocks changed: now UTC-06:00)"
        assert "clocks changed" not in lines[3]


class TestSkippedAndRepeatedTimes:
    def test_a_skipped_local_time_is_refused(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            parse_instant("2027-03-14T02:30", DENVER, "$PCSDESK_NOW")
        assert str(refused.value) == (
            "$PCSDESK_NOW '2027-03-14T02:30' names a time the clock skips in America/Denver (the clocks "
            "jumped from 02:00 to 03:00); give a time that exists, e.g. 2027-03-14T03:00, or one with "
            "its UTC offset"
        )

    def test_a_skipped_time_with_an_offset_is_an_instant(self) -> None:
        assert parse_instant("2027-03-14T02:30-07:00", DENVER).isoformat() == "2027-03-14T03:30:00-06:00"

    def test_a_repeated_time_means_its_first_occurrence(self) -> None:
        assert parse_instant("2026-11-01T01:30", DENVER).isoformat() == "2026-11-01T01:30:00-06:00"

    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(ALL_ZONES), st.datetimes(datetime(1990, 1, 1), datetime(2035, 1, 1)))
    def test_any_local_time_is_refused_exactly_when_no_instant_reads_so(self, zone: str, wall: datetime) -> None:
        tz = ZoneInfo(zone)
        wall = wall.replace(microsecond=0)
        readings = {(wall.replace(tzinfo=tz, fold=f).astimezone(UTC)).astimezone(tz).replace(tzinfo=None)
                    for f in (0, 1)}
        try:
            parsed: Any = parse_instant(wall.isoformat(), tz)
        except InvalidInput:
            assert wall not in readings
        else:
            assert wall in readings and parsed.replace(tzinfo=None) == wall
            earlier = min(wall.replace(tzinfo=tz, fold=f).astimezone(UTC) for f in (0, 1)
                          if wall.replace(tzinfo=tz, fold=f).astimezone(UTC).astimezone(tz).replace(tzinfo=None) == wall)
            assert parsed.astimezone(UTC) == earlier


def test_the_command_line_refuses_a_skipped_pcsdesk_now(invoke: Any) -> None:
    result = invoke(["list"], ok=False, now="2027-03-14T02:30")
    assert result.stderr.startswith("Error: $PCSDESK_NOW '2027-03-14T02:30' names a time the clock skips")
    result = invoke(["overdue", "--as-of", "2027-03-14T02:30"], ok=False)
    assert result.stderr.startswith("Error: --as-of '2027-03-14T02:30' names a time the clock skips")

