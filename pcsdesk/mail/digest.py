"""The morning digest: each member of staff's open tickets, overdue first, in one message."""

from __future__ import annotations

from email.utils import format_datetime, formataddr

from pcsdesk.desk import queries
from pcsdesk.desk.context import Context
from pcsdesk.mail.outbox import Outbox, RunResult, mailing
from pcsdesk.mail.render import Outgoing, message_id, one_line, plain_message
from pcsdesk.rules.clock import in_words
from pcsdesk.rules.notifications import mail_address
from pcsdesk.store.store import Store


def send_digests(store: Store, ctx: Context, outbox: Outbox) -> RunResult:
    """One message to each member of staff who holds open tickets; nobody else is mailed."""
    result = RunResult()
    with mailing(store, ctx, outbox, result) as held:
        if held:
            for who, tickets in queries.staff_queues(store, ctx).items():
                address = mail_address(who, ctx.directory.email_domain)
                if address is not None:
                    outbox.deliver(_render(ctx, address, tickets), result, f"the digest of {address}")
    return result


def _render(ctx: Context, recipient: str, tickets: list[queries.ListedTicket]) -> Outgoing:
    directory = ctx.directory
    tz = ctx.tz
    today = ctx.now().astimezone(tz)
    overdue = sum(1 for t in tickets if t.overdue)
    lines = [f"Your open helpdesk tickets this morning: {len(tickets)}"
             + (f", {overdue} past the first-response promise." if overdue else "."), ""]
    for listed in tickets:
        row = listed.row
        due = in_words(listed.due, tz, today)
        if listed.overdue:
            state = f"OVERDUE: the first response was due by {due}"
        elif row.first_response_at is None:
            state = f"first response due by {due}"
        else:
            state = "answered"
        emergency = "EMERGENCY " if row.priority == "emergency" else ""
        lines.append(f"{emergency}[{row.id}] {one_line(row.summary, 90)}")
        lines.append(f"    {row.building}, {state}")
        link = queries.ticket_link(directory, row.id)
        if link:
            lines.append(f"    {link}")
    lines += ["", f"-- \n{directory.district_name} Technology Department"]
    body = "\n".join(lines) + "\n"
    sender = directory.helpdesk_email
    member = directory.person(recipient)
    headers = [
        ("From", formataddr((f"{directory.district_name} Technology Helpdesk", sender))),
        ("To", formataddr((member.name, recipient)) if member else recipient),
        ("Subject", f"Your open tickets: {len(tickets)}" + (f", {overdue} overdue" if overdue else "")),
        ("Date", format_datetime(today)),
        # One digest a day per person: the same day's digest sent twice is the same message.
        ("Message-ID", message_id(f"digest.{today:%Y-%m-%d}", "digest", recipient, sender.rpartition("@")[2])),
        ("Auto-Submitted", "auto-generated"),
        ("X-Pcsdesk-Kind", "digest"),
    ]
    return plain_message(sender, recipient, headers, body)
