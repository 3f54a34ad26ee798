"""A calendar near its end: `new` refuses before committing; `check` and `overdue` warn in time."""

from __future__ import annotations

from pathlib import Path

from support import CALENDAR_SETTINGS, Invoker, git

NO_DAY_AHEAD = CALENDAR_SETTINGS + """\
closed:
  - {from: 2026-12-01, to: 9999-12-31, reason: Closed for good}
"""

WARNING = (
    "Warning: calendar.yaml lists no closures after 2027-07-23, less than 60 days from {today}: "
    "add the coming holidays under closed:, or due times after that will count them as business days\n"
)


def commit_calendar(store: Path, text: str) -> None:
    (store / "calendar.yaml").write_text(text)
    git(store, "commit", "-q", "-am", "calendar")


class TestNoBusinessDayAhead:
    def test_new_json_writes_nothing_and_says_why(self, invoke: Invoker, store: Path) -> None:
        commit_calendar(store, NO_DAY_AHEAD)
        before = git(store, "rev-parse", "HEAD")
        for extra in ([], ["--json"]):
            result = invoke(["new", "--building", "PCHS", "--summary", "x", *extra], ok=False)
            assert result.exit_code == 1
            assert result.stderr.startswith("Error: calendar.yaml")
            assert "no business day on or after 2026-12-01" in result.stderr
            assert "unexpected" not in result.stderr
        assert git(store, "rev-parse", "HEAD") == before
        assert git(store, "status", "--porcelain", "--untracked-files=all") == ""


class TestClosuresRunningOut:
    def test_overdue_warns_at_the_top_on_stderr(self, invoke: Invoker) -> None:
        # Nothing to report: nothing at all, stderr included, so cron mails nothing (docs/overdue-and-report.md).
        assert invoke(["overdue", "--as-of", "2027-06-01T08:00"]).stderr == ""
        late = invoke.new()
        result = invoke(["overdue", "--as-of", "2027-06-01T08:00"])
        assert late in result.stdout and result.stderr == WARNING.format(today="2027-06-01")

    def test_check_warns_but_passes(self, invoke: Invoker) -> None:
        result = invoke(["check"], now="2027-06-01T08:00")
        assert result.stderr.startswith(WARNING.format(today="2027-06-01"))
        assert result.exit_code == 0

    def test_no_warning_with_more_than_60_days_listed(self, invoke: Invoker) -> None:
        invoke.new()   # overdue by then: a warning is printed only beside a report
        assert invoke(["overdue", "--as-of", "2027-05-24T08:00"]).stderr == ""
        assert invoke(["overdue", "--as-of", "2027-05-25T08:00"]).stderr == WARNING.format(today="2027-05-25")

    def test_a_calendar_with_no_closures_at_all(self, invoke: Invoker, store: Path) -> None:
        commit_calendar(store, NO_DAY_AHEAD.split("closed:")[0])
        invoke.new(now="2026-11-02T08:00")
        result = invoke(["overdue"], now="2026-11-30T08:00")
        assert result.stderr.startswith("Warning: calendar.yaml lists no closures at all, less than 60 days")
