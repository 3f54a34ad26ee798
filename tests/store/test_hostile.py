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
