"""The ticket merge driver on its own: three versions of a file in, one merged file (or a refusal) out."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import NETOPS, TEACHER, Invoker, git

from pcsdesk.errors import StoreConflict
from pcsdesk.rules.ids import ticket_path
from pcsdesk.store.merge import ATTRIBUTE_LINE, DRIVER, ensure_merge_driver, merge_ticket_bytes
from pcsdesk.store.store import Store


def versions(invoke: Invoker, store: Path) -> tuple[str, bytes, bytes, bytes]:
    """A ticket at a base, then two sides that each added an entry (by rewinding between them)."""
    ticket_id = invoke.new("--requester", TEACHER)
    path = store / ticket_path(ticket_id)
    base = path.read_bytes()
    invoke(["note", ticket_id, "-m", "Ours: checked the cable"], now="2026-11-30T11:00:00")
    ours = path.read_bytes()
    git(store, "reset", "-q", "--hard", "HEAD~1")
    invoke(["assign", ticket_id, "--to", NETOPS, "-m", "Theirs: switch side"], now="2026-11-30T10:30:00")
    theirs = path.read_bytes()
    return ticket_id, base, ours, theirs


def test_both_entries_survive_in_time_order_and_fields_follow_the_log(invoke: Invoker, store: Path,
                                                                     opened: Store) -> None:
    ticket_id, base, ours, theirs = versions(invoke, store)
    merged = merge_ticket_bytes(opened, base, ours, theirs, ticket_path(ticket_id))
    ticket = opened.parse_ticket(merged, ticket_path(ticket_id))
    assert [n.text for n in ticket.notes] == ["Theirs: switch side", "Ours: checked the cable"]
    assert ticket.assignee == NETOPS
    assert ticket.first_response_at == ticket.notes[0].at


def test_one_side_unchanged_gives_the_other_byte_for_byte(invoke: Invoker, store: Path, opened: Store) -> None:
    ticket_id, base, ours, theirs = versions(invoke, store)
    path = ticket_path(ticket_id)
    assert merge_ticket_bytes(opened, base, base, theirs, path) == theirs
    assert merge_ticket_bytes(opened, base, ours, base, path) == ours
    assert merge_ticket_bytes(opened, base, ours, ours, path) == ours


def test_a_side_that_lost_or_changed_an_entry_is_refused(invoke: Invoker, store: Path, opened: Store) -> None:
    ticket_id, _base, ours, theirs = versions(invoke, store)
    edited = theirs.replace(b"Theirs: switch side", b"Theirs: rewritten")
    with pytest.raises(StoreConflict, match=f"cannot merge {ticket_path(ticket_id)}"):
        merge_ticket_bytes(opened, theirs, ours, edited, ticket_path(ticket_id))


def test_an_unreadable_version_is_refused(invoke: Invoker, store: Path, opened: Store) -> None:
    ticket_id, base, ours, _theirs = versions(invoke, store)
    with pytest.raises(StoreConflict, match="not a readable ticket"):
        merge_ticket_bytes(opened, base, ours, b"notes: [unclosed\n", ticket_path(ticket_id))


def test_the_driver_is_registered_in_the_clone(opened: Store) -> None:
    git(opened.root, "config", "--unset", f"merge.{DRIVER}.driver")
    ensure_merge_driver(opened)
    assert git(opened.root, "config", f"merge.{DRIVER}.driver").strip().endswith("merge-driver %O %A %B %P")
    assert ATTRIBUTE_LINE in (opened.root / ".gitattributes").read_text()
