"""Ticket files edited by hand in a pull request may hold anything: reading them never runs or crashes anything."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from support import Invoker, git, run_cli

from pcsdesk.errors import BrokenTicket
from pcsdesk.rules.ids import ticket_path
from pcsdesk.store.yamlio import MAX_DEPTH, load_yaml

HOSTILE_ID = "2611-BAD00"

# Our own bound, or, from PyYAML 6.0.4 on, libyaml's own limit when its scanner
# meets the brackets first: either way the file is named, never a crashed process.
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep|exceeded maximum nesting depth"


def commit_by_hand(store: Path, content: str, ticket_id: str = HOSTILE_ID) -> str:
    path = ticket_path(ticket_id)
    (store / path).parent.mkdir(parents=True, exist_ok=True)
    (store / path).write_text(content)
    git(store, "add", path)
    git(store, "commit", "-qm", "a hand-made ticket")
    return path


class TestNothingRuns:
    @pytest.mark.parametrize("shape", ["whole file", "one field"])
    def test_a_python_tag_runs_nothing_and_is_named(self, invoke: Invoker, store: Path, tmp_path: Path,
                                                    shape: str) -> None:
        marker = tmp_path / "ran"
        payload = f'!!python/object/apply:os.system ["touch {marker}"]'
        good = invoke.new()
        content = payload + "\n" if shape == "whole file" else f"id: {HOSTILE_ID}\nsummary: {payload}\n"
        path = commit_by_hand(store, content)
        for args in (["list"], ["list", "--json"], ["overdue", "--as-of", "2026-12-10T10:00"], ["check"],
                     ["show", HOSTILE_ID], ["report", "--from", "2026-11-01", "--to", "2026-12-31"]):
            result = invoke(args, ok=False)
            assert result.exit_code == 1, args
            assert path in result.stderr + result.stdout, args
            assert "tags such as !!python/... are not allowed" in result.stderr + result.stdout, args
        assert json.loads(invoke(["list", "--json"], ok=False).stdout)[0]["id"] == good
        assert good in invoke(["list"], ok=False).stdout
        assert not marker.exists()

    def test_a_note_on_a_hostile_file_is_refused_and_writes_nothing(self, invoke: Invoker, store: Path,
                                                                    tmp_path: Path) -> None:
        marker = tmp_path / "ran"
        commit_by_hand(store, f'!!python/object/apply:os.system ["touch {marker}"]\n')
        head = git(store, "rev-parse", "HEAD")
        result = invoke(["note", HOSTILE_ID, "-m", "hello"], ok=False)
        assert result.stderr.startswith(f"Error: {ticket_path(HOSTILE_ID)}:1: ")
        assert git(store, "rev-parse", "HEAD") == head
        assert not marker.exists()


class TestNothingCrashes:
    def test_deep_nesting_is_named_not_a_crashed_process(self, store: Path) -> None:
        # 60 KB of brackets overflows libyaml's recursion and used to kill the process.
        good = run_cli(["--as", "ets.pchs@pcschools.us", "new", "--building", "PCHS", "--summary", "Fine"], store)
        path = commit_by_hand(store, "id: " + "[" * 30000 + "]" * 30000 + "\n")
        for args in (["list"], ["check"]):
            result = run_cli(args, store)
            assert result.returncode == 1, (args, result.returncode, result.stderr)
            assert f"{path}" in result.stdout + result.stderr
            assert re.search(TOO_DEEP, result.stdout + result.stderr)
        assert good.stdout.split()[0] in run_cli(["list"], store).stdout

    def test_an_alias_bomb_is_refused_in_a_ticket(self, invoke: Invoker, store: Path) -> None:
        lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        for level in range(1, 10):
            prev = chr(ord("a") + level - 1)
            name = chr(ord("a") + level)
            lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        path = commit_by_hand(store, f"id: {HOSTILE_ID}\n" + "\n".join(lines) + "\n")
        out = invoke(["check"], ok=False).stdout
        assert out == f"{path}:3: an alias (*a) is not allowed here; write the value out\n"
        assert invoke(["show", HOSTILE_ID, "--json"], ok=False).exit_code == 1

    def test_configuration_files_may_still_use_aliases(self) -> None:
        assert load_yaml("a: &x [1]\nb: *x\n", "buildings.yaml") == {"a": [1], "b": [1]}

    @pytest.mark.parametrize("text", [
        "- " * 5000 + "x\n",
        "a:\n" + "".join(" " * i + "b:\n" for i in range(1, 400)) + " " * 400 + "c: 1\n",
        "a: " + "{x: " * 200 + "1" + "}" * 200 + "\n",
    ])
    def test_every_way_of_nesting_is_bounded(self, text: str) -> None:
        with pytest.raises(BrokenTicket, match=TOO_DEEP):
            load_yaml(text, "t.yaml")

    def test_ordinary_text_with_many_brackets_is_read(self) -> None:
        text = "text: |\n" + "  [INFO] {ok} & done!\n" * 500
        assert load_yaml(text, "t.yaml", allow_aliases=False)["text"].count("[INFO]") == 500

    def test_a_symbolic_link_is_not_followed(self, invoke: Invoker, store: Path) -> None:
        path = ticket_path(HOSTILE_ID)
        (store / path).parent.mkdir(parents=True, exist_ok=True)
        (store / path).symlink_to("/etc/passwd")
        git(store, "add", path)
        git(store, "commit", "-qm", "a link")
        assert invoke(["check"], ok=False).stdout == f"{path}: is a symbolic link, not a ticket file\n"
        assert "root:" not in invoke(["list"], ok=False).stderr


def refusal(path: str) -> str:
    return (f"Error: {path} is a symbolic link; pcsdesk never reads or writes through links in the store: "
            f"remove it (git rm {path} and commit, or rm {path} if it is not committed) and try again; "
            "nothing was changed\n")


class TestLinksAreNeverFollowed:
    """A link anywhere on a ticket's path, committed or only in the work tree, is refused before anything is written."""

    DECEMBER = "2026-12-01T10:00"

    def outside(self, tmp_path: Path) -> Path:
        folder = tmp_path / "outside"
        folder.mkdir()
        return folder

    def test_a_committed_folder_link_is_not_written_through(self, invoke: Invoker, store: Path,
                                                            tmp_path: Path) -> None:
        outside = self.outside(tmp_path)
        (store / "tickets" / "2612").symlink_to("../../outside")
        git(store, "add", "tickets/2612")
        git(store, "commit", "-qm", "a link")
        before = git(store, "rev-parse", "HEAD")
        result = invoke(["new", "--building", "PCHS", "--summary", "Printer jam"], ok=False, now=self.DECEMBER)
        assert result.stderr == refusal("tickets/2612")
        assert git(store, "rev-parse", "HEAD") == before
        assert list(outside.iterdir()) == []
        assert git(store, "status", "--porcelain", "--untracked-files=all") == ""

    def test_a_folder_link_only_in_the_work_tree_is_not_written_through(self, invoke: Invoker, store: Path,
                                                                        tmp_path: Path) -> None:
        outside = self.outside(tmp_path)
        (store / "tickets" / "2612").symlink_to(outside)
        before = git(store, "rev-parse", "HEAD")
        result = invoke(["new", "--building", "PCHS", "--summary", "Printer jam"], ok=False, now=self.DECEMBER)
        assert result.stderr == refusal("tickets/2612")
        assert git(store, "rev-parse", "HEAD") == before
        assert list(outside.iterdir()) == []
        assert git(store, "status", "--porcelain", "--untracked-files=all") == "?? tickets/2612\n"

    def test_a_committed_link_is_not_replaced_by_a_folder_in_the_commit(self, invoke: Invoker, store: Path,
                                                                        tmp_path: Path) -> None:
        # The work tree no longer has the link (deleted, not committed): the commit itself
        # would have swapped the committed link for a folder.
        self.outside(tmp_path)
        (store / "tickets" / "2612").symlink_to("../../outside")
        git(store, "add", "tickets/2612")
        git(store, "commit", "-qm", "a link")
        (store / "tickets" / "2612").unlink()
        before = git(store, "rev-parse", "HEAD")
        result = invoke(["new", "--building", "PCHS", "--summary", "Printer jam"], ok=False, now=self.DECEMBER)
        assert result.stderr == (
            "Error: tickets/2612 is a symbolic link in the last commit, not a folder; pcsdesk never reads or "
            "writes through links in the store: remove it (git rm tickets/2612 and commit, or rm tickets/2612 "
            "if it is not committed) and try again; nothing was changed\n")
        assert git(store, "rev-parse", "HEAD") == before
        assert not (store / "tickets" / "2612").exists()

    def test_a_ticket_file_swapped_for_a_link_is_not_read_or_written(self, invoke: Invoker, store: Path,
                                                                     tmp_path: Path) -> None:
        ticket_id = invoke.new()
        path = ticket_path(ticket_id)
        secret = self.outside(tmp_path) / "secret.yaml"
        secret.write_bytes((store / path).read_bytes())
        (store / path).unlink()
        (store / path).symlink_to(secret)
        before = git(store, "rev-parse", "HEAD")
        result = invoke(["note", ticket_id, "-m", "through a link"], ok=False)
        assert result.stderr == refusal(path)
        assert git(store, "rev-parse", "HEAD") == before
        assert "through a link" not in secret.read_text()
        assert (store / path).is_symlink()

    def test_a_link_deeper_in_the_path_is_named(self, invoke: Invoker, store: Path, tmp_path: Path) -> None:
        ticket_id = invoke.new()
        folder = store / ticket_path(ticket_id).rsplit("/", 1)[0]
        moved = self.outside(tmp_path) / "moved"
        folder.rename(moved)
        folder.symlink_to(moved)
        result = invoke(["note", ticket_id, "-m", "x"], ok=False)
        assert result.stderr == refusal(ticket_path(ticket_id).rsplit("/", 1)[0])
