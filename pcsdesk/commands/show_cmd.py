"""`pcsdesk show ID`: one ticket for a person, or as JSON, or how its due time was counted."""

from __future__ import annotations

import click

from pcsdesk.commands._common import canonical_id, json_option, reads_from_head, session, ticket_id_argument
from pcsdesk.commands._render import explain_lines, print_json, ticket_text
from pcsdesk.desk import queries
from pcsdesk.desk.shapes import ticket_json


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
    ctx = current.context()
    view = queries.ticket_view(current.store, ctx, canonical_id(ticket_id))
    explained = queries.explain_due(ctx, view.ticket) if explain else None
    if as_json:
        data = ticket_json(view, ctx.tz)
        if explained is not None:
            data["first_response_due_explained"] = explained
        print_json(data)
        return
    click.echo(ticket_text(view, ctx.tz))
    if explained is not None:
        click.echo("\n".join(explain_lines(explained, ctx.calendar.first_response_business_days)))
