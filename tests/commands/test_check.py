"""`check [--base REF]`: what a reviewer's CI catches in a pull request, and what it lets through."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ETS, NETOPS, TEACHER, Invoker, git, hand_edit

from pcsdesk.rules.ids import ticket_path

# A ticket file as `new --requester jsmith` then one `note` by the ETS write it.
#  1 id / 2 status / 3 priority / 4 building / 5 category / 6 summary / 7 description /
#  8 requester / 9 entered_by / 10 entered_at / 11 assignee / 12 first_response_at /
#  13 checklist / 14 notes: / 15 - at (first note) ... / 19 - at (second note)


@pytest.fixture
def two_notes(invoke: Invoker, store: Path) -> tuple[str, str]:
    """A ticket with two notes, and the commit a pull request would start from."""
    ticket_id = invoke.new("--requester", TEACHER)
    invoke(["note", ticket_id, "-m", "First look: no signal on HDMI"], now="2026-11-30T10:30")
    invoke(["note", ticket_id, "-m", "Cable replaced"], now="2026-11-30T11:00")
    return ticket_id, git(store, "rev-parse", "HEAD").strip()


class TestClean:
    def test_a_store_made_by_the_tool_passes(self, invoke: Invoker, two_notes: tuple[str, str]) -> None:
        invoke.new("--emergency", "--category", "network")
        result = invoke(["check"])
        assert result.stdout == ""
        assert result.stderr == "2 ticket file(s): no problems\n"

    def test_appends_made_by_the_tool_pass_against_the_base(
        self, invoke: Invoker, two_notes: tuple[str, str]
    ) -> None:
        ticket_id, base = two_notes
        invoke(["note", ticket_id, "-m", "Waiting for a new projector lamp"], now="2026-12-01T09:00")
        invoke(["escalate", ticket_id, "--to", NETOPS, "-m", "Projector not on the network"],
               now="2026-12-01T10:00")
        invoke(["close", ticket_id, "-m", "Lamp replaced"], as_user=NETOPS, now="2026-12-02T10:00")
        invoke(["reopen", ticket_id, "-m", "Dark again"], as_user=TEACHER, now="2026-12-03T10:00")
        invoke.new(now="2026-12-03T11:00")
        result = invoke(["check", "--base", base])
        assert result.stdout == ""
        assert result.stderr == f"2 ticket file(s), 2 changed since {base}: no problems\n"

    def test_an_empty_store_passes(self, invoke: Invoker) -> None:
        assert invoke(["check"]).stderr == "0 ticket file(s): no problems\n"


class TestAgainstTheBase:
    def test_an_edited_note(self, invoke: Invoker, store: Path, two_notes: tuple[str, str]) -> None:
        ticket_id, base = two_notes
        path = hand_edit(store, ticket_id, lambda t: t.replace("Cable replaced", "Cable replaced by Ray"))
        result = invoke(["check", "--base", base], ok=False)
        assert result.exit_code == 1
        assert result.stdout == (
            f"{path}:27: note 2 at {base} (the note of 2026-11-30T11:00:00-07:00 by {ETS}) was edited; "
            "notes are never changed\n"
        )
        assert result.stderr == f"Error: 1 problem(s) in 1 ticket file(s), 1 changed since {base} (listed above)\n"

    def test_a_removed_note(self, invoke: Invoker, store: Path, two_notes: tuple[str, str]) -> None:
        ticket_id, base = two_notes

        def drop_first(text: str) -> str:
            head, _, rest = text.partition("- at: '2026-11-30T10:30:00-07:00'")
            return head + rest[rest.index("- at:"):]

        path = hand_edit(store, ticket_id, drop_first)
        assert invoke(["check", "--base", base], ok=False).stdout == (
            f"{path}:12: first_response_at is 2026-11-30T10:30:00-07:00 but the first entry by technology "
            "staff other than the requester is at 2026-11-30T11:00:00-07:00\n"
            f"{path}:22: note 1 at {base} (the note of 2026-11-30T10:30:00-07:00 by {ETS}) was removed; "
            "notes are never removed\n"
        )

    def test_a_reordered_note(self, invoke: Invoker, store: Path, two_notes: tuple[str, str]) -> None:
        ticket_id, base = two_notes

        def swap(text: str) -> str:
            head, _, notes = text.partition("notes:\n")
            first, second = notes.split("- at:")[1:]
            return f"{head}notes:\n- at:{second}- at:{first}"

        path = hand_edit(store, ticket_id, swap)
        assert invoke(["check", "--base", base], ok=False).stdout == (
            f"{path}:12: first_response_at is 2026-11-30T10:30:00-07:00 but the first entry by technology "
            "staff other than the requester is at 2026-11-30T11:00:00-07:00\n"
            f"{path}:23: note 2 at {base} (the note of 2026-11-30T11:00:00-07:00 by {ETS}) was moved; "
            "notes are never reordered\n"
        )

    @pytest.mark.parametrize(("field", "line", "old", "new"), [
        ("entered_at", 10, "'2026-11-30T10:00:00-07:00'", "'2026-11-29T10:00:00-07:00'"),
        ("requester", 8, TEACHER, "someone.else@pcschools.us"),
    ])
    def test_identity_fields(
        self, invoke: Invoker, store: Path, two_notes: tuple[str, str], field: str, line: int, old: str, new: str
    ) -> None:
        ticket_id, base = two_notes
        path = hand_edit(store, ticket_id, lambda t: t.replace(f"{field}: {old}", f"{field}: {new}"))
        out = invoke(["check", "--base", base], ok=False).stdout
        assert out.startswith(f"{path}:{line}: {field} was ")
        assert out.endswith("; it never changes\n")

    def test_a_changed_id(self, invoke: Invoker, store: Path, two_notes: tuple[str, str]) -> None:
        ticket_id, base = two_notes
        other = ticket_id[:-1] + ("A" if ticket_id[-1] != "A" else "B")
        path = hand_edit(store, ticket_id, lambda t: t.replace(f"id: {ticket_id}", f"id: {other}"))
        assert invoke(["check", "--base", base], ok=False).stdout == (
            f"{path}:1: id was '{ticket_id}' at {base} and is now '{other}'; it never changes\n"
            f"{path}:1: the id {other} does not match the file name ({ticket_id})\n"
        )

    def test_a_deleted_ticket(self, invoke: Invoker, store: Path, two_notes: tuple[str, str]) -> None:
        ticket_id, base = two_notes
        git(store, "rm", "-q", ticket_path(ticket_id))
        git(store, "commit", "-qm", "gone")
        assert invoke(["check", "--base", base], ok=False).stdout == (
            f"{ticket_path(ticket_id)}: deleted since {base}; tickets are never deleted\n"
        )

    def test_a_target_branch_that_moved_on_is_not_a_removal(
        self, invoke: Invoker, store: Path, two_notes: tuple[str, str]
    ) -> None:
        ticket_id, _ = two_notes
        git(store, "switch", "-q", "-c", "review")
        invoke(["note", ticket_id, "-m", "On the branch"], now="2026-12-01T09:00")
        git(store, "switch", "-q", "main")
        invoke(["note", ticket_id, "-m", "On main meanwhile"], now="2026-12-01T10:00")
        git(store, "switch", "-q", "review")
        assert invoke(["check", "--base", "main"]).stdout == ""

    def test_an_unknown_base(self, invoke: Invoker) -> None:
        result = invoke(["check", "--base", "no-such-branch"], ok=False)
        assert result.stderr == (
            "Error: 'no-such-branch' is not a commit in this repository; fetch it first "
            "(git fetch origin) or name a branch, tag or commit\n"
        )

    def test_an_option_is_not_a_base(self, invoke: Invoker) -> None:
        result = invoke(["check", "--base=--output=/tmp/x"], ok=False)
        assert result.stderr.startswith("Error: '--output=/tmp/x' is not a git revision")


class TestEveryTicket:
    def test_a_duplicate_key(self, invoke: Invoker, store: Path, two_notes: tuple[str, str]) -> None:
        ticket_id, _ = two_notes
        path = hand_edit(store, ticket_id, lambda t: t.replace("status: open\n", "status: open\nstatus: closed\n"))
        assert invoke(["check"], ok=False).stdout == f"{path}:3: duplicate key 'status'\n"

    def test_a_password_in_a_note(self, invoke: Invoker, store: Path, two_notes: tuple[str, str]) -> None:
        ticket_id, base = two_notes
        path = hand_edit(store, ticket_id, lambda t: t + (
            f"- at: '2026-11-30T12:00:00-07:00'\n  by: {TEACHER}\n  kind: note\n  text: my password is Tiger123\n"
        ), author=TEACHER, at="2026-11-30T12:00")
        out = invoke(["check", "--base", base], ok=False).stdout
        assert out == (
            f"{path}:34: the note of 2026-11-30T12:00:00-07:00 by {TEACHER} seems to state a password; "
            "remove it from the ticket and have the password reset (the procedure, step 2c)\n"
        )
        assert "Tiger123" not in out

    def test_an_unknown_building(self, invoke: Invoker, store: Path, two_notes: tuple[str, str]) -> None:
        ticket_id, _ = two_notes
        path = hand_edit(store, ticket_id, lambda t: t.replace("building: PCHS", "building: NOPE"))
        out = invoke(["check"], ok=False).stdout
        assert out.startswith(f"{path}:4: unknown building 'NOPE'; known: DO, EHMS, JRES")

    def test_a_broken_file_is_named_with_its_line(
        self, invoke: Invoker, store: Path, two_notes: tuple[str, str]
    ) -> None:
        ticket_id, _ = two_notes
        path = hand_edit(store, ticket_id, lambda t: t.replace("notes:\n", "notes:\n  - [unclosed\n"))
        out = invoke(["check"], ok=False).stdout
        assert out.startswith(f"{path}:24: ")

    def test_a_status_the_log_does_not_support(self, invoke: Invoker, store: Path, two_notes: tuple[str, str]) -> None:
        ticket_id, _ = two_notes
        path = hand_edit(store, ticket_id, lambda t: t.replace("status: open", "status: closed"))
        assert invoke(["check"], ok=False).stdout == (
            f"{path}:2: status is 'closed' but the notes log makes it 'open' (its last close or reopen "
            "entry); the log is the record\n"
        )

    def test_a_file_out_of_place(self, invoke: Invoker, store: Path, two_notes: tuple[str, str]) -> None:
        ticket_id, _ = two_notes
        git(store, "mv", ticket_path(ticket_id), f"tickets/{ticket_id}.yaml")
        git(store, "commit", "-qm", "moved")
        assert invoke(["check"], ok=False).stdout == (
            f"tickets/{ticket_id}.yaml: not where a ticket file belongs: ticket {ticket_id} belongs at "
            f"{ticket_path(ticket_id)}\n"
        )

    def test_problems_in_the_configuration(self, invoke: Invoker, store: Path) -> None:
        text = (store / "buildings.yaml").read_text()
        (store / "buildings.yaml").write_text(text.replace("role: ets", "role: wizard", 1))
        git(store, "commit", "-qam", "broken directory")
        out = invoke(["check"], ok=False).stdout
        assert out.startswith("buildings.yaml:")
        assert "role must be one of ets, tech, department" in out

    def test_check_reads_the_work_tree_too_and_says_which_copy_is_broken(
        self, invoke: Invoker, store: Path, two_notes: tuple[str, str]
    ) -> None:
        ticket_id, _ = two_notes
        (store / ticket_path(ticket_id)).write_text("not: [a ticket\n")
        result = invoke(["check"], ok=False)
        assert result.stdout.startswith(f"{ticket_path(ticket_id)}:2: (changed in the work tree, not committed) ")
        assert len(result.stdout.splitlines()) == 1   # HEAD's copy is fine


class TestTheListingCache:
    def test_a_cache_that_disagrees_with_the_tickets_is_reported(
        self, invoke: Invoker, store: Path, two_notes: tuple[str, str]
    ) -> None:
        import sqlite3

        invoke(["list"])
        cache = store / ".git" / "pcsdesk" / "index.sqlite"
        assert cache.exists()
        with sqlite3.connect(cache) as db:
            db.execute("UPDATE tickets SET status = 'closed'")
        out = invoke(["check"], ok=False).stdout
        assert "the index differs from the file in status" in out
        assert invoke(["check"]).stdout == ""   # and it was rebuilt


class TestOutput:
    def test_one_line_per_problem_whatever_a_file_holds(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        path = hand_edit(store, ticket_id, lambda t: t.replace(
            f"assignee: {ETS}", 'assignee: "x@pcschools.us\\n::error::forged"'
        ))
        out = invoke(["check"], ok=False).stdout
        assert out == f"{path}:11: the assignee x@pcschools.us\\n::error::forged is not technology staff (buildings.yaml)\n"
        assert not any(line.startswith("::") for line in out.splitlines())


class TestTheCiWorkflow:
    def test_the_example_runs_check_against_the_pull_requests_target(self) -> None:
        import yaml

        workflow = yaml.safe_load((Path(__file__).parents[2] / "docs" / "ci" / "check-tickets.yml").read_text())
        assert "pull_request" in workflow[True]   # YAML 1.1 reads the key `on` as true
        steps = workflow["jobs"]["check"]["steps"]
        assert steps[0]["with"]["fetch-depth"] == 0
        runs = "\n".join(step.get("run", "") for step in steps)
        assert "pip install" in runs
        assert 'pcsdesk check --base "origin/$BASE_REF"' in runs
        assert "${{" not in runs   # values reach the script through the environment only

    def test_it_installs_pcsdesk_from_the_districts_repository_never_by_name_from_the_index(
            self, tmp_path: Path) -> None:
        # The name "pcsdesk" is not registered on the package index: whoever registered it
        # would have their code run by the district's CI. Run the install step's script, with
        # a `python` that only says what it was asked to install, as GitHub runs it when the
        # repository variable is not set (an empty string).
        import re
        import subprocess

        import yaml

        workflow = yaml.safe_load((Path(__file__).parents[2] / "docs" / "ci" / "check-tickets.yml").read_text())
        step = next(step for step in workflow["jobs"]["check"]["steps"] if "pip install" in step.get("run", ""))
        env = {key: "" if value.startswith("${{") else value for key, value in step["env"].items()}
        (tmp_path / "python").write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
        (tmp_path / "python").chmod(0o755)
        asked = subprocess.run(["bash", "-c", step["run"]], env={**env, "PATH": f"{tmp_path}:/usr/bin:/bin"},
                               capture_output=True, text=True, check=True).stdout.splitlines()
        assert asked[:3] == ["-m", "pip", "install"]
        package = asked[-1]
        assert re.fullmatch(r"git\+https://[^@\s]+/pcsdesk@v\d+\.\d+\.\d+", package), package
        assert not re.search(r"pip install[^\n]*\bpcsdesk\b(?![@/.-])", yaml.safe_dump(workflow))
