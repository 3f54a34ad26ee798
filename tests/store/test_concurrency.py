"""Many pcsdesk processes at once in one store, and processes killed mid-command."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from support import ETS, TECH, Invoker, git, run_cli

from pcsdesk.rules.ids import ticket_path

ENV = {"PCSDESK_USER": ETS, "PCSDESK_NOW": "2026-11-30T10:00"}


def notes_of(invoke: Invoker, ticket_id: str) -> list[str]:
    return [n["text"] for n in json.loads(invoke(["show", ticket_id, "--json"]).stdout)["notes"]]


class TestParallelWriters:
    def test_twelve_notes_at_once_all_land(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        before = int(git(store, "rev-list", "--count", "HEAD"))

        def note(number: int) -> subprocess.CompletedProcess[str]:
            who = ETS if number % 2 else TECH
            return run_cli(["note", ticket_id, "-m", f"note {number}"], store, {**ENV, "PCSDESK_USER": who})

        with ThreadPoolExecutor(12) as pool:
            results = list(pool.map(note, range(12)))
        assert [r.returncode for r in results] == [0] * 12, [r.stderr for r in results]
        assert sorted(notes_of(invoke, ticket_id)) == sorted(f"note {n}" for n in range(12))
        assert int(git(store, "rev-list", "--count", "HEAD")) == before + 12
        assert git(store, "status", "--porcelain") == ""
        assert invoke(["check"]).stdout == ""

    def test_a_git_lock_held_for_a_moment_is_waited_for(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        lock = store / ".git" / "index.lock"
        lock.write_text("")   # a technician's `git add` holding git's index lock
        release = threading.Timer(0.8, lock.unlink)
        release.start()
        try:
            result = run_cli(["note", ticket_id, "-m", "while git was busy"], store, ENV)
        finally:
            release.join()
        assert result.returncode == 0, result.stderr
        assert notes_of(invoke, ticket_id) == ["while git was busy"]
        assert git(store, "status", "--porcelain") == ""


def kill_note_after(store: Path, ticket_id: str, text: str, delay: float) -> None:
    """Run `note` and SIGKILL it and every process it started after `delay` seconds."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pcsdesk", "note", ticket_id, "-m", text],
        cwd=store, env={**os.environ, **ENV}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class TestKilled:
    """Kills at random moments (tests/store/test_killed_writes.py kills at each step of a write)."""

    def assert_old_or_new(self, invoke: Invoker, store: Path, path: str, old: str) -> bool:
        """The file is the old or the new version and the store passes check; True when it committed."""
        assert invoke(["check"]).stdout == ""
        new = git(store, "rev-parse", f"HEAD:{path}").strip()
        assert git(store, "hash-object", path).strip() == new, "the file is not the committed version"
        assert git(store, "status", "--porcelain", "--untracked-files=no") == ""
        return old != new

    def test_killed_after_random_delays(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        path = ticket_path(ticket_id)
        landed = 0
        # From before the imports finish to after the commit (a note takes ~0.3-0.5 s here).
        for number, delay in enumerate((0.05, 0.15, 0.22, 0.3, 0.38, 0.6)):
            old = git(store, "rev-parse", f"HEAD:{path}").strip()
            kill_note_after(store, ticket_id, f"attempt {number}", delay)
            landed += self.assert_old_or_new(invoke, store, path, old)
        invoke(["note", ticket_id, "-m", "after the kills"])
        texts = notes_of(invoke, ticket_id)
        assert texts[-1] == "after the kills"
        assert len(texts) == landed + 1
        assert git(store, "status", "--porcelain", "--untracked-files=no") == ""
