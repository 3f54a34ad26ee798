"""Reads name the uncommitted files, new untracked ticket files included, without reading every folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support import ETS, Invoker, git, run_cli

from pcsdesk.rules.ids import ticket_path
from pcsdesk.store.git import Git
from pcsdesk.store.worktree import RECORD_FILE, UntrackedFiles

NOTE = "Note: answered from the last commit (HEAD); not committed here: "


def settle(store: Path) -> None:
    """Every folder below tickets/ an hour old, as in a store nobody has written to lately."""
    an_hour_ago = os.stat(store / "calendar.yaml").st_mtime - 3600
    for here, _folders, _files in os.walk(store / "tickets"):
        os.utime(here, (an_hour_ago, an_hour_ago))


def hand_made(store: Path, ticket_id: str) -> str:
    """A copy of a ticket under a new ID in the same folder, not added to git."""
    copy_id = ticket_id[:-1] + ("Z" if ticket_id[-1] != "Z" else "Y")
    source, copy = store / ticket_path(ticket_id), store / ticket_path(copy_id)
    copy.write_text(source.read_text().replace(ticket_id, copy_id))
    return ticket_path(copy_id)


class TestUntrackedTickets:
    def test_a_hand_made_ticket_is_named_by_every_read(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        path = hand_made(store, ticket_id)
        for command in (["list"], ["overdue"], ["report"], ["show", ticket_id], ["log", ticket_id]):
            assert invoke(command).stderr == f"{NOTE}{path}\n", command

    def test_one_made_after_the_folders_were_recorded_is_named_until_committed(
        self, invoke: Invoker, store: Path
    ) -> None:
        ticket_id = invoke.new()
        settle(store)
        assert invoke(["list"]).stderr == ""
        assert (store / ".git" / "pcsdesk" / RECORD_FILE).is_file()
        path = hand_made(store, ticket_id)
        assert invoke(["list"]).stderr == f"{NOTE}{path}\n"
        git(store, "add", path)
        assert invoke(["list"]).stderr == f"{NOTE}{path}\n"   # staged, still not committed
        git(store, "commit", "-q", "-m", "hand-made ticket")
        assert invoke(["list"]).stderr == ""

    def test_ignored_files_and_files_outside_tickets_are_not_named(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        (store / ".gitignore").write_text("*.swp\n")
        git(store, "add", ".gitignore")
        git(store, "commit", "-q", "-m", "ignore editor files")
        (store / ticket_path(ticket_id)).with_suffix(".swp").write_text("editor state\n")
        (store / "notes.txt").write_text("not a ticket\n")
        assert invoke(["list"]).stderr == ""


class TestFolderRecord:
    def test_a_folder_whose_time_did_not_move_is_not_listed_again(self, invoke: Invoker, store: Path) -> None:
        """The record is what spares reading every folder: a folder with its recorded time is trusted."""
        ticket_id = invoke.new()
        settle(store)
        invoke(["list"])
        folder = (store / ticket_path(ticket_id)).parent
        recorded = os.stat(folder)
        hand_made(store, ticket_id)
        os.utime(folder, ns=(recorded.st_atime_ns, recorded.st_mtime_ns))
        untracked = UntrackedFiles(Git(store), "tickets", store / ".git" / "pcsdesk" / RECORD_FILE)
        untracked.start()
        assert untracked.paths() == []

    def test_a_folder_changed_just_now_is_listed_again_next_time(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        invoke(["list"])   # the ticket's folder was written a moment ago: recorded as unsettled
        folder = (store / ticket_path(ticket_id)).parent
        recorded = os.stat(folder)
        path = hand_made(store, ticket_id)
        os.utime(folder, ns=(recorded.st_atime_ns, recorded.st_mtime_ns))
        assert invoke(["list"]).stderr == f"{NOTE}{path}\n"

    def test_a_broken_record_is_rebuilt(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        record = store / ".git" / "pcsdesk" / RECORD_FILE
        record.parent.mkdir(exist_ok=True)
        record.write_bytes(b"\xff\xfe not a record\n")
        path = hand_made(store, ticket_id)
        assert invoke(["list"]).stderr == f"{NOTE}{path}\n"
        assert record.read_text().startswith("pcsdesk folders 1\n")


class TestStartedBeforeClick:
    def test_a_read_run_as_a_process_names_the_uncommitted_files(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        edited = store / ticket_path(ticket_id)
        edited.write_text(edited.read_text().replace("Projector shows no signal", "Edited by hand"))
        made = hand_made(store, ticket_id)
        env = {"PCSDESK_USER": ETS}
        for args, cwd in ((["list"], store / "tickets"), (["--store", str(store), "show", ticket_id], store.parent),
                          ([f"--store={store}", "--as", ETS, "report"], store.parent)):
            done = run_cli(args, cwd, env)
            assert done.returncode == 0, done.stderr
            assert done.stderr == f"{NOTE}{', '.join(sorted([ticket_path(ticket_id), made]))}\n", args

    def test_only_a_read_starts_git_before_click_is_imported(self, store: Path) -> None:
        probe = (
            "import sys; sys.argv = ['pcsdesk', *sys.argv[1:]]\n"
            "import pcsdesk.store.worktree as worktree\n"
            "import pcsdesk.cli\n"
            "print(sorted(str(root) for root in worktree._early))\n"
        )
        for args, expected in ((["list"], f"['{store}']\n"), (["--store", str(store), "overdue"], f"['{store}']\n"),
                               (["new", "--building", "PCHS"], "[]\n"), (["--version"], "[]\n")):
            done = subprocess.run([sys.executable, "-c", probe, *args], cwd=store, capture_output=True, text=True,
                                  check=True)
            assert done.stdout == expected, args
