"""`sync` between clones: a bare repository as the remote, two `git clone`s working apart."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from support import ETS, NETOPS, TEACHER, TECH, Invoker, git

from pcsdesk.rules.ids import ticket_path


class Clones:
    """The shared remote and two technicians' clones, A and B, each with a synced ticket."""

    def __init__(self, root: Path, store: Path) -> None:
        self.remote = root / "remote.git"
        git(root, "init", "-q", "--bare", "-b", "main", str(self.remote))
        git(store, "remote", "add", "origin", str(self.remote))
        Invoker(store)(["sync"])
        self.a_path, self.b_path = root / "a", root / "b"
        for path in (self.a_path, self.b_path):
            git(root, "clone", "-q", str(self.remote), str(path))
        self.a, self.b = Invoker(self.a_path), Invoker(self.b_path)
        self.ticket = self.a.new("--requester", TEACHER, now="2026-11-30T09:00")
        self.a(["sync"])
        self.b(["sync"])
        self.path = ticket_path(self.ticket)

    def show(self, clone: Invoker) -> dict[str, object]:
        data: dict[str, object] = json.loads(clone(["show", self.ticket, "--json"]).stdout)
        return data

    def texts(self, clone: Invoker) -> list[str]:
        return [note["text"] for note in self.show(clone)["notes"]]  # type: ignore[attr-defined, index]

    def head(self, where: Path) -> str:
        return git(where, "rev-parse", "HEAD" if where != self.remote else "main").strip()

    def assert_clean_and_checked(self) -> None:
        for clone, path in ((self.a, self.a_path), (self.b, self.b_path)):
            assert git(path, "status", "--porcelain") == ""
            assert clone(["check"]).stdout == ""
            assert b"<<<<<<<" not in (path / self.path).read_bytes()


@pytest.fixture
def clones(tmp_path: Path, store: Path) -> Clones:
    return Clones(tmp_path, store)


class TestConcurrentWork:
    def test_notes_on_one_ticket_from_both_clones_all_survive_in_time_order(self, clones: Clones) -> None:
        clones.a(["note", clones.ticket, "-m", "A: checked the cable"], now="2026-11-30T10:00")
        clones.b(["note", clones.ticket, "-m", "B: projector lamp is fine"], now="2026-11-30T10:30")
        clones.a(["note", clones.ticket, "-m", "A: replaced the cable"], now="2026-11-30T11:00")
        clones.a(["sync"])
        out = clones.b(["sync"]).stdout
        assert out == (
            "main synced with origin/main: received 2 commit(s), sent 2; merged 1 ticket(s) changed on both sides\n"
            f"  merged {clones.path}\n"
        )
        clones.a(["sync"])
        expected = ["A: checked the cable", "B: projector lamp is fine", "A: replaced the cable"]
        assert clones.texts(clones.a) == clones.texts(clones.b) == expected
        assert (clones.a_path / clones.path).read_bytes() == (clones.b_path / clones.path).read_bytes()
        assert clones.head(clones.a_path) == clones.head(clones.b_path) == clones.head(clones.remote)
        assert clones.show(clones.a)["first_response_at"] == "2026-11-30T10:00:00-07:00"
        clones.assert_clean_and_checked()

    def test_closed_in_one_clone_while_noted_in_the_other(self, clones: Clones) -> None:
        clones.a(["assign", clones.ticket, "--to", TECH, "-m", "Ray, room 204"], now="2026-11-30T10:00")
        clones.a(["close", clones.ticket, "-m", "Cable replaced"], as_user=TECH, now="2026-11-30T12:00")
        clones.b(["note", clones.ticket, "-m", "Still dark after lunch?"], as_user=TEACHER, now="2026-11-30T11:00")
        clones.b(["sync"])
        clones.a(["sync"])
        clones.b(["sync"])
        for clone in (clones.a, clones.b):
            shown = clones.show(clone)
            assert shown["status"] == "closed"
            assert shown["assignee"] == TECH
            assert [n["kind"] for n in shown["notes"]] == ["assign", "note", "close"]  # type: ignore[attr-defined, index]
        clones.assert_clean_and_checked()

    def test_fields_are_derived_again_after_the_merge(self, clones: Clones) -> None:
        # Closed in A at 12:00; reopened by the requester in B at 13:00: open after the merge.
        clones.a(["close", clones.ticket, "-m", "Fixed"], now="2026-11-30T12:00")
        clones.a(["sync"])
        clones.b(["escalate", clones.ticket, "--to", NETOPS, "-m", "Network port dead"], now="2026-11-30T11:00")
        clones.b(["sync"])
        clones.b(["reopen", clones.ticket, "-m", "Dark again"], as_user=TEACHER, now="2026-11-30T13:00")
        clones.b(["sync"])
        clones.a(["sync"])
        shown = clones.show(clones.a)
        assert (shown["status"], shown["assignee"]) == ("open", NETOPS)
        assert shown == clones.show(clones.b)
        clones.assert_clean_and_checked()

    def test_new_tickets_on_both_sides(self, clones: Clones) -> None:
        made_in_a = clones.a.new(now="2026-11-30T10:00")
        made_in_b = clones.b.new(now="2026-11-30T10:05")
        clones.a(["sync"])
        clones.b(["sync"])
        clones.a(["sync"])
        for clone in (clones.a, clones.b):
            ids = {row["id"] for row in json.loads(clone(["list", "--json"]).stdout)}
            assert ids == {clones.ticket, made_in_a, made_in_b}
        clones.assert_clean_and_checked()

    def test_up_to_date(self, clones: Clones) -> None:
        assert clones.a(["sync"]).stdout == "main is up to date with origin/main\n"

    def test_quiet_for_cron(self, clones: Clones) -> None:
        clones.b(["note", clones.ticket, "-m", "B"], now="2026-11-30T10:30")
        result = clones.b(["sync", "-q"])
        assert (result.stdout, result.stderr) == ("", "")
        assert clones.head(clones.b_path) == clones.head(clones.remote)


class TestPushRejected:
    def test_a_push_overtaken_by_another_clone_is_merged_and_retried(self, clones: Clones) -> None:
        clones.b(["note", clones.ticket, "-m", "B: first"], now="2026-11-30T10:00")
        clones.b(["sync"])
        clones.b(["note", clones.ticket, "-m", "B: pushed while A syncs"], now="2026-11-30T10:20")
        clones.a(["note", clones.ticket, "-m", "A: meanwhile"], now="2026-11-30T10:10")
        # When A's sync moves its branch (after its fetch, before its push), B pushes.
        marker = clones.a_path.parent / "b-pushed"
        hook = clones.a_path / ".git" / "hooks" / "reference-transaction"
        hook.write_text(
            "#!/bin/sh\n"
            "[ \"$1\" = committed ] || exit 0\n"
            "grep -q ' refs/heads/main$' || exit 0\n"
            f"[ -e '{marker}' ] && exit 0\n"
            f"touch '{marker}'\n"
            "unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX\n"
            f"git -C '{clones.b_path}' push -q origin main\n"
        )
        hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
        out = clones.a(["sync"]).stdout
        assert marker.exists()
        assert "another clone pushed meanwhile: merged again and pushed (try 2)" in out
        clones.b(["sync"])
        assert clones.texts(clones.a) == clones.texts(clones.b) == [
            "B: first", "A: meanwhile", "B: pushed while A syncs"
        ]
        assert clones.head(clones.a_path) == clones.head(clones.remote)
        clones.assert_clean_and_checked()


class TestPlainGit:
    def test_git_pull_merges_tickets_with_the_driver(self, clones: Clones) -> None:
        clones.b(["note", clones.ticket, "-m", "B: later"], now="2026-11-30T11:00")
        clones.b(["sync"])
        clones.a(["note", clones.ticket, "-m", "A: earlier"], now="2026-11-30T10:00")
        git(clones.a_path, "pull", "-q", "--no-rebase", "--no-edit")
        assert clones.texts(clones.a) == ["A: earlier", "B: later"]
        clones.assert_clean_and_checked()

    def test_a_fresh_clone_gets_the_driver_from_its_first_sync(self, clones: Clones) -> None:
        config = git(clones.b_path, "config", "--get", "merge.pcsdesk-ticket.driver")
        assert config.endswith("-m pcsdesk merge-driver %O %A %B %P\n")
        assert "tickets/**/*.yaml merge=pcsdesk-ticket" in (clones.b_path / ".gitattributes").read_text()
        # git config is not cloned: the split index that keeps commits cheap comes with the sync.
        assert git(clones.b_path, "config", "--get", "core.splitIndex").strip() == "true"


class TestConflicts:
    def edit_summary(self, where: Path, path: str, summary: str) -> None:
        file = where / path
        text = file.read_text()
        file.write_text("\n".join(
            f"summary: {summary}" if line.startswith("summary:") else line for line in text.splitlines()
        ) + "\n")
        git(where, "commit", "-qam", f"Summary: {summary}")

    def test_an_unresolvable_conflict_stops_and_leaves_both_clones_as_they_were(self, clones: Clones) -> None:
        self.edit_summary(clones.a_path, clones.path, "Projector in room 204")
        clones.a(["sync"])
        self.edit_summary(clones.b_path, clones.path, "Projector in room 240")
        before = {p: (clones.head(p), (p / clones.path).read_bytes()) for p in (clones.a_path, clones.b_path)}
        remote_before = clones.head(clones.remote)
        result = clones.b(["sync"], ok=False)
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: sync stopped, nothing was changed here or on the remote: ")
        assert f"cannot merge {clones.path}: summary was changed on both sides, to different values" in result.stderr
        assert result.stderr.count("\n") == 1
        for path, (head, content) in before.items():
            assert clones.head(path) == head
            assert (path / clones.path).read_bytes() == content
            assert git(path, "status", "--porcelain") == ""
        assert clones.head(clones.remote) == remote_before
        assert not (clones.b_path / ".git" / "MERGE_HEAD").exists()

    def test_one_id_created_in_both_clones(self, clones: Clones) -> None:
        twin = clones.ticket[:-1] + ("A" if clones.ticket[-1] != "A" else "B")
        original = (clones.a_path / clones.path).read_text().replace(clones.ticket, twin)

        def create(where: Path, text: str) -> None:
            path = ticket_path(text.split()[1])   # the id, on the first line
            (where / path).parent.mkdir(parents=True, exist_ok=True)
            (where / path).write_text(text)
            git(where, "add", path)
            git(where, "commit", "-qm", f"{path} by hand")

        # The same ticket reaching both clones (the same commit cherry-picked): one ticket.
        create(clones.a_path, original)
        create(clones.b_path, original)
        clones.a(["sync"])
        clones.b(["sync"])
        assert (clones.b_path / ticket_path(twin)).read_text() == original
        # Two different tickets that drew the same ID while apart: stop, keep both clones.
        third = next(twin[:-1] + last for last in "CDE" if twin[:-1] + last != clones.ticket)
        create(clones.a_path, original.replace(twin, third))
        create(clones.b_path, original.replace(twin, third).replace("Projector", "Printer"))
        clones.a(["sync"])
        result = clones.b(["sync"], ok=False)
        assert f"cannot merge {ticket_path(third)}: both sides created ticket {third} and the two differ" in result.stderr
        assert "Printer" in (clones.b_path / ticket_path(third)).read_text()

    def test_git_pull_with_a_conflict_writes_no_markers(self, clones: Clones) -> None:
        self.edit_summary(clones.a_path, clones.path, "Projector in room 204")
        clones.a(["sync"])
        self.edit_summary(clones.b_path, clones.path, "Projector in room 240")
        clones.b(["sync"], ok=False)
        pulled = os.system(f"cd '{clones.b_path}' && git pull -q --no-rebase --no-edit >/dev/null 2>&1")
        assert pulled != 0
        content = (clones.b_path / clones.path).read_text()
        assert "<<<<<<<" not in content and "summary: Projector in room 240" in content
        assert "UU" in git(clones.b_path, "status", "--porcelain")


class TestTheWorkTree:
    def test_no_remote(self, invoke: Invoker) -> None:
        assert invoke(["sync"], ok=False).stderr == (
            "Error: this store has no remote to sync with; add the shared repository first: "
            "git remote add origin URL (then run pcsdesk sync)\n"
        )

    def test_uncommitted_changes_to_a_ticket_the_merge_changes_stop_it(self, clones: Clones) -> None:
        clones.a(["note", clones.ticket, "-m", "A"], now="2026-11-30T10:00")
        clones.a(["sync"])
        clones.b(["note", clones.ticket, "-m", "B"], now="2026-11-30T10:30")
        file = clones.b_path / clones.path
        file.write_text(file.read_text() + "# my own comment\n")
        head = clones.head(clones.b_path)
        result = clones.b(["sync"], ok=False)
        assert result.stderr == (
            f"Error: sync would change files that hold uncommitted changes here: {clones.path} (not committed); "
            "commit them (git commit PATH) or put them aside (git stash), then run pcsdesk sync again "
            "(nothing was changed)\n"
        )
        assert clones.head(clones.b_path) == head
        assert file.read_text().endswith("# my own comment\n")

    def test_staged_work_elsewhere_is_not_swept_into_the_merge(self, clones: Clones) -> None:
        clones.a(["note", clones.ticket, "-m", "A"], now="2026-11-30T10:00")
        clones.a(["sync"])
        clones.b(["note", clones.ticket, "-m", "B"], now="2026-11-30T10:30")
        (clones.b_path / "draft.txt").write_text("half-written procedure\n")
        git(clones.b_path, "add", "draft.txt")
        clones.b(["sync"])
        assert "draft.txt" not in git(clones.b_path, "ls-tree", "-r", "--name-only", "HEAD")
        assert git(clones.b_path, "status", "--porcelain") == "A  draft.txt\n"
        assert clones.texts(clones.b) == ["A", "B"]

    def test_a_killed_commands_leftover_is_brought_up_to_date(self, clones: Clones) -> None:
        clones.a(["note", clones.ticket, "-m", "A"], now="2026-11-30T10:00")
        clones.a(["sync"])
        clones.b(["note", clones.ticket, "-m", "B"], now="2026-11-30T10:30")
        # As if `note` was killed after moving the branch, before writing the file.
        git(clones.b_path, "checkout", "HEAD^", "--", clones.path)
        assert git(clones.b_path, "status", "--porcelain") != ""
        clones.b(["sync"])
        assert clones.texts(clones.b) == ["A", "B"]
        assert git(clones.b_path, "status", "--porcelain") == ""
        assert "B" in (clones.b_path / clones.path).read_text()

    def test_the_merge_commit_says_what_it_is(self, clones: Clones) -> None:
        clones.a(["note", clones.ticket, "-m", "A"], now="2026-11-30T10:00")
        clones.a(["sync"])
        clones.b(["note", clones.ticket, "-m", "B"], now="2026-11-30T10:30", as_user=ETS)
        clones.b(["sync"], now="2026-11-30T10:45")
        message = git(clones.b_path, "log", "-1", "--format=%an <%ae>|%aI|%B")
        assert message.startswith(f"PCHS ETS (to be filled in) <{ETS}>|2026-11-30T10:45:00-07:00|"
                                  "Sync: merge origin/main into main\n")
        assert f"- {clones.path}\n" in message
        assert message.rstrip().endswith("Pcsdesk-Action: sync")
        log = clones.b(["log", clones.ticket]).stdout
        assert log.rstrip().endswith("sync")

    def test_a_store_without_the_attributes_gets_them_locally(self, clones: Clones) -> None:
        git(clones.a_path, "rm", "-q", ".gitattributes")
        git(clones.a_path, "commit", "-qm", "an older store's layout")
        clones.a(["sync"])
        clones.b(["sync"])
        assert not (clones.b_path / ".gitattributes").exists()
        local = (clones.b_path / ".git" / "info" / "attributes").read_text()
        assert "tickets/**/*.yaml merge=pcsdesk-ticket" in local
        clones.a(["note", clones.ticket, "-m", "A"], now="2026-11-30T10:00")
        clones.a(["sync"])
        clones.b(["note", clones.ticket, "-m", "B"], now="2026-11-30T10:30")
        git(clones.b_path, "pull", "-q", "--no-rebase", "--no-edit")
        assert clones.texts(clones.b) == ["A", "B"]
