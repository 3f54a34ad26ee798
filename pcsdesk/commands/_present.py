"""How a ticket is shown: as JSON with its derived fields, and as text for a person."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pcsdesk.rules.business_time import business_seconds_between, first_response_due
from pcsdesk.rules.clock import format_instant
from pcsdesk.rules.routing import supervisor_of
from pcsdesk.rules.ticket import CHECKS, Ticket, describe_others_affected, ticket_to_data
from pcsdesk.store.store import Store

# After this many business hours without an entry from the assignee, `show`
# names their supervisor: the procedure's "becomes unavailable or unresponsive".
QUIET_BUSINESS_HOURS = 16


def is_overdue(ticket: Ticket, due: datetime, now: datetime) -> bool:
    """Open, no first response, and the due time strictly before now."""
    return ticket.is_open and ticket.first_response_at is None and due < now


def ticket_json(store: Store, ticket: Ticket, now: datetime | None = None) -> dict[str, Any]:
    """The file's data plus the fields derived when read."""
    tz = store.calendar.tz
    data = ticket_to_data(ticket, tz)
    due = first_response_due(store.calendar, ticket.entered_at)
    derived: dict[str, Any] = {"first_response_due": format_instant(due, tz)}
    if ticket.first_response_at is not None:
        derived["first_response_on_time"] = ticket.first_response_at <= due
    if now is not None:
        derived["overdue"] = is_overdue(ticket, due, now)
    ordered: dict[str, Any] = {}
    for key, value in data.items():
        ordered[key] = value
        if key == "first_response_at":
            ordered.update(derived)
    return ordered


def quiet_assignee(store: Store, ticket: Ticket, now: datetime) -> str | None:
    """The supervisor to contact when the open ticket's assignee has gone quiet."""
    if not ticket.is_open:
        return None
    last = ticket.entered_at
    for note in ticket.notes:
        # A reopen puts the ticket back in the assignee's hands: time while it was
        # closed is not their silence.
        if note.by.lower() == ticket.assignee.lower() or note.to == ticket.assignee or note.kind == "reopen":
            last = max(last, note.at)
    quiet = business_seconds_between(store.calendar, last, now)
    if quiet < QUIET_BUSINESS_HOURS * 3600:
        return None
    supervisor = supervisor_of(store.directory, ticket.assignee)
    if supervisor is None:
        return None
    return (
        f"{store.directory.describe(ticket.assignee)} has not updated this ticket for "
        f"{quiet // 3600} business hours; contact their supervisor, {supervisor.label()}"
    )


def ticket_text(store: Store, ticket: Ticket, now: datetime) -> str:
    """The ticket for a person: fields, the due time and whether it was met, the whole log."""
    tz = store.calendar.tz
    directory = store.directory
    due = first_response_due(store.calendar, ticket.entered_at)
    building = directory.buildings.get(ticket.building)
    if ticket.first_response_at is not None:
        met = "met" if ticket.first_response_at <= due else "missed"
        response = f"{format_instant(ticket.first_response_at, tz)} ({met})"
    elif is_overdue(ticket, due, now):
        late = business_seconds_between(store.calendar, due, now)
        response = f"none yet: OVERDUE by {late / 3600:.1f} business hours"
    else:
        response = "none yet"
    rows = [
        ("Ticket", f"{ticket.id}  [{ticket.status}]" + ("  EMERGENCY" if ticket.is_emergency else "")),
        ("Summary", ticket.summary),
        ("Building", f"{ticket.building}" + (f" ({building.name})" if building else "")),
        ("Category", ticket.category or "-"),
        ("Requester", ticket.requester + (
            f" (entered by {ticket.entered_by})" if ticket.entered_by != ticket.requester else ""
        )),
        ("Entered", format_instant(ticket.entered_at, tz)),
        ("Assignee", directory.describe(ticket.assignee)),
        ("Response due", format_instant(due, tz)),
        ("First response", response),
    ]
    # Every check, in the procedure's order; a key an older file lacks was not made.
    made = [name for name in CHECKS if ticket.checklist.get(name)]
    rows.append(("Checks made", ", ".join(made) or "none of the pre-checks"))
    not_made = [name for name in CHECKS if not ticket.checklist.get(name)]
    if not_made and made:
        rows.append(("Not checked", ", ".join(not_made)))
    rows.append(("Others affected", describe_others_affected(ticket.others_affected)))
    lines = [f"{(label + ':').ljust(15)} {value}" for label, value in rows]
    quiet = quiet_assignee(store, ticket, now)
    if quiet:
        lines.append(f"{'Attention:':<16}{quiet}")
    if ticket.description:
        lines += ["", "Description:", *(f"  {line}" for line in ticket.description.splitlines())]
    lines += ["", f"Notes ({len(ticket.notes)}):"]
    if not ticket.notes:
        lines.append("  (none yet)")
    for note in ticket.notes:
        handed = f" -> {note.to}" if note.to else ""
        lines.append(f"  {format_instant(note.at, tz)}  {note.kind}{handed}  by {note.by}")
        lines += [f"      {line}" for line in note.text.splitlines()]
    return "\n".join(lines)
