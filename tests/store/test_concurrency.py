"""Many pcsdesk processes at once in one store, and processes killed mid-command."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
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


def slow_git(tmp_path: Path, command: str, when: str) -> tuple[dict[str, str], Path]:
    """A `git` first on PATH that sleeps before or after one subcommand, touching a marker as it does.

    The test then kills the pcsdesk process group exactly there: between two steps of a
    commit, where a random delay would almost never land.
    """
    real = shutil.which("git")
    assert real is not None
    folder = tmp_path / f"slow-{command}-{when}"
    folder.mkdir()
    marker = folder / "reached"
    script = folder / "git"
    pause = f'touch "{marker}"; sleep 30'
    script.write_text(
        "#!/bin/sh\n"
        "slow=no\n"
        f'for arg in "$@"; do [ "$arg" = "{command}" ] && slow=yes && break; done\n'
        f'[ $slow = yes ] && [ {when} = before ] && {{ {pause}; }}\n'
        f'"{real}" "$@"; code=$?\n'
        f'[ $slow = yes ] && [ {when} = after ] && {{ {pause}; }}\n'
        "exit $code\n"
    )
    script.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}, marker


def kill_note(store: Path, ticket_id: str, text: str, env: dict[str, str], marker: Path | None,
              delay: float = 0.0) -> None:
    """Run `note` and SIGKILL it and every process it started, at the marker or after `delay`."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pcsdesk", "note", ticket_id, "-m", text],
        cwd=store, env={**os.environ, **ENV, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    if marker is not None:
        while not marker.exists():
            assert process.poll() is None, "the command ended before reaching the point"
            assert time.monotonic() < deadline
            time.sleep(0.01)
    else:
        time.sleep(delay)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class TestKilled:
    def assert_old_or_new(self, invoke: Invoker, store: Path, path: str, old: str) -> bool:
        """The file is the old or the new version and the store passes check; True when it committed."""
        new = git(store, "rev-parse", f"HEAD:{path}").strip()
        on_disk = git(store, "hash-object", path).strip()
        assert on_disk in (old, new), "the file is neither the old nor the new version"
        assert invoke(["check"]).stdout == ""
        return old != new

    @pytest.mark.parametrize(("command", "when", "committed", "file_is"), [
        ("hash-object", "before", False, "old"),     # the new content not even stored
        ("commit-tree", "after", False, "old"),      # a commit made, the branch not moved
        ("update-ref", "after", True, "old"),        # the branch moved, the file not yet written
        ("update-index", "before", True, "new"),     # the file written, its index entry not
        ("update-index", "after", True, "new"),      # everything done, the process not yet ended
    ])
    def test_killed_between_the_steps_of_a_commit(
        self, invoke: Invoker, store: Path, tmp_path: Path, command: str, when: str, committed: bool,
        file_is: str,
    ) -> None:
        ticket_id = invoke.new()
        path = ticket_path(ticket_id)
        old = git(store, "rev-parse", f"HEAD:{path}").strip()
        env, marker = slow_git(tmp_path, command, when)
        kill_note(store, ticket_id, "killed", env, marker)
        assert self.assert_old_or_new(invoke, store, path, old) is committed
        expected = old if file_is == "old" else git(store, "rev-parse", f"HEAD:{path}").strip()
        assert git(store, "hash-object", path).strip() == expected
        # The next command carries on from whatever was left, and leaves the store clean.
        invoke(["note", ticket_id, "-m", "after the kill"])
        assert notes_of(invoke, ticket_id) == (["killed"] if committed else []) + ["after the kill"]
        assert git(store, "status", "--porcelain") == ""
        assert invoke(["check"]).stdout == ""

    def test_killed_after_random_delays(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        path = ticket_path(ticket_id)
        landed = 0
        # From before the imports finish to after the commit (a note takes ~0.3-0.5 s here).
        for number, delay in enumerate((0.05, 0.15, 0.22, 0.3, 0.38, 0.6)):
            old = git(store, "rev-parse", f"HEAD:{path}").strip()
            kill_note(store, ticket_id, f"attempt {number}", {}, None, delay)
            landed += self.assert_old_or_new(invoke, store, path, old)
        invoke(["note", ticket_id, "-m", "after the kills"])
        texts = notes_of(invoke, ticket_id)
        assert texts[-1] == "after the kills"
        assert len(texts) == landed + 1
        assert git(store, "status", "--porcelain", "--untracked-files=no") == ""


class TestKilledSync:
    def test_a_sync_killed_after_moving_the_branch_is_finished_by_the_next(
        self, invoke: Invoker, store: Path, tmp_path: Path
    ) -> None:
        ticket_id = invoke.new()
        path = ticket_path(ticket_id)
        remote, other = tmp_path / "remote.git", tmp_path / "other"
        git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
        git(store, "remote", "add", "origin", str(remote))
        invoke(["sync"])
        git(tmp_path, "clone", "-q", str(remote), str(other))
        Invoker(other)(["note", ticket_id, "-m", "from the other clone"], now="2026-11-30T10:30")
        Invoker(other)(["sync"])
        invoke(["note", ticket_id, "-m", "from here"], now="2026-11-30T10:20")
        old = git(store, "rev-parse", f"HEAD:{path}").strip()
        env, marker = slow_git(tmp_path, "update-ref", "after")
        process = subprocess.Popen(
            [sys.executable, "-m", "pcsdesk", "sync"], cwd=store, env={**os.environ, **ENV, **env},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.01)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        # The branch holds the merge; the file is still the version from before the sync.
        assert git(store, "rev-parse", f"HEAD:{path}").strip() != old
        assert git(store, "hash-object", path).strip() == old
        assert invoke(["check"]).stdout == ""
        invoke(["sync"])
        assert notes_of(invoke, ticket_id) == ["from here", "from the other clone"]
        assert git(store, "hash-object", path).strip() == git(store, "rev-parse", f"HEAD:{path}").strip()
        assert git(store, "status", "--porcelain") == ""
