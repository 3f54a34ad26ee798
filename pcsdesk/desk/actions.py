"""The helpdesk's actions: the procedure's rules applied to a store, one commit per action."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pcsdesk.desk.context import Context
from pcsdesk.errors import InvalidInput, StoreConflict, TicketNotFound
from pcsdesk.rules.business_time import first_response_due
from pcsdesk.rules.ids import new_ticket_id, ticket_path
from pcsdesk.rules.passwords import refuse_passwords
from pcsdesk.rules.people import identity
from pcsdesk.rules.routing import (
    building_of,
    ensure_close_has_resolution,
    ensure_escalation_has_notes,
    ensure_hand_over_changes_holder,
    ensure_may_close,
    ensure_may_hand_over,
    ensure_may_reopen,
    ensure_note_has_text,
    ensure_reopen_has_reason,
    route_new_ticket,
)
from pcsdesk.rules.texts import (
    ensure_room_for,
    ensure_summary,
    ensure_text,
    ensure_ticket_size,
    ensure_utf8,
    normalize_line_ends,
)
from pcsdesk.rules.ticket import Note, Ticket, append_note, checklist_answers
from pcsdesk.store.git import trailers
from pcsdesk.store.store import Author, Store

if TYPE_CHECKING:
    from pcsdesk.rules.directory import Directory


@dataclass(frozen=True)
class Actor:
    """Who is acting (the commit's author) and when; `context` gives the calendar and directory.

    Without a context, the store's own calendar.yaml and buildings.yaml are used.
    """

    email: str
    now: datetime
    context: Context | None = None


def context_of(store: Store, actor: Actor) -> Context:
    return actor.context if actor.context is not None else Context.of_store(store)


def author_for(context: Context, actor: Actor) -> Author:
    member = context.directory.person(actor.email)
    return Author(name=member.name if member else actor.email.split("@")[0], email=actor.email)


def commit_message(ticket: Ticket, action: str, detail: str = "") -> str:
    """`<ID> <action>: <summary>`, then trailers that `log` and scripts can read."""
    subject = f"{ticket.id} {action}: {' '.join(ticket.summary.split())}"
    if len(subject) > 100:
        subject = subject[:99] + "…"
    body = f"\n\n{detail}" if detail else ""
    return f"{subject}{body}\n\n{trailers(action, ticket.id)}"


@dataclass(frozen=True)
class NewTicket:
    building: str
    summary: str
    description: str = ""
    category: str | None = None
    requester: str | None = None
    emergency: bool = False
    # The pre-checks made (true); any left out were not made.
    checklist: dict[str, bool] | None = None
    others_affected: bool | None = None


# Each field of a new ticket checked on its own, so a form (the terminal wizard, the
# web page) can refuse one answer as it is given; create_ticket checks them all again.

def check_summary(text: str) -> str:
    """The summary as stored (one line), or the error that says what to type instead."""
    summary = ensure_summary(" ".join(ensure_utf8(text, "summary").split()))
    if not summary:
        raise InvalidInput("the summary is empty; say in a few words what is wrong", field="summary")
    refuse_passwords({"summary": summary})
    return summary


def check_description(text: str) -> str:
    """The description as stored: as given, whitespace at the end trimmed, line ends LF."""
    text = ensure_text(normalize_line_ends(text), "description")
    refuse_passwords({"description": text})
    return text.rstrip() if text.strip() else ""


def check_requester(text: str | None, actor_email: str) -> str:
    """Who needs help: one email address; the one acting when left out."""
    if text is None or not text.strip():
        return actor_email
    return identity(ensure_utf8(text, "requester"), "the requester", field="requester")


def check_category(directory: Directory, building: str, category: str | None) -> tuple[str | None, str]:
    """The category (lower case, or None) and whom it routes to; an out-of-scope one is refused."""
    name = category.strip().lower() if category and category.strip() else None
    return name, route_new_ticket(directory, building_of(directory, building), name)


def create_ticket(store: Store, actor: Actor, request: NewTicket, token: str | None = None) -> Ticket:
    """Enter a ticket: validate everything, route it, commit it. Nothing is written on error."""
    # Encoding and sizes first (check_summary and check_description), before anything
    # reads the store or takes its lock.
    summary = check_summary(request.summary)
    description = check_description(request.description)
    context = context_of(store, actor)
    directory = context.directory
    building = building_of(directory, request.building)
    category, assignee = check_category(directory, building.code, request.category)
    made = [key for key, done in (request.checklist or {}).items() if done]
    checklist = checklist_answers(made, request.others_affected)
    requester = check_requester(request.requester, actor.email)
    now = actor.now.astimezone(context.tz)
    for _ in range(10):
        ticket_id = new_ticket_id(now.date(), token)
        if not store.ticket_exists(ticket_id):
            break
        if token is not None:
            raise StoreConflict(f"ticket {ticket_id} already exists")
    ticket = Ticket(
        id=ticket_id,
        status="open",
        priority="emergency" if request.emergency else "normal",
        building=building.code,
        category=category,
        summary=summary,
        description=description,
        requester=requester,
        entered_by=actor.email,
        entered_at=now,
        assignee=assignee,
        checklist=checklist,
        others_affected=request.others_affected,
    )
    # Every read derives the due time from the calendar: a calendar with no business
    # day ahead must stop the ticket here, before it is committed, not after.
    first_response_due(store.calendar, now)
    content = store.render_ticket(ticket)
    ensure_ticket_size(len(content), ticket.id)

    def write(current: bytes | None) -> bytes:
        if current is not None:
            raise StoreConflict(f"ticket {ticket.id} already exists; run the command again")
        return content

    action = "new emergency" if request.emergency else "new"
    detail = f"Building: {building.code}\nAssigned to: {assignee}"
    store.commit_ticket(
        ticket_path(ticket.id), write, commit_message(ticket, action, detail),
        author_for(context, actor), now,
    )
    return ticket


# ---- the ticket flow: each action appends one entry to the notes log ----

def _append(
    store: Store,
    actor: Actor,
    ticket_id: str,
    kind: str,
    text: str,
    to: str | None = None,
    allowed: Callable[[Ticket], None] | None = None,
) -> Ticket:
    """Append one log entry and commit, re-reading the ticket if another writer got there first."""
    text = ensure_text(normalize_line_ends(text), "note" if kind == "note" else f"{kind} note")
    refuse_passwords({"note": text})
    if kind != "assign":
        ensure_note_has_text(text)
    context = context_of(store, actor)
    staff = context.directory.staff.keys()
    tz = context.tz
    path = ticket_path(ticket_id)
    result: list[Ticket] = []
    note = Note(at=actor.now.astimezone(tz), by=actor.email, kind=kind, text=text.rstrip(), to=to)
    # SPEC's sizes before the store's lock is taken (and exactly, in `change`, under it).
    ensure_room_for(store.committed_size(path), note.text, ticket_id)

    def change(current: bytes | None) -> bytes:
        if current is None:
            raise TicketNotFound(ticket_id)
        ticket = store.parse_ticket(current, path)
        if allowed is not None:
            allowed(ticket)
        updated = append_note(ticket, note, staff)
        result[:] = [updated]
        content = store.render_ticket(updated)
        ensure_ticket_size(len(content), ticket_id)
        return content

    # `change` reads the ticket inside the commit loop (again, if another writer got
    # there first); the message is built from what it read, so the file is read once.
    detail = f"To: {to}" if to else ""
    store.commit_ticket(
        path, change, lambda: commit_message(result[0], kind, detail), author_for(context, actor), note.at
    )
    return result[0]


def add_note(store: Store, actor: Actor, ticket_id: str, text: str) -> Ticket:
    return _append(store, actor, ticket_id, "note", text)


def assign(store: Store, actor: Actor, ticket_id: str, to: str, text: str = "") -> Ticket:
    directory = context_of(store, actor).directory
    target = ensure_may_hand_over(directory, actor.email, to, "assign")
    return _append(store, actor, ticket_id, "assign", text, to=target,
                   allowed=lambda ticket: ensure_hand_over_changes_holder(directory, ticket, target, "assign"))


def escalate(store: Store, actor: Actor, ticket_id: str, to: str, text: str) -> Ticket:
    ensure_escalation_has_notes(text)
    directory = context_of(store, actor).directory
    target = ensure_may_hand_over(directory, actor.email, to, "escalate")
    return _append(store, actor, ticket_id, "escalate", text, to=target,
                   allowed=lambda ticket: ensure_hand_over_changes_holder(directory, ticket, target, "escalate"))


def close(store: Store, actor: Actor, ticket_id: str, text: str) -> Ticket:
    ensure_close_has_resolution(text)
    directory = context_of(store, actor).directory
    return _append(store, actor, ticket_id, "close", text,
                   allowed=lambda ticket: ensure_may_close(directory, actor.email, ticket))


def reopen(store: Store, actor: Actor, ticket_id: str, text: str) -> Ticket:
    ensure_reopen_has_reason(text)
    directory = context_of(store, actor).directory
    return _append(store, actor, ticket_id, "reopen", text,
                   allowed=lambda ticket: ensure_may_reopen(directory, actor.email, ticket))
