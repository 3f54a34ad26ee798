"""`init` makes the store where it is told: PATH, else --store, else $PCSDESK_STORE, else here."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pcsdesk.cli import cli
from pcsdesk.store.store import is_store


def init(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run pcsdesk in the folder `cwd`, as a technician in a shell there would."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = CliRunner().invoke(cli, ["--as", "admin@pcschools.us", *args],
                                    env={"PCSDESK_NOW": "2026-11-01T08:00", **(env or {})})
    return result.exit_code, result.stdout + result.stderr


class TestWhere:
    def test_store_option_is_honoured(self, tmp_path: Path) -> None:
        home = tmp_path / "home"
        home.mkdir()
        code, output = init(["--store", str(tmp_path / "desk"), "init"], cwd=home)
        assert code == 0, output
        assert is_store(tmp_path / "desk")
        assert list(home.iterdir()) == []   # the current folder is left alone

    def test_pcsdesk_store_is_honoured(self, tmp_path: Path) -> None:
        code, output = init(["init"], cwd=tmp_path, env={"PCSDESK_STORE": str(tmp_path / "desk")})
        assert code == 0, output
        assert is_store(tmp_path / "desk") and not (tmp_path / ".git").exists()

    def test_two_different_places_are_refused(self, tmp_path: Path) -> None:
        code, output = init(["--store", str(tmp_path / "a"), "init", str(tmp_path / "b")], cwd=tmp_path)
        assert code == 1
        assert output.startswith("Error: two places for the new store: --store ")
        assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()

    def test_the_same_place_twice_is_fine(self, tmp_path: Path) -> None:
        code, output = init(["--store", str(tmp_path / "a"), "init", str(tmp_path / "a")], cwd=tmp_path)
        assert code == 0, output
