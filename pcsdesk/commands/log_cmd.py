"""`pcsdesk log ID`: a ticket's audit trail, every commit that touched its file, from git."""

from __future__ import annotations

import click

from pcsdesk.commands._common import (
    canonical_id,
    json_option,
    reads_from_head,
    session,
    ticket_id_argument,
    wide_option,
)


@click.command("log")
@ticket_id_argument
@json_option
@wide_option
@reads_from_head
def log(ticket_id: str, as_json: bool, wide: bool) -> None:
    """Show a ticket's audit trail from git history, oldest first.

    Every commit that touched the ticket's file: its short hash, time (district
    time), author and action; --wide names each author in full. Changes made outside pcsdesk (a hand edit committed
    with git, a merge) are listed too, with their commit subject.

    \b
    Example:
      pcsdesk log 2611-7KQ3X
      pcsdesk log 2611-7KQ3X --json
    """
    from pcsdesk.commands._render import layout_of, log_table, print_json
    from pcsdesk.desk import queries
    from pcsdesk.desk.shapes import change_json

    current = session()
    ctx = current.context()
    changes = queries.ticket_log(current.store, ctx, canonical_id(ticket_id))
    if as_json:
        print_json([change_json(change, ctx.tz) for change in changes])
    else:
        log_table(changes, layout_of(ctx, wide))
