"""Hermetic tests: a fresh HOME, no system git config, a fixed author, a fresh store each test."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings
from support import Invoker

from pcsdesk.cli import cli

# No wall-clock deadlines in tests: on a busy 2-core machine hypothesis's default
# 200 ms per example fails tests that are correct. Loaded before any test module,
# so every @settings(...) inherits it.
settings.register_profile("pcsdesk", deadline=None)
settings.load_profile("pcsdesk")


@pytest.fixture(autouse=True)
def hermetic(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Runner")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "runner@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Runner")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "runner@example.org")
    monkeypatch.setenv("GIT_EDITOR", "false")
    monkeypatch.setenv("EDITOR", "false")
    for name in ("PCSDESK_STORE", "PCSDESK_USER", "PCSDESK_NOW", "GIT_DIR", "GIT_WORK_TREE",
                 "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    result = CliRunner().invoke(cli, ["--as", "admin@pcschools.us", "init", str(root)],
                                env={"PCSDESK_NOW": "2026-11-01T08:00:00"})
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def invoke(store: Path) -> Invoker:
    return Invoker(store)


