"""Fixtures of the web tests: the app on a fresh store, and a fixed clock (Monday 10:00)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from support import MONDAY_10
from webclient import make_app


@pytest.fixture(autouse=True)
def monday(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCSDESK_NOW", MONDAY_10)


@pytest.fixture
def app(store: Path) -> Flask:
    return make_app(store)
