"""Hermetic tests: a fresh HOME, no system git config, a fixed author, a fresh store each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings
from support import Invoker, clock, make_hermetic

from pcsdesk.cli import cli
from pcsdesk.store.store import Store

# No wall-clock deadlines in tests: on a busy 2-core machine hypothesis's default
# 200 ms per example fails tests that are correct. Loaded before any test module,
# so every @settings(...) inherits it.
settings.register_profile("pcsdesk", deadline=None)
settings.load_profile("pcsdesk")


@pytest.fixture(autouse=True)
def hermetic(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    make_hermetic(monkeypatch, tmp_path_factory.mktemp("home"))


@pytest.fixture
def store(tmp_path: Path) -> Path:
    root = tmp_path / "store"
    result = CliRunner().invoke(cli, ["--as", "admin@pcschools.us", "init", str(root)],
                                env=clock("2026-11-01T08:00:00"))
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def invoke(store: Path) -> Invoker:
    return Invoker(store)




@pytest.fixture
def opened(store: Path) -> Iterator[Store]:
    """The test's store opened in this process, closed after the test."""
    handle = Store(store)
    yield handle
    handle.close()
