"""Never lost, never a flood: notify killed at each step, run twice at once, and under moving history.

These run `pcsdesk notify` as a real process (`python -m pcsdesk`) so that a kill
is a real SIGKILL: at a hook point (PCSDESK_NOTIFY_PAUSE makes the process stop
itself there, and the test kills it), or while the SMTP server holds its reply.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from smtp_server import Notifier, Recorder
from support import ETS, NETOPS, TEACHER, TECH, Invoker, git

MESSAGE_ID = re.compile(r"^Message-ID: (<[^>]+>)$", re.MULTILINE)


def notify_process(store: Path, smtp: Recorder, **env: str) -> subprocess.Popen[str]:
    full = {**os.environ, "PCSDESK_SMTP_URL": smtp.url, "PCSDESK_NOW": "2026-11-30T11:00",  # type: ignore[attr-defined]
            **env}
    return subprocess.Popen(
        [sys.executable, "-m", "pcsdesk", "--store", str(store), "notify"],
        env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_stopped(process: subprocess.Popen[str], timeout: float = 60) -> None:
    """Until the process has stopped itself (SIGSTOP) at its hook point."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        if state == "T":
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    raise AssertionError("notify never reached its hook point")


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def expected_ids(notify: Notifier) -> list[str]:
    """The Message-IDs of everything pending, from a dry run (which moves nothing)."""
    return MESSAGE_ID.findall(notify("--dry-run").stdout)  # type: ignore[attr-defined]


def three_commits(invoke: Invoker) -> list[str]:
    """Three commits of two messages each: a ticket, an assignment, an escalation."""
    ticket = invoke.new(as_user=TEACHER)
    invoke(["assign", ticket, "--to", TECH, "-m", "Ray has the spare lamp"], as_user=ETS)
    invoke(["escalate", ticket, "--to", NETOPS, "-m", "Port 2-14 shows no link"], as_user=TECH)
    return [ticket]


class TestKilled:
    """A run killed at each step, then run again: nothing lost, at most one commit's messages twice."""

    @pytest.mark.parametrize("step", ["sent:2", "moved:2"])
    def test_at_a_hook_point(self, notify: Notifier, step: str) -> None:
        store = notify.invoke.store
        three_commits(notify.invoke)
        pending = expected_ids(notify)
        assert len(pending) == 6 == len(set(pending))
        process = notify_process(store, notify.smtp, PCSDESK_NOTIFY_PAUSE=step)
        wait_stopped(process)
        kill(process)
        code, out, err = finish(notify_process(store, notify.smtp))
        assert (code, out, err) == (0, "", "")
        received = Counter(r.message_id for r in notify.smtp.received)
        assert set(received) == set(pending)           # nothing lost
        again = [message_id for message_id, count in received.items() if count > 1]
        if step.startswith("sent"):
            # Killed with commit N's messages sent and the ref not yet past it: exactly
            # that commit's two messages come again, under the same Message-IDs.
            n = int(step.split(":")[1])
            assert sorted(again) == sorted(pending[2 * (n - 1): 2 * n])
        else:
            assert again == []
        assert finish(notify_process(store, notify.smtp))[0] == 0
        assert len(notify.smtp.received) == 6 + len(again)   # the third run sent nothing

    def test_while_the_server_holds_its_reply(self, notify: Notifier) -> None:
        """Killed between a message's DATA and the server's 250: the server kept it, notify never knew."""
        store = notify.invoke.store
        three_commits(notify.invoke)
        pending = expected_ids(notify)
        notify.smtp.hold_at = 3       # the first message of the second commit
        process = notify_process(store, notify.smtp)
        assert notify.smtp.holding.wait(60)
        kill(process)
        notify.smtp.release.set()
        notify.smtp.hold_at = None
        assert finish(notify_process(store, notify.smtp))[0] == 0
        received = Counter(r.message_id for r in notify.smtp.received)
        assert set(received) == set(pending)
        assert [m for m, count in received.items() if count > 1] == [pending[2]]


class TestTwoRunsAtOnce:
    def test_send_each_message_once(self, notify: Notifier) -> None:
        store = notify.invoke.store
        three_commits(notify.invoke)
        pending = expected_ids(notify)
        notify.smtp.delay = 0.2       # so the two runs overlap
        first = notify_process(store, notify.smtp)
        second = notify_process(store, notify.smtp)
        assert finish(first)[0] == 0 and finish(second)[0] == 0
        assert sorted(r.message_id for r in notify.smtp.received) == sorted(pending)


class TestMovingHistory:
    def test_a_merge_of_two_clones_notes_sends_each_notes_messages_once(
        self, tmp_path: Path, invoke: Invoker, smtp: Recorder
    ) -> None:
        remote = tmp_path / "remote.git"
        git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
        git(invoke.store, "remote", "add", "origin", str(remote))
        ticket = invoke.new(as_user=TEACHER)
        invoke(["sync"])
        other_path = tmp_path / "other"
        git(tmp_path, "clone", "-q", str(remote), str(other_path))
        other = Invoker(other_path)
        server = Notifier(invoke, smtp)
        server()                                   # the server's clone: first run
        invoke(["note", ticket, "-m", "Server side: ordered a lamp"], as_user=ETS, now="2026-11-30T10:10")
        other(["note", ticket, "-m", "Other clone: cable is fine"], as_user=TECH, now="2026-11-30T10:20")
        other(["note", ticket, "-m", "Room 204, until noon"], as_user=TEACHER, now="2026-11-30T10:30")
        other(["sync"])
        invoke(["sync"])                           # a merge commit with the other clone's two notes
        assert len(git(invoke.store, "rev-list", "--merges", "HEAD").split()) == 1
        assert sorted(server.new_messages()) == [("note", ETS), ("update", TEACHER), ("update", TEACHER)]
        updates = [r.body for r in smtp.received if r.kind == "update"]
        assert sum("ordered a lamp" in body for body in updates) == 1
        assert sum("cable is fine" in body for body in updates) == 1
        # The other clone syncs the merge back and its own notify would start afresh;
        # the server's clone sends nothing more.
        other(["sync"])
        invoke(["sync"])
        assert server.new_messages() == []

    def test_a_rewritten_history_sends_only_what_is_new(self, notify: Notifier) -> None:
        store = notify.invoke.store
        ticket = notify.invoke.new(as_user=TEACHER)
        notify.invoke(["note", ticket, "-m", "On my way"], as_user=ETS)
        notify()
        told = len(notify.smtp.received)
        # Someone rewrites the clone's history: the same changes as new commits, so the
        # recorded commit is no longer on the branch.
        base = git(store, "rev-list", "--max-parents=0", "HEAD").strip()
        git(store, "reset", "-q", "--soft", base)
        git(store, "commit", "-q", "-m", "Everything so far, squashed")
        notify.invoke(["note", ticket, "-m", "Lamp replaced, please test"], as_user=ETS)
        assert subprocess.run(["git", "merge-base", "--is-ancestor", "refs/pcsdesk/notified", "HEAD"],
                              cwd=store).returncode == 1
        assert notify.new_messages() == [("update", TEACHER)]
        assert "Lamp replaced" in notify.smtp.received[-1].body
        assert len(notify.smtp.received) == told + 1
