"""`pcsdesk note ID -m TEXT`: append a note; anyone may."""

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
from pcsdesk.desk.actions import add_note


@click.command("note")
@ticket_id_argument
@message_option()
def note(ticket_id: str, message: str | None) -> None:
    """Add a note to a ticket: a question, a detail, what was found or done.

    \b
    Example:
      pcsdesk note 2611-7KQ3X -m "Replaced the HDMI cable; still no signal"
      echo "Details from the call" | pcsdesk note 2611-7KQ3X -m -
    """
    current = session()
    ticket_id = canonical_id(ticket_id)
    text = read_text(message, "note", editor_context(current.store, current.context(), ticket_id))
    ticket = add_note(current.store, current.actor(), ticket_id, text)
    report_entry(ticket)
