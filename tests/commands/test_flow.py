"""The ticket flow: note, assign, escalate, close, reopen on real repositories.

Each action appends one entry and makes one commit of one file by the actor;
the wrong person, a missing escalation note or a password is refused with
nothing written; the first response is set once, by staff other than the requester.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from support import ETS, NETOPS, TEACHER, TECH, Invoker, git, object_database, run_cli

from pcsdesk.cli import cli
from pcsdesk.rules.ids import ticket_path

COWORKER = "mjones@pcschools.us"
SUMMARY = "Projector shows no signal"

# Each action as (arguments after the ID, who may do it on a teacher's ticket, the kind it logs).
ACTIONS: dict[str, tuple[list[str], str, str]] = {
    "note": (["note", "-m", "Swapped the HDMI cable"], ETS, "note"),
    "assign": (["assign", "--to", TECH, "-m", "Lamp swap, room 204"], ETS, "assign"),
    "escalate": (["escalate", "--to", NETOPS, "-m", "Port 2-14 shows no link"], ETS, "escalate"),
    "close": (["close", "-m", "Replaced the lamp"], ETS, "close"),
    "reopen": (["reopen", "-m", "Dark again this morning"], TEACHER, "reopen"),
}


def act(invoke: Invoker, ticket_id: str, name: str, **kwargs: Any) -> Any:
    args, actor, _ = ACTIONS[name]
    kwargs.setdefault("as_user", actor)
    return invoke([args[0], ticket_id, *args[1:]], **kwargs)


def teacher_ticket(invoke: Invoker, closed: bool = False) -> str:
    ticket_id = invoke.new(as_user=TEACHER)
    if closed:
        invoke(["close", ticket_id, "-m", "Works after a restart"], as_user=TEACHER)
    return ticket_id


def head(store: Path) -> str:
    return git(store, "rev-parse", "HEAD").strip()


def status(store: Path) -> str:
    return git(store, "status", "--porcelain")


def ticket_data(store: Path, ticket_id: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((store / ticket_path(ticket_id)).read_text())
    return data


def notes_block(store: Path, ticket_id: str) -> bytes:
    """The file's bytes from `notes:` on: the log, which an action may only extend."""
    content = (store / ticket_path(ticket_id)).read_bytes()
    start = content.find(b"\nnotes:")
    assert start >= 0, content
    return content[start:]


def assert_nothing_written(store: Path, before: str, result: Any) -> None:
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert head(store) == before
    assert status(store) == ""


class TestNotesOnlyAppend:
    def test_every_action_keeps_the_earlier_log_byte_for_byte(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        steps = [
            (["note", ticket_id, "-m", "It flickers first, then goes dark"], TEACHER),
            (["note", ticket_id, "-m", "Line one\nLine two: indented?\n  yes"], ETS),
            (["assign", ticket_id, "--to", TECH], ETS),
            (["escalate", ticket_id, "--to", NETOPS, "-m", "Port dead; cable tested good"], TECH),
            (["note", ticket_id, "-m", "Switch port re-enabled"], NETOPS),
            (["close", ticket_id, "-m", "Working again"], NETOPS),
            (["reopen", ticket_id, "-m", "Dark again"], TEACHER),
            (["note", ticket_id, "-m", "On my way"], TECH),
        ]
        previous_block = notes_block(store, ticket_id)
        previous_notes = ticket_data(store, ticket_id)["notes"]
        assert previous_notes == []
        for number, (args, actor) in enumerate(steps, start=1):
            invoke(args, as_user=actor, now=f"2026-11-30T1{number // 4}:{number:02d}")
            block = notes_block(store, ticket_id)
            notes = ticket_data(store, ticket_id)["notes"]
            if previous_notes:
                assert block.startswith(previous_block), args
            assert notes[:-1] == previous_notes
            assert len(notes) == number
            assert notes[-1]["by"] == actor and notes[-1]["kind"] == args[0]
            previous_block, previous_notes = block, notes
        assert [n["kind"] for n in previous_notes] == [
            "note", "note", "assign", "escalate", "note", "close", "reopen", "note"]
        assert previous_notes[1]["text"] == "Line one\nLine two: indented?\n  yes"
        assert previous_notes[2] == {"at": "2026-11-30T10:03:00-07:00", "by": ETS, "kind": "assign",
                                     "to": TECH, "text": ""}

    def test_every_earlier_version_of_the_log_is_a_prefix_in_history(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        for name in ("note", "assign", "escalate", "close", "reopen"):
            act(invoke, ticket_id, name)
        versions = [yaml.safe_load(git(store, "show", f"{commit}:{ticket_path(ticket_id)}"))["notes"]
                    for commit in git(store, "rev-list", "--reverse", "HEAD", "--",
                                      ticket_path(ticket_id)).split()]
        assert [len(v) for v in versions] == [0, 1, 2, 3, 4, 5]
        for earlier, later in itertools.pairwise(versions):
            assert later[: len(earlier)] == earlier


class TestOneCommitPerAction:
    @pytest.mark.parametrize("name", list(ACTIONS))
    def test_one_commit_of_one_file_by_the_actor(self, name: str, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke, closed=name == "reopen")
        before = head(store)
        result = act(invoke, ticket_id, name)
        _, actor, kind = ACTIONS[name]
        assert git(store, "rev-list", f"{before}..HEAD").split() == [head(store)]
        assert git(store, "show", "--name-only", "--format=", "HEAD").split() == [ticket_path(ticket_id)]
        assert git(store, "log", "-1", "--format=%ae").strip() == actor
        message = git(store, "log", "-1", "--format=%B")
        assert message.splitlines()[0] == f"{ticket_id} {kind}: {SUMMARY}"
        assert f"Pcsdesk-Ticket: {ticket_id}\nPcsdesk-Action: {kind}\n" in message
        assert status(store) == ""
        assert result.stdout.startswith(f"{ticket_id} {kind} recorded")

    @pytest.mark.parametrize("name", list(ACTIONS))
    def test_unrelated_staged_and_modified_files_stay_as_they_were(
        self, name: str, invoke: Invoker, store: Path
    ) -> None:
        ticket_id = teacher_ticket(invoke, closed=name == "reopen")
        other = teacher_ticket(invoke)
        (store / "notes-to-self.txt").write_text("half-done work\n")
        git(store, "add", "notes-to-self.txt")
        with (store / "calendar.yaml").open("a") as handle:
            handle.write("# snow day tomorrow?\n")
        other_path = store / ticket_path(other)
        other_path.write_text(other_path.read_text() + "# a hand edit in progress\n")
        git(store, "add", ticket_path(other))
        staged_before = git(store, "diff", "--cached")
        modified_before = git(store, "diff")
        act(invoke, ticket_id, name)
        assert git(store, "show", "--name-only", "--format=", "HEAD").split() == [ticket_path(ticket_id)]
        assert sorted(status(store).splitlines()) == sorted(
            ["A  notes-to-self.txt", " M calendar.yaml", f"M  {ticket_path(other)}"])
        assert git(store, "diff", "--cached") == staged_before
        assert git(store, "diff") == modified_before

    def test_the_escalation_commit_says_to_whom(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        act(invoke, ticket_id, "escalate")
        assert f"To: {NETOPS}" in git(store, "log", "-1", "--format=%b")

    def test_a_staged_hand_edit_of_the_ticket_itself_is_never_overwritten(
        self, invoke: Invoker, store: Path
    ) -> None:
        ticket_id = teacher_ticket(invoke)
        path = store / ticket_path(ticket_id)
        path.write_text(path.read_text().replace("Projector", "Beamer"))
        git(store, "add", ticket_path(ticket_id))
        before = head(store)
        result = invoke(["note", ticket_id, "-m", "x"], ok=False)
        assert result.exit_code == 1
        assert f"git checkout HEAD -- {ticket_path(ticket_id)}" in result.stderr
        assert head(store) == before
        assert "Beamer" in path.read_text()
        assert "Beamer" in git(store, "show", f":{ticket_path(ticket_id)}")


class TestFirstResponse:
    def first_response(self, invoke: Invoker, ticket_id: str) -> Any:
        return json.loads(invoke(["show", ticket_id, "--json"]).stdout)["first_response_at"]

    def test_the_assignment_at_entry_is_not_a_response(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        data = ticket_data(store, ticket_id)
        assert data["assignee"] == ETS and data["first_response_at"] is None and data["notes"] == []
        assert self.first_response(invoke, ticket_id) is None

    def test_the_requesters_own_notes_are_not_a_response(self, invoke: Invoker) -> None:
        ticket_id = teacher_ticket(invoke)
        invoke(["note", ticket_id, "-m", "Still dark"], as_user=TEACHER, now="2026-11-30T11:00")
        invoke(["note", ticket_id, "-m", "Any news?"], as_user=COWORKER, now="2026-11-30T11:30")
        assert self.first_response(invoke, ticket_id) is None
        out = invoke(["overdue"], now="2026-12-03T10:00").stdout
        assert ticket_id in out

    def test_staff_who_are_the_requester_do_not_answer_themselves(self, invoke: Invoker) -> None:
        ticket_id = invoke.new(as_user=TECH)
        invoke(["note", ticket_id, "-m", "Ordered a lamp"], as_user=TECH)
        invoke(["close", ticket_id, "-m", "Fixed it myself"], as_user=TECH)
        assert self.first_response(invoke, ticket_id) is None

    def test_a_staff_note_is_the_response_set_once_and_never_moved(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        invoke(["note", ticket_id, "-m", "Still dark"], as_user=TEACHER, now="2026-11-30T10:30")
        invoke(["note", ticket_id, "-m", "Coming by at 1"], as_user=ETS, now="2026-11-30T11:00")
        assert self.first_response(invoke, ticket_id) == "2026-11-30T11:00:00-07:00"
        invoke(["escalate", ticket_id, "--to", NETOPS, "-m", "Port dead"], as_user=ETS, now="2026-12-01T09:00")
        invoke(["close", ticket_id, "-m", "Port fixed"], as_user=NETOPS, now="2026-12-01T10:00")
        invoke(["reopen", ticket_id, "-m", "Dark again"], as_user=TEACHER, now="2026-12-02T08:00")
        invoke(["note", ticket_id, "-m", "Looking"], as_user=TECH, now="2026-12-02T09:00")
        assert self.first_response(invoke, ticket_id) == "2026-11-30T11:00:00-07:00"
        assert ticket_data(store, ticket_id)["first_response_at"] == "2026-11-30T11:00:00-07:00"
        assert "First response: Mon 11-30 11:00 (met)" in invoke(["show", ticket_id]).stdout

    @pytest.mark.parametrize("name", ["note", "assign", "escalate", "close"])
    def test_each_staff_action_counts(self, name: str, invoke: Invoker) -> None:
        ticket_id = teacher_ticket(invoke)
        act(invoke, ticket_id, name, now="2026-12-03T08:00")
        assert self.first_response(invoke, ticket_id) == "2026-12-03T08:00:00-07:00"
        assert "(missed)" in invoke(["show", ticket_id]).stdout

    def test_closing_by_the_requester_is_not_a_response(self, invoke: Invoker) -> None:
        ticket_id = teacher_ticket(invoke, closed=True)
        assert self.first_response(invoke, ticket_id) is None


class TestRefusals:
    """The wrong person, a missing note or a password: one line, exit 1, nothing written."""

    def test_escalation_without_notes(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        before = head(store)
        result = invoke(["escalate", ticket_id, "--to", NETOPS], ok=False)
        assert_nothing_written(store, before, result)
        assert result.stderr == (
            "Error: escalation note is required: pass -m TEXT (or -m - to read standard input)\n")
        for given, stdin in (("", None), ("  \n ", None), ("-", ""), ("-", "\n\n")):
            result = invoke(["escalate", ticket_id, "--to", NETOPS, "-m", given], ok=False, input=stdin)
            assert_nothing_written(store, before, result)
            assert result.stderr == ("Error: an escalation carries the research so far (the procedure, "
                                     "step 3b); write it in the note (-m TEXT)\n")

    def test_a_teacher_may_not_assign_or_escalate(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        before = head(store)
        for args in (["assign", ticket_id, "--to", TECH], ["escalate", ticket_id, "--to", NETOPS, "-m", "help"]):
            result = invoke(args, as_user=TEACHER, ok=False)
            assert_nothing_written(store, before, result)
            assert result.stderr == (
                f"Error: only technology staff may {args[0]} a ticket and {TEACHER} is not listed "
                "under staff in buildings.yaml; add a note instead (`pcsdesk note ID -m ...`)\n")

    def test_only_staff_receive_a_ticket(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        before = head(store)
        for args in (["assign", ticket_id, "--to", TEACHER], ["escalate", ticket_id, "--to", "x", "-m", "n"]):
            result = invoke(args, ok=False)
            assert_nothing_written(store, before, result)
            assert f"is not technology staff; {args[0]} to one of: director.technology@pcschools.us, " in result.stderr
            assert NETOPS in result.stderr

    @pytest.mark.parametrize("verb", ["assign", "escalate"])
    def test_handing_a_ticket_to_its_holder_is_refused(self, verb: str, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)   # held by the PCHS ETS
        before = head(store)
        for message in ([], ["-m", "Yours"]) if verb == "assign" else (["-m", "Yours"],):
            result = invoke([verb, ticket_id, "--to", ETS.upper(), *message], ok=False)
            assert_nothing_written(store, before, result)
            assert result.stderr == (
                f"Error: ticket {ticket_id} is already held by PCHS ETS (to be filled in) <{ETS}>; "
                f"{verb} it to someone else, or add a note (`pcsdesk note {ticket_id} -m ...`)\n")

    def test_a_bare_name_for_a_staff_member_suggests_the_address(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        before = head(store)
        result = invoke(["assign", ticket_id, "--to", "netops"], ok=False)
        assert_nothing_written(store, before, result)
        assert result.stderr.endswith("; did you mean netops@pcschools.us?\n")

    def test_a_teacher_may_not_close_or_reopen_someone_elses_ticket(self, invoke: Invoker, store: Path) -> None:
        open_one = invoke.new(as_user=COWORKER)
        closed_one = invoke.new(as_user=COWORKER)
        invoke(["close", closed_one, "-m", "done"], as_user=COWORKER)
        before = head(store)
        for verb, ticket_id in (("close", open_one), ("reopen", closed_one)):
            result = invoke([verb, ticket_id, "-m", "mine now"], as_user=TEACHER, ok=False)
            assert_nothing_written(store, before, result)
            assert result.stderr == (f"Error: only the requester ({COWORKER}) or technology staff may "
                                     f"{verb} ticket {ticket_id}; add a note instead\n")

    def test_closing_a_closed_and_reopening_an_open_ticket(self, invoke: Invoker, store: Path) -> None:
        closed = teacher_ticket(invoke, closed=True)
        still_open = teacher_ticket(invoke)
        before = head(store)
        result = invoke(["close", closed, "-m", "again"], ok=False)
        assert_nothing_written(store, before, result)
        assert result.stderr == f"Error: ticket {closed} is already closed; reopen it first if needed\n"
        result = invoke(["reopen", still_open, "-m", "again"], ok=False)
        assert_nothing_written(store, before, result)
        assert result.stderr == f"Error: ticket {still_open} is open already\n"

    @pytest.mark.parametrize("name", list(ACTIONS))
    def test_a_password_in_any_note_is_refused(self, name: str, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke, closed=name == "reopen")
        before = head(store)
        args, actor, _ = ACTIONS[name]
        text_at = args.index("-m") + 1
        with_secret = [*args[:text_at], "pw: Summer2024!", *args[text_at + 1:]]
        result = invoke([args[0], ticket_id, *with_secret[1:]], as_user=actor, ok=False)
        assert_nothing_written(store, before, result)
        assert "Summer2024" not in result.stderr
        piped = [*args[:text_at], "-", *args[text_at + 1:]]
        result = invoke([args[0], ticket_id, *piped[1:]], as_user=actor, ok=False,
                        input="Called the teacher.\nHer login is jsmith / password Winter2025\n")
        assert_nothing_written(store, before, result)
        assert "Winter2025" not in result.stderr
        objects = object_database(store)
        assert b"Summer2024" not in objects and b"Winter2025" not in objects

    def test_the_password_message(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        result = invoke(["note", ticket_id, "-m", "pw: Summer2024!"], ok=False)
        assert result.stderr.startswith("Error: the note seems to state a password")

    def test_talk_about_passwords_is_accepted(self, invoke: Invoker) -> None:
        ticket_id = teacher_ticket(invoke)
        invoke(["note", ticket_id, "-m", "Password expired; please reset my password"], as_user=TEACHER)

    @pytest.mark.parametrize("verb", ["note", "close", "reopen"])
    def test_a_missing_message_without_a_terminal(self, verb: str, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke, closed=verb == "reopen")
        before = head(store)
        result = invoke([verb, ticket_id], ok=False)
        assert_nothing_written(store, before, result)
        assert "is required: pass -m TEXT (or -m - to read standard input)" in result.stderr

    def test_an_empty_note(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        before = head(store)
        result = invoke(["note", ticket_id, "-m", " "], ok=False)
        assert_nothing_written(store, before, result)
        assert result.stderr == "Error: the note is empty; say what was done or found (-m TEXT)\n"

    def test_an_empty_resolution_or_reason_names_the_flag_after_the_cores_words(
            self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        before = head(store)
        result = invoke(["close", ticket_id, "-m", " "], ok=False)
        assert_nothing_written(store, before, result)
        assert result.stderr == "Error: closing a ticket records the resolution; write it in the note (-m TEXT)\n"
        invoke(["close", ticket_id, "-m", "Fixed"])
        closed = head(store)
        result = invoke(["reopen", ticket_id, "-m", " "], ok=False)
        assert_nothing_written(store, closed, result)
        assert result.stderr == "Error: say in the note why the ticket is reopened (-m TEXT)\n"

    def test_an_unknown_or_malformed_ticket(self, invoke: Invoker, store: Path) -> None:
        teacher_ticket(invoke)
        before = head(store)
        result = invoke(["note", "2611-AAAAA", "-m", "hello"], ok=False)
        assert_nothing_written(store, before, result)
        assert result.stderr == "Error: no ticket '2611-AAAAA'; `pcsdesk list --status all` shows the tickets\n"
        result = invoke(["close", "../../etc/passwd", "-m", "x"], ok=False)
        assert_nothing_written(store, before, result)
        assert "is not a ticket ID" in result.stderr

    def test_missing_message_end_to_end_without_a_terminal(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        before = head(store)
        done = run_cli(["note", ticket_id], store, {"PCSDESK_USER": ETS, "PCSDESK_NOW": "2026-11-30T11:00"},
                       input="")
        assert done.returncode == 1
        assert done.stdout == ""
        assert done.stderr == "Error: note is required: pass -m TEXT (or -m - to read standard input)\n"
        assert head(store) == before and status(store) == ""


class TestWhoMay:
    def test_the_requester_closes_and_reopens_their_own_ticket(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        invoke(["close", ticket_id, "-m", "Restart fixed it"], as_user=TEACHER)
        assert ticket_data(store, ticket_id)["status"] == "closed"
        invoke(["reopen", ticket_id, "-m", "Back again"], as_user=TEACHER.upper())
        assert ticket_data(store, ticket_id)["status"] == "open"

    def test_anyone_may_add_a_note(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        invoke(["note", ticket_id, "-m", "Same in room 206"], as_user=COWORKER)
        assert ticket_data(store, ticket_id)["notes"][-1]["by"] == COWORKER

    def test_staff_close_any_ticket_and_hand_it_to_staff_typed_in_any_case(
        self, invoke: Invoker, store: Path
    ) -> None:
        ticket_id = teacher_ticket(invoke)
        invoke(["assign", ticket_id, "--to", " Tech.PCHS@pcschools.us "], as_user=NETOPS)
        assert ticket_data(store, ticket_id)["assignee"] == TECH
        invoke(["close", ticket_id.lower(), "-m", "Done"], as_user=NETOPS)
        assert ticket_data(store, ticket_id)["status"] == "closed"


class TestStatusAndAssignee:
    def ids(self, invoke: Invoker, *args: str) -> list[str]:
        return [row["id"] for row in json.loads(invoke(["list", "--json", *args]).stdout)]

    def test_close_and_reopen_move_the_ticket_between_views(self, invoke: Invoker) -> None:
        ticket_id = teacher_ticket(invoke)
        other = teacher_ticket(invoke)
        assert set(self.ids(invoke)) == {ticket_id, other}
        assert self.ids(invoke, "--status", "closed") == []
        invoke(["close", ticket_id, "-m", "Fixed"])
        assert self.ids(invoke) == [other]
        assert self.ids(invoke, "--status", "open") == [other]
        assert self.ids(invoke, "--status", "closed") == [ticket_id]
        assert ticket_id not in invoke(["list"]).stdout
        invoke(["reopen", ticket_id, "-m", "Broken again"], as_user=TEACHER)
        assert set(self.ids(invoke, "--status", "open")) == {ticket_id, other}
        assert self.ids(invoke, "--status", "closed") == []
        assert set(self.ids(invoke, "--status", "all")) == {ticket_id, other}

    def test_assign_and_escalate_move_the_ticket_between_assignees(self, invoke: Invoker) -> None:
        ticket_id = teacher_ticket(invoke)
        assert self.ids(invoke, "--assignee", ETS) == [ticket_id]
        result = invoke(["assign", ticket_id, "--to", TECH])
        assert result.stdout == f"{ticket_id} assign recorded; assigned to {TECH} [open]\n"
        assert self.ids(invoke, "--assignee", ETS) == []
        assert self.ids(invoke, "--assignee", TECH) == [ticket_id]
        invoke(["escalate", ticket_id, "--to", NETOPS, "-m", "Needs the switch"], as_user=TECH)
        assert self.ids(invoke, "--assignee", NETOPS) == [ticket_id]
        assert self.ids(invoke, "--assignee", TECH) == []


class TestStdin:
    def test_dash_reads_standard_input_whole(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        text = "From the call:\n- lamp hours 4,100\n- replaced the fuse\n"
        invoke(["note", ticket_id, "-m", "-"], input=text)
        assert ticket_data(store, ticket_id)["notes"][-1]["text"] == text.rstrip()
        assert "text: |-\n    From the call:\n    - lamp hours 4,100" in (store / ticket_path(ticket_id)).read_text()

    def test_for_every_flow_command(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        invoke(["assign", ticket_id, "--to", TECH, "-m", "-"], input="over to you\n")
        invoke(["escalate", ticket_id, "--to", NETOPS, "-m", "-"], input="port dead\n", as_user=TECH)
        invoke(["close", ticket_id, "-m", "-"], input="fixed\n", as_user=NETOPS)
        invoke(["reopen", ticket_id, "-m", "-"], input="again\n", as_user=TEACHER)
        assert [n["text"] for n in ticket_data(store, ticket_id)["notes"]] == [
            "over to you", "port dead", "fixed", "again"]


    def test_windows_line_ends_and_a_byte_order_mark_are_plain_text(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        result = CliRunner().invoke(cli, ["--store", str(store), "--as", ETS, "note", ticket_id, "-m", "-"],
                                    input=b"\xef\xbb\xbfFrom Notepad\r\nsecond line\r\n",
                                    env={"PCSDESK_NOW": "2026-11-30T11:00"})
        assert result.exit_code == 0, result.output
        assert ticket_data(store, ticket_id)["notes"][-1]["text"] == "From Notepad\nsecond line"

    def test_bytes_that_are_not_utf8_are_refused_plainly(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        before = head(store)
        result = CliRunner().invoke(cli, ["--store", str(store), "--as", ETS, "note", ticket_id, "-m", "-"],
                                    input=b"caf\xe9 au lait\n", env={"PCSDESK_NOW": "2026-11-30T11:00"})
        assert_nothing_written(store, before, result)
        assert result.stderr == ("Error: the note on standard input is not UTF-8 text (byte 4); "
                                 "save it as UTF-8 and try again\n")


class TestConcurrency:
    def test_notes_from_processes_at_the_same_moment_all_survive(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        before = int(git(store, "rev-list", "--count", "HEAD"))
        env = {**os.environ, "PCSDESK_NOW": "2026-11-30T11:00"}
        processes = [subprocess.Popen(
            [sys.executable, "-m", "pcsdesk", "--as", who, "note", ticket_id, "-m", f"from {who}"],
            cwd=store, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        ) for who in (ETS, TECH, NETOPS, TEACHER)]
        assert [p.wait(timeout=60) for p in processes] == [0, 0, 0, 0]
        assert int(git(store, "rev-list", "--count", "HEAD")) == before + 4
        notes = ticket_data(store, ticket_id)["notes"]
        assert sorted(n["text"] for n in notes) == sorted(f"from {w}" for w in (ETS, TECH, NETOPS, TEACHER))
        assert status(store) == ""
        # One of the three staff answered first; whoever it was, the time is the note's.
        assert ticket_data(store, ticket_id)["first_response_at"] == "2026-11-30T11:00:00-07:00"


class TestShow:
    def test_the_whole_log_in_order(self, invoke: Invoker) -> None:
        ticket_id = teacher_ticket(invoke)
        invoke(["note", ticket_id, "-m", "Still dark"], as_user=TEACHER, now="2026-11-30T10:30")
        invoke(["assign", ticket_id, "--to", TECH], now="2026-11-30T11:00")
        invoke(["escalate", ticket_id, "--to", NETOPS, "-m", "Port 2-14 dead\ncable good"], as_user=TECH,
               now="2026-11-30T13:00")
        invoke(["close", ticket_id, "-m", "Port re-enabled"], as_user=NETOPS, now="2026-12-01T08:00")
        out = invoke(["show", ticket_id], now="2026-12-01T09:00").stdout
        assert out.endswith(
            "Notes (4):\n"
            f"  Mon 11-30 10:30  note  by {TEACHER}\n"
            "      Still dark\n"
            f"  Mon 11-30 11:00  assign -> {TECH}  by {ETS}\n"
            f"  Mon 11-30 13:00  escalate -> {NETOPS}  by {TECH}\n"
            "      Port 2-14 dead\n"
            "      cable good\n"
            f"  Tue 12-01 08:00  close  by {NETOPS}\n"
            "      Port re-enabled\n")
        assert f"Ticket:         {ticket_id}  [closed]" in out
        assert "Assignee:       Network Operations Center <netops@pcschools.us>, x5051" in out
        assert "First response: Mon 11-30 11:00 (met)" in out

    def test_the_supervisor_of_a_quiet_assignee_is_named(self, invoke: Invoker) -> None:
        ticket_id = teacher_ticket(invoke)
        invoke(["escalate", ticket_id, "--to", NETOPS, "-m", "Switch port?"], now="2026-11-30T11:00")
        # Two business days later nobody at the NOC has written: name their supervisor.
        quiet = invoke(["show", ticket_id], now="2026-12-02T11:00").stdout
        assert ("Attention:      Network Operations Center <netops@pcschools.us>, x5051 has not updated "
                "this ticket for 16.0 business hours; contact their supervisor, Director of Technology "
                "(to be filled in) <director.technology@pcschools.us>, x5000") in quiet
        # The teacher writing does not count as the assignee answering.
        invoke(["note", ticket_id, "-m", "Any news?"], as_user=TEACHER, now="2026-12-02T11:30")
        assert "contact their supervisor" in invoke(["show", ticket_id], now="2026-12-02T12:00").stdout
        invoke(["note", ticket_id, "-m", "Replacing the switch"], as_user=NETOPS, now="2026-12-02T12:00")
        assert "supervisor" not in invoke(["show", ticket_id], now="2026-12-02T13:00").stdout
        invoke(["close", ticket_id, "-m", "Done"], as_user=NETOPS, now="2026-12-02T14:00")
        assert "supervisor" not in invoke(["show", ticket_id], now="2027-01-20T13:00").stdout

    def test_a_reopen_starts_the_assignees_clock_again(self, invoke: Invoker) -> None:
        ticket_id = teacher_ticket(invoke)
        invoke(["close", ticket_id, "-m", "Done"], now="2026-11-30T11:00")
        # Closed for a week: that was nobody's silence.
        invoke(["reopen", ticket_id, "-m", "Dark again"], as_user=TEACHER, now="2026-12-07T08:00")
        assert "supervisor" not in invoke(["show", ticket_id], now="2026-12-08T08:00").stdout
        assert "has not updated this ticket for 16.0 business hours" in invoke(
            ["show", ticket_id], now="2026-12-09T08:00").stdout

    def test_the_quiet_time_keeps_its_fraction(self, invoke: Invoker) -> None:
        ticket_id = teacher_ticket(invoke)
        invoke(["escalate", ticket_id, "--to", NETOPS, "-m", "Switch port?"], now="2026-11-30T11:00")
        # 17.5 business hours, not "17": the supervisor reads how long, not a round-down.
        shown = invoke(["show", ticket_id], now="2026-12-02T12:30").stdout
        assert "has not updated this ticket for 17.5 business hours" in shown


EDITOR_SCRIPT = """#!/bin/sh
# Keep what pcsdesk offered, then write the technician's text above it, as a person would.
cp "$1" "$OFFERED"
{ printf '%s\\n' "$TYPED"; cat "$OFFERED"; } > "$1"
"""


class TestEditor:
    """`-m` left out at a real terminal opens $EDITOR, as `git commit` does."""

    @pytest.fixture
    def editor(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        monkeypatch.delenv("VISUAL", raising=False)
        script = tmp_path / "fake-editor"
        script.write_text(EDITOR_SCRIPT)
        script.chmod(0o755)
        return script

    def run(self, store: Path, editor: str, args: list[str], typed: str = "",
            user: str = ETS) -> tuple[int, str]:
        from support import run_in_terminal

        env = {"EDITOR": editor, "TYPED": typed, "OFFERED": str(store.parent / "offered.txt"),
               "PCSDESK_USER": user, "PCSDESK_NOW": "2026-11-30T11:00"}
        return run_in_terminal(args, store, "", env)

    def test_the_editor_text_becomes_the_note(self, invoke: Invoker, store: Path, editor: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        code, shown = self.run(store, str(editor), ["note", ticket_id],
                               typed="Checked the port\n#42 on the panel is dead")
        assert code == 0, shown
        assert f"{ticket_id} note recorded [open]" in shown
        note = ticket_data(store, ticket_id)["notes"][-1]
        assert note == {"at": "2026-11-30T11:00:00-07:00", "by": ETS, "kind": "note",
                        "text": "Checked the port\n#42 on the panel is dead"}
        assert git(store, "log", "-1", "--format=%ae %s").strip() == f"{ETS} {ticket_id} note: {SUMMARY}"
        offered = (store.parent / "offered.txt").read_text()
        assert offered.startswith("\n# Everything below this line is ignored.\n"
                                  "# Write the note above. An empty note cancels.\n")
        assert f"# Ticket:         {ticket_id}  [open]\n" in offered
        assert f"# Summary:        {SUMMARY}\n" in offered
        assert "# Notes (0):\n" in offered
        assert status(store) == ""

    def test_escalate_close_and_reopen_open_it_too(self, invoke: Invoker, store: Path, editor: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        for args, user, what in ((["escalate", ticket_id, "--to", NETOPS], ETS, "escalation note"),
                                 (["close", ticket_id], NETOPS, "resolution"),
                                 (["reopen", ticket_id], TEACHER, "reason")):
            code, shown = self.run(store, str(editor), args, typed=f"{args[0]} from the editor", user=user)
            assert code == 0, shown
            assert f"# Write the {what} above." in (store.parent / "offered.txt").read_text()
        assert [n["text"] for n in ticket_data(store, ticket_id)["notes"]] == [
            "escalate from the editor", "close from the editor", "reopen from the editor"]

    def test_a_password_typed_in_the_editor_is_refused(self, invoke: Invoker, store: Path, editor: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        before = head(store)
        code, shown = self.run(store, str(editor), ["note", ticket_id], typed="Her pw: Summer2024! works")
        assert code == 1
        assert "Error: the note seems to state a password" in shown
        assert head(store) == before and status(store) == ""
        assert b"Summer2024" not in object_database(store)

    @pytest.mark.parametrize(("editor_command", "message"), [
        ("true", "Error: no note written; nothing was changed"),
        ("false", "Error: false: Editing failed"),
    ])
    def test_an_editor_left_unsaved_or_failing_changes_nothing(
        self, editor_command: str, message: str, invoke: Invoker, store: Path
    ) -> None:
        ticket_id = teacher_ticket(invoke)
        before = head(store)
        code, shown = self.run(store, editor_command, ["note", ticket_id])
        assert code == 1
        assert message in shown
        assert head(store) == before and status(store) == ""

    def test_an_empty_text_cancels(self, invoke: Invoker, store: Path, editor: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        before = head(store)
        code, shown = self.run(store, str(editor), ["note", ticket_id], typed="   ")
        assert code == 1
        assert "Error: the note is empty; nothing was changed" in shown
        assert head(store) == before

    def test_with_m_at_a_terminal_no_editor_opens(self, invoke: Invoker, store: Path) -> None:
        ticket_id = teacher_ticket(invoke)
        code, shown = self.run(store, "false", ["note", ticket_id, "-m", "typed inline"])
        assert code == 0, shown
        assert ticket_data(store, ticket_id)["notes"][-1]["text"] == "typed inline"
