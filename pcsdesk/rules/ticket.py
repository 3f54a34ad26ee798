"""A ticket as a value: its fields, its append-only notes log, and what follows from the log."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from typing import Any, Protocol

from pcsdesk.errors import InvalidInput
from pcsdesk.rules.clock import coerce_instant, format_instant

STATUSES = ("open", "closed")
PRIORITIES = ("normal", "emergency")
NOTE_KINDS = ("note", "assign", "escalate", "close", "reopen")
# Entries that answer the requester; a reopen is the requester's (or staff's) undoing.
RESPONSE_KINDS = frozenset({"note", "assign", "escalate", "close"})



@dataclass(frozen=True)
class Check:
    """One of the procedure's pre-checks. Its checklist value is true when the requester made it."""

    question: str   # the wizard asks it; "yes" means the check was made
    made: str       # the check, made: the web form's checkbox label, and how `show` says it


# The procedure's "before seeking help" list, in its order. The procedure words the
# checks as questions about the device ("Do the batteries need charging?"), whose
# answers would mean the opposite of "checked": the questions here ask whether the
# requester made the check, so every yes means the same thing.
CHECKS = {
    "cables": Check("Did you check that all cords and cables are securely plugged in?",
                    "All cords and cables are securely plugged in"),
    "power": Check("Did you check that there is electricity to the power outlet?",
                   "There is electricity to the power outlet"),
    "others": Check("Did you ask whether others are having the same issue?",
                    "I asked whether others are having the same issue"),
    "relogin": Check("Did you log out and log back in?", "I logged out and logged back in"),
    "restart": Check("Did you shut down and restart your computer?",
                     "I shut down and restarted my computer"),
    "internet": Check("Did you try connecting to various sites on the Internet?",
                      "I tried connecting to various sites on the Internet"),
    "batteries": Check("Did you check whether the batteries need charging?",
                       "I checked whether the batteries need charging"),
}
CHECKLIST = {key: check.question for key, check in CHECKS.items()}
# What the `others` check found: others have the same problem (a sign of an outage), or not.
OTHERS_AFFECTED_QUESTION = "Are others having the same issue?"
OTHERS_AFFECTED = {"yes": True, "no": False, "unknown": None}


def checklist_answers(made: Collection[str], others_affected: bool | None = None) -> dict[str, bool]:
    """Every pre-check in the procedure's order, true where made. Knowing about others means asking."""
    unknown = sorted(set(made) - set(CHECKS))
    if unknown:
        raise InvalidInput(f"unknown check {unknown[0]!r}; known: {', '.join(CHECKS)}")
    return {key: key in made or (key == "others" and others_affected is not None) for key in CHECKS}


def describe_others_affected(value: bool | None) -> str:
    if value is None:
        return "unknown"
    return "yes: others have the same problem (a sign of an outage)" if value else "no"


# The order keys are written in, so every ticket file reads the same way and diffs stay small.
FIELD_ORDER = (
    "id", "status", "priority", "building", "category", "summary", "description",
    "requester", "entered_by", "entered_at", "assignee", "first_response_at",
    "checklist", "others_affected", "notes",
)
NOTE_ORDER = ("at", "by", "kind", "to", "text")
# Fields that never change once a ticket is entered (merging and check --base hold them).
IMMUTABLE_FIELDS = ("id", "entered_at", "requester", "entered_by")


@dataclass(frozen=True)
class Note:
    at: datetime
    by: str
    kind: str
    text: str
    to: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()


class Standing(Protocol):
    """What the two rules below read: a Ticket, or the index's row of one (store/rows.TicketRow)."""

    @property
    def status(self) -> str: ...

    @property
    def priority(self) -> str: ...


def is_open(ticket: Standing) -> bool:
    return ticket.status == "open"


def is_emergency(ticket: Standing) -> bool:
    return ticket.priority == "emergency"


@dataclass(frozen=True)
class Ticket:
    id: str
    status: str
    priority: str
    building: str
    category: str | None
    summary: str
    description: str
    requester: str
    entered_by: str
    entered_at: datetime
    assignee: str
    first_response_at: datetime | None = None
    checklist: dict[str, bool] = field(default_factory=dict)
    # What the requester found on asking around: True, False, or None (not known).
    others_affected: bool | None = None
    notes: tuple[Note, ...] = ()
    # Keys this version does not know, kept so a newer pcsdesk's fields survive an edit.
    extra: tuple[tuple[str, Any], ...] = ()

    # The rules, once, above: a TicketRow answers the same questions by the same functions.
    is_open = property(is_open)
    is_emergency = property(is_emergency)


def is_first_response(note: Note, requester: str, staff: Collection[str]) -> bool:
    """The procedure's initial response: technology staff, other than the requester, acting."""
    return (
        note.kind in RESPONSE_KINDS
        and note.by.lower() in staff
        and note.by.lower() != requester.lower()
    )


def append_note(ticket: Ticket, note: Note, staff: Collection[str]) -> Ticket:
    """The ticket after one more log entry, with the fields that follow from it."""
    changes: dict[str, Any] = {"notes": (*ticket.notes, note)}
    if note.to:
        changes["assignee"] = note.to
    if note.kind == "close":
        changes["status"] = "closed"
    elif note.kind == "reopen":
        changes["status"] = "open"
    if ticket.first_response_at is None and is_first_response(note, ticket.requester, staff):
        changes["first_response_at"] = note.at
    return replace(ticket, **changes)


def derive_from_log(ticket: Ticket, staff: Collection[str]) -> Ticket:
    """Status, assignee and first response recomputed from the notes log.

    After a merge the log is the truth; the fields are what it implies. The
    assignee without any hand-over in the log is the one given at entry.
    """
    status = "open"
    assignee = ticket.assignee
    first_response_at: datetime | None = None
    for note in ticket.notes:
        if note.to:
            assignee = note.to
        if note.kind == "close":
            status = "closed"
        elif note.kind == "reopen":
            status = "open"
        if first_response_at is None and is_first_response(note, ticket.requester, staff):
            first_response_at = note.at
    return replace(ticket, status=status, assignee=assignee, first_response_at=first_response_at)


# ---- to and from the plain data a ticket file holds ----

def note_to_data(note: Note, tz: tzinfo) -> dict[str, Any]:
    data: dict[str, Any] = {"at": format_instant(note.at, tz), "by": note.by, "kind": note.kind}
    if note.to:
        data["to"] = note.to
    data["text"] = note.text
    data.update(note.extra)
    return data


def ticket_to_data(ticket: Ticket, tz: tzinfo) -> dict[str, Any]:
    """The ticket as plain data in FIELD_ORDER: what the file holds and `--json` prints."""
    data: dict[str, Any] = {
        "id": ticket.id,
        "status": ticket.status,
        "priority": ticket.priority,
        "building": ticket.building,
        "category": ticket.category,
        "summary": ticket.summary,
        "description": ticket.description,
        "requester": ticket.requester,
        "entered_by": ticket.entered_by,
        "entered_at": format_instant(ticket.entered_at, tz),
        "assignee": ticket.assignee,
        "first_response_at": (
            format_instant(ticket.first_response_at, tz) if ticket.first_response_at else None
        ),
        "checklist": dict(ticket.checklist),
        "others_affected": ticket.others_affected,
        "notes": [note_to_data(note, tz) for note in ticket.notes],
    }
    data.update(ticket.extra)
    return data


class TicketDataError(InvalidInput):
    """Ticket data that does not follow the schema; `key` names the field."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        super().__init__(f"{key}: {problem}")


def _required_text(data: dict[str, Any], key: str, allow_empty: bool = False) -> str:
    value = data.get(key)
    if value is None and allow_empty:
        return ""
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise TicketDataError(key, "must be text" + ("" if allow_empty else " and not empty"))
    return value


def _choice(data: dict[str, Any], key: str, choices: tuple[str, ...]) -> str:
    value = data.get(key)
    if value not in choices:
        raise TicketDataError(key, f"must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


def _instant(value: Any, key: str, tz: tzinfo) -> datetime:
    try:
        return coerce_instant(value, tz, key)
    except InvalidInput as e:
        raise TicketDataError(key, f"must be an ISO 8601 time with its offset, not {value!r}") from e


def note_from_data(data: Any, index: int, tz: tzinfo) -> Note:
    key = f"notes[{index}]"
    if not isinstance(data, dict):
        raise TicketDataError(key, "must be a mapping with at, by, kind and text")
    kind = data.get("kind")
    if kind not in NOTE_KINDS:
        raise TicketDataError(f"{key}.kind", f"must be one of {', '.join(NOTE_KINDS)}, not {kind!r}")
    by = data.get("by")
    if not isinstance(by, str) or not by.strip():
        raise TicketDataError(f"{key}.by", "must name who wrote the entry")
    text = data.get("text")
    if not isinstance(text, str):
        raise TicketDataError(f"{key}.text", "must be text")
    to = data.get("to")
    if to is not None and (not isinstance(to, str) or not to.strip()):
        raise TicketDataError(f"{key}.to", "must be a staff email")
    if kind in ("assign", "escalate") and not to:
        raise TicketDataError(f"{key}.to", f"an {kind} entry must say whom it hands the ticket to")
    extra = tuple((str(k), v) for k, v in data.items() if k not in NOTE_ORDER)
    return Note(
        at=_instant(data.get("at"), f"{key}.at", tz), by=by, kind=kind, text=text, to=to, extra=extra
    )


def ticket_from_data(data: Any, tz: tzinfo) -> Ticket:
    """A Ticket from a file's data, or TicketDataError naming the first field that is wrong."""
    if not isinstance(data, dict):
        raise TicketDataError("ticket", "the file must hold a mapping of fields")
    notes_data = data.get("notes") or []
    if not isinstance(notes_data, list):
        raise TicketDataError("notes", "must be a list of entries")
    checklist = data.get("checklist") or {}
    if not isinstance(checklist, dict) or not all(
        isinstance(k, str) and isinstance(v, bool) for k, v in checklist.items()
    ):
        raise TicketDataError("checklist", "must map each check to true or false")
    others_affected = data.get("others_affected")
    if others_affected is not None and not isinstance(others_affected, bool):
        raise TicketDataError("others_affected", "must be true, false or null (not known)")
    category = data.get("category")
    if category is not None and not isinstance(category, str):
        raise TicketDataError("category", "must be a category name or null")
    first_response = data.get("first_response_at")
    ticket_id = data.get("id")
    if not isinstance(ticket_id, str):
        raise TicketDataError("id", "must be the ticket's ID")
    return Ticket(
        id=ticket_id,
        status=_choice(data, "status", STATUSES),
        priority=_choice(data, "priority", PRIORITIES),
        building=_required_text(data, "building"),
        category=category,
        summary=_required_text(data, "summary"),
        description=_required_text(data, "description", allow_empty=True),
        requester=_required_text(data, "requester"),
        entered_by=_required_text(data, "entered_by"),
        entered_at=_instant(data.get("entered_at"), "entered_at", tz),
        assignee=_required_text(data, "assignee"),
        first_response_at=(
            _instant(first_response, "first_response_at", tz) if first_response is not None else None
        ),
        checklist=dict(checklist),
        others_affected=others_affected,
        notes=tuple(note_from_data(n, i, tz) for i, n in enumerate(notes_data)),
        extra=tuple((str(k), v) for k, v in data.items() if k not in FIELD_ORDER),
    )
