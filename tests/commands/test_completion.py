"""Tab completion: ticket IDs, building codes and staff, through click's shell completion, for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import CompletionItem, ShellComplete
from support import ETS, Invoker, git

from pcsdesk.cli import cli

SCRIPT_DIR = Path(sys.executable).parent


def complete(words: str, env: dict[str, str] | None = None, cwd: Path | None = None,
             shell: str = "bash") -> subprocess.CompletedProcess[str]:
    """What the shell's completion function runs: the installed script with _PCSDESK_COMPLETE set."""
    parts = words.split(" ")
    full_env = {**os.environ, "PATH": f"{SCRIPT_DIR}{os.pathsep}{os.environ['PATH']}",
                "_PCSDESK_COMPLETE": f"{shell}_complete", "COMP_WORDS": words,
                # fish passes the word being completed itself; bash and zsh its position.
                "COMP_CWORD": parts[-1] if shell == "fish" else str(len(parts) - 1), **(env or {})}
    return subprocess.run(["pcsdesk"], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=60)


def in_process(words: str) -> list[CompletionItem]:
    """The same completion in this process (the current folder decides the store)."""
    *args, incomplete = words.split(" ")[1:]
    return ShellComplete(cli, {}, "pcsdesk", "_PCSDESK_COMPLETE").get_completions(args, incomplete)


def values(words: str) -> list[str]:
    return [item.value for item in in_process(words)]


@pytest.fixture
def tickets(invoke: Invoker) -> list[str]:
    made = [invoke.new(), invoke.new(), invoke.new(now="2026-12-01T09:00")]
    invoke(["close", made[1], "-m", "Fixed"])
    return made


class TestForReal:
    """The installed `pcsdesk` as bash runs it."""

    def test_ticket_ids_by_prefix(self, store: Path, tickets: list[str]) -> None:
        november = sorted(tickets[:2])
        done = complete("pcsdesk show 2611", cwd=store)
        assert done.returncode == 0 and done.stderr == ""
        assert done.stdout == "".join(f"plain,{i}\n" for i in november)
        assert complete("pcsdesk note 2612", cwd=store).stdout == f"plain,{tickets[2]}\n"
        assert complete("pcsdesk log ", cwd=store).stdout == "".join(f"plain,{i}\n" for i in sorted(tickets))

    def test_through_bashs_own_completion_function(self, store: Path, tickets: list[str]) -> None:
        script = (
            'eval "$(_PCSDESK_COMPLETE=bash_source pcsdesk)"\n'
            "complete -p pcsdesk\n"
            f"COMP_WORDS=(pcsdesk close {tickets[0][:6]}); COMP_CWORD=2; _pcsdesk_completion pcsdesk\n"
            'printf "%s\\n" "${COMPREPLY[@]}"\n'
            "COMPREPLY=(); COMP_WORDS=(pcsdesk new --building P); COMP_CWORD=3; _pcsdesk_completion pcsdesk\n"
            'printf "%s\\n" "${COMPREPLY[@]}"\n'
        )
        done = subprocess.run(["bash", "--norc", "-c", script], cwd=store, capture_output=True, text=True,
                              env={**os.environ, "PATH": f"{SCRIPT_DIR}{os.pathsep}{os.environ['PATH']}"},
                              timeout=60)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert lines[0] == "complete -o nosort -F _pcsdesk_completion pcsdesk"
        assert lines[1:] == [*sorted(t for t in tickets if t.startswith(tickets[0][:6])), "PCHS", "PPES"]

    def test_buildings_and_staff(self, store: Path) -> None:
        assert complete("pcsdesk new --building P", cwd=store).stdout == "plain,PCHS\nplain,PPES\n"
        assert complete("pcsdesk assign 2611-AAAAA --to ets.p", cwd=store).stdout == (
            "plain,ets.pchs@pcschools.us\nplain,ets.ppes@pcschools.us\n")

    def test_zsh_and_fish_get_descriptions(self, store: Path) -> None:
        zsh = complete("pcsdesk new --building PC", cwd=store, shell="zsh").stdout
        assert zsh == "plain\nPCHS\nPark City High School\n"
        fish = complete("pcsdesk escalate 2611-AAAAA --to netops", cwd=store, shell="fish").stdout
        assert "netops@pcschools.us" in fish and "Network Operations Center" in fish

    def test_the_store_from_store_option_or_environment(self, store: Path, tickets: list[str],
                                                        tmp_path: Path) -> None:
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        expected = "".join(f"plain,{i}\n" for i in sorted(tickets))
        assert complete(f"pcsdesk --store {store} show 26", cwd=elsewhere).stdout == expected
        assert complete("pcsdesk show 26", cwd=elsewhere, env={"PCSDESK_STORE": str(store)}).stdout == expected

    def test_outside_a_store_nothing_and_no_traceback(self, tmp_path: Path) -> None:
        for words in ("pcsdesk show 26", "pcsdesk new --building P", "pcsdesk assign X --to e"):
            done = complete(words, cwd=tmp_path)
            assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "", "")

    def test_a_broken_directory_completes_nothing_quietly(self, store: Path) -> None:
        (store / "buildings.yaml").write_text("staff: [unclosed\n")
        git(store, "commit", "-q", "-am", "broken")
        done = complete("pcsdesk new --building P", cwd=store)
        assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "", "")

    def test_sources_for_each_shell(self) -> None:
        for shell, line in (("bash", "complete -o nosort -F _pcsdesk_completion pcsdesk"),
                            ("zsh", "#compdef pcsdesk"),
                            ("fish", "complete --no-files --command pcsdesk")):
            done = subprocess.run(["pcsdesk"], capture_output=True, text=True, timeout=60,
                                  env={**os.environ, "PATH": f"{SCRIPT_DIR}{os.pathsep}{os.environ['PATH']}",
                                       "_PCSDESK_COMPLETE": f"{shell}_source"})
            assert done.returncode == 0
            assert line in done.stdout


class TestValues:
    @pytest.fixture(autouse=True)
    def inside(self, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(store)

    def test_ticket_ids_for_every_command_that_takes_one(self, tickets: list[str]) -> None:
        for verb in ("show", "note", "assign", "escalate", "close", "reopen", "log"):
            assert values(f"pcsdesk {verb} 26") == sorted(tickets)

    def test_ids_in_any_case_and_new_tickets_at_once(self, invoke: Invoker, tickets: list[str]) -> None:
        assert values(f"pcsdesk show {tickets[0][:7].lower()}") == [
            t for t in sorted(tickets) if t.startswith(tickets[0][:7])]
        assert values(f"pcsdesk show {tickets[0]}") == [tickets[0]]
        assert values("pcsdesk show 2701") == []
        later = invoke.new(now="2027-01-05T09:00")
        assert values("pcsdesk show 2701") == [later]

    def test_building_codes_with_their_names(self) -> None:
        assert values("pcsdesk list --building t") == ["TES", "TMJH"]
        assert values("pcsdesk overdue --building ") == sorted(
            ["PCHS", "TMJH", "EHMS", "JRES", "MES", "PPES", "TES", "DO"])
        assert [(i.value, i.help) for i in in_process("pcsdesk report --building DO")] == [
            ("DO", "District Office")]

    def test_staff_for_to_assignee_and_as(self) -> None:
        assert values("pcsdesk assign 2611-AAAAA --to tech.") == [
            "tech.ehms@pcschools.us", "tech.elementary@pcschools.us", "tech.pchs@pcschools.us",
            "tech.tmjh@pcschools.us"]
        assert values("pcsdesk list --assignee net") == ["netops@pcschools.us"]
        assert values("pcsdesk --as ets.pc") == [ETS]
        assert [i.help for i in in_process("pcsdesk --as netops")] == ["Network Operations Center"]

    def test_completion_leaves_the_store_as_it_was(self, store: Path, tickets: list[str]) -> None:
        before = git(store, "rev-parse", "HEAD")
        values("pcsdesk show 26")
        assert git(store, "rev-parse", "HEAD") == before
        assert git(store, "status", "--porcelain") == ""
