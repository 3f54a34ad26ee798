"""Shared by the listing commands: selecting rows, their due times, and unreadable files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from pcsdesk.errors import BrokenTicket
from pcsdesk.rules.business_time import first_response_due
from pcsdesk.rules.clock import format_instant
from pcsdesk.rules.routing import building_of
from pcsdesk.store.index import TicketRow, open_index
from pcsdesk.store.store import Store


def select_rows(
    store: Store,
    building: str | None = None,
    assignee: str | None = None,
    status: str = "all",
) -> tuple[list[TicketRow], list[str]]:
    """The rows matching the filters, and the problems of files that could not be read."""
    code = building_of(store.directory, building).code if building else None
    who = assignee.strip().lower() if assignee else None
    rows, problems = open_index(store).rows()
    selected = [
        row for row in rows
        if (code is None or row.building == code)
        and (who is None or row.assignee.lower() == who)
        and (status == "all" or row.status == status)
    ]
    return selected, problems


def due_of(store: Store, row: TicketRow) -> datetime:
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
