"""Where a ticket goes and who may do what with it: the procedure's ticket flow as rules."""

from __future__ import annotations

from pcsdesk.errors import InvalidInput, NotAllowed, OutOfScope, UnknownBuilding, UnknownCategory
from pcsdesk.rules.directory import Building, Directory, StaffMember
from pcsdesk.rules.people import closest_staff
from pcsdesk.rules.ticket import Ticket


def building_of(directory: Directory, code: str) -> Building:
    """The building for a code typed in any case, or UnknownBuilding listing the valid codes."""
    for known_code, building in directory.buildings.items():
        if known_code.lower() == code.strip().lower():
            return building
    raise UnknownBuilding(code, list(directory.buildings))


def route_new_ticket(directory: Directory, building: Building, category: str | None) -> str:
    """Whom a new ticket is assigned to: the category's team where set, else the building ETS.

    An out-of-scope category (new technology) is refused with its message and the
    building ETS to contact instead, as the procedure says.
    """
    if category is None:
        return building.ets
    found = directory.categories.get(category)
    if found is None:
        raise UnknownCategory(category, list(directory.categories))
    if found.out_of_scope:
        ets = directory.describe(building.ets)
        raise OutOfScope(f"{found.out_of_scope} Your building ETS: {ets}")
    return found.assign_to or building.ets


def emergency_contacts(directory: Directory, building: Building, caller: str | None = None) -> list[str]:
    """The phone path for a true emergency: the building ETS, then the NOC, as phone numbers.

    `caller` is who is about to phone (who entered the ticket): the ETS is not told
    to call themselves, so for them the path starts at the NOC. A person with no
    phone number on file is named as such, with the NOC as the way on.
    """
    noc = directory.noc_phone
    noc_line = (
        f"the Network Operations Center at {noc}; leave a message if no one answers "
        "(it alerts several staff)."
        if noc else
        "the Network Operations Center: no phone number is on file for it in buildings.yaml."
    )
    if caller is not None and caller.lower() == building.ets.lower():
        return [f"1. You are the building ETS: call {noc_line}"]
    ets = directory.person(building.ets)
    name = ets.name if ets else building.ets
    if ets is not None and ets.phone:
        first = f"1. Call your building ETS, {name}, at {ets.phone}."
    else:
        first = (f"1. Call your building ETS, {name}: no phone number is on file, "
                 "so reach them as you can or go straight to step 2.")
    return [first, f"2. If the ETS cannot be reached, call {noc_line}"]


def requester_contact(directory: Directory, building: Building) -> StaffMember | None:
    """Whom a requester calls when the first response is late: the building tech, else the ETS."""
    for who in (*building.techs, building.ets):
        member = directory.person(who)
        if member is not None:
            return member
    return None


def supervisor_of(directory: Directory, who: str) -> StaffMember | None:
    """The procedure: when someone stops responding, contact their supervisor."""
    member = directory.person(who)
    if member is None or member.supervisor is None:
        return None
    return directory.person(member.supervisor)


def _staff_list(directory: Directory) -> str:
    return ", ".join(sorted(directory.staff))


def ensure_may_hand_over(directory: Directory, actor: str, to: str, action: str) -> str:
    """Only technology staff assign or escalate, and only to technology staff."""
    if not directory.is_staff(actor):
        raise NotAllowed(
            f"only technology staff may {action} a ticket and {actor} is not listed under "
            "staff in buildings.yaml; add a note instead", then="note"
        )
    target = to.strip().lower()
    if not directory.is_staff(target):
        guess = closest_staff(directory, target)
        hint = f"; did you mean {guess}?" if guess else ""
        raise NotAllowed(
            f"{to} is not technology staff; {action} to one of: {_staff_list(directory)}{hint}"
        )
    return target


def ensure_hand_over_changes_holder(directory: Directory, ticket: Ticket, to: str, action: str) -> None:
    """A hand-over goes to someone else: to the holder it would only add an empty entry for ever."""
    if ticket.assignee.lower() == to.lower():
        raise NotAllowed(
            f"ticket {ticket.id} is already held by {directory.describe(to)}; "
            f"{action} it to someone else, or add a note", then="note", ticket_id=ticket.id
        )


def ensure_may_close_or_reopen(
    directory: Directory, actor: str, ticket: Ticket, action: str
) -> None:
    """The requester may close or reopen their own ticket, as staff may any ticket."""
    if directory.is_staff(actor) or actor.lower() == ticket.requester.lower():
        return
    raise NotAllowed(
        f"only the requester ({ticket.requester}) or technology staff may {action} "
        f"ticket {ticket.id}; add a note instead"
    )


# ---- what each step of the flow must carry ----

def ensure_note_has_text(text: str) -> None:
    """Every log entry but a bare assignment says something (the procedure's notes)."""
    if not text.strip():
        raise InvalidInput("the note is empty; say what was done or found", field="note")


def ensure_escalation_has_notes(text: str) -> None:
    """The procedure, step 3b: an escalation is handed on with the notes and research so far."""
    if not text.strip():
        raise InvalidInput(
            "an escalation carries the research so far (the procedure, step 3b); write it in the note",
            field="note",
        )


def ensure_close_has_resolution(text: str) -> None:
    """A ticket is closed with its resolution written down."""
    if not text.strip():
        raise InvalidInput("closing a ticket records the resolution; write it in the note", field="note")


def ensure_reopen_has_reason(text: str) -> None:
    if not text.strip():
        raise InvalidInput("say in the note why the ticket is reopened", field="note")


def ensure_may_close(directory: Directory, actor: str, ticket: Ticket) -> None:
    """The requester or staff may close a ticket, once: a closed ticket is reopened first."""
    ensure_may_close_or_reopen(directory, actor, ticket, "close")
    if not ticket.is_open:
        raise InvalidInput(f"ticket {ticket.id} is already closed; reopen it first if needed")


def ensure_may_reopen(directory: Directory, actor: str, ticket: Ticket) -> None:
    """The requester or staff may reopen a closed ticket."""
    ensure_may_close_or_reopen(directory, actor, ticket, "reopen")
    if ticket.is_open:
        raise InvalidInput(f"ticket {ticket.id} is open already")


def may_see(directory: Directory, who: str, ticket: Ticket) -> bool:
    """Staff see every ticket; anyone else the tickets they requested or entered."""
    key = who.lower()
    return directory.is_staff(key) or key in (ticket.requester.lower(), ticket.entered_by.lower())
