"""`pcsdesk escalate ID --to WHO -m TEXT`: hand a ticket on with the research so far."""

from __future__ import annotations

import click

from pcsdesk.commands._common import (
    canonical_id,
    message_option,
    read_text,
    session,
    staff_option,
    ticket_id_argument,
)
from pcsdesk.commands._flow import editor_context, report_entry
from pcsdesk.desk.actions import escalate as escalate_ticket


@click.command("escalate")
@ticket_id_argument
@staff_option(help="The Technology Department person who takes it on.")
@message_option()
def escalate(ticket_id: str, to: str, message: str | None) -> None:
    """Escalate a ticket you cannot resolve, with your notes and research (required).

    \b
    Example:
      pcsdesk escalate 2611-7KQ3X --to netops@pcschools.us \\
        -m "Port 2-14 shows no link; cable tested good; switch side?"
    """
    current = session()
    ticket_id = canonical_id(ticket_id)
    text = read_text(message, "escalation note", editor_context(current.store, current.context(), ticket_id))
    ticket = escalate_ticket(current.store, current.actor(), ticket_id, to, text)
    report_entry(ticket)
