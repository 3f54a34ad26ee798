"""`pcsdesk close ID -m TEXT`: close a ticket with its resolution."""

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
from pcsdesk.desk.actions import close as close_ticket


@click.command("close")
@ticket_id_argument
@message_option()
def close(ticket_id: str, message: str | None) -> None:
    """Close a ticket, recording the resolution (staff, or the requester).

    \b
    Example:
      pcsdesk close 2611-7KQ3X -m "Replaced projector lamp; tested with teacher"
    """
    current = session()
    ticket_id = canonical_id(ticket_id)
    text = read_text(message, "resolution", editor_context(current.store, current.context(), ticket_id))
    ticket = close_ticket(current.store, current.actor(), ticket_id, text)
    report_entry(ticket)
