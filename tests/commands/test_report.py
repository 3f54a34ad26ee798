"""`report`: the promise kept per building and per assignee, as a table, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from support import ETS, TEACHER, TECH, Invoker

NOW = "2026-12-03T12:00"
PERIOD = ["--from", "2026-11-01", "--to", "2026-12-31"]


@pytest.fixture
def desk(invoke: Invoker) -> Invoker:
    """Five tickets in the period with known answers, one before it.

    PCHS: P1 answered in 2 business hours (on time), P2 answered by the tech in 24 (late,
    and now held by the tech), P3 waiting but not yet due. TMJH: T1 waiting and overdue,
    T2 closed by its requester before anyone answered.
    """
    p1 = invoke.new(as_user=TEACHER, now="2026-11-30T10:00")
    invoke(["note", p1, "-m", "Coming by at noon"], now="2026-11-30T12:00")
    p2 = invoke.new(as_user=TEACHER, now="2026-11-30T10:00")
    invoke(["assign", p2, "--to", TECH, "-m", "Mine"], as_user=TECH, now="2026-12-03T10:00")
    invoke.new(as_user=TEACHER, now="2026-12-02T09:00")
    invoke.new("--building", "TMJH", as_user=TEACHER, now="2026-11-30T11:00")
    t2 = invoke.new("--building", "TMJH", as_user=TEACHER, now="2026-12-01T09:00")
    invoke(["close", t2, "-m", "Never mind, it works"], as_user=TEACHER, now="2026-12-01T09:30")
    invoke.new(as_user=TEACHER, now="2026-10-15T10:00")
    return invoke


def report(invoke: Invoker, *args: str, ok: bool | None = True) -> Any:
    return invoke(["report", *args], now=NOW, ok=ok)


def counts(entered: int, on_time: int, late: int, waiting: int, overdue: int, closed: int,
           median: float | None, kept: float | None) -> dict[str, Any]:
    return {"entered": entered, "on_time": on_time, "late": late, "waiting": waiting,
            "overdue": overdue, "closed_unanswered": closed, "median_business_hours": median,
            "kept_percent": kept}


class TestCounts:
    def test_json_shape_and_known_answers(self, desk: Invoker) -> None:
        data = json.loads(report(desk, *PERIOD, "--json").stdout)
        assert data == {
            "from": "2026-11-01",
            "to": "2026-12-31",
            "as_of": "2026-12-03T12:00:00-07:00",
            "total": counts(5, 1, 1, 2, 1, 1, 13.0, 33.3),
            "buildings": [
                {"building": "PCHS", **counts(3, 1, 1, 1, 0, 0, 13.0, 50.0)},
                {"building": "TMJH", **counts(2, 0, 0, 1, 1, 1, None, 0.0)},
            ],
            "assignees": [
                {"assignee": ETS, **counts(2, 1, 0, 1, 0, 0, 2.0, 100.0)},
                {"assignee": "ets.tmjh@pcschools.us", **counts(2, 0, 0, 1, 1, 1, None, 0.0)},
                {"assignee": TECH, **counts(1, 0, 1, 0, 0, 0, 24.0, 0.0)},
            ],
        }

    def test_csv_header_and_rows(self, desk: Invoker) -> None:
        out = report(desk, *PERIOD, "--csv").stdout
        assert out.splitlines() == [
            "group,key,entered,on_time,late,waiting,overdue,closed_unanswered,"
            "median_business_hours,kept_percent",
            "building,PCHS,3,1,1,1,0,0,13.0,50.0",
            "building,TMJH,2,0,0,1,1,1,,0.0",
            "assignee,ets.pchs@pcschools.us,2,1,0,1,0,0,2.0,100.0",
            "assignee,ets.tmjh@pcschools.us,2,0,0,1,1,1,,0.0",
            "assignee,tech.pchs@pcschools.us,1,0,1,0,0,0,24.0,0.0",
            "total,all,5,1,1,2,1,1,13.0,33.3",
        ]
        rows = list(csv.DictReader(io.StringIO(out)))
        assert sum(int(r["entered"]) for r in rows if r["group"] == "building") == 5

    def test_the_table(self, desk: Invoker) -> None:
        out = report(desk, *PERIOD).stdout
        assert out == TABLE
        assert max(len(line) for line in out.splitlines()) <= 80

    def test_wide_names_assignees_in_full(self, desk: Invoker) -> None:
        assert WIDE_ASSIGNEES in report(desk, *PERIOD, "--wide").stdout


# 80 columns: short headers, numbers right-aligned, assignees without the district's domain.
TABLE = """\
Tickets entered 2026-11-01 to 2026-12-31: first responses as of Thu 12-03 12:00
(the promise: 2 business days; median: business hours to the first)

building  entered  on time  late  waiting  overdue  unanswered  median  kept %
--------  -------  -------  ----  -------  -------  ----------  ------  ------
PCHS            3        1     1        1        0           0    13.0    50.0
TMJH            2        0     0        1        1           1       -     0.0
all             5        1     1        2        1           1    13.0    33.3

assignee   entered  on time  late  waiting  overdue  unanswered  median  kept %
---------  -------  -------  ----  -------  -------  ----------  ------  ------
ets.pchs         2        1     0        1        0           0     2.0   100.0
ets.tmjh         2        0     0        1        1           1       -     0.0
tech.pchs        1        0     1        0        0           0    24.0     0.0
all              5        1     1        2        1           1    13.0    33.3
"""
WIDE_ASSIGNEES = """\
assignee                entered  on time  late  waiting  overdue  unanswered  median  kept %
----------------------  -------  -------  ----  -------  -------  ----------  ------  ------
ets.pchs@pcschools.us         2        1     0        1        0           0     2.0   100.0
"""


class TestPeriodAndFilters:
    def test_default_period_is_the_last_30_days(self, invoke: Invoker) -> None:
        invoke.new(now="2026-11-04T07:00")                          # 29 days before: counted
        invoke.new(now="2026-11-03T14:59")                          # 30 days before: not
        data = json.loads(report(invoke, "--json").stdout)
        assert (data["from"], data["to"], data["total"]["entered"]) == ("2026-11-04", "2026-12-03", 1)

    def test_from_alone_runs_to_today_and_to_alone_covers_30_days(self, invoke: Invoker) -> None:
        data = json.loads(report(invoke, "--from", "2026-08-17", "--json").stdout)
        assert (data["from"], data["to"]) == ("2026-08-17", "2026-12-03")
        data = json.loads(report(invoke, "--to", "2026-10-31", "--json").stdout)
        assert (data["from"], data["to"]) == ("2026-10-02", "2026-10-31")

    def test_dates_are_district_dates_both_ends_included(self, desk: Invoker) -> None:
        data = json.loads(report(desk, "--from", "2026-11-30", "--to", "2026-11-30", "--json").stdout)
        assert data["total"]["entered"] == 3
        late_evening = "2026-12-01T05:30:00+00:00"                  # 22:30 on 11-30 in Denver
        desk.new(now=late_evening)
        data = json.loads(report(desk, "--from", "2026-11-30", "--to", "2026-11-30", "--json").stdout)
        assert data["total"]["entered"] == 4

    def test_building_filter(self, desk: Invoker) -> None:
        data = json.loads(report(desk, *PERIOD, "--building", "tmjh", "--json").stdout)
        assert [b["building"] for b in data["buildings"]] == ["TMJH"]
        assert [a["assignee"] for a in data["assignees"]] == ["ets.tmjh@pcschools.us"]
        assert data["total"]["entered"] == 2

    def test_an_empty_period(self, invoke: Invoker) -> None:
        data = json.loads(report(invoke, "--json").stdout)
        assert data["total"] == counts(0, 0, 0, 0, 0, 0, None, None)
        assert (data["buildings"], data["assignees"]) == ([], [])
        assert report(invoke, "--csv").stdout == (
            "group,key,entered,on_time,late,waiting,overdue,closed_unanswered,"
            "median_business_hours,kept_percent\ntotal,all,0,0,0,0,0,0,,\n"
        )


class TestMistakes:
    def test_from_after_to(self, invoke: Invoker) -> None:
        result = report(invoke, "--from", "2026-12-02", "--to", "2026-12-01", ok=False)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == "Error: --from 2026-12-02 is after --to 2026-12-01; swap them\n"

    def test_an_unreadable_date(self, invoke: Invoker) -> None:
        result = report(invoke, "--from", "last monday", ok=False)
        assert result.exit_code == 1
        assert result.stderr == ("Error: cannot read --from 'last monday'; use YYYY-MM-DD, "
                                 "e.g. 2026-11-30\n")

    def test_json_and_csv_together(self, invoke: Invoker) -> None:
        result = report(invoke, "--json", "--csv", ok=False)
        assert result.exit_code == 2 and "choose one of --json and --csv" in result.stderr
