"""`pcsdesk overdue`: open tickets past the first-response promise, for people and for cron."""

from __future__ import annotations

import click

from pcsdesk.commands._common import building_option, json_option, reads_from_head, session, wide_option
from pcsdesk.commands._render import awaiting_table, layout_of, print_json, quiet_table, report_problems
from pcsdesk.desk import queries
from pcsdesk.desk.shapes import awaiting_json, quiet_json
from pcsdesk.rules.calendar import closures_warning
from pcsdesk.rules.clock import parse_instant


@click.command("overdue")
@click.option("--as-of", "as_of", metavar="TIME",
              help="Judge at this time instead of now (ISO 8601, read like $PCSDESK_NOW).")
@building_option(help="Only this building.")
@click.option("--due-within", "due_within", metavar="HOURS", type=click.FloatRange(min=0),
              help="Also tickets falling due within HOURS of business time (working hours "
                   "of open days), for a morning warning.")
@click.option("--quiet-assignees", "quiet_assignees", is_flag=True,
              help="Instead: open tickets whose assignee has not updated them for 16 business "
                   "hours, with the supervisor to contact.")
@json_option
@wide_option
@reads_from_head
def overdue(as_of: str | None, building: str | None, due_within: float | None,
            quiet_assignees: bool, as_json: bool, wide: bool) -> None:
    """List open tickets with no first response past their due time.

    Emergencies first, then most overdue first, with how far past due in
    business hours and whom the requester should contact. Prints nothing at
    all and exits 0 when nothing is overdue (`--json` prints `[]`), so cron
    mails only when there is something to do. Below each ticket, whom its
    requester should contact (--wide: in a column, every field in full).

    --quiet-assignees lists instead the open tickets whose assignee has gone
    quiet (no update for 16 business hours), with the supervisor to contact;
    it too prints nothing when there are none.

    \b
    Examples:
      pcsdesk overdue
      pcsdesk overdue --building PCHS --as-of 2026-12-02T15:00
      pcsdesk overdue --due-within 8 --json
      pcsdesk overdue --quiet-assignees
    """
    if quiet_assignees and due_within is not None:
        raise click.UsageError("choose one of --due-within and --quiet-assignees")
    current = session()
    ctx = current.context()
    as_of_time = parse_instant(as_of, ctx.tz, "--as-of") if as_of else None
    if quiet_assignees:
        quiet = queries.quiet_assignees(current.store, ctx, as_of=as_of_time, building=building)
        if as_json:
            print_json([quiet_json(item, ctx.tz) for item in quiet.tickets])
        else:
            quiet_table(quiet, layout_of(ctx, wide, quiet.now), building=building)
        report_problems(quiet.problems)
        return
    within = round(due_within * 3600) if due_within is not None else None
    awaiting = queries.awaiting_response(current.store, ctx, as_of=as_of_time, building=building,
                                         within_seconds=within)
    # At the top, on stderr: next year's due times would silently count its holidays. Only
    # when there is something to report: with nothing overdue, cron must get nothing at all.
    warning = closures_warning(ctx.calendar, awaiting.now.astimezone(ctx.tz).date())
    if warning and awaiting.tickets:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        print_json([awaiting_json(item, ctx.tz) for item in awaiting.tickets])
    else:
        awaiting_table(awaiting, layout_of(ctx, wide, awaiting.now), building=building)
    report_problems(awaiting.problems)
