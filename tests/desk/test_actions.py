"""The write core called directly: each action one commit, the rules applied, nothing written on refusal."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from support import ETS, NETOPS, TEACHER, git

from pcsdesk.desk.actions import (
    Actor,
    NewTicket,
    add_note,
    assign,
    close,
    create_ticket,
    escalate,
    reopen,
)
from pcsdesk.desk.context import Context, fixed_clock
from pcsdesk.errors import InvalidInput, NotAllowed, OutOfScope, SecretInText
from pcsdesk.store.store import Store


def actor(store: Store, who: str, at: str = "2026-11-30T10:00:00") -> Actor:
    now = datetime.fromisoformat(at).replace(tzinfo=store.calendar.tz)
    return Actor(who, now, Context.of_store(store, clock=fixed_clock(now), actor=who))


def commits(store: Store) -> int:
    return int(git(store.root, "rev-list", "--count", "HEAD"))


def test_the_whole_flow_one_commit_each(opened: Store) -> None:
    before = commits(opened)
    ticket = create_ticket(opened, actor(opened, TEACHER), NewTicket(building="pchs", summary="No  signal"))
    assert ticket.assignee == ETS and ticket.summary == "No signal" and ticket.entered_by == TEACHER
    add_note(opened, actor(opened, TEACHER, "2026-11-30T10:05:00"), ticket.id, "It is room 204")
    noted = assign(opened, actor(opened, ETS, "2026-11-30T10:10:00"), ticket.id, "tech.pchs@pcschools.us")
    assert noted.first_response_at is not None
    escalated = escalate(opened, actor(opened, ETS), ticket.id, NETOPS, "Cable tested good")
    assert escalated.assignee == NETOPS
    closed = close(opened, actor(opened, TEACHER), ticket.id, "Works now")
    assert closed.status == "closed"
    assert reopen(opened, actor(opened, TEACHER), ticket.id, "Broken again").status == "open"
    assert commits(opened) == before + 6
    log = git(opened.root, "log", "-1", "--format=%an <%ae>%n%(trailers)").splitlines()
    assert log[0].endswith(f"<{TEACHER}>") and f"Pcsdesk-Ticket: {ticket.id}" in log


@pytest.mark.parametrize(("act", "error"), [
    (lambda s, t: escalate(s, actor(s, ETS), t, NETOPS, "  "), InvalidInput),
    (lambda s, t: close(s, actor(s, ETS), t, ""), InvalidInput),
    (lambda s, t: reopen(s, actor(s, ETS), t, "Reason"), InvalidInput),        # it is open
    (lambda s, t: assign(s, actor(s, TEACHER), t, NETOPS), NotAllowed),
    (lambda s, t: close(s, actor(s, "someone@pcschools.us"), t, "Done"), NotAllowed),
    (lambda s, t: add_note(s, actor(s, TEACHER), t, "my password is Tiger123"), SecretInText),
])
def test_a_refusal_writes_and_commits_nothing(opened: Store, act: object, error: type[Exception]) -> None:
    ticket = create_ticket(opened, actor(opened, TEACHER), NewTicket(building="PCHS", summary="No signal"))
    before = commits(opened)
    with pytest.raises(error):
        act(opened, ticket.id)  # type: ignore[operator]
    assert commits(opened) == before
    assert git(opened.root, "status", "--porcelain") == ""


def test_new_refuses_what_the_procedure_refuses(opened: Store) -> None:
    with pytest.raises(OutOfScope, match="ETS"):
        create_ticket(opened, actor(opened, TEACHER),
                      NewTicket(building="PCHS", summary="3D printer", category="new-technology"))
    with pytest.raises(InvalidInput, match="summary is empty"):
        create_ticket(opened, actor(opened, TEACHER), NewTicket(building="PCHS", summary="   "))


def test_the_context_given_is_the_one_used(opened: Store) -> None:
    """An action takes its directory from the Actor's context, not from the store."""
    real = opened.directory
    empty_staff = dataclasses.replace(real, staff={})
    now = datetime(2026, 11, 30, 10, tzinfo=opened.calendar.tz)
    who = Actor(ETS, now, Context(opened.calendar, empty_staff, fixed_clock(now), ETS))
    ticket = create_ticket(opened, actor(opened, TEACHER), NewTicket(building="PCHS", summary="x"))
    with pytest.raises(NotAllowed):
        assign(opened, who, ticket.id, NETOPS)
