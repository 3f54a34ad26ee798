"""`pcsdesk overdue`: open tickets past the first-response promise, for people and for cron."""

from __future__ import annotations

from typing import Any

import click

from pcsdesk.commands._common import building_option, json_option, reads_from_head, session
from pcsdesk.commands._output import print_json, print_table, shorten
from pcsdesk.commands._rows import report_problems, select_rows
from pcsdesk.rules.calendar import closures_warning
from pcsdesk.rules.clock import format_instant, parse_instant
from pcsdesk.rules.promise import Pending, awaiting_response, contact_for, contact_text
from pcsdesk.store.index import TicketRow
from pcsdesk.store.store import Store


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
    store = current.store
    cal = store.calendar
    now = parse_instant(as_of, cal.tz, "--as-of") if as_of else current.now()
    warning = closures_warning(cal, now.date())
    if warning:
        click.echo(f"Warning: {warning}", err=True)
    rows, problems = select_rows(store, building=building, status="open")
    within = round(due_within * 3600) if due_within is not None else None
    found = awaiting_response(cal, rows, now, within)
    if as_json:
        print_json([_item_json(store, item) for item in found])
    elif found:
        directory = store.directory
        table = []
        for item in found:
            row = item.ticket
            table.append([
                row.id,
                "EMERG" if row.is_emergency else "",
                row.building,
                row.assignee,
                format_instant(item.due, cal.tz)[:16].replace("T", " "),
                _lateness(item),
                row.requester,
                contact_text(contact_for(directory, row.building)),
                shorten(row.summary, 32),
            ])
        print_table(table, ["id", "pri", "building", "assignee", "due", "business hours",
                            "requester", "requester contacts", "summary"])
    report_problems(problems)


def _lateness(item: Pending[TicketRow]) -> str:
    hours = abs(item.seconds_late) / 3600
    return f"{hours:.1f} past due" if item.overdue else f"{hours:.1f} to go"


def _item_json(store: Store, item: Pending[TicketRow]) -> dict[str, Any]:
    row = item.ticket
    tz = store.calendar.tz
    member = contact_for(store.directory, row.building)
    return {
        "id": row.id,
        "priority": row.priority,
        "building": row.building,
        "assignee": row.assignee,
        "summary": row.summary,
        "requester": row.requester,
        "entered_at": format_instant(row.entered_at, tz),
        "first_response_due": format_instant(item.due, tz),
        "overdue": item.overdue,
        "business_hours_overdue": item.business_hours_late,
        "business_seconds_overdue": item.seconds_late,
        "contact": None if member is None else {
            "name": member.name, "email": member.email, "phone": member.phone or None,
            "role": member.role,
        },
    }
