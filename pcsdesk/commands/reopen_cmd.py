"""`pcsdesk reopen ID -m TEXT`: reopen a closed ticket, saying why."""

from __future__ import annotations

import click

from pcsdesk.commands._common import (
    canonical_id,
    message_option,
    read_text,
    session,
    ticket_id_argument,
)
from pcsdesk.commands._flow import editor_context, report_entry
from pcsdesk.desk.actions import reopen as reopen_ticket


@click.command("reopen")
@ticket_id_argument
@message_option()
def reopen(ticket_id: str, message: str | None) -> None:
    """Reopen a closed ticket (staff, or the requester).

    \b
    Example:
      pcsdesk reopen 2611-7KQ3X -m "No signal again this morning"
    """
    current = session()
    ticket_id = canonical_id(ticket_id)
    text = read_text(message, "reason", editor_context(current.store, current.context(), ticket_id))
    ticket = reopen_ticket(current.store, current.actor(), ticket_id, text)
    report_entry(ticket)
