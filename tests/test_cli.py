"""The command line as a whole: help, version, the README, and a real process end to end."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from support import ETS, TEACHER, git, run_cli

from pcsdesk import __version__
from pcsdesk.cli import cli

ROOT = Path(__file__).parents[1]


def public_commands() -> list[str]:
    with click.Context(cli) as context:
        found = {name: cli.get_command(context, name) for name in cli.list_commands(context)}
    return sorted(name for name, command in found.items() if command is not None and not command.hidden)


PUBLIC_COMMANDS = public_commands()


class TestHelp:
    @pytest.mark.parametrize("name", PUBLIC_COMMANDS)
    def test_every_command_has_help_with_an_example(self, name: str) -> None:
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.stdout
        assert f"pcsdesk {name}" in result.stdout

    @pytest.mark.parametrize("name", PUBLIC_COMMANDS)
    def test_the_readme_mentions_every_command(self, name: str) -> None:
        readme = (ROOT / "README.md").read_text()
        assert re.search(rf"pcsdesk {re.escape(name)}\b", readme), f"README never shows `pcsdesk {name}`"

    def test_short_help_and_version(self) -> None:
        assert CliRunner().invoke(cli, ["-h"]).exit_code == 0
        result = CliRunner().invoke(cli, ["--version"])
        assert result.stdout.strip() == f"pcsdesk, version {__version__}"

    def test_a_malformed_command_line_exits_2(self) -> None:
        assert CliRunner().invoke(cli, ["new", "--no-such-option"]).exit_code == 2


class TestEndToEnd:
    """The installed tool as a technician's shell runs it: a real process, a real clone."""

    def test_console_script_is_installed(self) -> None:
        script = Path(sys.executable).parent / "pcsdesk"
        assert script.exists(), "pip install did not create the pcsdesk console script"

    def test_a_ticket_from_entry_to_close(self, tmp_path: Path) -> None:
        env = {"PCSDESK_NOW": "2026-11-30T10:00", "PCSDESK_USER": ETS}
        assert run_cli(["init", "desk"], tmp_path, env).returncode == 0
        store = tmp_path / "desk"
        entered = run_cli(["new", "--building", "PCHS", "--summary", "Smartboard frozen",
                           "--requester", TEACHER], store, env)
        assert entered.returncode == 0, entered.stderr
        ticket_id = entered.stdout.split()[0]
        noted = run_cli(["note", ticket_id, "-m", "-"], store / "tickets", env, input="Rebooted it\n")
        assert noted.returncode == 0, noted.stderr
        closed = run_cli(["close", ticket_id, "-m", "Firmware updated"], store,
                         {**env, "PCSDESK_USER": TEACHER, "PCSDESK_NOW": "2026-11-30T13:00"})
        assert closed.returncode == 0, closed.stderr
        shown = json.loads(run_cli(["show", ticket_id, "--json"], store, env).stdout)
        assert shown["status"] == "closed"
        assert [n["kind"] for n in shown["notes"]] == ["note", "close"]
        assert shown["first_response_at"] == "2026-11-30T10:00:00-07:00"
        assert git(store, "status", "--porcelain") == ""
        assert git(store, "log", "--format=%ae", "-3").split() == [TEACHER, ETS, ETS]

    def test_a_users_mistake_is_one_line_and_exit_1(self, tmp_path: Path) -> None:
        env = {"PCSDESK_NOW": "2026-11-30T10:00", "PCSDESK_USER": ETS}
        run_cli(["init", "desk"], tmp_path, env)
        result = run_cli(["note", "2611-AAAAA"], tmp_path / "desk", env)
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr == "Error: note is required: pass -m TEXT (or -m - to read standard input)\n"
