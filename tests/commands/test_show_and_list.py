"""`show` and `list`: a ticket for a person, the listings, and broken files."""

from __future__ import annotations

import json
from pathlib import Path

from support import ETS, TEACHER, Invoker, git, run_in_terminal

from pcsdesk.rules.ids import ticket_path


class TestShow:
    def test_text_shows_fields_due_time_and_log(self, invoke: Invoker) -> None:
        ticket_id = invoke.new("--description", "Room 204", "--requester", TEACHER)
        invoke(["note", ticket_id, "-m", "Cable swapped\nStill dark"], now="2026-11-30T11:00")
        out = invoke(["show", ticket_id]).stdout
        assert f"Ticket:         {ticket_id}  [open]" in out
        # Times in the one human form: weekday, date, time; the year only when not this year's.
        assert "Entered:        Mon 11-30 10:00\n" in out
        assert "Response due:   Wed 12-02 10:00\n" in out
        assert "First response: Mon 11-30 11:00 (met)" in out
        assert f"Requester:      {TEACHER} (entered by {ETS})" in out
        assert "  Mon 11-30 11:00  note  by ets.pchs@pcschools.us\n      Cable swapped\n      Still dark" in out
        next_year = invoke(["show", ticket_id], now="2027-01-04T10:00").stdout
        assert "Entered:        Mon 2026-11-30 10:00\n" in next_year
        # JSON and the file keep ISO 8601.
        data = json.loads(invoke(["show", ticket_id, "--json"]).stdout)
        assert (data["entered_at"], data["first_response_due"]) == ("2026-11-30T10:00:00-07:00",
                                                                    "2026-12-02T10:00:00-07:00")

    def test_overdue_is_said_plainly(self, invoke: Invoker) -> None:
        ticket_id = invoke.new()
        out = invoke(["show", ticket_id], now="2026-12-02T11:00").stdout
        assert "none yet: OVERDUE by 1.0 business hours" in out

    def test_supervisor_named_when_the_assignee_goes_quiet(self, invoke: Invoker) -> None:
        ticket_id = invoke.new()
        out = invoke(["show", ticket_id], now="2026-12-04T10:00").stdout
        assert "contact their supervisor, Director of Technology" in out
        fresh = invoke(["show", ticket_id], now="2026-11-30T12:00").stdout
        assert "supervisor" not in fresh

    def test_ids_are_read_as_typed(self, invoke: Invoker) -> None:
        ticket_id = invoke.new()
        data = json.loads(invoke(["show", ticket_id.lower(), "--json"]).stdout)
        assert data["id"] == ticket_id

    def test_unknown_ticket(self, invoke: Invoker) -> None:
        result = invoke(["show", "2611-AAAAA"], ok=False)
        assert result.exit_code == 1
        assert result.stderr == "Error: no ticket '2611-AAAAA'; `pcsdesk list --status all` shows the tickets\n"

    def test_explain_lists_counted_and_skipped_days(self, invoke: Invoker) -> None:
        ticket_id = invoke.new(now="2026-11-25T10:00")
        out = invoke(["show", ticket_id, "--explain"]).stdout
        assert "2026-11-26" in out and "Thanksgiving" in out
        assert "2026-12-01" in out


class TestList:
    def test_open_by_default_emergencies_first(self, invoke: Invoker) -> None:
        first = invoke.new()
        emergency = invoke.new("--emergency", now="2026-11-30T11:00")
        closed = invoke.new()
        invoke(["close", closed, "-m", "Done"])
        rows = json.loads(invoke(["list", "--json"]).stdout)
        assert [r["id"] for r in rows] == [emergency, first]
        every = json.loads(invoke(["list", "--status", "all", "--json"]).stdout)
        assert {r["id"] for r in every} == {first, emergency, closed}
        assert [r["id"] for r in json.loads(invoke(["list", "--status", "closed", "--json"]).stdout)] == [closed]

    def test_building_and_assignee_filters(self, invoke: Invoker) -> None:
        high = invoke.new()
        junior = invoke(["new", "--building", "TMJH", "--summary", "Cart"]).stdout.split()[0]
        assert [r["id"] for r in json.loads(invoke(["list", "--building", "tmjh", "--json"]).stdout)] == [junior]
        mine = json.loads(invoke(["list", "--assignee", ETS, "--json"]).stdout)
        assert [r["id"] for r in mine] == [high]

    def test_table_marks_overdue(self, invoke: Invoker) -> None:
        ticket_id = invoke.new()
        emergency = invoke.new("--emergency", "--summary", "Front office phones have no dial tone at all today")
        out = invoke(["list"], now="2026-12-03T08:00").stdout
        # 80 columns: no status column in an open-only list, the district's addresses short,
        # the summary taking the room that is left.
        assert out == (
            "id          flags          building  assignee  due              summary\n"
            "----------  -------------  --------  --------  ---------------  ----------------\n"
            f"{emergency}  EMERG OVERDUE  PCHS      ets.pchs  Wed 12-02 10:00  Front office ph…\n"
            f"{ticket_id}  OVERDUE        PCHS      ets.pchs  Wed 12-02 10:00  Projector shows…\n"
        )

    def test_columns_that_say_nothing_are_left_out(self, invoke: Invoker) -> None:
        invoke.new()
        out = invoke(["list", "--building", "PCHS", "--assignee", ETS]).stdout
        assert out.splitlines()[0].split() == ["id", "due", "summary"]
        every = invoke(["list", "--status", "all"]).stdout
        assert every.splitlines()[0].split() == ["id", "status", "building", "assignee", "due", "summary"]

    def test_wide_shows_every_field(self, invoke: Invoker) -> None:
        ticket_id = invoke.new("--requester", TEACHER, "--category", "av")
        lines = invoke(["list", "--wide"]).stdout.splitlines()
        assert lines[0].split() == ["id", "status", "building", "category", "assignee", "requester", "entered",
                                    "due", "summary"]
        assert lines[2].split() == [ticket_id, "open", "PCHS", "av", ETS, TEACHER, "Mon", "11-30", "10:00",
                                    "Wed", "12-02", "10:00", "Projector", "shows", "no", "signal"]

    def test_fits_the_terminal_or_columns(self, invoke: Invoker) -> None:
        invoke.new("--summary", "Projector in room 204 shows no signal " * 5)
        for columns, widest in ((None, 80), ("100", 100), ("200", 200)):
            env = {"COLUMNS": columns} if columns else None
            out = invoke(["list"], env=env).stdout
            assert max(len(line) for line in out.splitlines()) == widest, out

    def test_empty_list_is_silent_for_a_script(self, invoke: Invoker) -> None:
        assert invoke(["list"]).output == ""

    def test_empty_list_on_a_terminal_says_so(self, store: Path) -> None:
        code, shown = run_in_terminal(["list"], store, "", {"PCSDESK_NOW": "2026-11-30T10:00", "COLUMNS": "80"})
        assert (code, shown) == (0, "no open tickets\n")
        code, shown = run_in_terminal(["list", "--building", "PCHS"], store, "", {"COLUMNS": "80"})
        assert (code, shown) == (0, "no open tickets in PCHS\n")

    def test_an_assignee_gone_quiet_after_answering_is_marked(self, invoke: Invoker) -> None:
        ticket_id = invoke.new("--requester", TEACHER, now="2026-11-30T10:00")
        invoke(["note", ticket_id, "-m", "Coming by at 1"], now="2026-11-30T11:00")   # the first response
        assert "QUIET" not in invoke(["list"], now="2026-12-02T10:00").stdout       # 15 business hours
        out = invoke(["list"], now="2026-12-02T12:00").stdout                         # 17
        assert out.splitlines()[2].startswith(f"{ticket_id}  QUIET  ")
        invoke(["note", ticket_id, "-m", "Waiting on a part"], now="2026-12-02T12:30")
        assert "QUIET" not in invoke(["list"], now="2026-12-02T13:00").stdout

    def test_show_json_names_the_quiet_assignee(self, invoke: Invoker) -> None:
        ticket_id = invoke.new("--requester", TEACHER, now="2026-11-30T10:00")
        invoke(["note", ticket_id, "-m", "Coming by at 1"], now="2026-11-30T11:00")
        data = json.loads(invoke(["show", ticket_id, "--json"], now="2026-12-02T12:30").stdout)
        assert data["quiet_assignee"] == {
            "assignee": ETS, "business_hours_quiet": 17.5, "business_seconds_quiet": 17 * 3600 + 1800,
            "supervisor": {"name": "Director of Technology (to be filled in)",
                           "email": "director.technology@pcschools.us", "phone": "x5000", "role": "department"},
        }
        calm = json.loads(invoke(["show", ticket_id, "--json"], now="2026-11-30T12:00").stdout)
        assert calm["quiet_assignee"] is None
        # Extended, never renamed: the fields before it are all still there, in their order.
        assert list(calm)[:3] == ["id", "status", "priority"] and "first_response_due" in calm

    def test_unknown_building_lists_the_codes(self, invoke: Invoker) -> None:
        result = invoke(["list", "--building", "XX"], ok=False)
        assert result.stderr == "Error: unknown building 'XX'; known: DO, EHMS, JRES, MES, PCHS, PPES, TES, TMJH\n"

    def test_a_broken_file_is_named_and_the_rest_still_listed(self, invoke: Invoker, store: Path) -> None:
        good = invoke.new()
        bad = invoke.new()
        path = store / ticket_path(bad)
        original = path.read_text()
        path.write_text(original + "status: closed\n")
        git(store, "commit", "-qam", "hand edit gone wrong")
        result = invoke(["list", "--json"], ok=False)
        assert result.exit_code == 1
        assert [r["id"] for r in json.loads(result.stdout)] == [good]
        line = len(original.splitlines()) + 1
        assert f"{ticket_path(bad)}:{line}: duplicate key 'status'" in result.stderr

    def test_a_broken_file_is_named_as_check_names_it(self, invoke: Invoker, store: Path) -> None:
        # One form for a place, `path:line:` (what editors jump to), in every command.
        bad = invoke.new()
        path = store / ticket_path(bad)
        path.write_text(path.read_text() + "status: closed\n")
        git(store, "commit", "-qam", "hand edit gone wrong")
        checked = invoke(["check"], ok=False).stdout + invoke(["check"], ok=False).stderr
        listed = invoke(["list"], ok=False).stderr
        overdue = invoke(["overdue", "--as-of", "2027-01-30T10:00"], ok=False).stderr
        place = next(line.split(" ")[0] for line in checked.splitlines() if ticket_path(bad) in line)
        assert place.startswith(f"{ticket_path(bad)}:") and place.endswith(":")
        assert listed.startswith(f"{place} ") and overdue.startswith(f"{place} ")
