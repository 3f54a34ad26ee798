"""`pcsdesk list`: the tickets, open ones by default, with their due times."""

from __future__ import annotations

import click

from pcsdesk.commands._common import building_option, json_option, reads_from_head, session, staff_option
from pcsdesk.commands._output import print_json, print_table, shorten
from pcsdesk.commands._rows import due_of, report_problems, row_json, select_rows
from pcsdesk.rules.clock import format_instant


@click.command("list")
@building_option(help="Only this building (building techs see all of their building's tickets).")
@staff_option("--assignee", help="Only tickets held by this person.", required=False)
@click.option("--status", type=click.Choice(["open", "closed", "all"]), default="open",
              show_default=True, help="Which tickets.")
@json_option
@reads_from_head
def list_tickets(building: str | None, to: str | None, status: str, as_json: bool) -> None:
    """List tickets: emergencies first, then oldest first; overdue ones are marked.

    \b
    Examples:
      pcsdesk list --building PCHS
      pcsdesk list --assignee ets.pchs@pcschools.us --status all --json
    """
    current = session()
    store = current.store
    now = current.now()
    rows, problems = select_rows(store, building=building, assignee=to, status=status)
    rows.sort(key=lambda r: (not r.is_emergency, r.entered_at, r.id))
    if as_json:
        print_json(row_json(store, row, now) for row in rows)   # streamed, row by row
    elif rows:
        tz = store.calendar.tz
        table = []
        for row in rows:
            due = due_of(store, row)
            overdue = row.is_open and row.first_response_at is None and due < now
            table.append([
                row.id,
                "EMERG" if row.is_emergency else "",
                row.status,
                row.building,
                row.assignee,
                format_instant(due, tz)[:16].replace("T", " ") if row.is_open else "",
                "OVERDUE" if overdue else "",
                shorten(row.summary, 40),
            ])
        print_table(table, ["id", "pri", "status", "building", "assignee", "due", "late", "summary"])
    report_problems(problems)
