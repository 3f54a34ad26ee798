"""A write SIGKILLed at each of its steps: the next pcsdesk command, any, leaves the store as if it never ran or had finished.

A `git` wrapper on PATH stops the chosen git step (tests/support.py slow_git) and the
test kills the whole process group there. Then, before anything else, a read runs,
and the store must hold: HEAD with or without the entry (never half of it), the
file and its index entry at HEAD's version (`git status` clean), no journal left, a
technician's `git commit` of another file that deletes nothing, and `check` silent.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from support import ETS, Invoker, git, kill_at_marker, run_cli, slow_git, start_until_marker

from pcsdesk.rules.ids import ticket_path
from pcsdesk.store.store import PENDING_FILE

ENV = {"PCSDESK_USER": ETS, "PCSDESK_NOW": "2026-11-30T10:00"}

# (git step, before or after it, whether the write is in HEAD afterwards). The order of
# a write: hash-object, mktree, commit-tree, journal, work-tree file, update-index,
# update-ref, journal removed.
STEPS = [
    ("hash-object", "before", False),    # nothing stored yet
    ("commit-tree", "after", False),     # a commit made, nothing else
    ("update-index", "before", False),   # the journal and the work-tree file written
    ("update-ref", "before", False),     # ... and the index entry: ahead of HEAD
    ("update-ref", "after", True),       # the branch moved; only the journal is left
]


def notes_at_head(store: Path, path: str) -> list[str]:
    import yaml

    data = yaml.safe_load(git(store, "show", f"HEAD:{path}"))
    return [note["text"] for note in data.get("notes") or []]


def assert_settled(invoke: Invoker, store: Path, path: str) -> None:
    """The file, its index entry and HEAD agree; nothing is pending; a git commit of another file takes only it."""
    assert not (store / ".git" / PENDING_FILE).exists(), "the journal was left behind"
    assert git(store, "status", "--porcelain", "--untracked-files=all") == ""
    in_head = git(store, "ls-tree", "HEAD", "--", path)
    assert git(store, "ls-files", "-s", "--", path).split()[1:2] == in_head.split()[2:3]
    before = git(store, "ls-tree", "-r", "HEAD", "--", "tickets")
    (store / "other.txt").write_text("a technician's own file\n")
    git(store, "add", "other.txt")
    git(store, "commit", "-q", "-m", "unrelated work")
    assert git(store, "show", "--name-only", "--format=", "HEAD").split() == ["other.txt"]
    assert git(store, "ls-tree", "-r", "HEAD", "--", "tickets") == before
    assert invoke(["check"]).stdout == ""


class TestANoteKilled:
    @pytest.mark.parametrize(("command", "when", "committed"), STEPS)
    def test_the_next_read_settles_it(self, invoke: Invoker, store: Path, tmp_path: Path,
                                      command: str, when: str, committed: bool) -> None:
        ticket_id = invoke.new()
        path = ticket_path(ticket_id)
        env, marker = slow_git(tmp_path / "slow", command, when)
        kill_at_marker(["note", ticket_id, "-m", "killed"], store, {**ENV, **env}, marker)
        assert notes_at_head(store, path) == (["killed"] if committed else [])
        # Any command settles what was left: here a read, as a real process.
        listed = run_cli(["list", "--json"], store, ENV)
        assert listed.returncode == 0 and listed.stderr == "", listed.stderr
        assert [row["id"] for row in json.loads(listed.stdout)] == [ticket_id]
        assert_settled(invoke, store, path)
        invoke(["note", ticket_id, "-m", "after the kill"])
        assert notes_at_head(store, path) == (["killed"] if committed else []) + ["after the kill"]
        assert git(store, "status", "--porcelain") == ""

    @pytest.mark.parametrize(("command", "when", "committed"), STEPS)
    def test_a_git_commit_before_any_pcsdesk_command_loses_nothing(
        self, invoke: Invoker, store: Path, tmp_path: Path, command: str, when: str, committed: bool,
    ) -> None:
        ticket_id = invoke.new()
        path = ticket_path(ticket_id)
        invoke(["note", ticket_id, "-m", "before"])
        env, marker = slow_git(tmp_path / "slow", command, when)
        kill_at_marker(["note", ticket_id, "-m", "killed"], store, {**ENV, **env}, marker)
        kept = notes_at_head(store, path)
        # The technician commits their own staged file straight away, as the old advice said.
        (store / "other.txt").write_text("mine\n")
        git(store, "add", "other.txt")
        git(store, "commit", "-q", "-m", "unrelated work")
        # Nothing in HEAD is lost: at most the killed entry is swept in (it was staged ahead).
        after = notes_at_head(store, path)
        assert after[: len(kept)] == kept and after in (kept, [*kept, "killed"])
        invoke(["note", ticket_id, "-m", "later"])
        assert notes_at_head(store, path)[-1] == "later"
        assert git(store, "status", "--porcelain") == ""
        assert invoke(["check"]).stdout == ""


class TestANewTicketKilled:
    @pytest.mark.parametrize(("command", "when", "committed"), STEPS)
    def test_the_next_read_settles_it(self, invoke: Invoker, store: Path, tmp_path: Path,
                                      command: str, when: str, committed: bool) -> None:
        env, marker = slow_git(tmp_path / "slow", command, when)
        kill_at_marker(["new", "--building", "PCHS", "--summary", "Killed while entering"], store,
                       {**ENV, **env}, marker)
        listed = run_cli(["list", "--json"], store, ENV)
        assert listed.returncode == 0 and listed.stderr == "", listed.stderr
        rows = json.loads(listed.stdout)
        assert [row["summary"] for row in rows] == (["Killed while entering"] if committed else [])
        if committed:
            assert_settled(invoke, store, ticket_path(rows[0]["id"]))
        else:
            assert git(store, "status", "--porcelain", "--untracked-files=all") == ""
            assert git(store, "ls-files", "tickets") == "tickets/.gitkeep\n"
            assert not (store / ".git" / PENDING_FILE).exists()
        assert invoke(["check"]).stdout == ""


class TestOtherWritersMeanwhile:
    def test_a_branch_moved_by_git_after_the_kill_is_respected(self, invoke: Invoker, store: Path,
                                                               tmp_path: Path) -> None:
        # Killed ahead of HEAD (index staged); then the technician commits only their own
        # file by path, which moves the branch past the journal's commit.
        ticket_id = invoke.new()
        path = ticket_path(ticket_id)
        env, marker = slow_git(tmp_path / "slow", "update-ref", "before")
        kill_at_marker(["note", ticket_id, "-m", "killed"], store, {**ENV, **env}, marker)
        (store / "other.txt").write_text("mine\n")
        git(store, "add", "other.txt")
        git(store, "commit", "-q", "-m", "only mine", "--", "other.txt")
        invoke(["show", ticket_id])
        assert notes_at_head(store, path) == []
        assert_settled(invoke, store, path)

    def test_a_hand_edit_made_after_the_kill_is_left_alone(self, invoke: Invoker, store: Path,
                                                           tmp_path: Path) -> None:
        ticket_id = invoke.new()
        path = ticket_path(ticket_id)
        env, marker = slow_git(tmp_path / "slow", "update-ref", "before")
        kill_at_marker(["note", ticket_id, "-m", "killed"], store, {**ENV, **env}, marker)
        edited = (store / path).read_text().replace("Projector", "Beamer")
        (store / path).write_text(edited)
        invoke(["show", ticket_id])
        assert (store / path).read_text() == edited
        assert not (store / ".git" / PENDING_FILE).exists()

    def test_a_live_writer_s_journal_is_not_touched(self, invoke: Invoker, store: Path, tmp_path: Path) -> None:
        # A writer stopped (not killed) just before moving the branch still holds the lock:
        # a read meanwhile must not undo its work.
        ticket_id = invoke.new()
        path = ticket_path(ticket_id)
        env, marker = slow_git(tmp_path / "slow", "update-ref", "before")
        process = start_until_marker(["note", ticket_id, "-m", "slow"], store, {**ENV, **env}, marker)
        try:
            staged = git(store, "ls-files", "-s", "--", path)
            assert invoke(["show", ticket_id]).exit_code == 0
            assert (store / ".git" / PENDING_FILE).exists()
            assert git(store, "ls-files", "-s", "--", path) == staged
        finally:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        invoke(["list"])
        assert_settled(invoke, store, path)

    def test_a_git_commit_that_sweeps_in_the_staged_entry_counts_it_once(self, invoke: Invoker, store: Path,
                                                                         tmp_path: Path) -> None:
        # Not a kill: the technician's `git commit` of the whole index lands in the moment
        # the entry is staged and the branch not yet moved. The entry is in their commit;
        # the command must not add it a second time.
        ticket_id = invoke.new()
        path = ticket_path(ticket_id)
        env, marker = slow_git(tmp_path / "slow", "update-ref", "before")
        process = start_until_marker(["note", ticket_id, "-m", "once"], store, {**ENV, **env}, marker)
        (store / "other.txt").write_text("mine\n")
        git(store, "add", "other.txt")
        git(store, "commit", "-q", "-m", "everything staged")
        (marker.parent / "release").touch()
        _out, err = process.communicate()
        assert process.returncode == 0, err
        assert notes_at_head(store, path) == ["once"]
        assert git(store, "status", "--porcelain") == ""
        assert not (store / ".git" / PENDING_FILE).exists()


    def test_a_journal_that_cannot_be_read_is_dropped(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        (store / ".git" / PENDING_FILE).write_text(
            "pcsdesk pending write 1\nref refs/heads/main\nfrom -\nto -\npid 1\nfile garbage\n")
        invoke(["show", ticket_id])
        assert not (store / ".git" / PENDING_FILE).exists()
        invoke(["note", ticket_id, "-m", "fine"])
        assert git(store, "status", "--porcelain") == ""


class TestASyncKilled:
    def test_killed_after_moving_the_branch_the_next_read_brings_the_files(
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
        env, marker = slow_git(tmp_path / "slow", "update-ref", "after")
        kill_at_marker(["sync"], store, {**ENV, **env}, marker)
        # The branch holds the merge; the file and the index are still from before the sync.
        assert notes_at_head(store, path) == ["from here", "from the other clone"]
        assert git(store, "hash-object", path).strip() == old
        invoke(["show", ticket_id])
        assert_settled(invoke, store, path)
        assert git(store, "hash-object", path).strip() == git(store, "rev-parse", f"HEAD~1:{path}").strip()
