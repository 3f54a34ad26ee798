"""The store: finding it, and committing one ticket without disturbing anything else."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import ETS, Invoker, git

from pcsdesk.cli import cli
from pcsdesk.rules.ids import ticket_path


class TestFindingTheStore:
    def run(self, args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        old = Path.cwd()
        os.chdir(cwd)
        try:
            result = CliRunner().invoke(cli, args, env={"PCSDESK_NOW": "2026-11-30T10:00", **(env or {})})
        finally:
            os.chdir(old)
        return result.exit_code, result.stdout, result.stderr

    def test_walks_up_from_a_sub_folder(self, store: Path) -> None:
        code, out, _ = self.run(["--as", ETS, "list", "--status", "all", "--json"], store / "tickets")
        assert code == 0 and json.loads(out) == []

    def test_environment_variable(self, store: Path, tmp_path: Path) -> None:
        code, out, _ = self.run(["--as", ETS, "list", "--json"], tmp_path, {"PCSDESK_STORE": str(store)})
        assert code == 0 and json.loads(out) == []

    def test_option_beats_environment(self, store: Path, tmp_path: Path) -> None:
        code, _, err = self.run(["--store", str(tmp_path), "list"], tmp_path, {"PCSDESK_STORE": str(store)})
        assert code == 1
        assert err.startswith(f"Error: {tmp_path} is not a pcsdesk store")

    def test_no_store_anywhere(self, tmp_path: Path) -> None:
        code, _, err = self.run(["list"], tmp_path)
        assert code == 1
        assert err.startswith("Error: no pcsdesk store here or above;")
        assert len(err.splitlines()) == 1


class TestInit:
    def test_makes_a_store_with_the_defaults_in_one_commit(self, store: Path) -> None:
        assert (store / "calendar.yaml").read_bytes() == (Path(__file__).parents[2] / "calendar.yaml").read_bytes()
        assert (store / "buildings.yaml").read_bytes() == (Path(__file__).parents[2] / "buildings.yaml").read_bytes()
        assert git(store, "rev-list", "--count", "HEAD").strip() == "1"
        assert git(store, "status", "--porcelain") == ""
        assert "tickets/.gitkeep" in git(store, "ls-files")

    def test_refuses_an_existing_store(self, store: Path) -> None:
        result = CliRunner().invoke(cli, ["--as", ETS, "init", str(store)])
        assert result.exit_code == 1
        assert result.stderr == f"Error: {store} is already a pcsdesk store\n"

    def test_existing_repository_keeps_its_history_and_staged_work(self, tmp_path: Path) -> None:
        repo = tmp_path / "repo"
        repo.mkdir()
        git(repo, "init", "-q")
        (repo / "notes.txt").write_text("mine\n")
        git(repo, "add", "notes.txt")
        git(repo, "commit", "-qm", "first")
        (repo / "staged.txt").write_text("staged\n")
        git(repo, "add", "staged.txt")
        result = CliRunner().invoke(cli, ["--as", ETS, "init", str(repo)])
        assert result.exit_code == 0, result.output
        assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"
        assert "staged.txt" not in git(repo, "show", "--name-only", "--format=", "HEAD")
        assert git(repo, "status", "--porcelain").splitlines() == ["A  staged.txt"]

    def test_refuses_a_folder_inside_another_repository(self, store: Path) -> None:
        result = CliRunner().invoke(cli, ["--as", ETS, "init", str(store / "tickets" / "sub")])
        assert result.exit_code == 1
        assert "inside the git repository" in result.stderr


class TestOneCommitOneFile:
    def test_staged_and_modified_files_are_not_swept_in(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        (store / "staged.txt").write_text("half-done work\n")
        git(store, "add", "staged.txt")
        with (store / "buildings.yaml").open("a") as handle:
            handle.write("# a local edit\n")
        invoke(["note", ticket_id, "-m", "Checked the cable"])
        changed = git(store, "show", "--name-only", "--format=", "HEAD").split()
        assert changed == [ticket_path(ticket_id)]
        assert sorted(git(store, "status", "--porcelain").splitlines()) == [" M buildings.yaml", "A  staged.txt"]

    def test_a_hand_edit_not_yet_committed_is_never_overwritten(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        path = store / ticket_path(ticket_id)
        path.write_text(path.read_text().replace("Projector", "Beamer"))
        before = git(store, "rev-parse", "HEAD")
        result = invoke(["note", ticket_id, "-m", "x"], ok=False)
        assert result.exit_code == 1
        assert "has changes that are not committed" in result.stderr
        assert git(store, "rev-parse", "HEAD") == before
        assert "Beamer" in path.read_text()

    def test_a_file_left_behind_by_a_stopped_command_is_healed(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        path = store / ticket_path(ticket_id)
        old = path.read_bytes()
        invoke(["note", ticket_id, "-m", "first"])
        # As if the command had been killed after moving the branch, before the file.
        path.write_bytes(old)
        git(store, "update-index", "--cacheinfo", f"100644,{git(store, 'hash-object', '-w', str(path)).strip()},{ticket_path(ticket_id)}")
        invoke(["note", ticket_id, "-m", "second"])
        assert git(store, "status", "--porcelain") == ""
        notes = json.loads(invoke(["show", ticket_id, "--json"]).stdout)["notes"]
        assert [n["text"] for n in notes] == ["first", "second"]

    def test_works_from_a_detached_head(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        git(store, "checkout", "-q", "--detach")
        invoke(["note", ticket_id, "-m", "on a detached head"])
        assert git(store, "status", "--porcelain") == ""
        assert "note" in git(store, "log", "-1", "--format=%s")

    def test_author_is_the_actor_with_their_name(self, invoke: Invoker, store: Path) -> None:
        invoke.new(as_user="netops@pcschools.us")
        assert git(store, "log", "-1", "--format=%an <%ae>").strip() == "Network Operations Center <netops@pcschools.us>"

    def test_author_date_is_the_action_time(self, invoke: Invoker, store: Path) -> None:
        invoke.new(now="2026-12-01T08:15:00")
        assert git(store, "log", "-1", "--format=%aI").strip() == "2026-12-01T08:15:00-07:00"


@pytest.mark.parametrize("bad", ["../../etc/passwd", "--help", "-x", "2611-7KQ3X;rm", "HEAD"])
def test_path_like_ids_are_refused_with_nothing_read_or_written(invoke: Invoker, store: Path, bad: str) -> None:
    before = git(store, "rev-parse", "HEAD")
    for command in (["show", "--", bad], ["note", "-m", "x", "--", bad]):
        result = invoke(command, ok=False)
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: ") and "is not a ticket ID" in result.stderr
    assert git(store, "rev-parse", "HEAD") == before
