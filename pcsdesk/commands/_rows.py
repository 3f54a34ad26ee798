"""Shared by the listing commands: selecting rows, their due times, and unreadable files."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import click

from pcsdesk.errors import BrokenTicket
from pcsdesk.rules.business_time import first_response_due
from pcsdesk.rules.clock import format_instant
from pcsdesk.rules.people import staff_member
from pcsdesk.rules.routing import building_of
from pcsdesk.store.index import TicketRow, open_index
from pcsdesk.store.store import Store


def select_rows(
    store: Store,
    building: str | None = None,
    assignee: str | None = None,
    status: str = "all",
    entered: tuple[date, date] | None = None,
) -> tuple[list[TicketRow], list[str]]:
    """The rows matching the filters, and the problems of files that could not be read.

    The filters run inside the index, so a listing builds only the rows it shows
    (at 100,000 tickets, building every row costs more than the whole command).
    `entered` narrows to tickets entered around those local dates, a day's margin
    each side: the caller keeps the exact dates.
    """
    code = building_of(store.directory, building).code if building else None
    who = staff_member(store.directory, assignee, "--assignee") if assignee else None
    since = until = None
    if entered is not None:
        tz = store.calendar.tz
        if entered[0] > date.min + timedelta(days=1):
            since = datetime.combine(entered[0] - timedelta(days=1), time(), tz)
        if entered[1] < date.max - timedelta(days=2):
            until = datetime.combine(entered[1] + timedelta(days=2), time(), tz)
    return open_index(store).rows(
        building=code, assignee=who, status=status, entered_from=since, entered_to=until
    )


def due_of(store: Store, row: TicketRow) -> datetime:
    # Rows from the index carry it, computed once with this calendar and cached.
    if row.first_response_due is not None:
        return row.first_response_due
    return first_response_due(store.calendar, row.entered_at)


def row_json(store: Store, row: TicketRow, now: datetime) -> dict[str, Any]:
    tz = store.calendar.tz
    due = due_of(store, row)
    return {
        "id": row.id,
        "status": row.status,
        "priority": row.priority,
        "building": row.building,
        "category": row.category,
        "summary": row.summary,
        "requester": row.requester,
        "entered_by": row.entered_by,
        "entered_at": format_instant(row.entered_at, tz),
        "assignee": row.assignee,
        "first_response_at": format_instant(row.first_response_at, tz) if row.first_response_at else None,
        "first_response_due": format_instant(due, tz),
        "overdue": row.is_open and row.first_response_at is None and due < now,
        "path": row.path,
    }


def report_problems(problems: list[str]) -> None:
    """Name each unreadable ticket file on stderr; the command then exits non-zero."""
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise BrokenTicket(
            f"{len(problems)} ticket file(s) could not be read (named above); "
            "fix them and run `pcsdesk check`"
        )
