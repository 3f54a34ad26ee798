"""Reads answer from HEAD, configuration included, and say so when the work tree differs;
bad values in a committed file are named with file, line and key, never an "unexpected failure"."""

from __future__ import annotations

from pathlib import Path

from support import Invoker, git

from pcsdesk.rules.ids import ticket_path


def commit_all(store: Path, message: str = "hand edit") -> None:
    git(store, "commit", "-q", "-am", message)


def line_holding(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_bytes().splitlines(), 1) if text.encode() in line)


class TestConfigurationFromHead:
    def test_an_uncommitted_snow_day_does_not_move_due_times_and_is_named(
        self, invoke: Invoker, store: Path
    ) -> None:
        ticket_id = invoke.new()
        text = (store / "calendar.yaml").read_text()
        (store / "calendar.yaml").write_text(
            text.replace("closed:\n", "closed:\n  - {date: 2026-12-01, reason: Snow day}\n", 1)
        )
        result = invoke(["show", ticket_id, "--json"])
        assert '"first_response_due": "2026-12-02T10:00:00-07:00"' in result.stdout
        assert result.stderr == (
            "Note: answered from the last commit (HEAD); not committed here: calendar.yaml\n"
        )
        commit_all(store, "Snow day")
        result = invoke(["show", ticket_id, "--json"])
        assert '"first_response_due": "2026-12-03T10:00:00-07:00"' in result.stdout
        assert result.stderr == ""

    def test_a_hand_edited_ticket_is_named_and_the_listing_comes_from_head(
        self, invoke: Invoker, store: Path
    ) -> None:
        ticket_id = invoke.new()
        path = store / ticket_path(ticket_id)
        path.write_text(path.read_text().replace("Projector shows no signal", "Edited by hand"))
        result = invoke(["list"])
        assert "Projector shows no signal" in result.stdout
        assert result.stderr == (
            f"Note: answered from the last commit (HEAD); not committed here: {ticket_path(ticket_id)}\n"
        )

    def test_a_clean_work_tree_says_nothing(self, invoke: Invoker, store: Path) -> None:
        invoke.new()
        (store / "notes.txt").write_text("not a ticket file: no notice\n")
        for command in (["list"], ["overdue"], ["report"]):
            assert invoke(command).stderr == ""

    def test_buildings_yaml_broken_in_the_work_tree_only_does_not_stop_a_write(
        self, invoke: Invoker, store: Path
    ) -> None:
        (store / "buildings.yaml").write_text("staff: [unclosed\n")
        ticket_id = invoke.new()
        assert git(store, "show", "--stat", "--format=", "HEAD").strip().startswith(ticket_path(ticket_id))


class TestBadValuesInFiles:
    def test_an_impossible_date_in_calendar_yaml(self, invoke: Invoker, store: Path) -> None:
        calendar = store / "calendar.yaml"
        calendar.write_text(calendar.read_text().replace("2027-02-15", "2027-02-30"))
        commit_all(store)
        line = line_holding(calendar, "2027-02-30")
        for command in (["list"], ["new", "--building", "PCHS", "--summary", "x"]):
            result = invoke(command, ok=False)
            assert result.exit_code == 1
            assert result.stderr == (
                f"Error: calendar.yaml:{line}: date: 2027-02-30 is not a real date or time "
                "(day is out of range for month)\n"
            )

    def test_calendar_yaml_that_is_not_utf8(self, invoke: Invoker, store: Path) -> None:
        calendar = store / "calendar.yaml"
        calendar.write_bytes(calendar.read_bytes().replace(b"Presidents' Day", b"Pr\xe9sidents' Day"))
        commit_all(store)
        line = line_holding(calendar, "Pr")
        result = invoke(["list"], ok=False)
        assert result.stderr == (
            f"Error: calendar.yaml:{line}: not UTF-8 text; save the file as UTF-8 and try again\n"
        )

    def test_a_5000_digit_number_in_a_ticket(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        path = store / ticket_path(ticket_id)
        path.write_text(path.read_text().replace("first_response_at: null", "first_response_at: " + "9" * 5000))
        commit_all(store)
        line = line_holding(path, "first_response_at")
        expected = (f"{ticket_path(ticket_id)}:{line}: first_response_at: 999999999999... "
                    "is not a usable number (5000 characters long)")
        shown = invoke(["show", ticket_id], ok=False)
        assert shown.stderr == f"Error: {expected}\n"
        listed = invoke(["list"], ok=False)
        assert listed.stderr.splitlines()[0] == expected
        checked = invoke(["check"], ok=False)
        assert checked.stdout == (f"{ticket_path(ticket_id)}:{line}: first_response_at: 999999999999... "
                                  "is not a usable number (5000 characters long)\n")
        for result in (shown, listed, checked):
            assert "unexpected failure" not in result.stderr
