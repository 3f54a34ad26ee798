"""`pcsdesk serve --demo`, as the README's third quick-start line runs it: a throwaway store, "sign in as"."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from live import LiveServer, hermetic_env
from playwright.sync_api import BrowserContext, expect
from support import TEACHER


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("demo")
    # The real clock: the demo's tickets are made relative to whenever it is started.
    server = LiveServer(folder / "unused", hermetic_env(folder, None), "--demo")
    yield server
    assert server.stop() == 0


class TestTheDemo:
    def test_it_starts_and_signs_in_as_a_demo_person(
            self, new_context: Callable[..., BrowserContext], demo: LiveServer) -> None:
        page = new_context(base_url=demo.url).new_page()
        page.goto("/")
        expect(page.get_by_role("heading", name="Sign in as")).to_be_visible()
        page.get_by_role("button", name=f"Sign in as {TEACHER}").click()
        expect(page.get_by_role("heading", name="My tickets")).to_be_visible()
        # The demo's own tickets: the teacher's, and the one an aide entered for her.
        expect(page.locator("main")).to_contain_text("Projector in room 204 shows no signal")
        expect(page.locator("main")).to_contain_text("Library printer jams on every job")
        for path in ("/", "/new"):
            page.goto(path)
            expect(page.locator("body")).to_contain_text("demo", ignore_case=True)

    def test_its_session_cookie_works_over_plain_http_on_loopback(
            self, new_context: Callable[..., BrowserContext], demo: LiveServer) -> None:
        context = new_context(base_url=demo.url)
        page = context.new_page()
        page.goto("/demo/sign-in")
        page.get_by_role("button", name=f"Sign in as {TEACHER}").click()
        cookie, = [c for c in context.cookies() if c["name"] == "pcsdesk_session"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        assert not cookie["secure"]   # http://127.0.0.1: a Secure cookie would never come back


def test_it_listens_on_loopback_only(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pcsdesk", "serve", "--demo", "--host", "0.0.0.0"],
                            env=hermetic_env(tmp_path, None), capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: --demo serves made-up people without a sign-in")


ROOT = Path(__file__).resolve().parents[2]


class TestTheReadmeShowsIt:
    def test_the_third_quick_start_line_sets_up_and_serves_the_demo(self) -> None:
        readme = (ROOT / "README.md").read_text()
        quick_start = readme.split("## Quick start", 1)[1].split("```", 2)[1]
        commands = [line for line in quick_start.splitlines() if line and not line.startswith(("#", "sh"))]
        assert len(commands) == 3
        assert commands[2].startswith("python3 -m venv .venv && .venv/bin/pip install -q -e . && ")
        assert commands[2].endswith("pcsdesk serve --demo")
        assert "](docs/web-demo.png)" in readme

    def test_the_screenshot_is_remade_by_its_script(self, tmp_path: Path) -> None:
        picture = tmp_path / "web-demo.png"
        result = subprocess.run([sys.executable, str(ROOT / "scripts" / "web_demo_screenshot.py"), str(picture)],
                                env=hermetic_env(tmp_path, None), capture_output=True, text=True, timeout=180)
        assert result.returncode == 0, result.stderr
        for png in (picture, ROOT / "docs" / "web-demo.png"):
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert png.stat().st_size > 20_000   # a page, not a blank
