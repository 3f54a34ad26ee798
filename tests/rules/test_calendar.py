"""calendar.yaml's data into a Calendar: which days count, and every mistake named with its place."""

from __future__ import annotations

import copy
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import SPEC_CALENDAR_YAML

from pcsdesk.errors import ConfigError
from pcsdesk.rules.calendar import DEFAULT_CALENDAR_FILE, Calendar, Closure, calendar_from_dict

SPEC_YAML = SPEC_CALENDAR_YAML

REPO_CALENDAR = Path(__file__).resolve().parents[2] / DEFAULT_CALENDAR_FILE


def spec_data() -> dict[str, Any]:
    data = yaml.safe_load(SPEC_YAML)
    assert isinstance(data, dict)
    return data


def rejection(data: object) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        calendar_from_dict(data)
    return caught.value


class TestReadsTheSpecExample:
    def test_fields(self) -> None:
        cal = calendar_from_dict(spec_data())
        assert cal.timezone == "America/Denver"
        assert cal.tz.key == "America/Denver"
        assert cal.workdays == frozenset({0, 1, 2, 3, 4})
        assert (cal.opens, cal.closes) == (time(7), time(15))
        assert cal.first_response_business_days == 2
        assert cal.business_day_seconds == 8 * 3600
        assert cal.closed == (
            Closure(date(2026, 11, 26), date(2026, 11, 26), "Thanksgiving"),
            Closure(date(2026, 11, 27), date(2026, 11, 27), "Thanksgiving Friday"),
            Closure(date(2026, 12, 24), date(2027, 1, 1), "Winter closure"),
        )
        assert cal.open_days == (Closure(date(2027, 3, 13), date(2027, 3, 13), "Saturday office day"),)
        assert cal.summer == (date(2027, 6, 5), date(2027, 8, 15))

    def test_dates_written_as_text_read_the_same(self) -> None:
        data = spec_data()
        data["closed"] = [{k: str(v) for k, v in entry.items()} for entry in data["closed"]]
        data["open"] = [{"date": "2027-03-13", "reason": "Saturday office day"}]
        data["summer"] = {"from": "2027-06-05", "to": "2027-08-15"}
        assert calendar_from_dict(data) == calendar_from_dict(spec_data())

    @pytest.mark.parametrize(
        ("day", "status"),
        [
            (date(2026, 11, 26), (False, "Thanksgiving")),
            (date(2026, 11, 28), (False, "Saturday")),
            (date(2026, 11, 29), (False, "Sunday")),
            (date(2026, 11, 30), (True, "workday")),
            (date(2026, 12, 26), (False, "Winter closure")),
            (date(2027, 1, 1), (False, "Winter closure")),
            (date(2027, 1, 4), (True, "workday")),
            (date(2027, 3, 13), (True, "open: Saturday office day")),
            (date(2027, 7, 1), (True, "workday")),  # summer still counts
        ],
    )
    def test_day_status(self, day: date, status: tuple[bool, str]) -> None:
        cal = calendar_from_dict(spec_data())
        assert cal.day_status(day) == status
        assert cal.is_business_day(day) is status[0]

    def test_optional_parts_may_be_left_out_or_empty(self) -> None:
        data = spec_data()
        del data["summer"], data["open"]
        data["closed"] = None
        cal = calendar_from_dict(data)
        assert (cal.closed, cal.open_days, cal.summer) == ((), (), None)

    def test_a_reason_is_optional(self) -> None:
        data = spec_data()
        data["closed"] = [{"date": date(2027, 2, 3)}]
        cal = calendar_from_dict(data)
        assert cal.closed[0].reason == ""
        assert cal.day_status(date(2027, 2, 3)) == (False, "closed")

    def test_weekday_names_may_be_full_and_capitalised(self) -> None:
        data = spec_data()
        data["workdays"] = ["Monday", "TUE", "sat"]
        assert calendar_from_dict(data).workdays == frozenset({0, 1, 5})

    def test_describe_hours(self) -> None:
        assert calendar_from_dict(spec_data()).describe_hours() == "07:00-15:00, Mon-Fri"
        data = spec_data()
        data["workdays"] = ["mon", "tue", "thu", "fri", "sat"]
        assert calendar_from_dict(data).describe_hours() == "07:00-15:00, Mon, Tue, Thu-Sat"

    def test_is_hashable_and_compares_by_content(self) -> None:
        one, two = calendar_from_dict(spec_data()), calendar_from_dict(spec_data())
        one.window(date(2026, 11, 30))  # a filled cache must not change equality
        assert one == two
        assert hash(one) == hash(two)


class TestFindsBusinessDays:
    def test_jumps_a_closure(self) -> None:
        cal = calendar_from_dict(spec_data())
        assert cal.next_business_day(date(2026, 12, 23)) == date(2026, 12, 23)
        assert cal.next_business_day(date(2026, 12, 24)) == date(2027, 1, 4)
        assert cal.next_business_day_until(date(2026, 12, 24), date(2027, 1, 3)) is None

    def test_whole_year_closed(self) -> None:
        data = spec_data()
        data["closed"] = [{"from": date(2027, 1, 1), "to": date(2027, 12, 31), "reason": "Rebuild"}]
        data["open"] = []
        cal = calendar_from_dict(data)
        assert cal.next_business_day(date(2027, 1, 1)) == date(2028, 1, 3)

    def test_only_listed_open_days(self) -> None:
        data = spec_data()
        data["workdays"] = []
        cal = calendar_from_dict(data)
        assert cal.next_business_day(date(2026, 1, 1)) == date(2027, 3, 13)
        with pytest.raises(ConfigError, match="no business day on or after 2027-03-14") as caught:
            cal.next_business_day(date(2027, 3, 14))
        assert caught.value.where == ("workdays",)

    def test_closure_to_the_end_of_time(self) -> None:
        data = spec_data()
        data["closed"] = [{"from": date(2030, 1, 1), "to": date.max}]
        cal = calendar_from_dict(data)
        assert cal.next_business_day_until(date(2030, 1, 1), date.max) is None
        with pytest.raises(ConfigError, match="no business day"):
            cal.next_business_day(date(2030, 1, 1))

    def test_overlapping_closures_first_listed_names_the_day(self) -> None:
        data = spec_data()
        data["closed"].append({"date": date(2026, 12, 25), "reason": "Christmas"})
        data["closed"].insert(0, {"date": date(2027, 1, 1), "reason": "New Year's Day"})
        cal = calendar_from_dict(data)
        assert cal.day_status(date(2026, 12, 25)) == (False, "Winter closure")
        assert cal.day_status(date(2027, 1, 1)) == (False, "New Year's Day")
        assert cal.day_status(date(2026, 12, 31)) == (False, "Winter closure")
        assert cal.closed_run(date(2026, 12, 24)) == (date(2026, 12, 31), "Winter closure")

    def test_a_direct_calendar_lets_closed_win(self) -> None:
        # calendar_from_dict refuses the overlap; a Calendar built in code resolves it safely.
        cal = calendar_from_dict(spec_data())
        closed = Calendar(**{**_fields(cal), "closed": (Closure(date(2027, 3, 13), date(2027, 3, 13)),)})
        assert closed.day_status(date(2027, 3, 13)) == (False, "closed")


def _fields(cal: Calendar) -> dict[str, Any]:
    return {
        "timezone": cal.timezone, "tz": cal.tz, "workdays": cal.workdays, "opens": cal.opens,
        "closes": cal.closes, "first_response_business_days": cal.first_response_business_days,
        "closed": cal.closed, "open_days": cal.open_days, "summer": cal.summer,
    }


def _with(path: tuple[Any, ...], value: Any, drop: bool = False) -> dict[str, Any]:
    data = copy.deepcopy(spec_data())
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    if drop:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


REJECTIONS: list[tuple[str, dict[str, Any], tuple[object, ...], list[str]]] = [
    ("unknown top-level key", _with(("holidays",), []), ("holidays",),
     ["unknown key 'holidays'",
      "timezone, workdays, hours, first_response_business_days, closed, open, summer"]),
    ("missing timezone", _with(("timezone",), None, drop=True), ("timezone",),
     ["timezone is missing", "America/Denver"]),
    ("unknown time zone", _with(("timezone",), "America/Denvr"), ("timezone",),
     ["unknown time zone 'America/Denvr'", "zoneinfo found no such zone", "IANA"]),
    ("a path for a time zone", _with(("timezone",), "/etc/passwd"), ("timezone",),
     ["not a time zone name"]),
    ("time zone not text", _with(("timezone",), 7), ("timezone",), ["time zone name"]),
    ("workdays not a list", _with(("workdays",), "mon-fri"), ("workdays",),
     ["list of weekdays", "[mon, tue, wed, thu, fri]"]),
    ("unknown weekday", _with(("workdays",), ["mon", "funday"]), ("workdays", 1),
     ["'funday' is not a weekday", "mon, tue"]),
    ("no business days", _with(("open",), [], drop=False) | {"workdays": []}, ("workdays",),
     ["no business days", "[mon, tue, wed, thu, fri]"]),
    ("hours not a mapping", _with(("hours",), "7-3"), ("hours",), ["hours must be a mapping"]),
    ("hours extra key", _with(("hours", "lunch"), "12:00"), ("hours", "lunch"),
     ["unknown key 'lunch' in hours"]),
    ("hours missing close", _with(("hours", "close"), None, drop=True), ("hours", "close"),
     ["hours needs close"]),
    ("unquoted time", _with(("hours", "close"), 900), ("hours", "close"),
     ["in quotes", "number 900"]),
    ("hour out of range", _with(("hours", "close"), "25:00"), ("hours", "close"),
     ["'25:00' is not a time of day", "HH:MM"]),
    ("not a time", _with(("hours", "open"), "7am"), ("hours", "open"), ["'7am' is not a time of day"]),
    ("closes before opening", _with(("hours",), {"open": "15:00", "close": "07:00"}), ("hours", "close"),
     ["opens at 15:00 but closes at 07:00", "later"]),
    ("closes at opening", _with(("hours",), {"open": "07:00", "close": "07:00"}), ("hours", "close"),
     ["closes at 07:00"]),
    ("allowance zero", _with(("first_response_business_days",), 0), ("first_response_business_days",),
     ["1 or more", "not int 0"]),
    ("allowance text", _with(("first_response_business_days",), "two"), ("first_response_business_days",),
     ["whole number"]),
    ("allowance fraction", _with(("first_response_business_days",), 1.5), ("first_response_business_days",),
     ["whole number"]),
    ("allowance boolean", _with(("first_response_business_days",), True), ("first_response_business_days",),
     ["whole number"]),
    ("closed not a list", _with(("closed",), {"date": "2026-11-26"}), ("closed",),
     ["closed must be a list", "{date: 2027-02-03, reason: Snow day}"]),
    ("closed entry not a mapping", _with(("closed", 1), "2026-11-27"), ("closed", 1),
     ["each entry must look like"]),
    ("bad date", _with(("closed", 0, "date"), "2026-13-01"), ("closed", 0, "date"),
     ["'2026-13-01' is not a date", "YYYY-MM-DD"]),
    ("date with a time", _with(("closed", 0, "date"), datetime(2026, 11, 26, 8)), ("closed", 0, "date"),
     ["has a time of day"]),
    ("from after to", _with(("closed", 2), {"from": date(2027, 1, 1), "to": date(2026, 12, 24)}),
     ("closed", 2, "to"), ["from 2027-01-01 is after to 2026-12-24", "swap"]),
    ("date and from", _with(("closed", 0, "from"), date(2026, 11, 25)), ("closed", 0, "date"),
     ["either date", "not both"]),
    ("from without to", _with(("closed", 2, "to"), None, drop=True), ("closed", 2), ["no to"]),
    ("no date at all", _with(("closed", 0, "date"), None, drop=True), ("closed", 0), ["no date"]),
    ("unknown entry key", _with(("closed", 0, "day"), "thu"), ("closed", 0, "day"),
     ["unknown key 'day'", "reason"]),
    ("reason not text", _with(("closed", 0, "reason"), ["a", "b"]), ("closed", 0, "reason"),
     ["reason must be plain text"]),
    ("both closed and open", _with(("open", 0, "date"), date(2026, 11, 26)), ("open", 0, "date"),
     ["2026-11-26 is both closed (Thanksgiving, 2026-11-26) and open", "remove it from one list"]),
    ("open run overlapping a closure",
     _with(("open", 0), {"from": date(2026, 12, 19), "to": date(2026, 12, 26)}), ("open", 0, "from"),
     ["2026-12-24 to 2026-12-26 are both closed (Winter closure, 2026-12-24 to 2027-01-01) and open",
      "remove them from one list"]),
    ("summer from after to", _with(("summer", "to"), date(2027, 6, 1)), ("summer", "to"), ["swap"]),
    ("summer without to", _with(("summer", "to"), None, drop=True), ("summer",), ["summer has no to"]),
    ("summer extra key", _with(("summer", "reason"), "x"), ("summer", "reason"), ["unknown key 'reason'"]),
]


class TestRejectsMistakes:
    @pytest.mark.parametrize(
        ("data", "where", "words"), [pytest.param(d, w, m, id=name) for name, d, w, m in REJECTIONS]
    )
    def test_names_the_place_and_the_fix(self, data: dict[str, Any], where: tuple[object, ...],
                                         words: list[str]) -> None:
        error = rejection(data)
        assert error.where == where
        for word in words:
            assert word in error.problem

    @pytest.mark.parametrize("data", [None, [], "timezone: America/Denver"])
    def test_not_a_mapping(self, data: object) -> None:
        error = rejection(data)
        assert error.where == ()
        assert "must be a mapping with the keys timezone" in error.problem

    def test_the_message_carries_the_key_path(self) -> None:
        error = rejection(_with(("closed", 0, "date"), "someday"))
        assert str(error) == (
            "configuration (closed.0.date): 'someday' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-26"
        )

    def test_a_workday_list_may_be_empty_when_open_days_are_listed(self) -> None:
        cal = calendar_from_dict(_with(("workdays",), []))
        assert cal.workdays == frozenset()
        assert cal.is_business_day(date(2027, 3, 13))


class TestTheDistrictCalendar:
    """The repository's own calendar.yaml: readable, and true to the examples of docs/reference.md."""

    @pytest.fixture(scope="class")
    @classmethod
    def cal(cls) -> Calendar:
        return calendar_from_dict(yaml.safe_load(REPO_CALENDAR.read_text(encoding="utf-8")))

    def test_basics(self, cal: Calendar) -> None:
        assert cal.timezone == "America/Denver"
        assert cal.workdays == frozenset(range(5))
        assert (cal.opens, cal.closes, cal.first_response_business_days) == (time(7), time(15), 2)
        assert cal.summer == (date(2027, 6, 5), date(2027, 8, 15))

    def test_has_the_spec_closures(self, cal: Calendar) -> None:
        for entry in calendar_from_dict(spec_data()).closed:
            assert entry in cal.closed

    @pytest.mark.parametrize(
        "day",
        ["2026-09-07", "2026-11-26", "2026-11-27", "2026-12-24", "2026-12-25", "2027-01-01",
         "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-07-05", "2027-07-23"],
    )
    def test_holidays_are_closed(self, cal: Calendar, day: str) -> None:
        assert not cal.is_business_day(date.fromisoformat(day))

    def test_every_listed_closure_falls_on_a_workday(self, cal: Calendar) -> None:
        # An observed holiday listed on a weekend would be a wrong date, not a closure.
        for entry in cal.closed:
            assert entry.first.weekday() < 5, entry
            assert entry.last.weekday() < 5, entry

    def test_the_school_year_has_the_usual_number_of_business_days(self, cal: Calendar) -> None:
        day, count = date(2026, 7, 1), 0
        while day <= date(2027, 6, 30):
            count += cal.is_business_day(day)
            day += timedelta(days=1)
        assert 240 <= count <= 250
