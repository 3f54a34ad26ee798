"""`pcsdesk show ID`: one ticket for a person, or as JSON, or how its due time was counted."""

from __future__ import annotations

import click

from pcsdesk.commands._common import canonical_id, json_option, reads_from_head, session, ticket_id_argument
from pcsdesk.commands._present import ticket_json, ticket_text


@click.command("show")
@ticket_id_argument
@json_option
@click.option("--explain", is_flag=True,
              help="Show how the first-response due time was counted on the calendar.")
@reads_from_head
def show(ticket_id: str, as_json: bool, explain: bool) -> None:
    """Show a ticket: its fields, due time, and the whole notes log.

    \b
    Example:
      pcsdesk show 2611-7KQ3X
      pcsdesk show 2611-7KQ3X --explain
    """
    current = session()
    store = current.store
    ticket = store.read_ticket(canonical_id(ticket_id))
    now = current.now()
    if as_json:
        from pcsdesk.commands._output import print_json

        data = ticket_json(store, ticket, now)
        if explain:
            from pcsdesk.rules.business_time import explain_due

            data["first_response_due_explained"] = explain_due(store.calendar, ticket.entered_at)
        print_json(data)
        return
    click.echo(ticket_text(store, ticket, now))
    if explain:
        from pcsdesk.rules.business_time import explain_due

        click.echo("\nHow the first-response due time was counted "
                   f"({store.calendar.first_response_business_days} business days):")
        for line in explain_due(store.calendar, ticket.entered_at):
            click.echo(f"  {line}")
