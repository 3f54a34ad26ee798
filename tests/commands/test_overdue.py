"""`overdue`: the tickets past the first-response promise, for people and for cron."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from support import ETS, MONDAY_10, SPEC_CALENDAR_YAML, TEACHER, TECH, Invoker, git, run_cli

from pcsdesk.rules.ids import ticket_path

# MONDAY_10 = Mon 2026-11-30 10:00 -07:00: due Wed 2026-12-02 10:00 -07:00.
DUE = "2026-12-02T10:00:00-07:00"

CALENDAR_WITH_SATURDAY = SPEC_CALENDAR_YAML


def overdue(invoke: Invoker, *args: str, as_of: str | None = None, ok: bool | None = True,
            env: dict[str, str | None] | None = None) -> Any:
    extra = ["--as-of", as_of] if as_of else []
    return invoke(["overdue", *extra, *args], ok=ok, env=env)


def overdue_ids(invoke: Invoker, *args: str, as_of: str) -> list[str]:
    return [item["id"] for item in json.loads(overdue(invoke, "--json", *args, as_of=as_of).stdout)]


def write_calendar(store: Path, text: str, message: str) -> None:
    """Edit calendar.yaml as the district clerk would: in the work tree, committed with git."""
    (store / "calendar.yaml").write_text(text)
    git(store, "commit", "-qm", message, "--", "calendar.yaml")


class TestSilentForCron:
    def test_an_empty_store_prints_nothing_and_exits_0(self, invoke: Invoker) -> None:
        result = overdue(invoke)
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")

    def test_nothing_overdue_prints_nothing(self, invoke: Invoker) -> None:
        invoke.new()
        result = overdue(invoke, as_of=DUE)
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")

    def test_json_prints_an_empty_array(self, invoke: Invoker) -> None:
        invoke.new()
        result = overdue(invoke, "--json", as_of=DUE)
        assert (result.stdout, result.stderr) == ("[]\n", "")

    def test_silent_even_when_the_calendars_closures_run_out_soon(self, invoke: Invoker,
                                                                  store: Path) -> None:
        # The reference's example calendar lists no closure after 2027-01-01: a cron run in December
        # with nothing overdue must still print nothing at all, on stdout and on stderr.
        write_calendar(store, SPEC_CALENDAR_YAML, "the example calendar")
        invoke.new()
        for extra in ([], ["--json"], ["--due-within", "1"]):
            result = overdue(invoke, *extra, as_of=MONDAY_10)
            assert (result.exit_code, result.stdout, result.stderr) == (
                0, "[]\n" if extra == ["--json"] else "", "")
        loud = overdue(invoke, as_of="2026-12-02T10:00:01")
        assert "Warning: calendar.yaml lists no closures after 2027-01-01" in loud.stderr

    def test_a_real_process_run_by_cron_is_silent(self, tmp_path: Path) -> None:
        env = {"PCSDESK_NOW": MONDAY_10, "PCSDESK_USER": ETS}
        assert run_cli(["init", "desk"], tmp_path, env).returncode == 0
        store = tmp_path / "desk"
        assert run_cli(["new", "--building", "PCHS", "--summary", "Printer offline"], store, env).returncode == 0
        quiet = run_cli(["overdue", "--due-within", "4"], store, env)
        assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
        loud = run_cli(["overdue"], store, {**env, "PCSDESK_NOW": "2026-12-02T10:00:01"})
        assert loud.returncode == 0 and "Printer offline" in loud.stdout and loud.stderr == ""


class TestBoundary:
    def test_at_the_due_second_not_overdue_one_second_later_overdue(self, invoke: Invoker) -> None:
        ticket_id = invoke.new()
        assert overdue_ids(invoke, as_of="2026-12-02T10:00:00") == []
        [item] = json.loads(overdue(invoke, "--json", as_of="2026-12-02T10:00:01").stdout)
        assert item["id"] == ticket_id
        assert item["first_response_due"] == DUE
        assert item["business_seconds_overdue"] == 1

    def test_as_of_with_an_offset_is_the_same_instant(self, invoke: Invoker) -> None:
        invoke.new()
        assert overdue_ids(invoke, as_of="2026-12-02T17:00:00+00:00") == []
        assert len(overdue_ids(invoke, as_of="2026-12-02T17:00:01Z")) == 1

    def test_without_as_of_it_is_judged_at_pcsdesk_now(self, invoke: Invoker) -> None:
        ticket_id = invoke.new()
        assert invoke(["overdue"], now="2026-12-02T10:00:00").stdout == ""
        assert ticket_id in invoke(["overdue"], now="2026-12-02T10:00:01").stdout

    def test_an_unreadable_as_of_is_an_error(self, invoke: Invoker) -> None:
        result = overdue(invoke, as_of="next tuesday", ok=False)
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: cannot read --as-of 'next tuesday'; use ISO 8601")
        assert result.stdout == ""


class TestWhatCountsAsAResponse:
    def test_a_staff_note_clears_it(self, invoke: Invoker) -> None:
        ticket_id = invoke.new("--requester", TEACHER, as_user=TEACHER)
        invoke(["note", ticket_id, "-m", "Looking at it this afternoon"], as_user=TECH,
               now="2026-12-01T09:00")
        assert overdue_ids(invoke, as_of="2026-12-03T10:00") == []

    def test_the_requesters_own_note_does_not(self, invoke: Invoker) -> None:
        ticket_id = invoke.new(as_user=TEACHER)
        invoke(["note", ticket_id, "-m", "Still broken, any news?"], as_user=TEACHER,
               now="2026-12-01T09:00")
        assert overdue_ids(invoke, as_of="2026-12-03T10:00") == [ticket_id]

    def test_staff_who_entered_their_own_ticket_do_not_answer_themselves(self, invoke: Invoker) -> None:
        ticket_id = invoke.new(as_user=ETS)
        invoke(["note", ticket_id, "-m", "Adding the model number"], as_user=ETS, now="2026-12-01T09:00")
        assert overdue_ids(invoke, as_of="2026-12-03T10:00") == [ticket_id]

    def test_a_closed_ticket_is_not_overdue(self, invoke: Invoker) -> None:
        ticket_id = invoke.new(as_user=TEACHER)
        invoke(["close", ticket_id, "-m", "Fixed itself"], as_user=TEACHER, now="2026-11-30T11:00")
        assert overdue_ids(invoke, as_of="2026-12-03T10:00") == []


class TestOrderAndContents:
    def test_emergencies_first_then_most_overdue(self, invoke: Invoker) -> None:
        newer = invoke.new(now="2026-12-01T10:00")
        oldest = invoke.new(now="2026-11-30T08:00")
        emergency = invoke.new("--emergency", now="2026-12-01T14:00")
        middle = invoke.new(now="2026-11-30T12:00")
        assert overdue_ids(invoke, as_of="2026-12-07T12:00") == [emergency, oldest, middle, newer]

    def test_json_fields(self, invoke: Invoker) -> None:
        ticket_id = invoke.new("--requester", TEACHER)
        [item] = json.loads(overdue(invoke, "--json", as_of="2026-12-03T08:30").stdout)
        assert item == {
            "id": ticket_id,
            "priority": "normal",
            "building": "PCHS",
            "assignee": ETS,
            "summary": "Projector shows no signal",
            "requester": TEACHER,
            "entered_at": MONDAY_10,
            "first_response_due": DUE,
            "overdue": True,
            "business_hours_overdue": 6.5,              # Wed 10:00-15:00, Thu 07:00-08:30
            "business_seconds_overdue": 6 * 3600 + 1800,
            "contact": {"name": "PCHS building tech (to be filled in)", "email": TECH,
                        "phone": None, "role": "tech"},
        }

    def test_the_table(self, invoke: Invoker) -> None:
        ticket_id = invoke.new("--requester", TEACHER)
        emergency = invoke.new("--emergency", "--building", "DO", "--summary", "Phones dead",
                               now="2026-11-30T11:00")
        out = overdue(invoke, as_of="2026-12-03T08:30").stdout
        # 80 columns for cron mail: the weekday in the due time, whom to call on a line of its own.
        assert out == (
            "id          flags  building  assignee  due              late   summary\n"
            "----------  -----  --------  --------  ---------------  -----  ----------------\n"
            f"{emergency}  EMERG  DO        ets.do    Wed 12-02 11:00  5.5 h  Phones dead\n"
            "            requester ets.pchs; contact: District Office ETS (to be filled in) <ets.do@pcschools.us>\n"
            f"{ticket_id}         PCHS      ets.pchs  Wed 12-02 10:00  6.5 h  Projector shows…\n"
            "            requester jsmith; contact: PCHS building tech (to be filled in) <tech.pchs@pcschools.us>\n"
        )

    def test_wide_puts_everything_on_one_line(self, invoke: Invoker) -> None:
        ticket_id = invoke.new("--requester", TEACHER)
        lines = overdue(invoke, "--wide", as_of="2026-12-03T08:30").stdout.splitlines()
        assert lines[0].split() == ["id", "building", "assignee", "due", "late", "requester", "contact",
                                    "summary"]
        assert lines[2].split() == [ticket_id, "PCHS", ETS, "Wed", "12-02", "10:00", "6.5", "h", TEACHER,
                                    "PCHS", "building", "tech", "(to", "be", "filled", "in)",
                                    "<tech.pchs@pcschools.us>", "Projector", "shows", "no", "signal"]
        assert len(lines) == 3

    def test_fits_the_width_asked_for(self, invoke: Invoker) -> None:
        invoke.new("--requester", TEACHER, "--summary", "Projector in room 204 shows no signal " * 3)
        for columns in ("72", "80", "132"):
            out = overdue(invoke, as_of="2026-12-03T08:30", env={"COLUMNS": columns}).stdout
            table = out.splitlines()[:3]
            assert max(len(line) for line in table) == int(columns), (columns, out)

    def test_due_at_fridays_close_says_so_on_monday(self, invoke: Invoker) -> None:
        # Entered Thu 07:00: due Fri 15:00, at closing. Monday before opening no business
        # time has passed since: "since Fri close", never "0.0 past due".
        ticket_id = invoke.new(now="2026-12-03T07:00")
        out = overdue(invoke, as_of="2026-12-07T06:30").stdout
        row = out.splitlines()[2]
        assert row.startswith(ticket_id) and "Fri 12-04 15:00  since Fri close" in row
        assert "0.0" not in out
        assert "none yet: OVERDUE since Fri's close" in invoke(["show", ticket_id], now="2026-12-07T06:30").stdout

    def test_building_filter(self, invoke: Invoker) -> None:
        invoke.new()
        other = invoke.new("--building", "TMJH")
        assert overdue_ids(invoke, "--building", "tmjh", as_of="2026-12-03T08:30") == [other]

    def test_unknown_building(self, invoke: Invoker) -> None:
        result = overdue(invoke, "--building", "XX", ok=False)
        assert result.stderr == "Error: unknown building 'XX'; known: DO, EHMS, JRES, MES, PCHS, PPES, TES, TMJH\n"


class TestDueWithin:
    def test_a_morning_warning_adds_tickets_about_to_miss(self, invoke: Invoker) -> None:
        late = invoke.new(now="2026-11-25T10:00")                   # due Tue 12-01 10:00
        today = invoke.new(now="2026-11-30T14:59")                  # due Wed 12-02 14:59
        tomorrow = invoke.new(now="2026-12-01T07:01")                # due Thu 12-03 07:01
        dawn = "2026-12-02T06:30"
        assert overdue_ids(invoke, as_of=dawn) == [late]
        assert overdue_ids(invoke, "--due-within", "8", as_of=dawn) == [late, today]
        assert overdue_ids(invoke, "--due-within", "8.02", as_of=dawn) == [late, today, tomorrow]
        items = json.loads(overdue(invoke, "--json", "--due-within", "8", as_of=dawn).stdout)
        assert [(i["overdue"], i["business_hours_overdue"]) for i in items] == [(True, 5.0), (False, -7.98)]

    def test_the_table_says_time_to_go(self, invoke: Invoker) -> None:
        invoke.new()
        out = overdue(invoke, "--due-within", "2", as_of="2026-12-02T08:30").stdout
        assert "Wed 12-02 10:00  in 1.5 h" in out

    def test_negative_hours_are_a_usage_error(self, invoke: Invoker) -> None:
        assert overdue(invoke, "--due-within", "-1", ok=False).exit_code == 2


class TestBrokenFiles:
    def test_named_on_stderr_the_rest_still_reported(self, invoke: Invoker, store: Path) -> None:
        good = invoke.new()
        bad = invoke.new()
        path = store / ticket_path(bad)
        path.write_text(path.read_text() + "status: closed\n")
        git(store, "commit", "-qam", "hand edit gone wrong")
        result = overdue(invoke, "--json", as_of="2026-12-03T08:30", ok=False)
        assert result.exit_code == 1
        assert [item["id"] for item in json.loads(result.stdout)] == [good]
        assert f"{ticket_path(bad)}:" in result.stderr

    def test_even_when_nothing_is_overdue_the_problem_is_not_silent(self, invoke: Invoker, store: Path) -> None:
        bad = invoke.new()
        path = store / ticket_path(bad)
        path.write_text(path.read_text() + "status: closed\n")
        git(store, "commit", "-qam", "hand edit gone wrong")
        result = overdue(invoke, as_of="2026-11-30T11:00", ok=False)
        assert result.exit_code == 1 and result.stdout == ""
        assert ticket_path(bad) in result.stderr


class TestCalendar:
    """A store whose tickets span Thanksgiving, the winter closure, an open Saturday and DST."""

    def test_holidays_open_saturday_and_dst(self, invoke: Invoker, store: Path) -> None:
        write_calendar(store, CALENDAR_WITH_SATURDAY, "Open the office on Saturday 2027-03-13")
        thanksgiving = invoke.new(now="2026-11-25T10:00")           # due Tue 2026-12-01 10:00
        winter = invoke.new(now="2026-12-22T14:00")                 # due Mon 2027-01-04 14:00
        saturday = invoke.new(now="2027-03-11T10:00")               # due Sat 2027-03-13 10:00
        dst = invoke.new(now="2027-03-12T10:00")                    # due Mon 2027-03-15 10:00 -06:00

        def due(ticket_id: str) -> str:
            return str(json.loads(invoke(["show", ticket_id, "--json"]).stdout)["first_response_due"])

        assert due(thanksgiving) == "2026-12-01T10:00:00-07:00"
        assert due(winter) == "2027-01-04T14:00:00-07:00"
        assert due(saturday) == "2027-03-13T10:00:00-07:00"
        assert due(dst) == "2027-03-15T10:00:00-06:00"

        assert overdue_ids(invoke, as_of="2026-12-01T10:00:01") == [thanksgiving]
        # Through the winter closure nothing more falls due...
        assert overdue_ids(invoke, as_of="2027-01-04T14:00") == [thanksgiving]
        # ...until the Monday after it.
        assert overdue_ids(invoke, as_of="2027-01-04T14:00:01") == [thanksgiving, winter]
        invoke(["note", thanksgiving, "-m", "On it"], now="2027-01-05T08:00", as_user=TECH)
        invoke(["note", winter, "-m", "On it"], now="2027-01-05T08:00", as_user=TECH)
        # The open Saturday is a business day: its ticket is late that morning.
        assert overdue_ids(invoke, as_of="2027-03-13T10:00") == []
        assert overdue_ids(invoke, as_of="2027-03-13T10:00:01") == [saturday]
        # Clocks sprang forward on Sunday: 10:00 Monday is 16:00 UTC, not 17:00.
        assert overdue_ids(invoke, as_of="2027-03-15T16:00:00Z") == [saturday]
        [first, second] = json.loads(overdue(invoke, "--json", as_of="2027-03-15T16:00:01Z").stdout)
        assert (first["id"], second["id"]) == (saturday, dst)
        assert (first["business_hours_overdue"], second["business_seconds_overdue"]) == (8.0, 1)

    def test_a_snow_day_moves_the_due_time_and_the_list(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()

        def due() -> str:
            return str(json.loads(invoke(["show", ticket_id, "--json"]).stdout)["first_response_due"])

        assert due() == DUE
        assert overdue_ids(invoke, as_of="2026-12-02T12:00") == [ticket_id]
        calendar = (store / "calendar.yaml").read_text()
        snowy = calendar.replace("closed:\n", "closed:\n  - {date: 2026-12-01, reason: Snow day}\n", 1)
        assert snowy != calendar
        write_calendar(store, snowy, "Snow day: the District Office is closed on 2026-12-01")
        assert due() == "2026-12-03T10:00:00-07:00"
        assert overdue_ids(invoke, as_of="2026-12-02T12:00") == []
        assert overdue_ids(invoke, as_of="2026-12-03T10:00:01") == [ticket_id]


class TestQuietAssignees:
    """`overdue --quiet-assignees`: the morning report of assignees who answered, then went quiet."""

    def answered(self, invoke: Invoker, building: str = "PCHS") -> str:
        ticket_id = invoke.new("--requester", TEACHER, "--building", building, now="2026-11-30T10:00")
        invoke(["note", ticket_id, "-m", "Coming by at 1"], now="2026-11-30T11:00")
        return ticket_id

    def test_silent_when_nobody_is_quiet(self, invoke: Invoker) -> None:
        self.answered(invoke)
        result = overdue(invoke, "--quiet-assignees", as_of="2026-12-02T10:00")
        assert (result.stdout, result.stderr) == ("", "")
        assert overdue(invoke, "--quiet-assignees", "--json", as_of="2026-12-02T10:00").stdout == "[]\n"

    def test_the_table_names_the_supervisor(self, invoke: Invoker) -> None:
        ticket_id = self.answered(invoke)
        out = overdue(invoke, "--quiet-assignees", as_of="2026-12-02T12:30").stdout
        # The fraction kept (17.5, not 17), and below, the supervisor to call.
        assert out == (
            "id          building  assignee               quiet   summary\n"
            "----------  --------  ---------------------  ------  -------------------------\n"
            f"{ticket_id}  PCHS      ets.pchs@pcschools.us  17.5 h  Projector shows no signal\n"
            "            supervisor: Director of Technology (to be filled in), x5000\n"
        )

    def test_json(self, invoke: Invoker) -> None:
        ticket_id = self.answered(invoke)
        self.answered(invoke, "TMJH")
        items = json.loads(overdue(invoke, "--quiet-assignees", "--building", "PCHS", "--json",
                                   as_of="2026-12-02T12:30").stdout)
        assert [item["id"] for item in items] == [ticket_id]
        assert items[0]["assignee"] == ETS and items[0]["overdue"] is False
        assert items[0]["quiet_assignee"]["business_hours_quiet"] == 17.5
        assert items[0]["quiet_assignee"]["supervisor"]["email"] == "director.technology@pcschools.us"

    def test_not_with_due_within(self, invoke: Invoker) -> None:
        assert overdue(invoke, "--quiet-assignees", "--due-within", "8", ok=False).exit_code == 2
