"""`pcsdesk notify` against a real SMTP server: who is told what, the ref, the messages.

Every row of docs/notify.md's "who is told", end to end: the CLI makes the commits, notify
walks them and sends through aiosmtpd on 127.0.0.1, and the test reads what the
server accepted.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from smtp_server import Notifier, Recorder
from support import ETS, NETOPS, TEACHER, TECH, Invoker, git

COWORKER = "mjones@pcschools.us"
OVERDUE_TIME = "2026-12-02T11:00:00-07:00"   # an hour past a Monday-10:00 ticket's due time


def ref(store: Path, name: str = "refs/pcsdesk/notified") -> str:
    return git(store, "rev-parse", name).strip()


def head(store: Path) -> str:
    return ref(store, "HEAD")


class TestFirstRun:
    def test_records_head_and_sends_nothing(self, invoke: Invoker, smtp: Recorder) -> None:
        invoke.new(as_user=TEACHER)
        notifier = Notifier(invoke, smtp)
        result = notifier()
        assert smtp.received == []
        assert (result.stdout, result.stderr) == ("", "")  # type: ignore[attr-defined]
        assert ref(invoke.store) == head(invoke.store)

    def test_is_silent_when_nothing_changed(self, notify: Notifier) -> None:
        result = notify()
        assert (result.stdout, result.stderr) == ("", "")  # type: ignore[attr-defined]
        assert notify.smtp.received == []

    def test_tickets_already_overdue_at_the_first_run_are_not_announced(
        self, invoke: Invoker, smtp: Recorder
    ) -> None:
        invoke.new(as_user=TEACHER)
        notifier = Notifier(invoke, smtp)
        notifier(now=OVERDUE_TIME)
        assert notifier.new_messages(now=OVERDUE_TIME) == []


class TestWhoIsTold:
    """docs/notify.md's table, a row at a time; nobody is mailed about their own action."""

    def test_new_ticket_tells_assignee_and_gives_the_requester_a_receipt(self, notify: Notifier) -> None:
        notify.invoke.new(as_user=TEACHER)
        assert sorted(notify.new_messages()) == [("new", ETS), ("receipt", TEACHER)]

    def test_receipt_goes_to_the_requester_when_a_coworker_enters_it(self, notify: Notifier) -> None:
        notify.invoke.new("--requester", TEACHER, as_user=COWORKER)
        assert sorted(notify.new_messages()) == [("new", ETS), ("receipt", TEACHER)]

    def test_staff_entering_a_ticket_routed_to_themselves_is_not_told(self, notify: Notifier) -> None:
        notify.invoke.new("--requester", TEACHER, as_user=ETS)
        assert notify.new_messages() == [("receipt", TEACHER)]

    def test_receipt_of_a_ticket_one_entered_for_oneself(self, notify: Notifier) -> None:
        # The one exception to "nobody is told of their own action".
        notify.invoke.new(as_user=ETS)
        assert notify.new_messages() == [("receipt", ETS)]

    def test_assignment_tells_the_new_assignee_and_the_requester(self, notify: Notifier) -> None:
        ticket = notify.invoke.new(as_user=TEACHER)
        notify()
        notify.invoke(["assign", ticket, "--to", TECH, "-m", "Lamp swap, room 204"], as_user=ETS)
        assert sorted(notify.new_messages()) == [("assigned", TECH), ("update", TEACHER)]

    def test_escalation_tells_the_new_assignee_with_the_research(self, notify: Notifier) -> None:
        ticket = notify.invoke.new(as_user=TEACHER)
        notify()
        notify.invoke(["escalate", ticket, "--to", NETOPS, "-m", "Port 2-14 shows no link"], as_user=ETS)
        assert sorted(notify.new_messages()) == [("assigned", NETOPS), ("update", TEACHER)]
        netops = notify.smtp.to(NETOPS)[-1]
        assert "Port 2-14 shows no link" in netops.body

    def test_an_entry_by_staff_tells_the_requester_and_says_it_is_the_first_response(
        self, notify: Notifier
    ) -> None:
        ticket = notify.invoke.new(as_user=TEACHER)
        notify()
        notify.invoke(["note", ticket, "-m", "Coming by after second period"], as_user=TECH)
        assert notify.new_messages() == [("update", TEACHER)]
        message = notify.smtp.received[-1]
        assert "Coming by after second period" in message.body
        assert "first response" in message.body
        notify.invoke(["note", ticket, "-m", "Bringing a spare cable"], as_user=ETS)
        assert notify.new_messages() == [("update", TEACHER)]
        assert "This is the first response" not in notify.smtp.received[-1].body

    def test_a_close_tells_the_requester_with_the_resolution(self, notify: Notifier) -> None:
        ticket = notify.invoke.new(as_user=TEACHER)
        notify()
        notify.invoke(["close", ticket, "-m", "Replaced the lamp"], as_user=ETS)
        assert notify.new_messages() == [("closed", TEACHER)]
        assert "Replaced the lamp" in notify.smtp.received[-1].body

    def test_the_requester_closing_their_own_ticket_tells_nobody(self, notify: Notifier) -> None:
        ticket = notify.invoke.new(as_user=TEACHER)
        notify()
        notify.invoke(["close", ticket, "-m", "Works after a restart"], as_user=TEACHER)
        assert notify.new_messages() == []

    def test_a_reopen_tells_the_assignee(self, notify: Notifier) -> None:
        ticket = notify.invoke.new(as_user=TEACHER)
        notify.invoke(["close", ticket, "-m", "Replaced the lamp"], as_user=ETS)
        notify()
        notify.invoke(["reopen", ticket, "-m", "Dark again this morning"], as_user=TEACHER)
        assert notify.new_messages() == [("reopened", ETS)]
        assert "Dark again this morning" in notify.smtp.received[-1].body

    def test_a_note_by_the_requester_tells_the_assignee(self, notify: Notifier) -> None:
        ticket = notify.invoke.new(as_user=TEACHER)
        notify()
        notify.invoke(["note", ticket, "-m", "I am in room 204 until noon"], as_user=TEACHER)
        assert notify.new_messages() == [("note", ETS)]

    def test_nobody_is_told_of_their_own_note(self, notify: Notifier) -> None:
        ticket = notify.invoke.new("--requester", TEACHER, as_user=ETS)
        notify()
        notify.invoke(["note", ticket, "-m", "Ordered a lamp"], as_user=ETS)
        assert notify.new_messages() == [("update", TEACHER)]
        # A tech taking the ticket over is not told of their own assignment.
        notify.invoke(["assign", ticket, "--to", TECH, "-m", "Taking this one"], as_user=TECH)
        assert notify.new_messages() == [("update", TEACHER)]

    def test_an_overdue_first_response_tells_the_requester_once_with_whom_to_contact(
        self, notify: Notifier
    ) -> None:
        ticket = notify.invoke.new(as_user=TEACHER)
        notify()
        notify.smtp.received.clear()
        assert notify.new_messages(now="2026-12-02T09:59:00-07:00") == []
        assert notify.new_messages(now=OVERDUE_TIME) == [("overdue", TEACHER)]
        message = notify.smtp.received[-1]
        assert message.subject.startswith(f"[{ticket}] ")
        assert "tech.pchs@pcschools.us" in message.body    # the building tech, as the procedure says
        assert "by Wed Dec 2, 10:00" in message.body
        assert notify.new_messages(now="2026-12-03T11:00:00-07:00") == []

    def test_an_answered_ticket_is_never_overdue(self, notify: Notifier) -> None:
        ticket = notify.invoke.new(as_user=TEACHER)
        notify.invoke(["note", ticket, "-m", "On it"], as_user=ETS)
        notify()
        assert notify.new_messages(now=OVERDUE_TIME) == []


class TestMessages:
    def test_subject_sender_link_reply_to_and_thread(self, notify: Notifier) -> None:
        ticket = notify.invoke.new(as_user=TEACHER)
        notify()
        receipt = next(r for r in notify.smtp.received if r.kind == "receipt")
        assert receipt.subject == f"[{ticket}] Received: Projector shows no signal"
        assert receipt.sender == "helpdesk@pcschools.us"
        assert "helpdesk@pcschools.us" in str(receipt.message["From"])
        assert f"https://helpdesk.pcschools.us/tickets/{ticket}" in receipt.body
        assert "by Wed Dec 2, 10:00" in receipt.body
        assert receipt.message["Reply-To"] == ETS       # a reply reaches the assignee
        assert receipt.message["References"] == f"<ticket.{ticket}@pcschools.us>"
        assert receipt.message["Auto-Submitted"] == "auto-generated"
        new = next(r for r in notify.smtp.received if r.kind == "new")
        assert new.message["Reply-To"] == TEACHER

    def test_message_ids_are_stable_and_distinct(self, notify: Notifier) -> None:
        notify.invoke.new(as_user=TEACHER)
        dry = notify("--dry-run").stdout  # type: ignore[attr-defined]
        notify()
        ids = [r.message_id for r in notify.smtp.received]
        assert len(set(ids)) == 2
        for message_id in ids:
            assert f"Message-ID: {message_id}" in dry

    def test_a_password_written_into_a_file_by_hand_is_never_mailed(self, notify: Notifier) -> None:
        import yaml
        from support import git as run_git

        from pcsdesk.rules.ids import ticket_path

        ticket = notify.invoke.new(as_user=TEACHER)
        notify()
        path = notify.invoke.store / ticket_path(ticket)
        data = yaml.safe_load(path.read_text())
        data["notes"].append({"at": "2026-11-30T10:30:00-07:00", "by": TECH, "kind": "note",
                              "text": "Logged in as jsmith, password is Tiger123"})
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        run_git(notify.invoke.store, "commit", "-qam", "hand edit")
        assert notify.new_messages() == [("update", TEACHER)]
        raw = notify.smtp.received[-1].message.as_string()
        assert "Tiger123" not in raw


class TestDryRun:
    def test_prints_each_message_and_moves_nothing(self, notify: Notifier) -> None:
        ticket = notify.invoke.new(as_user=TEACHER)
        before = ref(notify.invoke.store)
        result = notify("--dry-run")
        out = result.stdout  # type: ignore[attr-defined]
        assert out.count(f"Subject: [{ticket}] ") == 2
        assert f"To: {TEACHER}" in out
        assert notify.smtp.received == []
        assert ref(notify.invoke.store) == before
        # Nothing moved, so the real run sends the same messages.
        assert sorted(notify.new_messages()) == [("new", ETS), ("receipt", TEACHER)]

    def test_needs_no_mail_server(self, invoke: Invoker) -> None:
        invoke.new(as_user=TEACHER)
        result = invoke(["notify", "--dry-run"], as_user=None, env={"PCSDESK_SMTP_URL": ""})
        assert result.stdout == ""


def test_a_run_with_something_to_send_and_no_server_says_so_and_moves_nothing(invoke: Invoker) -> None:
    # With nothing to send (the first run) no server is needed.
    assert invoke(["notify"], as_user=None, env={"PCSDESK_SMTP_URL": ""}).stderr == ""
    recorded = ref(invoke.store)
    invoke.new(as_user=TEACHER)
    result = invoke(["notify"], as_user=None, env={"PCSDESK_SMTP_URL": ""}, ok=False)
    assert result.stderr.startswith("Error: no mail server: set PCSDESK_SMTP_URL")
    assert ref(invoke.store) == recorded


class TestRefusedRecipient:
    def test_is_reported_and_the_others_still_go(self, notify: Notifier) -> None:
        notify.smtp.refuse[TEACHER] = "550 5.1.1 No such mailbox"
        first = notify.invoke.new(as_user=TEACHER)
        notify.invoke(["note", first, "-m", "On it"], as_user=ETS)
        result = notify(ok=False)
        assert result.exit_code == 1  # type: ignore[attr-defined]
        errors = result.stderr.splitlines()  # type: ignore[attr-defined]
        assert len(errors) == 2 and all(line.startswith("Error: ") and TEACHER in line for line in errors)
        assert "550" in errors[0]
        assert notify.smtp.pairs() == [("new", ETS)]
        # Refused for good: reported once, not sent again and again.
        assert ref(notify.invoke.store) == head(notify.invoke.store)
        assert notify.new_messages() == []


class TestHandMadeCommits:
    def test_a_note_committed_by_hand_is_judged_from_the_difference(self, notify: Notifier) -> None:
        import yaml

        from pcsdesk.rules.ids import ticket_path

        ticket = notify.invoke.new(as_user=TEACHER)
        notify()
        path = notify.invoke.store / ticket_path(ticket)
        data = yaml.safe_load(path.read_text())
        data["assignee"] = TECH
        data["notes"].append({"at": "2026-11-30T10:30:00-07:00", "by": TEACHER, "kind": "note",
                              "text": "Also the speakers"})
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        git(notify.invoke.store, "-c", "user.email=" + ETS, "commit", "-qam", "moved by hand")
        assert sorted(notify.new_messages()) == [("assigned", TECH), ("note", TECH)]


class TestDigest:
    def test_each_member_of_staff_gets_their_open_tickets_overdue_first(self, notify: Notifier) -> None:
        late = notify.invoke.new(as_user=TEACHER, now="2026-11-23T10:00:00-07:00")
        fresh = notify.invoke.new(as_user=TEACHER)
        notify.invoke.new("--category", "network", as_user=TEACHER)
        notify()
        notify.smtp.received.clear()
        result = notify("--digest")
        assert result.stdout == ""  # type: ignore[attr-defined]
        assert sorted(r.to for r in notify.smtp.received) == [ETS, NETOPS]
        digest = notify.smtp.to(ETS)[0]
        assert digest.subject == "Your open tickets: 2, 1 overdue"
        assert digest.body.index(late) < digest.body.index(fresh)
        assert "OVERDUE" in digest.body


@pytest.mark.parametrize("url", ["ftp://mail", "smtp://user:secret@127.0.0.1:25", "smtp://"])
def test_a_wrong_server_url_is_one_clear_error(invoke: Invoker, url: str) -> None:
    invoke(["notify"], as_user=None, env={"PCSDESK_SMTP_URL": url})   # the first run sends nothing
    invoke.new(as_user=TEACHER)
    result = invoke(["notify"], as_user=None, env={"PCSDESK_SMTP_URL": url}, ok=False)
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "secret" not in result.stderr


def test_text_beyond_ascii_arrives_intact(notify: Notifier) -> None:
    ticket = notify.invoke.new("--summary", "Café projector: «no signal» — room 204", as_user=TEACHER)
    notify.invoke(["note", ticket, "-m", "Señora García says it flickers ☹"], as_user=TEACHER)
    notify()
    receipt = next(r for r in notify.smtp.received if r.kind == "receipt")
    assert receipt.subject == f"[{ticket}] Received: Café projector: «no signal» — room 204"
    note = next(r for r in notify.smtp.received if r.kind == "note")
    assert "Señora García says it flickers ☹" in note.body
