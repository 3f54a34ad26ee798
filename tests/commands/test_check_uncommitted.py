"""`check` as a pre-commit hook: the staged and work-tree copies are validated too, not only HEAD."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from support import Invoker, git

from pcsdesk.rules.ids import ticket_path

REPOSITORY = Path(__file__).resolve().parents[2]


class TestUncommitted:
    def test_a_broken_calendar_in_the_work_tree(self, invoke: Invoker, store: Path) -> None:
        calendar = store / "calendar.yaml"
        calendar.write_text(calendar.read_text().replace("2027-02-15", "2027-02-30"))
        line = next(n for n, text in enumerate(calendar.read_text().splitlines(), 1) if "2027-02-30" in text)
        result = invoke(["check"], ok=False)
        assert result.stdout == (
            f"calendar.yaml:{line}: (changed in the work tree, not committed) date: 2027-02-30 is not "
            "a real date or time (day is out of range for month)\n"
        )

    def test_a_staged_ticket_and_a_deleted_one(self, invoke: Invoker, store: Path) -> None:
        edited, deleted = invoke.new(), invoke.new()
        path = store / ticket_path(edited)
        path.write_text(path.read_text().replace("status: open", "status: opened"))
        git(store, "add", ticket_path(edited))
        (store / ticket_path(deleted)).unlink()
        result = invoke(["check"], ok=False)
        assert result.stdout.splitlines() == sorted([
            f"{ticket_path(edited)}:2: (staged, not committed) status: must be one of open, closed, "
            "not 'opened'",
            f"{ticket_path(deleted)}: (changed in the work tree, not committed) deleted; tickets are "
            f"never deleted: git checkout HEAD -- {ticket_path(deleted)}",
        ])

    def test_a_new_untracked_ticket_file_is_checked(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        copy = store / ticket_path(ticket_id).replace(ticket_id, ticket_id[:-1] + "Z")
        copy.write_text((store / ticket_path(ticket_id)).read_text().replace("building: PCHS", "building: XX"))
        result = invoke(["check"], ok=False)
        assert "(changed in the work tree, not committed)" in result.stdout
        assert "XX" in result.stdout

    def test_a_fixed_but_uncommitted_file_is_clean(self, invoke: Invoker, store: Path) -> None:
        invoke.new()
        calendar = store / "calendar.yaml"
        calendar.write_text(calendar.read_text().replace("closed:\n", "closed:\n  - {date: 2026-12-01, reason: Snow day}\n"))
        result = invoke(["check"])
        assert result.stdout == ""


class TestPreCommitHook:
    def test_the_pre_commit_framework_finds_pcsdesk_check(self) -> None:
        hooks = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text())
        (hook,) = hooks
        assert hook["id"] == "pcsdesk-check"
        assert hook["entry"] == "pcsdesk check"
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False

    def test_as_a_git_hook_it_stops_a_commit_of_a_broken_calendar(self, invoke: Invoker, store: Path) -> None:
        hook = store / ".git" / "hooks" / "pre-commit"
        hook.write_text(f"#!/bin/sh\nexec {sys.executable} -m pcsdesk check\n")
        hook.chmod(0o755)
        calendar = store / "calendar.yaml"
        calendar.write_text(calendar.read_text().replace("2027-02-15", "2027-02-30"))
        git(store, "add", "calendar.yaml")
        done = subprocess.run(["git", "commit", "-q", "-m", "holiday"], cwd=store, capture_output=True, text=True)
        assert done.returncode != 0
        assert "calendar.yaml:" in done.stdout + done.stderr
        assert git(store, "rev-list", "--count", "HEAD").strip() == "1"


class TestCiWorkflow:
    def test_installs_from_the_districts_repository_by_default(self) -> None:
        workflow = yaml.safe_load((REPOSITORY / "docs" / "ci" / "check-tickets.yml").read_text())
        (install,) = [step for step in workflow["jobs"]["check"]["steps"] if step.get("name") == "Install pcsdesk"]
        default = install["env"]["DISTRICT_PCSDESK"]
        assert default.startswith("git+https://") and "@v" in default
        assert "||" not in install["env"]["PCSDESK_PACKAGE"]   # no fallback to a bare package name
        assert install["run"].endswith('"${PCSDESK_PACKAGE:-$DISTRICT_PCSDESK}"')
