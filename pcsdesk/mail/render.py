"""The messages themselves: short plain text in the district's voice, one per notice.

Every subject begins with the ticket's ID in brackets; every message links to the
ticket's page, says when the first response is due (or that it came), and carries
a Message-ID derived from the commit, the kind and the recipient, so a message
sent again after a crash is recognisably the same message. Text from a ticket
that states a password (a commit made by hand could hold one) is never copied in.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass
from datetime import datetime, tzinfo
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr

from pcsdesk.desk.queries import TicketFacts
from pcsdesk.rules.clock import in_words
from pcsdesk.rules.directory import Directory
from pcsdesk.rules.notifications import Notice
from pcsdesk.rules.passwords import find_password
from pcsdesk.rules.ticket import CHECKLIST, Note, Ticket

HIDDEN = "(not shown here: it seems to contain a password; see the ticket)"
SUBJECT_LENGTH = 120

# What each kind of message says in its subject, after "[ID] ".
SUBJECTS = {
    "receipt": "Received",
    "new": "New ticket for you",
    "assigned": "Assigned to you",
    "update": "Update",
    "closed": "Closed",
    "reopened": "Reopened",
    "note": "Note from the requester",
    "overdue": "No response yet",
}


@dataclass(frozen=True)
class Outgoing:
    """One message ready to send: the envelope, the message, and its text for --dry-run."""

    sender: str
    recipient: str
    message: Message
    body: str
    headers: tuple[tuple[str, str], ...]   # as written, before any encoding (for --dry-run)

    @property
    def message_id(self) -> str:
        return dict(self.headers)["Message-ID"]

    @property
    def subject(self) -> str:
        return dict(self.headers)["Subject"]

    def preview(self) -> str:
        """The message as --dry-run prints it: the headers, a blank line, the text."""
        return "".join(f"{name}: {value}\n" for name, value in self.headers) + f"\n{self.body}"


def plain_message(sender: str, recipient: str, headers: list[tuple[str, str]], body: str) -> Outgoing:
    """A text/plain message from its headers and text.

    Built with the email package's compat32 classes: the default policy's header
    registry parses every header it is given, which was two thirds of a run's time
    over 1,000 commits (bench/notify.py). Non-ASCII text is encoded (RFC 2047 in
    headers, quoted-printable in the body) so the message is 7-bit clean.
    """
    if body.isascii() and all(len(line) <= 900 for line in body.splitlines()):
        message: Message = MIMEText(body, "plain", "us-ascii")
    else:
        charset = Charset("utf-8")
        charset.body_encoding = QP
        message = MIMEText(body, "plain", charset)  # type: ignore[arg-type]
    for name, value in headers:
        message[name] = value if value.isascii() else Header(value, "utf-8")  # type: ignore[assignment]
    return Outgoing(sender, recipient, message, body, tuple(headers))


def safe(text: str) -> str:
    """A ticket's text as a message may carry it: never a stated password."""
    return HIDDEN if find_password(text) is not None else text


def one_line(text: str, limit: int = SUBJECT_LENGTH) -> str:
    """Text for a header: one line (a hand-edited file could hold line breaks), not too long."""
    line = " ".join(safe(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def message_id(event: str, kind: str, recipient: str, domain: str) -> str:
    """`<event.kind.hash@domain>`: the same event, kind and recipient give the same ID.

    The hash covers the whole event (a commit's full id), the kind and the
    recipient; the event is shortened in the visible part so the header stays on
    one line.
    """
    digest = hashlib.sha256(f"{event}\0{kind}\0{recipient.lower()}".encode()).hexdigest()[:16]
    return f"<{event[:20]}.{kind}.{digest}@{domain}>"


def _name(directory: Directory, who: str) -> str:
    member = directory.person(who)
    return member.name if member is not None else who


def _person(directory: Directory, who: str) -> str:
    """A person as a message names them: name and phone for staff, the email otherwise."""
    member = directory.person(who)
    if member is None:
        return who
    phone = f", {member.phone}" if member.phone else ""
    return f"{member.name} <{member.email}>{phone}"


def _quote(text: str) -> str:
    body = safe(text).strip() or "(no text)"
    return "\n".join(f"    {line}" if line else "" for line in body.splitlines())


def _entry(directory: Directory, tz: tzinfo, note: Note) -> str:
    to = f" to {_name(directory, note.to)}" if note.to else ""
    verb = {"note": "wrote", "assign": f"assigned it{to}", "escalate": f"escalated it{to}",
            "close": "closed it", "reopen": "reopened it"}.get(note.kind, note.kind)
    return f"{_name(directory, note.by)} {verb} ({in_words(note.at, tz)}):\n{_quote(note.text)}"


def _status(directory: Directory, tz: tzinfo, ticket: Ticket, facts: TicketFacts) -> list[str]:
    lines = [
        f"Ticket:      {ticket.id}",
        f"Summary:     {one_line(ticket.summary, 200)}",
        f"Building:    {facts.building_name}",
        f"Status:      {ticket.status}" + (" (emergency)" if ticket.is_emergency else ""),
        f"Assigned to: {_person(directory, ticket.assignee)}",
    ]
    if ticket.first_response_at is not None:
        lines.append(f"First response: {in_words(ticket.first_response_at, tz)}")
    elif ticket.is_open:
        lines.append(f"First response due: {facts.due_words}")
    return lines


def render(
    notice: Notice,
    ticket: Ticket,
    facts: TicketFacts,
    directory: Directory,
    tz: tzinfo,
    event: str,
    at: datetime,
) -> Outgoing:
    """The message for one notice about `ticket` (as it stands after the change).

    `event` is what the Message-ID is derived from (a commit, or the ticket for an
    overdue notice); `at` is the message's Date.
    """
    requester_side = notice.kind in ("receipt", "update", "closed", "overdue") or (
        notice.kind == "reopened" and notice.recipient == ticket.requester.strip().lower()
    )
    text = _body(notice, ticket, facts, directory, tz, requester_side)
    sender = directory.helpdesk_email
    domain = sender.rpartition("@")[2] or "pcsdesk.invalid"
    member = directory.person(notice.recipient)
    subject = SUBJECTS[notice.kind]
    if notice.kind == "new" and ticket.is_emergency:
        subject = "EMERGENCY ticket for you"
    # Every message about a ticket threads under one root, so a mail client shows the
    # ticket's story as one conversation.
    thread = f"<ticket.{ticket.id}@{domain}>"
    headers = [
        ("From", formataddr((f"{directory.district_name} Technology Helpdesk", sender))),
        ("To", formataddr((member.name, notice.recipient)) if member else notice.recipient),
        ("Subject", f"[{ticket.id}] {subject}: {one_line(ticket.summary)}"),
        ("Date", format_datetime(at)),
        ("Message-ID", message_id(event, notice.kind, notice.recipient, domain)),
        ("In-Reply-To", thread),
        ("References", thread),
    ]
    reply_to = ticket.assignee if requester_side else ticket.requester
    if "@" in reply_to and reply_to.strip().lower() != notice.recipient:
        headers.append(("Reply-To", reply_to.strip().lower()))
    headers += [
        ("Auto-Submitted", "auto-generated"),   # RFC 3834: no vacation replies to this
        ("X-Pcsdesk-Ticket", ticket.id),
        ("X-Pcsdesk-Kind", notice.kind),
    ]
    return plain_message(sender, notice.recipient, headers, text)


def _say(text: str) -> str:
    """A sentence or two of prose, wrapped for a plain-text reader (entries keep their lines)."""
    return textwrap.fill(text, width=72, break_long_words=False, break_on_hyphens=False)


def _body(notice: Notice, ticket: Ticket, facts: TicketFacts, directory: Directory, tz: tzinfo,
          requester_side: bool) -> str:
    summary = one_line(ticket.summary, 200)
    paragraphs: list[str] = []

    def say(text: str) -> None:
        paragraphs.append(_say(text))

    entries = [_entry(directory, tz, note) for note in notice.entries]
    kind = notice.kind
    if kind == "receipt":
        say(f'We have your helpdesk ticket {ticket.id}, "{summary}", and it is assigned '
                          f"to {_name(directory, ticket.assignee)}.")
        say(
            f"You will have a first response {facts.due_words}: the Technology Department answers "
            "every ticket within two business days of its entry. That response is an update on the "
            "status of your issue; the fix itself may take longer."
        )
        if facts.contact is not None:
            say(f"If you hear nothing by then, contact your building tech or ETS: "
                              f"{_person(directory, facts.contact.email)}.")
        if ticket.is_emergency:
            say(
                "This ticket is marked as an emergency: also phone your building ETS, and if the ETS "
                f"cannot be reached, the Network Operations Center at {directory.noc_phone or 'x5051'}."
            )
    elif kind == "new":
        who = ticket.requester if ticket.entered_by.lower() == ticket.requester.lower() else (
            f"{ticket.requester} (entered by {ticket.entered_by})")
        say(f"A new ticket is assigned to you, from {who}:")
        details = [f'"{summary}"']
        if ticket.description.strip():
            details.append(_quote(ticket.description))
        paragraphs.append("\n".join(details))
        made = [key for key, done in ticket.checklist.items() if done and key in CHECKLIST]
        if made:
            say("Checks the requester made: " + ", ".join(made) + ".")
        others = getattr(ticket, "others_affected", None)
        if others is not None:
            say("Others have the same problem." if others else "Others are not affected.")
    elif kind == "assigned":
        say(f'Ticket {ticket.id}, "{summary}", is now assigned to you.')
        paragraphs.extend(entries)
    elif kind == "update":
        say(f'There is news on your ticket {ticket.id}, "{summary}".')
        paragraphs.extend(entries)
        if notice.first_response:
            say("This is the first response to your ticket.")
    elif kind == "closed":
        say(f'Your ticket {ticket.id}, "{summary}", is closed.')
        paragraphs.extend(entries or ["(It was closed without a note.)"])
        say("If the problem is not solved, reopen the ticket with a note saying what still happens.")
    elif kind == "reopened":
        whose = "Your ticket" if requester_side else "Ticket"
        say(f'{whose} {ticket.id}, "{summary}", is open again.')
        paragraphs.extend(entries)
    elif kind == "note":
        say(f'The requester added to ticket {ticket.id}, "{summary}".')
        paragraphs.extend(entries)
    elif kind == "overdue":
        say(
            f'Your ticket {ticket.id}, "{summary}", entered {in_words(ticket.entered_at, tz)}, has not had '
            f"the first response that was due {facts.due_words}. We are sorry for the wait."
        )
        if facts.contact is not None:
            say("As the procedure says, please contact your building tech or ETS directly: "
                              f"{_person(directory, facts.contact.email)}.")
        else:
            say("As the procedure says, please contact your building tech or ETS directly.")
    paragraphs.append("\n".join(_status(directory, tz, ticket, facts)))
    if facts.link:
        action = "Add a note or follow the ticket" if requester_side else "Open the ticket"
        paragraphs.append(f"{action}:\n{facts.link}")
    if requester_side:
        say("Please never put a password in a ticket or a reply.")
    paragraphs.append(f"-- \n{directory.district_name} Technology Department")
    return "\n\n".join(paragraphs) + "\n"
