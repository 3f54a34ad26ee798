"""`pcsdesk new`: entering, routing, emergencies, refusals with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import ETS, NETOPS, TEACHER, Invoker, git, object_database

from pcsdesk.cli import cli
from pcsdesk.rules.ids import ticket_path


def head(store: Path) -> str:
    return git(store, "rev-parse", "HEAD").strip()


def ticket_file(store: Path, ticket_id: str) -> Path:
    return store / ticket_path(ticket_id)


class TestEntering:
    def test_first_line_holds_the_id_and_the_file_is_committed(self, invoke: Invoker, store: Path) -> None:
        result = invoke(["new", "--building", "PCHS", "--summary", "Projector shows no signal"])
        ticket_id = result.stdout.splitlines()[0].split()[0]
        assert ticket_file(store, ticket_id).is_file()
        assert git(store, "status", "--porcelain") == ""
        assert git(store, "log", "-1", "--format=%s").strip() == f"{ticket_id} new: Projector shows no signal"
        assert git(store, "log", "-1", "--format=%ae").strip() == ETS

    def test_one_commit_holding_only_the_ticket(self, invoke: Invoker, store: Path) -> None:
        before = head(store)
        ticket_id = invoke.new()
        assert git(store, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
        changed = git(store, "diff-tree", "--no-commit-id", "--name-only", "-r", "HEAD").split()
        assert changed == [ticket_path(ticket_id)]

    def test_json_prints_the_ticket_with_its_due_time(self, invoke: Invoker) -> None:
        result = invoke(["new", "--building", "pchs", "--summary", "Printer jams", "--json"])
        data = json.loads(result.stdout)
        assert data["building"] == "PCHS"
        assert data["status"] == "open"
        assert data["priority"] == "normal"
        assert data["assignee"] == ETS
        assert data["entered_at"] == "2026-11-30T10:00:00-07:00"
        assert data["first_response_due"] == "2026-12-02T10:00:00-07:00"
        assert data["first_response_at"] is None
        assert data["notes"] == []

    def test_the_file_reads_well_in_a_pull_request(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new("--description", "Room 204.\nLaptop shows the desktop.\n",
                               "--category", "av", "--requester", TEACHER)
        text = ticket_file(store, ticket_id).read_text()
        keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith(" ")]
        assert keys == ["id", "status", "priority", "building", "category", "summary", "description",
                        "requester", "entered_by", "entered_at", "assignee", "first_response_at",
                        "checklist", "others_affected", "notes"]
        assert "description: |-\n  Room 204.\n  Laptop shows the desktop.\nrequester" in text

    def test_description_from_stdin(self, invoke: Invoker) -> None:
        result = invoke(["new", "--building", "PCHS", "--summary", "Email bounces", "--description", "-",
                         "--json"], input="From outside only.\nSince Monday.\n")
        assert json.loads(result.stdout)["description"] == "From outside only.\nSince Monday."

    def test_a_co_worker_enters_it_on_the_requesters_behalf(self, invoke: Invoker) -> None:
        result = invoke(["new", "--building", "PCHS", "--summary", "No sound", "--requester", TEACHER,
                         "--json"], as_user="aide@pcschools.us")
        data = json.loads(result.stdout)
        assert data["requester"] == TEACHER
        assert data["entered_by"] == "aide@pcschools.us"

    def test_checklist_answers_are_recorded(self, invoke: Invoker) -> None:
        result = invoke(["new", "--building", "PCHS", "--summary", "No sound", "--checked", "restart",
                         "--checked", "cables", "--json"])
        data = json.loads(result.stdout)
        # Every check, in the procedure's order, true where made; nothing known about others.
        assert list(data["checklist"].items()) == [
            ("cables", True), ("power", False), ("others", False), ("relogin", False),
            ("restart", True), ("internet", False), ("batteries", False)]
        assert data["others_affected"] is None


class TestChecklist:
    @pytest.mark.parametrize("answer, stored", [("yes", True), ("no", False), ("unknown", None)])
    def test_others_affected_is_recorded_and_means_the_check_was_made(
        self, invoke: Invoker, store: Path, answer: str, stored: bool | None
    ) -> None:
        ticket_id = invoke.new("--others-affected", answer)
        data = json.loads(invoke(["show", ticket_id, "--json"]).stdout)
        assert data["others_affected"] is stored
        assert data["checklist"]["others"] is (stored is not None)
        text = ticket_file(store, ticket_id).read_text()
        assert f"others_affected: {'null' if stored is None else str(stored).lower()}\nnotes:" in text

    def test_help_lists_every_check(self, invoke: Invoker) -> None:
        shown = invoke(["new", "--help"]).stdout
        for key in ("cables", "power", "others", "relogin", "restart", "internet", "batteries"):
            assert f"  {key} " in shown
        assert "I checked whether the batteries need charging" in shown
        assert "--others-affected [yes|no|unknown]" in shown

    def test_show_says_which_checks_were_made(self, invoke: Invoker) -> None:
        ticket_id = invoke.new("--checked", "batteries", "--others-affected", "yes")
        shown = invoke(["show", ticket_id]).stdout
        assert "Checks made:    others, batteries\n" in shown
        assert "Not checked:    cables, power, relogin, restart, internet\n" in shown
        assert "Others affected: yes: others have the same problem (a sign of an outage)\n" in shown

    def test_a_ticket_written_before_others_affected_still_reads(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new("--checked", "power")
        path = ticket_file(store, ticket_id)
        old = path.read_text().replace("others_affected: null\n", "")
        old = old.replace("  cables: false\n", "")
        path.write_text(old)
        git(store, "commit", "-qam", "a ticket as an older pcsdesk wrote it")
        data = json.loads(invoke(["show", ticket_id, "--json"]).stdout)
        assert data["others_affected"] is None
        assert data["checklist"]["power"] is True
        assert "Checks made:    power" in invoke(["show", ticket_id]).stdout
        invoke(["note", ticket_id, "-m", "On my way"])
        assert "others_affected: null\nnotes:" in path.read_text()


class TestRouting:
    def test_goes_to_the_building_ets(self, invoke: Invoker) -> None:
        result = invoke(["new", "--building", "TMJH", "--summary", "Chromebook cart", "--json"])
        assert json.loads(result.stdout)["assignee"] == "ets.tmjh@pcschools.us"

    def test_a_category_with_a_team_goes_to_that_team(self, invoke: Invoker) -> None:
        result = invoke(["new", "--building", "PCHS", "--summary", "Wi-Fi drops in the gym",
                         "--category", "network", "--json"])
        assert json.loads(result.stdout)["assignee"] == NETOPS

    def test_new_technology_is_refused_naming_the_building_ets(self, invoke: Invoker, store: Path) -> None:
        before = head(store)
        result = invoke(["new", "--building", "PCHS", "--summary", "Can we buy 3D printers?",
                         "--category", "new-technology"], ok=False)
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: ")
        assert "contact your building ETS" in result.stderr
        assert "PCHS ETS" in result.stderr and ETS in result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert head(store) == before


class TestEmergency:
    def test_recorded_marked_and_the_phone_path_printed(self, invoke: Invoker) -> None:
        result = invoke(["new", "--building", "PCHS", "--summary", "Whole building offline", "--emergency"],
                        as_user=TEACHER)
        lines = result.stdout.splitlines()
        ticket_id = lines[0].split()[0]
        # The shipped buildings.yaml has no phone for the PCHS ETS: say so, and go on to the NOC.
        assert lines[2] == ("  1. Call your building ETS, PCHS ETS (to be filled in): no phone number is "
                            "on file, so reach them as you can or go straight to step 2.")
        assert lines[3] == ("  2. If the ETS cannot be reached, call the Network Operations Center at x5051 "
                            "(435-645-5600 x5051 from outside); leave a message if no one answers "
                            "(it alerts several staff).")
        assert "@" not in result.stdout.split("Now phone:")[1]
        shown = json.loads(invoke(["show", ticket_id, "--json"]).stdout)
        assert shown["priority"] == "emergency"

    def test_a_phone_number_on_file_is_printed(self, invoke: Invoker, store: Path) -> None:
        config = store / "buildings.yaml"
        config.write_text(config.read_text().replace(
            'ets.pchs@pcschools.us: {name: "PCHS ETS (to be filled in)", role: ets,',
            'ets.pchs@pcschools.us: {name: "Maria Foster", role: ets, phone: x2110,'))
        git(store, "commit", "-qam", "the PCHS ETS's phone")
        result = invoke(["new", "--building", "PCHS", "--summary", "Phones down", "--emergency"],
                        as_user=TEACHER)
        assert "  1. Call your building ETS, Maria Foster, at x2110.\n" in result.stdout

    def test_the_ets_is_not_told_to_call_themselves(self, invoke: Invoker) -> None:
        result = invoke(["new", "--building", "PCHS", "--summary", "Whole building offline", "--emergency"],
                        as_user=ETS)
        path = result.stdout.split("Now phone:\n")[1]
        assert path == ("  1. You are the building ETS: call the Network Operations Center at x5051 "
                        "(435-645-5600 x5051 from outside); leave a message if no one answers "
                        "(it alerts several staff).\n")

    def test_json_stays_parseable(self, invoke: Invoker) -> None:
        result = invoke(["new", "--building", "PCHS", "--summary", "Phones down", "--emergency", "--json"])
        assert json.loads(result.stdout)["priority"] == "emergency"
        assert "x5051" in result.stderr


class TestMistakesWriteNothing:
    @pytest.mark.parametrize("args, message", [
        (["--building", "XX", "--summary", "x"],
         "Error: unknown building 'XX'; known: DO, EHMS, JRES, MES, PCHS, PPES, TES, TMJH\n"),
        (["--building", "PCHS", "--summary", "   "],
         "Error: the summary is empty; say in a few words what is wrong (--summary TEXT)\n"),
        (["--building", "PCHS", "--summary", "x", "--category", "nope"],
         "Error: unknown category 'nope'; known: accounts, av, email, hardware, helpdesk-system, "
         "network, new-technology, phones, printing, software\n"),
    ])
    def test_clear_one_line_error(self, invoke: Invoker, store: Path, args: list[str], message: str) -> None:
        before = head(store)
        result = invoke(["new", *args], ok=False)
        assert result.exit_code == 1
        assert result.stderr == message
        assert result.stdout == ""
        assert head(store) == before
        assert git(store, "status", "--porcelain") == ""

    def test_missing_summary_without_a_terminal(self, invoke: Invoker, store: Path) -> None:
        before = head(store)
        result = invoke(["new", "--building", "PCHS"], ok=False)
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: the summary is empty")
        assert head(store) == before

    @pytest.mark.parametrize("field", ["--summary", "--description"])
    def test_a_password_is_refused_before_anything_is_written(
        self, invoke: Invoker, store: Path, field: str
    ) -> None:
        before = head(store)
        args = ["new", "--building", "PCHS", "--summary", "Cannot log in"]
        if field == "--summary":
            args[-1] = "my password is Tiger123"
        else:
            args += ["--description", "login jsmith / password Winter2025"]
        result = invoke(args, ok=False)
        assert result.exit_code == 1
        assert "password" in result.stderr
        assert "Tiger123" not in result.stderr and "Winter2025" not in result.stderr
        assert head(store) == before
        assert git(store, "status", "--porcelain") == ""
        # Nothing reached the object database either: git history is forever.
        objects = object_database(store)
        assert b"Tiger123" not in objects and b"Winter2025" not in objects

    @pytest.mark.parametrize("requester", ["not-an-email", "Bob <jsmith@pcschools.us>", "a@b", "x y@pcschools.us"])
    def test_the_requester_must_be_one_email_address(
        self, invoke: Invoker, store: Path, requester: str
    ) -> None:
        before = head(store)
        result = invoke(["new", "--building", "PCHS", "--summary", "x", "--requester", requester], ok=False)
        assert result.exit_code == 1
        assert result.stderr == (f"Error: the requester must be one email address such as "
                                 f"jsmith@pcschools.us, not {requester!r} (--requester EMAIL)\n")
        assert head(store) == before

    def test_talk_about_passwords_is_accepted(self, invoke: Invoker) -> None:
        invoke(["new", "--building", "PCHS", "--summary", "Please reset my password",
                "--description", "Wi-Fi asks for a password on every login"])


def test_a_description_on_stdin_that_is_not_utf8_is_a_clear_error(invoke: Invoker, store: Path) -> None:
    before = head(store)
    result = CliRunner().invoke(
        cli, ["--store", str(store), "--as", ETS, "new", "--building", "PCHS", "--summary", "x",
              "--description", "-"], input=b"caf\xe9\n", env={"PCSDESK_NOW": "2026-11-30T10:00"})
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the description on standard input is not UTF-8 text")
    assert head(store) == before
