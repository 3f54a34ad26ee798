"""The due-time tables in the README and docs hold, each with the calendar it names."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from support import SPEC_CALENDAR_YAML

from pcsdesk.rules.business_time import first_response_due
from pcsdesk.rules.calendar import Calendar, calendar_from_dict
from pcsdesk.store.yamlio import load_yaml

REPOSITORY = Path(__file__).resolve().parents[1]
WHEN = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4}-\d\d-\d\d \d\d:\d\d)( [+-]\d\d:\d\d)?")


def shipped() -> Calendar:
    return calendar_from_dict(load_yaml((REPOSITORY / "pcsdesk" / "defaults" / "calendar.yaml").read_bytes(),
                                        "calendar.yaml"))


def rows(document: str) -> list[tuple[str, str]]:
    text = (REPOSITORY / document).read_text()
    table = text.split("| entered | first response due |\n|---|---|\n", 1)[1].split("\n\n", 1)[0]
    return [tuple(cell.strip() for cell in line.strip("|").split("|", 1)) for line in table.splitlines()]  # type: ignore[misc]


def instant(cell: str, cal: Calendar) -> tuple[datetime, str]:
    match = WHEN.match(cell)
    assert match, cell
    when = datetime.fromisoformat(match[2] + (match[3] or "").strip())
    when = when if when.tzinfo else when.replace(tzinfo=cal.tz)
    assert f"{when.astimezone(cal.tz):%a}" == match[1], f"{cell}: wrong weekday"
    return when, match[3] or ""


@pytest.mark.parametrize(("document", "calendar"), [
    ("README.md", shipped),
    ("docs/overdue-and-report.md", lambda: calendar_from_dict(yaml.safe_load(SPEC_CALENDAR_YAML))),
])
def test_every_row_holds(document: str, calendar: object) -> None:
    assert callable(calendar)
    cal: Calendar = calendar()
    found = rows(document)
    assert len(found) >= 6
    for entered_cell, due_cell in found:
        entered, _ = instant(entered_cell, cal)
        expected, offset = instant(due_cell, cal)
        due = first_response_due(cal, entered)
        assert due == expected, f"{document}: {entered_cell} -> {due.isoformat()}, not {due_cell}"
        if offset:
            assert f"{due:%z}"[:3] == offset.strip()[:3]
