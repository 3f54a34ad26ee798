"""The first-response promise as pure functions: overdue selection, ordering, contacts, the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml
from support import SPEC_CALENDAR_YAML

from pcsdesk.commands._render import contact_text  # the words; the rule is contact_for
from pcsdesk.rules.calendar import Calendar, calendar_from_dict
from pcsdesk.rules.directory import directory_from_dict
from pcsdesk.rules.promise import (
    QUIET_BUSINESS_HOURS,
    awaiting_response,
    business_seconds_late,
    contact_for,
    default_period,
    is_overdue,
    last_heard,
    promise_report,
    quiet_assignee,
    response_on_time,
)
from pcsdesk.rules.ticket import Note, Ticket

DENVER = ZoneInfo("America/Denver")
HOUR = 3600

CALENDAR = calendar_from_dict(yaml.safe_load(SPEC_CALENDAR_YAML))

DIRECTORY = directory_from_dict(yaml.safe_load("""
district: {name: Park City School District, noc_phone: x5051, webmaster: webmaster@pcschools.us}
staff:
  mfoster@pcschools.us: {name: Maria Foster, role: ets, phone: x2110}
  rlee@pcschools.us: {name: Ray Lee, role: tech, phone: x2111}
  ann@pcschools.us: {name: Ann Ode, role: ets}
buildings:
  PCHS: {name: Park City High School, ets: mfoster@pcschools.us, techs: [rlee@pcschools.us]}
  DO: {name: District Office, ets: ann@pcschools.us, techs: []}
"""))


def at(text: str) -> datetime:
    """District wall-clock time, the way $PCSDESK_NOW without an offset reads."""
    return datetime.fromisoformat(text).replace(tzinfo=DENVER)


@dataclass(frozen=True)
class Row:
    id: str
    entered_at: datetime
    status: str = "open"
    priority: str = "normal"
    building: str = "PCHS"
    assignee: str = "mfoster@pcschools.us"
    first_response_at: datetime | None = None


def ids(cal: Calendar, rows: list[Row], now: datetime, within: int | None = None) -> list[str]:
    return [item.ticket.id for item in awaiting_response(cal, rows, now, within)]


class TestOverdueBoundary:
    # Entered Mon 2026-11-30 10:00: due Wed 2026-12-02 10:00 (two business days, docs/procedure.md).
    row = Row("A", at("2026-11-30T10:00"))
    due = at("2026-12-02T10:00")

    def test_at_the_due_second_it_is_not_overdue(self) -> None:
        assert not is_overdue(self.row, self.due, self.due)
        assert ids(CALENDAR, [self.row], self.due) == []

    def test_one_second_later_it_is(self) -> None:
        later = self.due + timedelta(seconds=1)
        assert is_overdue(self.row, self.due, later)
        [item] = awaiting_response(CALENDAR, [self.row], later)
        assert item.due == self.due and item.overdue
        assert item.seconds_late == 1

    def test_closed_or_answered_tickets_are_never_overdue(self) -> None:
        late = at("2026-12-10T10:00")
        closed = Row("C", at("2026-11-30T10:00"), status="closed")
        answered = Row("R", at("2026-11-30T10:00"), first_response_at=at("2026-12-09T10:00"))
        assert ids(CALENDAR, [closed, answered], late) == []


class TestOrder:
    def test_emergencies_first_then_most_overdue_first(self) -> None:
        now = at("2026-12-10T12:00")
        rows = [
            Row("NEWER", at("2026-12-03T09:00")),                   # due Mon 12-07 09:00
            Row("OLDEST", at("2026-11-30T08:00")),                  # due Wed 12-02 08:00
            Row("EMERG-NEW", at("2026-12-07T14:00"), priority="emergency"),
            Row("EMERG-OLD", at("2026-12-01T14:00"), priority="emergency"),
            Row("MIDDLE", at("2026-12-01T10:00")),                  # due Thu 12-03 10:00
        ]
        assert ids(CALENDAR, rows, now) == ["EMERG-OLD", "EMERG-NEW", "OLDEST", "MIDDLE", "NEWER"]

    def test_equal_lateness_is_ordered_by_due_time_then_id(self) -> None:
        # Entered after Wednesday's close and at Thursday's opening: all due at Friday's close.
        now = at("2026-12-07T09:00")
        rows = [Row("B", at("2026-12-02T15:00")), Row("A", at("2026-12-02T15:00")),
                Row("C", at("2026-12-03T07:00"))]
        items = awaiting_response(CALENDAR, rows, now)
        assert [i.ticket.id for i in items] == ["A", "B", "C"]
        assert {i.seconds_late for i in items} == {2 * HOUR}


class TestBusinessHoursLate:
    def test_past_due_counts_only_working_hours(self) -> None:
        due = at("2026-12-04T14:00")                                 # Friday
        assert business_seconds_late(CALENDAR, due, at("2026-12-07T08:30")) == int(2.5 * HOUR)

    def test_overdue_by_nothing_over_a_weekend_after_a_closing_due(self) -> None:
        due = at("2026-12-04T15:00")
        [item] = awaiting_response(CALENDAR, [Row("A", at("2026-12-02T15:00"))], at("2026-12-05T10:00"))
        assert item.due == due and item.overdue and item.seconds_late == 0

    def test_before_due_it_is_negative_time_to_go(self) -> None:
        assert business_seconds_late(CALENDAR, at("2026-12-07T09:00"), at("2026-12-04T14:00")) == -3 * HOUR

    def test_hours_are_rounded_to_hundredths(self) -> None:
        row = Row("A", at("2026-11-30T10:00"))
        [item] = awaiting_response(CALENDAR, [row], at("2026-12-02T10:20"))
        assert item.business_hours_late == 0.33


class TestDueWithin:
    now = at("2026-12-04T14:00")                                     # Friday, 1 h before close
    # horizon for 2 business hours: Fri 14:00-15:00, then Mon 07:00-08:00.
    on_horizon = Row("EDGE", at("2026-12-03T08:00"))                 # due Mon 12-07 08:00
    past_horizon = Row("AFTER", at("2026-12-03T08:00:01"))           # due Mon 12-07 08:00:01
    overdue = Row("LATE", at("2026-11-30T10:00"))                    # due Wed 12-02 10:00

    def test_counts_business_time_over_the_weekend(self) -> None:
        rows = [self.past_horizon, self.on_horizon, self.overdue]
        assert ids(CALENDAR, rows, self.now, 2 * HOUR) == ["LATE", "EDGE"]

    def test_upcoming_ones_carry_time_to_go(self) -> None:
        items = awaiting_response(CALENDAR, [self.on_horizon, self.overdue], self.now, 2 * HOUR)
        assert [(i.overdue, i.seconds_late) for i in items] == [(True, 20 * HOUR), (False, -2 * HOUR)]

    def test_zero_hours_adds_the_ticket_due_this_very_second(self) -> None:
        due_now = Row("NOW", at("2026-12-02T14:00"))                 # due Fri 12-04 14:00
        assert ids(CALENDAR, [due_now], self.now) == []
        assert ids(CALENDAR, [due_now], self.now, 0) == ["NOW"]

    def test_morning_run_covers_the_working_day(self) -> None:
        # 06:30 with 8 hours reaches 15:00 today, whatever the wall clock says.
        dawn = at("2026-12-07T06:30")
        closing = Row("CLOSE", at("2026-12-03T15:00"))               # due Mon 12-07 15:00
        tomorrow = Row("TUE", at("2026-12-04T07:00:01"))             # due Tue 12-08 07:00:01
        assert ids(CALENDAR, [closing, tomorrow], dawn, 8 * HOUR) == ["CLOSE"]


class TestContact:
    def test_the_building_tech_first(self) -> None:
        member = contact_for(DIRECTORY, "PCHS")
        assert member is not None and member.email == "rlee@pcschools.us"
        assert contact_text(member) == "Ray Lee, x2111"

    def test_the_ets_where_the_building_has_no_tech(self) -> None:
        member = contact_for(DIRECTORY, "DO")
        assert member is not None and member.email == "ann@pcschools.us"
        assert contact_text(member) == "Ann Ode <ann@pcschools.us>"    # no phone listed

    def test_unknown_building(self) -> None:
        assert contact_for(DIRECTORY, "XX") is None
        assert contact_text(None) == "-"


class TestReport:
    now = at("2026-12-03T12:00")
    rows = (
        # PCHS: answered in 2 business hours (on time) and in 24 (late), one waiting.
        Row("P1", at("2026-11-30T10:00"), first_response_at=at("2026-11-30T12:00")),
        Row("P2", at("2026-11-30T10:00"), first_response_at=at("2026-12-03T10:00"),
            assignee="rlee@pcschools.us"),
        Row("P3", at("2026-12-02T09:00")),                           # due Fri: not overdue
        # DO: one overdue, one closed by its requester before anyone answered.
        Row("D1", at("2026-11-30T11:00"), building="DO", assignee="ann@pcschools.us"),
        Row("D2", at("2026-12-01T09:00"), building="DO", assignee="ann@pcschools.us", status="closed"),
        Row("OUT", at("2026-11-01T10:00")),                          # before the period
        # Entered on 11-30 by district date (22:30 in Denver), though 12-01 in UTC.
        Row("LATE-EVENING", datetime.fromisoformat("2026-12-01T05:30:00+00:00"), building="DO",
            assignee="ann@pcschools.us", status="closed",
            first_response_at=at("2026-12-01T07:30")),          # 0.5 business hours
    )

    def test_per_building(self) -> None:
        report = promise_report(CALENDAR, list(self.rows), date(2026, 11, 30), date(2026, 12, 31), self.now)
        pchs, do = report.buildings["PCHS"], report.buildings["DO"]
        assert list(report.buildings) == ["DO", "PCHS"]
        assert (pchs.entered, pchs.on_time, pchs.late, pchs.waiting, pchs.overdue,
                pchs.closed_unanswered) == (3, 1, 1, 1, 0, 0)
        assert pchs.median_business_hours == 13.0                   # median of 2 and 24
        assert pchs.kept_percent == 50.0
        # LATE-EVENING: entered 22:30 on 11-30, answered half an hour after the next opening.
        assert (do.entered, do.on_time, do.late, do.waiting, do.overdue,
                do.closed_unanswered) == (3, 1, 0, 1, 1, 1)
        assert do.median_business_hours == 0.5
        assert do.kept_percent == 50.0

    def test_per_assignee_and_total(self) -> None:
        report = promise_report(CALENDAR, list(self.rows), date(2026, 11, 30), date(2026, 12, 31), self.now)
        assert list(report.assignees) == ["ann@pcschools.us", "mfoster@pcschools.us", "rlee@pcschools.us"]
        mfoster, rlee = report.assignees["mfoster@pcschools.us"], report.assignees["rlee@pcschools.us"]
        assert (mfoster.entered, mfoster.on_time, mfoster.waiting, mfoster.median_business_hours,
                mfoster.kept_percent) == (2, 1, 1, 2.0, 100.0)
        assert (rlee.entered, rlee.late, rlee.median_business_hours, rlee.kept_percent) == (1, 1, 24.0, 0.0)
        total = report.total
        assert (total.entered, total.on_time, total.late, total.waiting, total.overdue,
                total.closed_unanswered) == (6, 2, 1, 2, 1, 1)
        assert total.entered == total.on_time + total.late + total.waiting + total.closed_unanswered
        assert total.median_business_hours == 2.0                   # median of 0.5, 2, 24
        assert total.kept_percent == 50.0                           # 2 of 2 + 1 + 1

    def test_the_period_is_on_district_dates_both_ends_included(self) -> None:
        report = promise_report(CALENDAR, list(self.rows), date(2026, 12, 1), date(2026, 12, 1), self.now)
        assert report.total.entered == 1                             # D2 only; not LATE-EVENING
        report = promise_report(CALENDAR, list(self.rows), date(2026, 11, 30), date(2026, 11, 30), self.now)
        assert report.total.entered == 4

    def test_nothing_in_the_period(self) -> None:
        report = promise_report(CALENDAR, list(self.rows), date(2025, 1, 1), date(2025, 1, 31), self.now)
        assert report.total.entered == 0 and report.buildings == {} and report.assignees == {}
        assert report.total.median_business_hours is None and report.total.kept_percent is None


@pytest.mark.parametrize(("today", "first"), [
    (date(2026, 12, 3), date(2026, 11, 4)),
    (date(2027, 3, 1), date(2027, 1, 31)),
])
def test_default_period_is_the_last_30_days(today: date, first: date) -> None:
    assert default_period(today) == (first, today)
    assert (today - first).days + 1 == 30


class TestQuietAssignee:
    """The procedure: contact the supervisor of someone who stops responding."""

    directory = directory_from_dict(yaml.safe_load("""
district: {name: Park City School District}
staff:
  mfoster@pcschools.us: {name: Maria Foster, role: ets, supervisor: boss@pcschools.us}
  boss@pcschools.us: {name: The Director, role: department}
buildings:
  PCHS: {name: Park City High School, ets: mfoster@pcschools.us}
"""))

    def ticket(self, *notes: Note, status: str = "open") -> Ticket:
        return Ticket(id="2611-AV52R", status=status, priority="normal", building="PCHS", category=None,
                      summary="x", description="", requester="jsmith@pcschools.us",
                      entered_by="jsmith@pcschools.us", entered_at=at("2026-11-30T10:00"),
                      assignee="mfoster@pcschools.us", notes=notes)

    def test_quiet_for_the_threshold_names_the_supervisor(self) -> None:
        threshold = at("2026-12-02T10:00")      # 16 business hours after entry
        found = quiet_assignee(CALENDAR, self.directory, self.ticket(), threshold)
        assert found is not None and found.supervisor.email == "boss@pcschools.us"
        assert found.quiet_seconds == QUIET_BUSINESS_HOURS * HOUR
        assert quiet_assignee(CALENDAR, self.directory, self.ticket(), at("2026-12-02T09:59")) is None

    def test_an_entry_by_the_assignee_or_a_reopen_restarts_the_count(self) -> None:
        own = Note(at=at("2026-12-01T10:00"), by="MFoster@pcschools.us", kind="note", text="Looking")
        assert quiet_assignee(CALENDAR, self.directory, self.ticket(own), at("2026-12-02T10:00")) is None
        reopened = Note(at=at("2026-12-01T10:00"), by="jsmith@pcschools.us", kind="reopen", text="Again")
        assert last_heard(self.ticket(reopened)) == at("2026-12-01T10:00")
        assert quiet_assignee(CALENDAR, self.directory, self.ticket(status="closed"),
                              at("2026-12-10T10:00")) is None

    def test_on_time_is_at_or_before_the_due_time(self) -> None:
        due = at("2026-12-02T10:00")
        assert response_on_time(Row("A", at("2026-11-30T10:00")), due) is None
        assert response_on_time(Row("A", at("2026-11-30T10:00"), first_response_at=due), due) is True
        assert response_on_time(Row("A", at("2026-11-30T10:00"),
                                    first_response_at=at("2026-12-02T10:01")), due) is False
