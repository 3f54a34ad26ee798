"""Who is told about which change: docs/notify.md as plain functions, no I/O.

A change is a ticket before and after one commit. The rule reads the difference
(the entries added, and for a commit made by hand, the fields that moved without
an entry) and says who gets which kind of message:

| change                                   | told                          | kind       |
|------------------------------------------|-------------------------------|------------|
| a new ticket                             | its assignee                  | `new`      |
|                                          | its requester (a receipt)     | `receipt`  |
| an assignment or escalation              | the new assignee              | `assigned` |
| an entry by staff (the first response)   | the requester                 | `update`   |
| a close                                  | the requester                 | `closed`   |
| a reopen                                 | the assignee (and the         | `reopened` |
|                                          | requester, when staff did it) |            |
| a note by the requester (or anyone else  | the assignee                  | `note`     |
| who is not technology staff)             |                               |            |
| a first response that becomes overdue    | the requester, once           | `overdue`  |

Nobody is told about their own action, except the receipt of a ticket they
entered. A reopen by staff is also an entry by staff, so the requester hears of it;
an entry by a member of staff who is the ticket's requester counts as the
requester's. One commit gives at most one message of each kind to each person.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from pcsdesk.rules.ticket import Note, Ticket, is_first_response

# The kinds of message, in the order a commit's messages are sent.
KINDS = ("receipt", "new", "assigned", "update", "closed", "reopened", "note", "overdue")

# What a recipient address may look like before it reaches the SMTP envelope: one
# address, no display name, no spaces, angle brackets, commas or line breaks.
_ADDRESS = re.compile(r"\A[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\Z")
_USER_NAME = re.compile(r"\A[A-Za-z0-9._-]+\Z")


@dataclass(frozen=True)
class Notice:
    """One message a change calls for: its kind, whom it goes to, the entries it tells of."""

    kind: str
    recipient: str
    entries: tuple[Note, ...] = ()
    # The update carries the ticket's first response (the procedure's promise kept).
    first_response: bool = False


@dataclass
class _Collect:
    """The notices of one change, one per (kind, recipient), entries gathered in log order."""

    found: dict[tuple[str, str], list[Note]] = field(default_factory=dict)
    first: set[tuple[str, str]] = field(default_factory=set)

    def tell(self, kind: str, recipient: str | None, actor: str, entry: Note | None = None,
             first_response: bool = False) -> None:
        if not recipient:
            return
        who = recipient.strip().lower()
        if who == actor.strip().lower():
            return  # nobody is told about their own action
        key = (kind, who)
        entries = self.found.setdefault(key, [])
        if entry is not None and not any(known is entry for known in entries):
            entries.append(entry)  # the requester may also be the assignee: one message, once
        if first_response:
            self.first.add(key)

    def notices(self) -> list[Notice]:
        ordered = sorted(self.found.items(), key=lambda item: (KINDS.index(item[0][0]), item[0][1]))
        return [Notice(kind, who, tuple(entries), (kind, who) in self.first)
                for (kind, who), entries in ordered]


def added_entries(before: Ticket, after: Ticket) -> list[Note]:
    """The entries `after` holds that `before` did not, in `after`'s order.

    Not simply the tail: a merge may interleave entries, and a hand edit may put one
    anywhere. An entry counts once for each time it was added (a multiset difference).
    """
    had = Counter(_key(note) for note in before.notes)
    added = []
    for note in after.notes:
        key = _key(note)
        if had[key]:
            had[key] -= 1
        else:
            added.append(note)
    return added


def _key(note: Note) -> tuple[object, ...]:
    return (note.at, note.by.lower(), note.kind, note.text, (note.to or "").lower())


def who_is_told(
    before: Ticket | None,
    after: Ticket,
    author: str,
    staff: Collection[str],
    already_told: Iterable[Note] = (),
) -> list[Notice]:
    """The messages one change to a ticket calls for.

    `before` is the ticket at the commit's parent (None: the commit made it),
    `after` at the commit, `author` the commit's author (who acted, for a change
    without an entry). Entries in `already_told` were announced before (the clone's
    history was rewritten under notify) and are not announced again. `staff` holds
    lower-case emails.
    """
    told = _Collect()
    requester = after.requester
    if before is None:
        # A new ticket: the entries it was made with (the automatic assignment) are
        # part of the entering, not news of their own.
        told.tell("new", after.assignee, after.entered_by or author)
        told.tell("receipt", requester, "")  # a receipt goes even to whoever entered it
        return told.notices()

    skip = Counter(_key(note) for note in already_told)
    answered = before.first_response_at is not None
    handed_to: set[str] = set()
    status = before.status
    for entry in added_entries(before, after):
        key = _key(entry)
        if skip[key]:
            skip[key] -= 1
            continue
        by = entry.by.strip().lower()
        by_staff = by in staff and by != requester.strip().lower()
        first = not answered and is_first_response(entry, requester, staff)
        answered = answered or first
        if entry.to:
            handed_to.add(entry.to.strip().lower())
        if entry.kind in ("assign", "escalate"):
            told.tell("assigned", entry.to, by, entry)
        if entry.kind == "close":
            status = "closed"
            told.tell("closed", requester, by, entry, first_response=first)
        elif entry.kind == "reopen":
            status = "open"
            told.tell("reopened", after.assignee, by, entry)
            if by_staff:
                told.tell("reopened", requester, by, entry)
        elif by_staff:
            told.tell("update", requester, by, entry, first_response=first)
        elif entry.kind == "note":
            told.tell("note", after.assignee, by, entry)

    # A commit made by hand may move a field without an entry: judge it by the difference.
    if after.assignee.strip().lower() != before.assignee.strip().lower() and (
        after.assignee.strip().lower() not in handed_to
    ):
        told.tell("assigned", after.assignee, author)
    if after.status != status:
        if after.status == "closed":
            told.tell("closed", requester, author)
        else:
            told.tell("reopened", after.assignee, author)
    return told.notices()


def overdue_notice(requester: str) -> Notice:
    """The requester's notice that the first response is late (docs/notify.md: once, with whom to contact)."""
    return Notice("overdue", requester.strip().lower())


def mail_address(who: str, email_domain: str = "") -> str | None:
    """The address to mail `who` at, or None when it cannot be mailed.

    An email is used as written (lower-cased); a bare user name gets the district's
    domain, as docs/reference.md says for `district.email_domain`. Anything else (a name with
    spaces, an address with a display name or a line break) is refused, so text
    from a ticket file can never add a header or a second recipient.
    """
    text = who.strip().lower()
    if _ADDRESS.match(text):
        return text
    if email_domain and _USER_NAME.match(text):
        candidate = f"{text}@{email_domain.lower()}"
        return candidate if _ADDRESS.match(candidate) else None
    return None
