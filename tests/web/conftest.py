"""Fixtures of the web tests: the app on a fresh store, and a fixed clock (Monday 10:00)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from live import CHROMIUM, CHROMIUM_ARGS, LiveServer, hermetic_env, make_store
from playwright.sync_api import BrowserContext, Page
from support import MONDAY_10
from webclient import make_app


@pytest.fixture(autouse=True)
def monday(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCSDESK_NOW", MONDAY_10)


@pytest.fixture
def app(store: Path) -> Flask:
    return make_app(store)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server per test module over its own store; each test uses tickets of its own."""
    folder = tmp_path_factory.mktemp("live")
    env = hermetic_env(folder, MONDAY_10)
    server = LiveServer(make_store(folder, env), env)
    yield server
    assert server.stop() == 0   # SIGTERM stops it cleanly


@pytest.fixture
def person(new_context: Callable[..., BrowserContext], live: LiveServer) -> Callable[[str], Page]:
    """A browser page signed in as `who`: the identity header a proxy in front would add."""

    def open_as(who: str) -> Page:
        context = new_context(base_url=live.url, extra_http_headers={"X-Forwarded-Email": who})
        return context.new_page()

    return open_as
