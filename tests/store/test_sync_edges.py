"""`sync` and clones at the edges: cron with no identity, an unreachable remote, a locked ref,
scratch folders of a killed sync, a fresh clone's merge driver, a merge left half-done."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from support import ETS, TEACHER, Invoker, git

from pcsdesk.rules.ids import ticket_path

BIN = Path(sys.executable).parent


class Remote:
    """A bare remote, the store pushed to it, and a technician's clone of it."""

    def __init__(self, root: Path, store: Path) -> None:
        self.root = root
        self.bare = root / "remote.git"
        git(root, "init", "-q", "--bare", "-b", "main", str(self.bare))
        git(store, "remote", "add", "origin", str(self.bare))
        self.store = Invoker(store)
        self.store(["sync"])
        self.ticket = self.store.new("--requester", TEACHER, now="2026-11-30T09:00")
        self.store(["note", self.ticket, "-m", "Seen it"], now="2026-11-30T09:30")
        self.store(["sync"])
        self.clone_path = root / "clone"
        git(root, "clone", "-q", str(self.bare), str(self.clone_path))
        self.clone = Invoker(self.clone_path)


@pytest.fixture
def remote(tmp_path: Path, store: Path) -> Remote:
    return Remote(tmp_path, store)


def cron(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """As cron runs a job: `env -i` with PATH, HOME and LANG=C only, no terminal, no identity."""
    home.mkdir(exist_ok=True)
    env = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(home), "LANG": "C",
           # Only so the test does not depend on the day it runs: cron would use the clock.
           "PCSDESK_NOW": "2026-12-01T06:30"}
    return subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()), *args], cwd=cwd,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


class TestCron:
    def test_the_documented_cron_line_is_silent_on_a_quiet_day(self, remote: Remote, tmp_path: Path) -> None:
        remote.store(["note", remote.ticket, "-m", "More from the office"], now="2026-11-30T11:00")
        remote.store(["sync"])   # the clone receives a commit: a fast-forward, no merge commit
        done = cron(["sh", "-c", "pcsdesk sync -q; pcsdesk overdue --due-within 8"], remote.clone_path,
                    tmp_path / "cron-home")
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
        assert git(remote.clone_path, "rev-parse", "HEAD") == git(remote.bare, "rev-parse", "main")

    def test_a_merge_without_identity_says_how_to_set_one_for_cron(
        self, remote: Remote, tmp_path: Path
    ) -> None:
        remote.clone(["note", remote.ticket, "-m", "From the clone"], now="2026-11-30T10:00")
        remote.store(["note", remote.ticket, "-m", "From the office"], now="2026-11-30T11:00")
        remote.store(["sync"])
        before = git(remote.clone_path, "rev-parse", "HEAD")
        done = cron(["pcsdesk", "sync", "-q"], remote.clone_path, tmp_path / "cron-home")
        assert done.returncode == 1
        assert done.stderr.startswith("Error: sync must make a merge commit")
        assert "PCSDESK_USER=" in done.stderr and "crontab" in done.stderr
        assert len(done.stderr.splitlines()) == 1
        assert git(remote.clone_path, "rev-parse", "HEAD") == before
        assert git(remote.clone_path, "status", "--porcelain") == ""


class TestRemote:
    @pytest.mark.parametrize(("url", "plainly"), [
        ("/nonexistent/helpdesk.git", "there is no repository at that address (check the URL)"),
        ("http://127.0.0.1:1/helpdesk.git", "the server refused the connection (is it running?)"),
    ])
    def test_an_unreachable_remote_in_plain_words(self, remote: Remote, url: str, plainly: str) -> None:
        git(remote.clone_path, "remote", "set-url", "origin", url)
        result = remote.clone(["sync"], ok=False)
        assert result.stderr == (
            f"Error: cannot reach the remote origin ({url}): {plainly}; nothing was changed; your work "
            "is safe in this clone: sync again when the remote can be reached\n"
        )

    def test_a_password_in_the_url_is_never_repeated(self, remote: Remote) -> None:
        git(remote.clone_path, "remote", "set-url", "origin", "http://jsmith:Tiger123@127.0.0.1:1/x.git")
        result = remote.clone(["sync"], ok=False)
        assert "Tiger123" not in result.stderr
        assert "(http://127.0.0.1:1/x.git)" in result.stderr

    def test_a_push_that_meets_a_locked_ref_is_retried(self, remote: Remote) -> None:
        remote.clone(["note", remote.ticket, "-m", "Pushed while the server was busy"], now="2026-11-30T10:00")
        lock = remote.bare / "refs" / "heads" / "main.lock"
        lock.write_text("")   # another clone's push updating the branch at this moment
        release = threading.Timer(0.5, lock.unlink)
        release.start()
        try:
            result = remote.clone(["sync"])
        finally:
            release.join()
        assert "sent 1" in result.stdout
        assert git(remote.clone_path, "rev-parse", "HEAD") == git(remote.bare, "rev-parse", "main")


class TestScratch:
    def test_folders_left_by_a_killed_sync_are_removed(self, remote: Remote) -> None:
        dead = subprocess.Popen(["true"])
        dead.wait()
        top = Path(tempfile.gettempdir())
        left = top / f"pcsdesk-sync-{dead.pid}-abc123"
        alive = top / f"pcsdesk-sync-{os.getpid()}-def456"   # a sync still running
        for folder in (left, alive):
            folder.mkdir()
            (folder / "index").write_bytes(b"x")
        try:
            remote.clone(["sync"])
            assert not left.exists()
            assert alive.exists()
        finally:
            shutil.rmtree(left, ignore_errors=True)
            shutil.rmtree(alive, ignore_errors=True)


class TestFreshClone:
    def test_any_command_registers_the_driver_so_git_pull_merges_tickets(self, remote: Remote) -> None:
        assert "pcsdesk-ticket" not in git(remote.clone_path, "config", "--local", "--list")
        remote.clone(["list"])
        assert "merge.pcsdesk-ticket.driver=" in git(remote.clone_path, "config", "--local", "--list")
        remote.clone(["note", remote.ticket, "-m", "From the clone"], now="2026-11-30T10:00")
        remote.store(["note", remote.ticket, "-m", "From the office"], now="2026-11-30T11:00")
        remote.store(["sync"])
        git(remote.clone_path, "-c", "user.email=t@pcschools.us", "-c", "user.name=T", "pull", "-q",
            "--no-rebase", "--no-edit")
        text = (remote.clone_path / ticket_path(remote.ticket)).read_text()
        assert "<<<<<<<" not in text
        assert "From the clone" in text and "From the office" in text

    def test_a_merge_in_progress_says_to_finish_or_abort_it(self, remote: Remote) -> None:
        # No driver in this clone yet (no pcsdesk command ran): a line merge that stops.
        remote.store(["note", remote.ticket, "-m", "From the office"], now="2026-11-30T11:00")
        remote.store(["sync"])
        path = remote.clone_path / ticket_path(remote.ticket)
        path.write_text(path.read_text() + "- at: '2026-11-30T10:00:00-07:00'\n  by: x@pcschools.us\n"
                        "  kind: note\n  text: by hand\n")
        git(remote.clone_path, "-c", "user.email=t@pcschools.us", "-c", "user.name=T", "commit", "-qam", "hand")
        pulled = subprocess.run(["git", "-c", "user.email=t@pcschools.us", "-c", "user.name=T", "pull",
                                 "-q", "--no-rebase", "--no-edit"], cwd=remote.clone_path, capture_output=True)
        assert pulled.returncode != 0
        for command in (["note", remote.ticket, "-m", "x"], ["sync"]):
            result = remote.clone(command, ok=False, as_user=ETS)
            assert result.stderr == (
                "Error: a merge is in progress in this clone; finish or abort the merge: git merge "
                "--abort (or settle the files and git commit), then try again\n"
            )
