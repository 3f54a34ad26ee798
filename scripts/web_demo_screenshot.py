"""Remake docs/web-demo.png, the README's picture of `pcsdesk serve --demo`.

Starts `pcsdesk serve --demo` on a free loopback port, signs in as the demo teacher in
Debian's chromium (through playwright, as the page tests do), opens the teacher's
ticket page, and saves a screenshot. Needs the test extras (`pip install -e '.[test]'`)
and chromium at /usr/bin/chromium (or $CHROMIUM).

    .venv/bin/python scripts/web_demo_screenshot.py [OUTPUT.png]
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
TEACHER = "jsmith@pcschools.us"
# A fixed moment, so the picture's due times read the same each time it is remade.
NOW = "2026-11-30T10:30:00-07:00"


def start_demo() -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PCSDESK_NOW": NOW}
    server = subprocess.Popen([sys.executable, "-m", "pcsdesk", "serve", "--demo", "--port", "0"],
                              env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert server.stderr is not None
    for _ in range(50):
        line = server.stderr.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+)/", line)
        if found:
            return server, found.group(1)
        if not line:
            break
    server.kill()
    raise SystemExit("pcsdesk serve --demo did not start")


def main() -> int:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "web-demo.png"
    server, url = start_demo()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(base_url=url, viewport={"width": 1100, "height": 620})
            page.goto("/")
            page.get_by_role("button", name=f"Sign in as {TEACHER}").click()
            page.get_by_role("heading", name="My tickets").wait_for()
            page.screenshot(path=str(output))
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
