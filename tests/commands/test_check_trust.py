"""`check` holds each entry against the commit that added it: backdating, impersonation, rule changes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from support import ETS, NETOPS, TEACHER, TECH, Invoker, clock, git, hand_edit, line_of

from pcsdesk.rules.ids import ticket_path

STUDENT = "student@pcschools.us"
DIRECTOR = "director@pcschools.us"


@pytest.fixture
def reviewed(invoke: Invoker, store: Path) -> tuple[str, str]:
    """A ticket entered Monday 10:00 with one note at 10:30, and the commit a review starts from."""
    ticket_id = invoke.new("--requester", TEACHER)
    invoke(["note", ticket_id, "-m", "First look: no signal on HDMI"], now="2026-11-30T10:30")
    return ticket_id, git(store, "rev-parse", "HEAD").strip()


def entry(at: str, by: str, text: str, kind: str = "note") -> str:
    return f"- at: '{at}'\n  by: {by}\n  kind: {kind}\n  text: {text}\n"


class TestTheClock:
    def test_pcsdesk_now_never_moves_the_committer_date(self, invoke: Invoker, store: Path,
                                                        reviewed: tuple[str, str]) -> None:
        ticket_id, _ = reviewed
        before = int(time.time())
        invoke(["note", ticket_id, "-m", "On it"], env={"PCSDESK_NOW": "2026-11-23T09:00",
                                                        "GIT_COMMITTER_DATE": None})
        committed = int(git(store, "log", "-1", "--format=%ct").strip())
        assert before - 5 <= committed <= int(time.time()) + 5

    def test_git_committer_date_is_respected_as_git_does(self, invoke: Invoker, store: Path,
                                                         reviewed: tuple[str, str]) -> None:
        ticket_id, _ = reviewed
        invoke(["note", ticket_id, "-m", "On it"], env={"PCSDESK_NOW": "2026-11-23T09:00",
                                                        "GIT_COMMITTER_DATE": "2026-12-02T08:00:00-07:00"})
        assert git(store, "log", "-1", "--format=%cI").strip() == "2026-12-02T08:00:00-07:00"


class TestBackdating:
    def test_a_note_backdated_with_pcsdesk_now_is_reported(self, invoke: Invoker, store: Path,
                                                          reviewed: tuple[str, str]) -> None:
        # The forgery: 12 business hours overdue on Dec 3, "answered" on Nov 30.
        ticket_id, base = reviewed
        invoke(["note", ticket_id, "-m", "On it"], as_user=NETOPS,
               env={"PCSDESK_NOW": "2026-11-30T10:45", "GIT_COMMITTER_DATE": "2026-12-03T10:00:00-07:00"})
        commit = git(store, "rev-parse", "--short=10", "HEAD").strip()
        out = invoke(["check", "--base", base], ok=False).stdout
        line = line_of(store, ticket_path(ticket_id), "2026-11-30T10:45")
        assert out == (
            f"{ticket_path(ticket_id)}:{line}: the note of 2026-11-30T10:45:00-07:00 by {NETOPS} is backdated: "
            f"its commit {commit} was committed at 2026-12-03T17:00:00+00:00, more than 15 minutes away; "
            "an entry carries the time it was made\n"
        )

    def test_a_clock_a_few_minutes_off_is_honest(self, invoke: Invoker, reviewed: tuple[str, str]) -> None:
        ticket_id, base = reviewed
        invoke(["note", ticket_id, "-m", "On it"],
               env={"PCSDESK_NOW": "2026-11-30T11:00", "GIT_COMMITTER_DATE": "2026-11-30T11:14:00-07:00"})
        assert invoke(["check", "--base", base]).stdout == ""

    def test_a_note_before_the_ticket_was_entered_is_reported_without_a_base(
        self, invoke: Invoker, store: Path, reviewed: tuple[str, str]
    ) -> None:
        ticket_id, _ = reviewed
        path = hand_edit(store, ticket_id, lambda t: t + entry("2026-11-29T09:00:00-07:00", ETS, "Early"))
        assert invoke(["check"], ok=False).stdout == (
            f"{path}:{line_of(store, path, '2026-11-29T09:00')}: the note of 2026-11-29T09:00:00-07:00 by {ETS} is dated before the ticket was "
            "entered (2026-11-30T10:00:00-07:00); an entry carries the time it was made\n"
        )

    @pytest.mark.parametrize(("at", "problem"), [
        ("0001-01-01T07:00:00+00:00", "is dated before the ticket was entered"),
        ("9999-12-30T00:00:00+00:00", "is backdated"),
    ])
    def test_the_year_1_and_9999_are_reported(self, invoke: Invoker, store: Path, reviewed: tuple[str, str],
                                              at: str, problem: str) -> None:
        ticket_id, base = reviewed
        path = hand_edit(store, ticket_id, lambda t: t + entry(at, ETS, "Odd"), author=ETS, at="2026-11-30T11:00")
        out = invoke(["check", "--base", base], ok=False).stdout
        assert out.startswith(f"{path}:{line_of(store, path, 'Odd') - 3}: the note of ")
        assert problem in out

    def test_a_note_inserted_between_old_ones_is_reported(self, invoke: Invoker, store: Path,
                                                          reviewed: tuple[str, str]) -> None:
        ticket_id, _ = reviewed
        invoke(["note", ticket_id, "-m", "Second look"], now="2026-11-30T11:00")
        base = git(store, "rev-parse", "HEAD").strip()

        def insert(text: str) -> str:
            first = text.index("- at: '2026-11-30T11:00")
            return text[:first] + entry("2026-11-30T10:40:00-07:00", ETS, "Called the teacher") + text[first:]

        path = hand_edit(store, ticket_id, insert, author=ETS, at="2026-11-30T10:45")
        assert invoke(["check", "--base", base], ok=False).stdout == (
            f"{path}:{line_of(store, path, '2026-11-30T10:40')}: the note of 2026-11-30T10:40:00-07:00 by {ETS} is new since {base} but dated "
            "before an entry already there (2026-11-30T11:00:00-07:00); entries are only appended, at the "
            "time they are made\n"
        )


class TestImpersonation:
    def test_a_note_by_someone_else_than_its_commit_is_reported(
        self, invoke: Invoker, store: Path, reviewed: tuple[str, str]
    ) -> None:
        ticket_id, base = reviewed
        path = hand_edit(store, ticket_id, lambda t: t + entry("2026-11-30T11:00:00-07:00", DIRECTOR, "Approved"),
                         author=STUDENT, at="2026-11-30T11:00")
        commit = git(store, "rev-parse", "--short=10", "HEAD").strip()
        assert invoke(["check", "--base", base], ok=False).stdout == (
            f"{path}:{line_of(store, path, DIRECTOR)}: the note of 2026-11-30T11:00:00-07:00 by {DIRECTOR} is not by its commit's "
            f"author: {commit} was made by {STUDENT}; an entry is by whoever made it\n"
        )

    def test_a_close_forged_as_staff_is_reported(self, invoke: Invoker, store: Path,
                                                 reviewed: tuple[str, str]) -> None:
        ticket_id, base = reviewed

        def forge(text: str) -> str:
            return text.replace("status: open", "status: closed") + entry(
                "2026-11-30T11:00:00-07:00", ETS, "Fixed", kind="close")

        hand_edit(store, ticket_id, forge, author=STUDENT, at="2026-11-30T11:00")
        out = invoke(["check", "--base", base], ok=False).stdout
        assert f"the close of 2026-11-30T11:00:00-07:00 by {ETS} is not by its commit's author" in out

    def test_an_assignee_changed_without_a_hand_over(self, invoke: Invoker, store: Path,
                                                     reviewed: tuple[str, str]) -> None:
        ticket_id, base = reviewed
        path = hand_edit(store, ticket_id, lambda t: t.replace(f"assignee: {ETS}", f"assignee: {TECH}"),
                         author=ETS, at="2026-11-30T11:00")
        assert invoke(["check", "--base", base], ok=False).stdout == (
            f"{path}:{line_of(store, path, 'assignee:')}: assignee changed from {ETS} at {base} to {TECH} without a hand-over entry; "
            "hand a ticket on with `pcsdesk assign` or `pcsdesk escalate`\n"
        )

    def test_notes_merged_from_another_clone_are_by_their_own_commits(
        self, tmp_path: Path, store: Path, invoke: Invoker, reviewed: tuple[str, str]
    ) -> None:
        ticket_id, base = reviewed
        remote, other = tmp_path / "remote.git", tmp_path / "other"
        git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
        git(store, "remote", "add", "origin", str(remote))
        invoke(["sync"])
        git(tmp_path, "clone", "-q", str(remote), str(other))
        Invoker(other)(["note", ticket_id, "-m", "From the laptop"], as_user=TECH, now="2026-11-30T11:00")
        Invoker(other)(["sync"], as_user=TECH, now="2026-11-30T11:05")
        invoke(["note", ticket_id, "-m", "From the office"], now="2026-11-30T11:02")
        invoke(["sync"], as_user=NETOPS, now="2026-11-30T11:10")
        assert len(git(store, "log", "-1", "--format=%P").split()) == 2   # a merge, by NETOPS
        assert invoke(["check", "--base", base]).stdout == ""


class TestRuleChanges:
    def test_configuration_changes_are_notices(self, invoke: Invoker, store: Path,
                                               reviewed: tuple[str, str]) -> None:
        _, base = reviewed
        calendar = store / "calendar.yaml"
        calendar.write_text(calendar.read_text() + "# snow days to come\n")
        (store / ".gitattributes").write_text("")
        git(store, "commit", "-qam", "Snow days; no merge driver")
        short = git(store, "rev-parse", "--short", "HEAD").strip()
        result = invoke(["check", "--base", base])
        assert result.stdout == (
            f".gitattributes: notice: changed since {base} ({short} by runner@example.org: Snow days; no merge "
            "driver); the rules changed: review who made the change and why\n"
            f"calendar.yaml: notice: changed since {base} ({short} by runner@example.org: Snow days; no merge "
            "driver); the rules changed: review who made the change and why\n"
        )
        assert result.exit_code == 0
        assert invoke(["check"]).stdout == ""

    def test_an_author_who_adds_themselves_to_staff_is_a_notice(self, invoke: Invoker, store: Path,
                                                                  reviewed: tuple[str, str]) -> None:
        _, base = reviewed
        directory = store / "buildings.yaml"
        directory.write_text(directory.read_text().replace(
            "staff:\n", f"staff:\n  {STUDENT}: {{name: A Student, role: tech}}\n", 1))
        git(store, "commit", "-qam", "Add me")
        short = git(store, "rev-parse", "--short", "HEAD").strip()
        result = invoke(["check", "--base", base])
        assert result.stdout == (
            f"buildings.yaml: notice: changed since {base} ({short} by runner@example.org: Add me); the rules "
            "changed: review who made the change and why\n"
        )
        assert result.exit_code == 0


class TestWhatIsNotATicket:
    def test_a_ticket_renamed_to_yml_is_reported(self, invoke: Invoker, store: Path,
                                                 reviewed: tuple[str, str]) -> None:
        ticket_id, _ = reviewed
        path = ticket_path(ticket_id)
        git(store, "mv", path, path[:-5] + ".yml")
        git(store, "commit", "-qm", "renamed")
        assert invoke(["check"], ok=False).stdout == (
            f"{path[:-5]}.yml: is not a ticket file (tickets/YYMM/X/YYMM-XXXXX.yaml); pcsdesk does not read "
            "it: rename it back or remove it\n"
        )

    def test_a_folder_link_is_reported_with_and_without_a_base(self, invoke: Invoker, store: Path,
                                                               reviewed: tuple[str, str]) -> None:
        _, base = reviewed
        (store / "tickets" / "2612").symlink_to("../../outside")
        git(store, "add", "tickets/2612")
        git(store, "commit", "-qm", "a link")
        line = "tickets/2612: is a symbolic link, not a ticket file\n"
        assert invoke(["check"], ok=False).stdout == line
        assert invoke(["check", "--base", base], ok=False).stdout == line

    def test_an_executable_a_stray_file_and_a_submodule_are_reported(self, invoke: Invoker, store: Path,
                                                                     reviewed: tuple[str, str]) -> None:
        ticket_id, base = reviewed
        path = ticket_path(ticket_id)
        git(store, "update-index", "--chmod=+x", path)
        (store / "tickets" / "notes.txt").write_text("a stray file\n")
        git(store, "add", "tickets/notes.txt")
        head = git(store, "rev-parse", "HEAD").strip()
        git(store, "update-index", "--add", "--cacheinfo", f"160000,{head},tickets/sub")
        (store / "tickets" / "sub").mkdir()   # a submodule not checked out, as after a plain clone
        git(store, "commit", "-qm", "odd things under tickets/")
        lines = (
            f"{path}: has mode 100755, not a plain ticket file (100644)\n"
            "tickets/notes.txt: is not a ticket file (tickets/YYMM/X/YYMM-XXXXX.yaml); pcsdesk does not read "
            "it: rename it back or remove it\n"
            "tickets/sub: is a submodule, not a ticket file\n"
        )
        assert invoke(["check"], ok=False).stdout == lines
        assert invoke(["check", "--base", base], ok=False).stdout == lines

    def test_an_id_in_other_digits_is_reported(self, invoke: Invoker, store: Path) -> None:
        path = "tickets/2611/7/2611-7KQ3X.yaml"
        ticket_id = invoke.new()
        text = (store / ticket_path(ticket_id)).read_text().replace(ticket_id, "\u0662\u066611-7KQ3X")
        (store / path).parent.mkdir(parents=True, exist_ok=True)
        (store / path).write_text(text)
        git(store, "add", path)
        git(store, "commit", "-qm", "arabic-indic digits")
        out = invoke(["check"], ok=False).stdout
        assert out.startswith(f"{path}:1: '\u0662\u066611-7KQ3X' is not a ticket ID")

    def test_a_time_without_offset_is_reported(self, invoke: Invoker, store: Path,
                                               reviewed: tuple[str, str]) -> None:
        ticket_id, _ = reviewed
        path = hand_edit(store, ticket_id, lambda t: t.replace("'2026-11-30T10:30:00-07:00'", "'2026-11-30T10:30:00'"))
        assert "first_response_at" in invoke(["check"], ok=False).stdout
        assert (
            f"{path}:{line_of(store, path, '- at:')}: notes.0.at is 2026-11-30T10:30:00 without its UTC offset; write the offset too, "
            "e.g. 2026-11-30T10:00:00-07:00"
        ) in invoke(["check"], ok=False).stdout


class TestOnlyWhatChanged:
    def test_with_a_base_untouched_tickets_are_not_read(self, invoke: Invoker, store: Path) -> None:
        broken = invoke.new()
        hand_edit(store, broken, lambda t: t.replace("status: open", "status: [open"))
        base = git(store, "rev-parse", "HEAD").strip()
        fine = invoke.new(now="2026-11-30T10:05")
        invoke(["note", fine, "-m", "Looking"], now="2026-11-30T10:10")
        result = invoke(["check", "--base", base])
        assert result.stdout == ""
        assert result.stderr == f"1 ticket file(s), 1 changed since {base}: no problems\n"
        assert invoke(["check"], ok=False).stdout.startswith(ticket_path(broken))


def test_the_test_clock_sets_both(monkeypatch: pytest.MonkeyPatch) -> None:
    assert clock("2026-11-30T10:00") == {"PCSDESK_NOW": "2026-11-30T10:00",
                                         "GIT_COMMITTER_DATE": "1796058000 -0700"}
