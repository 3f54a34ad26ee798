"""`pcsdesk list`: the tickets, open ones by default, with their due times."""

from __future__ import annotations

import click

from pcsdesk.commands._common import (
    building_option,
    json_option,
    reads_from_head,
    session,
    staff_option,
    wide_option,
)
from pcsdesk.commands._render import layout_of, listing_table, print_json, report_problems
from pcsdesk.desk import queries
from pcsdesk.desk.shapes import listed_json


@click.command("list")
@building_option(help="Only this building (building techs see all of their building's tickets).")
@staff_option("--assignee", help="Only tickets held by this person.", required=False)
@click.option("--status", type=click.Choice(["open", "closed", "all"]), default="open",
              show_default=True, help="Which tickets.")
@json_option
@wide_option
@reads_from_head
def list_tickets(building: str | None, to: str | None, status: str, as_json: bool, wide: bool) -> None:
    """List tickets: emergencies first, then oldest first.

    Marks: EMERG (an emergency), OVERDUE (no first response by its due time),
    QUIET (its assignee has not updated it for 16 business hours: `pcsdesk show`
    names their supervisor). The table fits the terminal; --wide shows every field.

    \b
    Examples:
      pcsdesk list --building PCHS
      pcsdesk list --assignee ets.pchs@pcschools.us --status all --json
    """
    current = session()
    ctx = current.context()
    listing = queries.list_tickets(current.store, ctx, building=building, assignee=to, status=status,
                                   quiet=not as_json)
    tz = ctx.tz
    if as_json:
        print_json(listed_json(listed, tz) for listed in listing.tickets)   # streamed, row by row
    else:
        listing_table(listing, layout_of(ctx, wide, listing.now), building=building, assignee=to,
                      status=status)
    report_problems(listing.problems)
