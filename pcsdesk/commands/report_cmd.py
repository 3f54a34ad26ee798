"""`pcsdesk report`: how well the first-response promise was kept, per building and per assignee."""

from __future__ import annotations

import click

from pcsdesk.commands._common import building_option, json_option, reads_from_head, session, wide_option
from pcsdesk.commands._render import layout_of, print_json, report_csv, report_problems, report_tables
from pcsdesk.desk import queries
from pcsdesk.desk.shapes import report_json
from pcsdesk.errors import InvalidInput
from pcsdesk.rules.clock import parse_date
from pcsdesk.rules.promise import DEFAULT_REPORT_DAYS, default_period


@click.command("report")
@click.option("--from", "first", metavar="DATE",
              help=f"First entry date (YYYY-MM-DD); default {DEFAULT_REPORT_DAYS - 1} days before --to.")
@click.option("--to", "last", metavar="DATE", help="Last entry date, included; default today.")
@building_option(help="Only this building's tickets.")
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV for a spreadsheet.")
@wide_option
@reads_from_head
def report(first: str | None, last: str | None, building: str | None, as_json: bool,
           as_csv: bool, wide: bool) -> None:
    """Report the promise kept: tickets entered in a period, per building and per assignee.

    For each: tickets entered, first responses on time and late, tickets still
    waiting (and how many of those are overdue), tickets closed with no staff
    response, the median business hours to first response, and the share of
    decided promises kept. Periods are on the date each ticket was entered,
    in the district's time zone; the default is the last 30 days.

    \b
    Examples:
      pcsdesk report
      pcsdesk report --from 2026-08-17 --to 2027-06-04 --csv > school-year.csv
    """
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    current = session()
    ctx = current.context()
    now = ctx.now()
    to_date = parse_date(last, "--to") if last else now.date()
    from_date = parse_date(first, "--from") if first else default_period(to_date)[0]
    if from_date > to_date:
        raise InvalidInput(f"--from {from_date} is after --to {to_date}; swap them")
    result = queries.report(current.store, ctx, from_date, to_date, building=building)
    if as_json:
        print_json(report_json(result, ctx.tz))
    elif as_csv:
        report_csv(result)
    else:
        report_tables(result, layout_of(ctx, wide, result.now))
    report_problems(result.problems)
