"""The morning digest: each member of staff's open tickets, overdue first, in one message."""

from __future__ import annotations

from collections import defaultdict
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from pcsdesk.desk import notice_queries as queries
from pcsdesk.desk.notice_queries import Context
from pcsdesk.mail.outbox import MissingSender, Outbox, RunResult
from pcsdesk.mail.render import Outgoing, message_id, one_line
from pcsdesk.rules import promise
from pcsdesk.rules.notifications import mail_address
from pcsdesk.store import notified
from pcsdesk.store.index import TicketRow, open_index
from pcsdesk.store.store import Store


def send_digests(store: Store, ctx: Context, outbox: Outbox) -> RunResult:
    """One message to each member of staff holding open tickets; nobody else is mailed."""
    result = RunResult()
    directory = ctx.directory
    if not directory.helpdesk_email:
        raise MissingSender()
    rows, problems = open_index(store, progress=False).rows(status="open")
    result.problems.extend(problems)
    by_assignee: dict[str, list[TicketRow]] = defaultdict(list)
    for row in rows:
        by_assignee[row.assignee.strip().lower()].append(row)
    now = ctx.now()
    cal = ctx.calendar
    lock = notified.notify_lock(store) if not outbox.dry_run else None
    held = lock.__enter__() if lock is not None else True
    try:
        if not held:
            result.busy = True
            return result
        for who in sorted(by_assignee):
            if who not in directory.staff:
                continue
            address = mail_address(who, directory.email_domain)
            if address is None:
                continue
            tickets = by_assignee[who]
            pending = {item.ticket.id: item for item in promise.awaiting_response(cal, tickets, now)}
            ordered = sorted(tickets, key=lambda row: (
                row.id not in pending, row.priority != "emergency",
                promise.due_of(cal, row), row.id,
            ))
            outgoing = _render(ctx, address, ordered, pending, now)
            outbox.deliver(outgoing, result, f"the digest of {address}")
    finally:
        if lock is not None:
            lock.__exit__(None, None, None)
        if outbox.mailer is not None:
            outbox.mailer.close()
    return result


def _render(ctx: Context, recipient: str, rows: list[TicketRow],
            pending: dict[str, promise.Pending[TicketRow]], now: object) -> Outgoing:
    directory = ctx.directory
    tz = ctx.tz
    local = ctx.now().astimezone(tz)
    overdue = sum(1 for item in pending.values() if item.overdue)
    lines = [f"Your open helpdesk tickets this morning: {len(rows)}"
             + (f", {overdue} past the first-response promise." if overdue else "."), ""]
    for row in rows:
        item = pending.get(row.id)
        if item is not None and item.overdue:
            state = f"OVERDUE by {abs(item.seconds_late) / 3600:.1f} business hours"
        elif row.first_response_at is None:
            state = f"first response due {queries.when_in_words(promise.due_of(ctx.calendar, row), tz)}"
        else:
            state = "answered"
        emergency = "EMERGENCY " if row.priority == "emergency" else ""
        lines.append(f"{emergency}[{row.id}] {one_line(row.summary, 90)}")
        link = queries.ticket_link(directory, row.id)
        lines.append(f"    {row.building}, {state}" + (f"\n    {link}" if link else ""))
    lines += ["", f"-- \n{directory.district_name} Technology Department"]
    body = "\n".join(lines) + "\n"
    sender = directory.helpdesk_email
    domain = sender.rpartition("@")[2]
    message = EmailMessage()
    message["From"] = formataddr((f"{directory.district_name} Technology Helpdesk", sender))
    member = directory.person(recipient)
    message["To"] = formataddr((member.name, recipient)) if member else recipient
    message["Subject"] = f"Your open tickets: {len(rows)}" + (f", {overdue} overdue" if overdue else "")
    message["Date"] = format_datetime(local)
    message["Message-ID"] = message_id(f"digest.{local:%Y-%m-%d}", "digest", recipient, domain)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Pcsdesk-Kind"] = "digest"
    message.set_content(body, cte="quoted-printable" if not body.isascii() else "7bit")
    return Outgoing(sender, recipient, message, body)
