"""Helpers shared by the tests: people, times, git, and the CLI runners."""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from pcsdesk.cli import cli
from pcsdesk.desk.context import Context, fixed_clock
from pcsdesk.rules.ids import ticket_path
from pcsdesk.store.store import Store

ETS = "ets.pchs@pcschools.us"
TECH = "tech.pchs@pcschools.us"
NETOPS = "netops@pcschools.us"
TEACHER = "jsmith@pcschools.us"
MONDAY_10 = "2026-11-30T10:00:00-07:00"

# The example calendar of docs/reference.md: Thanksgiving, the winter closure, an open Saturday.
# Its settings, the part every calendar a test writes starts with.
CALENDAR_SETTINGS = """\
timezone: America/Denver
workdays: [mon, tue, wed, thu, fri]
hours: {open: "07:00", close: "15:00"}
first_response_business_days: 2
"""
SPEC_CALENDAR_YAML = CALENDAR_SETTINGS + """\
closed:
  - {date: 2026-11-26, reason: Thanksgiving}
  - {date: 2026-11-27, reason: Thanksgiving Friday}
  - {from: 2026-12-24, to: 2027-01-01, reason: Winter closure}
open:
  - {date: 2027-03-13, reason: Saturday office day}
summer: {from: 2027-06-05, to: 2027-08-15}
"""


def context(store: Store, at: str = "2026-12-03T10:00:00") -> Context:
    """The core's context for `store`, its clock stopped at `at` (district time)."""
    return Context.of_store(store, clock=fixed_clock(datetime.fromisoformat(at).replace(tzinfo=store.calendar.tz)))


def clock(now: str | None) -> dict[str, str]:
    """$PCSDESK_NOW and, at the same instant, $GIT_COMMITTER_DATE, as an honest clock has them (docs/reviewing.md).

    pcsdesk never moves the committer date; `check --base` reports an entry more than
    15 minutes from its commit's. A test that sets the clock sets both, as if the
    machine's clock said that time.
    """
    if not now:
        return {}
    from zoneinfo import ZoneInfo

    from pcsdesk.errors import PcsdeskError
    from pcsdesk.rules.clock import parse_instant

    try:
        instant = parse_instant(now, ZoneInfo("America/Denver"))
    except PcsdeskError:
        # A clock pcsdesk must refuse (a skipped local time): the test wants to see the
        # refusal from pcsdesk itself, so pass it on unchanged, with no committer date.
        return {"PCSDESK_NOW": now}
    return {"PCSDESK_NOW": now, "GIT_COMMITTER_DATE": f"{int(instant.timestamp())} {instant:%z}"}


def make_hermetic(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """A fresh HOME, no system git config, a fixed author, no pcsdesk or git variables from outside."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Runner")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "runner@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Runner")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "runner@example.org")
    monkeypatch.setenv("GIT_EDITOR", "false")
    monkeypatch.setenv("EDITOR", "false")
    for name in ("PCSDESK_STORE", "PCSDESK_USER", "PCSDESK_NOW", "GIT_COMMITTER_DATE", "GIT_AUTHOR_DATE",
                 "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "REMOTE_USER", "GL_USER"):
        monkeypatch.delenv(name, raising=False)
    (home / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


class Invoker:
    """Runs the CLI in-process against one store, printing everything when a call fails."""

    def __init__(self, store: Path) -> None:
        self.store = store

    def __call__(
        self,
        args: list[str],
        ok: bool | None = True,
        input: str | None = None,
        as_user: str | None = ETS,
        now: str | None = MONDAY_10,
        env: dict[str, str | None] | None = None,
    ) -> Result:
        full: list[str] = ["--store", str(self.store)]
        if as_user is not None:
            full += ["--as", as_user]
        run_env: dict[str, str | None] = {**clock(now), **(env or {})}
        fixed = run_env.get("PCSDESK_NOW")
        if fixed and "GIT_COMMITTER_DATE" not in (env or {}):
            run_env.update(clock(fixed))
        result = CliRunner().invoke(cli, full + args, input=input, env=run_env)
        if ok is not None and (result.exit_code == 0) != ok:
            print("ARGS:", args)
            print("STDOUT:", result.stdout)
            print("STDERR:", result.stderr)
            if result.exc_info and not isinstance(result.exception, SystemExit):
                traceback.print_exception(*result.exc_info, file=sys.stdout)
            raise AssertionError(f"exit {result.exit_code}, expected {'0' if ok else 'non-zero'}")
        return result

    def new(self, *extra: str, **kwargs: Any) -> str:
        """Enter a ticket and return its ID."""
        args = ["new", "--building", "PCHS", "--summary", "Projector shows no signal", *extra]
        result = self(args, **kwargs)
        return result.stdout.split()[0]


def run_cli(args: list[str], cwd: Path, env: dict[str, str] | None = None,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
    """The installed console script as a real process, for end-to-end tests."""
    full_env = {**os.environ, **(env or {})}
    if "PCSDESK_NOW" in full_env and "GIT_COMMITTER_DATE" not in (env or {}):
        full_env.update(clock(full_env["PCSDESK_NOW"]))
    return subprocess.run(
        [sys.executable, "-m", "pcsdesk", *args], cwd=cwd, env=full_env, input=input,
        capture_output=True, text=True, timeout=120,
    )


def hand_edit(store: Path, ticket_id: str, change: Callable[[str], str], message: str = "hand edit",
              author: str | None = None, at: str | None = None) -> str:
    """Change a ticket file the way a pull request could, commit it, return its path.

    `author` and `at` make the commit as that person at that time (an honest hand edit);
    otherwise it is the test runner's, now.
    """
    path = ticket_path(ticket_id)
    file = store / path
    text = file.read_text()
    changed = change(text)
    assert changed != text, "the edit changed nothing"
    file.write_text(changed)
    env = {**os.environ, **clock(at)}
    if author:
        env.update(GIT_AUTHOR_EMAIL=author, GIT_AUTHOR_NAME=author.split("@")[0])
    subprocess.run(["git", "commit", "-q", "-am", message], cwd=store, env=env, check=True)
    return path


def line_of(store: Path, path: str, text: str) -> int:
    """The number of the first line of the committed file that holds `text` (to name it as check does)."""
    content = git(store, "show", f"HEAD:{path}")
    return next(n for n, line in enumerate(content.splitlines(), start=1) if text in line)


def object_database(cwd: Path) -> bytes:
    """Every object git holds, loose or packed: where a secret must never appear."""
    return subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch"], cwd=cwd, check=True, capture_output=True
    ).stdout


def run_in_terminal(args: list[str], cwd: Path, answers: str, env: dict[str, str] | None = None,
                    timeout: float = 60) -> tuple[int, str]:
    """Run pcsdesk with a pseudo-terminal as stdin and stdout, typing `answers`.

    What a technician sees at a real terminal: prompts, the editor, the checklist.
    Returns the exit code and everything the terminal showed.
    """
    import pty
    import select
    import time

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "pcsdesk", *args], cwd=cwd, env={**os.environ, **(env or {})},
        stdin=terminal, stdout=terminal, stderr=terminal, close_fds=True,
    )
    os.close(terminal)
    os.write(controller, answers.encode())
    shown = bytearray()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal closes when the process exits
                break
            if not chunk:
                break
            shown += chunk
        elif process.poll() is not None:
            break
    os.close(controller)
    code = process.wait(timeout=5)
    return code, shown.decode("utf-8", "replace").replace("\r\n", "\n")


def slow_git(folder: Path, command: str, when: str = "before") -> tuple[dict[str, str], Path]:
    """A `git` first on PATH that stops before or after one subcommand, touching a marker there.

    The test kills the pcsdesk process group at the marker: exactly between two steps
    of a write, where a random delay would almost never land. The wrapper then waits
    to be killed (its loop is bounded only so that a broken test cannot leave it
    running for ever); every other git command passes straight through.
    """
    import shutil

    real = shutil.which("git")
    assert real is not None
    folder.mkdir(parents=True)
    marker = folder / "reached"
    release = folder / "release"   # touched by a test that lets the command go on instead
    script = folder / "git"
    pause = (f'touch "{marker}"; i=0; while [ ! -e "{release}" ] && [ $i -lt 6000 ]; '
             'do sleep 0.1; i=$((i+1)); done')
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


def start_until_marker(args: list[str], cwd: Path, env: dict[str, str], marker: Path) -> subprocess.Popen[bytes]:
    """Start pcsdesk with `args` in a session of its own and return once `marker` appears.

    No clock: the loop ends when the marker appears or the command ends without
    reaching it (a clear failure); its bound only keeps a hung command from hanging the suite.
    """
    import time

    full_env = {**os.environ, **env}
    if "PCSDESK_NOW" in env:
        full_env.update(clock(env["PCSDESK_NOW"]))
    process = subprocess.Popen(
        [sys.executable, "-m", "pcsdesk", *args], cwd=cwd, env=full_env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    for _ in range(60000):
        if marker.exists():
            return process
        if process.poll() is not None:
            raise AssertionError(f"pcsdesk {' '.join(args)} ended (exit {process.returncode}) before the "
                                 f"point to kill it: {process.stderr.read().decode() if process.stderr else ''}")
        time.sleep(0.01)
    process.kill()
    raise AssertionError(f"pcsdesk {' '.join(args)} never reached {marker.parent.name}")


def kill_at_marker(args: list[str], cwd: Path, env: dict[str, str], marker: Path) -> None:
    """Run pcsdesk with `args` and SIGKILL it, and every process it started, once `marker` appears."""
    import signal

    process = start_until_marker(args, cwd, env, marker)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if process.stderr is not None:
        process.stderr.close()
