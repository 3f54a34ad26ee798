"""A ticket's audit trail and what changed between commits, read from real git history."""

from __future__ import annotations

import pytest
from support import ETS, Invoker, git

from pcsdesk.errors import InvalidInput, TicketNotFound
from pcsdesk.rules.ids import ticket_path
from pcsdesk.store.history import changed_ticket_ids, ticket_history
from pcsdesk.store.store import Store


def test_every_commit_that_touched_the_file_oldest_first(invoke: Invoker, opened: Store) -> None:
    ticket_id = invoke.new()
    other = invoke.new()
    invoke(["note", ticket_id, "-m", "Looking"])
    path = opened.root / ticket_path(ticket_id)
    path.write_text(path.read_text().replace("Projector shows no signal", "Projector: no signal"))
    git(opened.root, "commit", "-qam", "Fix the summary by hand")
    changes = ticket_history(opened, ticket_id)
    assert [c.action for c in changes] == ["new", "note", None]
    assert changes[-1].subject == "Fix the summary by hand" and not changes[-1].is_merge
    assert changes[0].author_email == ETS and changes[0].at.isoformat() == "2026-11-30T10:00:00-07:00"
    assert [c.action for c in ticket_history(opened, other)] == ["new"]


def test_a_ticket_with_no_history_is_not_found(opened: Store) -> None:
    with pytest.raises(TicketNotFound):
        ticket_history(opened, "2611-AV52R")


def test_a_trailer_naming_another_ticket_is_not_trusted(invoke: Invoker, opened: Store) -> None:
    ticket_id = invoke.new()
    path = opened.root / ticket_path(ticket_id)
    path.write_text(path.read_text().replace("normal", "emergency"))
    git(opened.root, "commit", "-qam", "Sneaky\n\nPcsdesk-Ticket: 2611-ZZZZZ\nPcsdesk-Action: note")
    assert ticket_history(opened, ticket_id)[-1].action is None


def test_changed_tickets_between_commits(invoke: Invoker, opened: Store) -> None:
    first = invoke.new()
    start = git(opened.root, "rev-parse", "HEAD").strip()
    second = invoke.new()
    invoke(["note", first, "-m", "Seen"])
    assert changed_ticket_ids(opened, start) == sorted([first, second])
    assert changed_ticket_ids(opened, "HEAD~1", "HEAD") == [first]
    assert changed_ticket_ids(opened, start, start) == []
    for bad in ("--output=/tmp/x", "HEAD\nHEAD", "no-such-branch"):
        with pytest.raises(InvalidInput):
            changed_ticket_ids(opened, bad)
