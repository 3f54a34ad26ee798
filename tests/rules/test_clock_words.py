"""A time in words, the one way every page, message and terminal says it: "by Wed Dec 2, 10:00"."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pcsdesk.rules.clock import due_in_words, in_words

DENVER = ZoneInfo("America/Denver")


class TestInWords:
    def test_district_time_day_month_date_and_minute(self) -> None:
        value = datetime(2026, 12, 2, 17, 0, tzinfo=ZoneInfo("UTC"))
        assert in_words(value, DENVER) == "Wed Dec 2, 10:00"
        assert due_in_words(value, DENVER) == "by Wed Dec 2, 10:00"

    def test_the_year_is_said_only_when_it_is_not_this_years(self) -> None:
        due = datetime(2027, 1, 4, 10, 0, tzinfo=DENVER)
        assert in_words(due, DENVER, now=datetime(2027, 1, 2, tzinfo=DENVER)) == "Mon Jan 4, 10:00"
        assert due_in_words(due, DENVER, now=datetime(2026, 12, 18, 9, 0, tzinfo=DENVER)) == (
            "by Mon Jan 4 2027, 10:00")

    def test_the_year_follows_district_time_not_utc(self) -> None:
        # 17:30 on Dec 31 in Denver is already next year in UTC: still "this year" here.
        now = datetime(2026, 12, 31, 17, 30, tzinfo=DENVER)
        assert in_words(now, DENVER, now=now) == "Thu Dec 31, 17:30"


class TestOneWayToSayIt:
    def test_only_the_rules_say_a_time_in_words(self) -> None:
        """Web, CLI and mail all call rules.clock.in_words: no second copy to drift apart."""
        from pathlib import Path

        import pcsdesk

        package = Path(pcsdesk.__file__).parent
        writers = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                         if "%a %b" in path.read_text())
        assert writers == ["rules/clock.py"]
