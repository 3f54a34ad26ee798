"""`pcsdesk report`: how well the first-response promise was kept, per building and per assignee."""

from __future__ import annotations

from typing import Any

import click

from pcsdesk.commands._common import building_option, json_option, reads_from_head, session
from pcsdesk.commands._output import print_json, print_table
from pcsdesk.commands._rows import report_problems, select_rows
from pcsdesk.errors import InvalidInput
from pcsdesk.rules.clock import format_instant, parse_date
from pcsdesk.rules.promise import (
    DEFAULT_REPORT_DAYS,
    PromiseCounts,
    PromiseReport,
    default_period,
    promise_report,
)

COLUMNS = ("entered", "on_time", "late", "waiting", "overdue", "closed_unanswered",
           "median_business_hours", "kept_percent")
HEADERS = ("entered", "on time", "late", "waiting", "of which overdue", "closed unanswered",
           "median h", "kept %")


@click.command("report")
@click.option("--from", "first", metavar="DATE",
              help=f"First entry date (YYYY-MM-DD); default {DEFAULT_REPORT_DAYS - 1} days before --to.")
@click.option("--to", "last", metavar="DATE", help="Last entry date, included; default today.")
@building_option(help="Only this building's tickets.")
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV for a spreadsheet.")
@reads_from_head
def report(first: str | None, last: str | None, building: str | None, as_json: bool,
           as_csv: bool) -> None:
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
    store = current.store
    now = current.now()
    to_date = parse_date(last, "--to") if last else now.date()
    from_date = parse_date(first, "--from") if first else default_period(to_date)[0]
    if from_date > to_date:
        raise InvalidInput(f"--from {from_date} is after --to {to_date}; swap them")
    rows, problems = select_rows(store, building=building, entered=(from_date, to_date))
    result = promise_report(store.calendar, rows, from_date, to_date, now)
    if as_json:
        print_json(_report_json(result, format_instant(now, store.calendar.tz)))
    elif as_csv:
        _print_csv(result)
    else:
        days = store.calendar.first_response_business_days
        click.echo(f"First responses to tickets entered {from_date} to {to_date}, as of "
                   f"{format_instant(now, store.calendar.tz)[:16].replace('T', ' ')} "
                   f"(the promise: {days} business day{'s' if days != 1 else ''})")
        for title, groups in (("building", result.buildings), ("assignee", result.assignees)):
            click.echo("")
            table = [[key, *_cells(counts)] for key, counts in groups.items()]
            table.append(["all", *_cells(result.total)])
            print_table(table, [title, *HEADERS])
    report_problems(problems)


def _values(counts: PromiseCounts) -> list[Any]:
    return [getattr(counts, column) for column in COLUMNS]


def _cells(counts: PromiseCounts) -> list[str]:
    cells = []
    for column, value in zip(COLUMNS, _values(counts), strict=True):
        if value is None:
            cells.append("-")
        elif column == "median_business_hours":
            cells.append(f"{value:.1f}")
        else:
            cells.append(str(value))
    return cells


def _counts_json(counts: PromiseCounts) -> dict[str, Any]:
    return dict(zip(COLUMNS, _values(counts), strict=True))


def _report_json(result: PromiseReport, as_of: str) -> dict[str, Any]:
    return {
        "from": result.first.isoformat(),
        "to": result.last.isoformat(),
        "as_of": as_of,
        "total": _counts_json(result.total),
        "buildings": [{"building": key, **_counts_json(c)} for key, c in result.buildings.items()],
        "assignees": [{"assignee": key, **_counts_json(c)} for key, c in result.assignees.items()],
    }


def _print_csv(result: PromiseReport) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["group", "key", *COLUMNS])
    for group, groups in (("building", result.buildings), ("assignee", result.assignees)):
        for key, counts in groups.items():
            writer.writerow([group, key, *("" if v is None else v for v in _values(counts))])
    writer.writerow(["total", "all", *("" if v is None else v for v in _values(result.total))])
    click.echo(out.getvalue(), nl=False)
