"""`show` and `list`: a ticket for a person, the listings, and broken files."""

from __future__ import annotations

import json
from pathlib import Path

from support import ETS, TEACHER, Invoker, git

from pcsdesk.rules.ids import ticket_path


class TestShow:
    def test_text_shows_fields_due_time_and_log(self, invoke: Invoker) -> None:
        ticket_id = invoke.new("--description", "Room 204", "--requester", TEACHER)
        invoke(["note", ticket_id, "-m", "Cable swapped\nStill dark"], now="2026-11-30T11:00")
        out = invoke(["show", ticket_id]).stdout
        assert f"Ticket:         {ticket_id}  [open]" in out
        assert "Response due:   2026-12-02T10:00:00-07:00 (by Wed Dec 2, 10:00)" in out
        assert "First response: 2026-11-30T11:00:00-07:00 (met)" in out
        assert f"Requester:      {TEACHER} (entered by {ETS})" in out
        assert "  2026-11-30T11:00:00-07:00  note  by ets.pchs@pcschools.us\n      Cable swapped\n      Still dark" in out

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
        out = invoke(["list"], now="2026-12-03T08:00").stdout.splitlines()
        assert out[0].split() == ["id", "pri", "status", "building", "assignee", "due", "late", "summary"]
        assert out[2].startswith(ticket_id)
        assert "2026-12-02 10:00" in out[2] and "OVERDUE" in out[2]

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
