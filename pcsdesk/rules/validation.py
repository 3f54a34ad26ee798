"""What `check` asks of a ticket: the schema, known names, no passwords, fields that follow from the log.

Pure: the store parses the file and turns each problem's `where` (the key path
inside the file, e.g. ("notes", 3, "text")) into a line number.

Rules that depend on who is staff in buildings.yaml (the assignee and every
hand-over go to staff; first_response_at is the first entry by staff) are
applied to open tickets and to tickets that changed since the base, not to
closed tickets nobody touched: a person who leaves the staff list must not make
years of closed tickets fail. Everything else is checked on every ticket.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from pcsdesk.rules.directory import Directory
from pcsdesk.rules.ids import ID_PATTERN, id_from_path, ticket_path
from pcsdesk.rules.merging import describe_note, note_key
from pcsdesk.rules.passwords import find_password
from pcsdesk.rules.ticket import (
    IMMUTABLE_FIELDS,
    RESPONSE_KINDS,
    Ticket,
    TicketDataError,
    derive_from_log,
    ticket_from_data,
)

Where = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    where: Where     # the key path inside the file; () for the file as a whole
    text: str


def where_of(key: str) -> Where:
    """("notes", 2, "at") from a schema error's key "notes[2].at"."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", key):
        parts.append(int(index) if index else name)
    return tuple(parts) if parts != ["ticket"] else ()


def read_ticket(data: Any, tz: tzinfo) -> Ticket | Problem:
    """The ticket in a file's data, or the first schema problem."""
    try:
        return ticket_from_data(data, tz)
    except TicketDataError as e:
        return Problem(where_of(e.key), str(e))


def check_ticket(
    ticket: Ticket, path: str, directory: Directory | None, people: bool | None = None
) -> list[Problem]:
    """Every problem of one readable ticket at `path`.

    `directory` is None when buildings.yaml cannot be read (the names are then not
    checked). `people` applies the staff rules; None means: to open tickets only.
    """
    problems = _identity(ticket, path)
    if people is None:
        people = ticket.is_open
    staff: Collection[str] = directory.staff if directory is not None else ()
    if directory is not None:
        if ticket.building not in directory.buildings:
            problems.append(Problem(("building",), (
                f"unknown building {ticket.building!r}; known: {', '.join(sorted(directory.buildings))}"
            )))
        if ticket.category is not None and ticket.category not in directory.categories:
            problems.append(Problem(("category",), (
                f"unknown category {ticket.category!r}; known: {', '.join(sorted(directory.categories))}"
            )))
        if people:
            if not directory.is_staff(ticket.assignee):
                problems.append(Problem(("assignee",), (
                    f"the assignee {ticket.assignee} is not technology staff (buildings.yaml)"
                )))
            for index, note in enumerate(ticket.notes):
                if note.to and not directory.is_staff(note.to):
                    problems.append(Problem(("notes", index, "to"), (
                        f"{describe_note(note)} hands the ticket to {note.to}, who is not "
                        "technology staff (buildings.yaml)"
                    )))
    problems += _passwords(ticket)
    problems += _derived(ticket, staff if directory is not None and people else None)
    return problems


def _identity(ticket: Ticket, path: str) -> list[Problem]:
    if not ID_PATTERN.match(ticket.id):
        return [Problem(("id",), f"{ticket.id!r} is not a ticket ID (like 2611-7KQ3X)")]
    named = id_from_path(path)
    if named is None:
        return [Problem((), f"not where a ticket file belongs: ticket {ticket.id} belongs at "
                            f"{ticket_path(ticket.id)}")]
    if named != ticket.id:
        return [Problem(("id",), f"the id {ticket.id} does not match the file name ({named})")]
    return []


def _passwords(ticket: Ticket) -> list[Problem]:
    texts: list[tuple[Where, str]] = [(("summary",), ticket.summary), (("description",), ticket.description)]
    texts += [(("notes", i, "text"), note.text) for i, note in enumerate(ticket.notes)]
    problems = []
    for where, text in texts:
        finding = find_password(text)
        if finding is not None:
            what = describe_note(ticket.notes[int(where[1])]) if where[0] == "notes" else str(where[0])
            # Never repeat the secret, not even the words around it: CI logs are read widely.
            line = f" (line {finding.line} of the text)" if "\n" in text.strip() else ""
            problems.append(Problem(where, (
                f"{what} seems to state a password{line}; remove it from the ticket and "
                "have the password reset (the procedure, step 2c)"
            )))
    return problems


def _derived(ticket: Ticket, staff: Collection[str] | None) -> list[Problem]:
    """status, assignee and first_response_at against the log; staff None skips the staff rule."""
    derived = derive_from_log(ticket, staff or ())
    problems = []
    if derived.status != ticket.status:
        problems.append(Problem(("status",), (
            f"status is {ticket.status!r} but the notes log makes it {derived.status!r} (its last "
            "close or reopen entry); the log is the record"
        )))
    if any(note.to for note in ticket.notes) and derived.assignee != ticket.assignee:
        problems.append(Problem(("assignee",), (
            f"assignee is {ticket.assignee} but the last hand-over in the notes log is to {derived.assignee}"
        )))
    stored = ticket.first_response_at
    if staff is not None:
        if derived.first_response_at != stored:
            expected = derived.first_response_at.isoformat() if derived.first_response_at else "null"
            problems.append(Problem(("first_response_at",), (
                f"first_response_at is {stored.isoformat() if stored else 'null'} but the first "
                f"entry by technology staff other than the requester is at {expected}"
            )))
    elif stored is not None and not any(
        note.at == stored and note.kind in RESPONSE_KINDS and note.by.lower() != ticket.requester.lower()
        for note in ticket.notes
    ):
        problems.append(Problem(("first_response_at",), (
            f"first_response_at is {stored.isoformat()} but no response in the notes log was made then"
        )))
    return problems


def compare_with_base(base: Ticket, now: Ticket, base_name: str = "the base") -> list[Problem]:
    """What changed since `base` that must not: identity fields, and any note other than appended.

    Notes from a merge may come between the base's notes; the base's notes must all
    be there, unchanged, in their order.
    """
    problems = [
        Problem((name,), f"{name} was {_show(getattr(base, name))} at {base_name} and is now "
                         f"{_show(getattr(now, name))}; it never changes")
        for name in IMMUTABLE_FIELDS
        if getattr(base, name) != getattr(now, name)
    ]
    now_keys = [note_key(note) for note in now.notes]
    matched: set[int] = set()
    position = 0
    missing: list[int] = []
    for index, note in enumerate(base.notes):
        key = note_key(note)
        found = next((i for i in range(position, len(now_keys)) if now_keys[i] == key), None)
        if found is None:
            missing.append(index)
        else:
            matched.add(found)
            position = found + 1
    available = Counter(now_keys[i] for i in range(len(now_keys)) if i not in matched)
    for index in missing:
        note = base.notes[index]
        key = note_key(note)
        label = f"note {index + 1} at {base_name} ({describe_note(note)})"
        if available[key] > 0:
            available[key] -= 1
            at = now_keys.index(key)
            problems.append(Problem(("notes", at), f"{label} was moved; notes are never reordered"))
            continue
        edited = next((
            i for i, other in enumerate(now.notes)
            if i not in matched and (other.at, other.by, other.kind) == (note.at, note.by, note.kind)
        ), None)
        if edited is not None:
            matched.add(edited)
            problems.append(Problem(("notes", edited), f"{label} was edited; notes are never changed"))
        else:
            problems.append(Problem(("notes",), f"{label} was removed; notes are never removed"))
    return problems


def _show(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else repr(value)
