"""`pcsdesk assign ID --to WHO`: hand a ticket to a technology staff member."""

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
from pcsdesk.commands._flow import report_entry
from pcsdesk.desk.actions import assign as assign_ticket


@click.command("assign")
@ticket_id_argument
@staff_option(help="The staff member who takes the ticket.")
@message_option()
def assign(ticket_id: str, to: str, message: str | None) -> None:
    """Hand a ticket to a staff member (staff only); -m adds a note with it.

    \b
    Example:
      pcsdesk assign 2611-7KQ3X --to tech.pchs@pcschools.us -m "Please swap the lamp"
    """
    current = session()
    text = read_text(message, "note", required=False)
    ticket = assign_ticket(current.store, current.actor(), canonical_id(ticket_id), to, text)
    report_entry(ticket)
