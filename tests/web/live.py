"""A real `pcsdesk serve` process on 127.0.0.1 for the browser tests, and chromium's settings."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Playwright's own browser download cannot reach its server here: Debian's chromium instead.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
]
_ADDRESS = re.compile(r"at (http://127\.0\.0\.1:\d+)/")


def hermetic_env(home: Path, now: str | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PCSDESK_", "GIT_"))}
    env.update({
        "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_AUTHOR_NAME": "Test Runner", "GIT_AUTHOR_EMAIL": "runner@example.org",
        "GIT_COMMITTER_NAME": "Test Runner", "GIT_COMMITTER_EMAIL": "runner@example.org",
    })
    if now:
        env["PCSDESK_NOW"] = now
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")
    return env


def make_store(folder: Path, env: dict[str, str]) -> Path:
    root = folder / "store"
    subprocess.run([sys.executable, "-m", "pcsdesk", "--as", "admin@pcschools.us", "init", str(root)],
                   env={**env, "PCSDESK_NOW": "2026-11-01T08:00:00"}, check=True, capture_output=True)
    return root


class LiveServer:
    """`pcsdesk serve --port 0` as a child process; stop() sends SIGTERM and returns the exit code."""

    def __init__(self, store: Path, env: dict[str, str], *options: str) -> None:
        self.store = store
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pcsdesk", "--store", str(store), "serve", "--port", "0", *options],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.url = self._wait_for_address()
        # Keep reading what it logs, so a full pipe never stalls the server.
        self.log: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)

    def _wait_for_address(self) -> str:
        assert self.process.stderr is not None
        seen = []
        # Bounded: the server prints its address once it listens, or the test fails.
        for _ in range(50):
            line = self.process.stderr.readline()
            if not line:
                break
            seen.append(line)
            found = _ADDRESS.search(line)
            if found:
                return found.group(1)
        self.process.kill()
        raise AssertionError("pcsdesk serve did not start:\n" + "".join(seen))

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_until(predicate: object, seconds: float = 10.0) -> bool:
    """For a condition another process brings about; bounded, never a wall-clock assertion."""
    assert callable(predicate)
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())
