"""`pcsdesk overdue`: open tickets past the first-response promise, for people and for cron."""

from __future__ import annotations

import click

from pcsdesk.commands._common import building_option, json_option, reads_from_head, session
from pcsdesk.commands._render import awaiting_table, print_json, report_problems
from pcsdesk.desk import queries
from pcsdesk.desk.shapes import awaiting_json
from pcsdesk.rules.calendar import closures_warning
from pcsdesk.rules.clock import parse_instant


@click.command("overdue")
@click.option("--as-of", "as_of", metavar="TIME",
              help="Judge at this time instead of now (ISO 8601, read like $PCSDESK_NOW).")
@building_option(help="Only this building.")
@click.option("--due-within", "due_within", metavar="HOURS", type=click.FloatRange(min=0),
              help="Also tickets falling due within HOURS of business time (working hours "
                   "of open days), for a morning warning.")
@json_option
@reads_from_head
def overdue(as_of: str | None, building: str | None, due_within: float | None,
            as_json: bool) -> None:
    """List open tickets with no first response past their due time.

    Emergencies first, then most overdue first, with how far past due in
    business hours and whom the requester should contact. Prints nothing at
    all and exits 0 when nothing is overdue (`--json` prints `[]`), so cron
    mails only when there is something to do.

    \b
    Examples:
      pcsdesk overdue
      pcsdesk overdue --building PCHS --as-of 2026-12-02T15:00
      pcsdesk overdue --due-within 8 --json
    """
    current = session()
    ctx = current.context()
    as_of_time = parse_instant(as_of, ctx.tz, "--as-of") if as_of else None
    within = round(due_within * 3600) if due_within is not None else None
    awaiting = queries.awaiting_response(current.store, ctx, as_of=as_of_time, building=building,
                                         within_seconds=within)
    # At the top, on stderr: next year's due times would silently count its holidays.
    warning = closures_warning(ctx.calendar, awaiting.now.astimezone(ctx.tz).date())
    if warning:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        print_json([awaiting_json(item, ctx.tz) for item in awaiting.tickets])
    else:
        awaiting_table(awaiting, ctx.tz)
    report_problems(awaiting.problems)
