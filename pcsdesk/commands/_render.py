"""The terminal's one renderer: every table, every time shown, every ticket as text, and JSON.

Commands build a query's result (pcsdesk.desk.queries) and hand it here; nothing
else in the terminal face draws a table or formats a time. JSON shapes come from
pcsdesk.desk.shapes, one per kind of result, and are written by print_json.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, tzinfo
from types import GeneratorType
from typing import TYPE_CHECKING, Any

import click

from pcsdesk.errors import BrokenTicket
from pcsdesk.rules.clock import due_in_words, format_instant
from pcsdesk.rules.ticket import CHECKS, describe_others_affected

if TYPE_CHECKING:
    from pcsdesk.desk.queries import Awaiting, AwaitingTicket, Listing, Report, TicketView
    from pcsdesk.rules.directory import StaffMember
    from pcsdesk.rules.promise import PromiseCounts
    from pcsdesk.store.history import Change

# A rebuild of the index shows a progress bar once it has taken this long (on a terminal).
PROGRESS_AFTER_SECONDS = 0.7
# Changes made outside pcsdesk, as `log` names them.
OUTSIDE = "edited outside pcsdesk"


# ---- times ----


def instant(value: datetime, tz: tzinfo) -> str:
    """A time in full: ISO 8601 with its offset, in district time."""
    return format_instant(value, tz)


def minute(value: datetime, tz: tzinfo) -> str:
    """A time in a table: `YYYY-MM-DD HH:MM`, district time."""
    return format_instant(value, tz)[:16].replace("T", " ")


def hours(seconds: int) -> str:
    """Business seconds as hours, to one decimal."""
    return f"{abs(seconds) / 3600:.1f}"


# ---- JSON and tables ----


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(data: Any) -> None:
    """JSON, indented by two; a generator of items is written as an array, item by item.

    Streaming keeps a listing of 100,000 tickets from holding every row's object
    and the whole text at once (~0.5 GB); the text is the same as json.dumps of
    the list would give.
    """
    if not isinstance(data, GeneratorType):
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_default))
        return
    chunk: list[str] = []
    opened = False
    for item in data:
        text = json.dumps(item, indent=2, ensure_ascii=False, default=_default)
        # Inside the array each line is indented two more; strings hold no raw newline.
        chunk.append((",\n  " if opened else "[\n  ") + text.replace("\n", "\n  "))
        opened = True
        if len(chunk) >= 500:
            click.echo("".join(chunk), nl=False)
            chunk = []
    chunk.append("\n]" if opened else "[]")
    click.echo("".join(chunk))


def print_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    """Rows under headers, in tabulate's "simple" format."""
    lines = simple_table_lines(rows, headers)
    if lines is None:
        # tabulate is imported only here: it costs ~100 ms to import (it loads
        # importlib.metadata and wcwidth), as much as click and PyYAML together.
        from tabulate import tabulate

        click.echo(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
        return
    # Written a thousand lines at a time: a listing of 100,000 tickets never
    # holds its whole text.
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= 1000:
            click.echo("\n".join(chunk))
            chunk = []
    if chunk:
        click.echo("\n".join(chunk))


def simple_table_lines(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> Iterator[str] | None:
    """The table's lines exactly as tabulate's "simple" format writes text cells, or None.

    The listings print text cells, one line each, of characters one column wide
    (accents, dashes, the ellipsis): that case is written here, so `list` does
    not pay tabulate's import. Anything else (numbers, several lines, wide or
    zero-width characters, terminal escapes) returns None for tabulate to write.
    tests/commands/test_render.py compares both on generated tables.
    """
    columns = len(headers)
    for header in headers:
        if type(header) is not str or not _narrow(header):
            return None
    # As tabulate: each column as wide as its widest cell, and at least its header plus two.
    widths = [len(header) + 2 for header in headers]
    for row in rows:
        if len(row) != columns:
            return None
        for number, value in enumerate(row):
            if value is None:
                continue
            if type(value) is not str or not _narrow(value):
                return None
            width = len(value.strip())
            if width > widths[number]:
                widths[number] = width

    def lines() -> Iterator[str]:
        yield "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
        yield "  ".join("-" * w for w in widths).rstrip()
        for row in rows:
            yield "  ".join(("" if c is None else c.strip()).ljust(w)
                            for c, w in zip(row, widths, strict=True)).rstrip()

    return lines()


def _narrow(text: str) -> bool:
    """Every character printable and one column wide, as wcwidth (tabulate's measure) counts."""
    if text.isascii():
        return text.isprintable() and text not in ("True", "False")
    import unicodedata

    for char in text:
        if char.isascii():
            if not char.isprintable():
                return False
        elif (not char.isprintable() or unicodedata.east_asian_width(char) in ("W", "F")
              or unicodedata.category(char) in ("Mn", "Me", "Cf", "Sk")
              or 0xFE00 <= ord(char) <= 0xFE0F):
            return False
    return True


def shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


# ---- the tables of each kind of result ----


def listing_table(listing: Listing, tz: tzinfo) -> None:
    """`list`: one line a ticket, overdue ones marked."""
    table = []
    for listed in listing.tickets:
        row = listed.row
        table.append([
            row.id,
            "EMERG" if row.is_emergency else "",
            row.status,
            row.building,
            row.assignee,
            minute(listed.due, tz) if row.is_open else "",
            "OVERDUE" if listed.overdue else "",
            shorten(row.summary, 40),
        ])
    if table:
        print_table(table, ["id", "pri", "status", "building", "assignee", "due", "late", "summary"])


def contact_text(member: StaffMember | None) -> str:
    """Name and phone for a table; the email where no phone is listed."""
    if member is None:
        return "-"
    return f"{member.name}, {member.phone}" if member.phone else f"{member.name} <{member.email}>"


def lateness(item: AwaitingTicket) -> str:
    return f"{hours(item.seconds_late)} past due" if item.overdue else f"{hours(item.seconds_late)} to go"


def awaiting_table(awaiting: Awaiting, tz: tzinfo) -> None:
    """`overdue`: the late tickets, and whom each requester should call."""
    table = []
    for item in awaiting.tickets:
        row = item.ticket.row
        table.append([
            row.id,
            "EMERG" if row.is_emergency else "",
            row.building,
            row.assignee,
            minute(item.due, tz),
            lateness(item),
            row.requester,
            contact_text(item.contact),
            shorten(row.summary, 32),
        ])
    if table:
        print_table(table, ["id", "pri", "building", "assignee", "due", "business hours",
                            "requester", "requester contacts", "summary"])


REPORT_HEADERS = ("entered", "on time", "late", "waiting", "of which overdue", "closed unanswered",
                  "median h", "kept %")


def _report_cells(counts: PromiseCounts) -> list[str]:
    from pcsdesk.desk.shapes import REPORT_COLUMNS, counts_values

    cells = []
    for column, value in zip(REPORT_COLUMNS, counts_values(counts), strict=True):
        if value is None:
            cells.append("-")
        elif column == "median_business_hours":
            cells.append(f"{value:.1f}")
        else:
            cells.append(str(value))
    return cells


def report_tables(result: Report, tz: tzinfo) -> None:
    """`report`: a heading, then a table per building and per assignee, each with its total."""
    report = result.report
    days = result.business_days
    click.echo(f"First responses to tickets entered {report.first} to {report.last}, as of "
               f"{minute(result.now, tz)} "
               f"(the promise: {days} business day{'s' if days != 1 else ''})")
    for title, groups in (("building", report.buildings), ("assignee", report.assignees)):
        click.echo("")
        table = [[key, *_report_cells(counts)] for key, counts in groups.items()]
        table.append(["all", *_report_cells(report.total)])
        print_table(table, [title, *REPORT_HEADERS])


def report_csv(result: Report) -> None:
    import csv
    import io

    from pcsdesk.desk.shapes import REPORT_COLUMNS, counts_values

    report = result.report
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["group", "key", *REPORT_COLUMNS])
    for group, groups in (("building", report.buildings), ("assignee", report.assignees)):
        for key, counts in groups.items():
            writer.writerow([group, key, *("" if v is None else v for v in counts_values(counts))])
    writer.writerow(["total", "all", *("" if v is None else v for v in counts_values(report.total))])
    click.echo(out.getvalue(), nl=False)


def log_table(changes: Iterable[Change], tz: tzinfo) -> None:
    """`log`: one line a commit, with who did what."""
    rows = []
    for change in changes:
        if change.action is not None:
            action = change.action
        else:
            kind = f"{OUTSIDE} (merge)" if change.is_merge else OUTSIDE
            action = f"{kind}: {change.subject}"
        rows.append([change.short, instant(change.at, tz), change.author, action])
    print_table(rows, ["commit", "time", "author", "action"])


# ---- one ticket as text ----


def quiet_text(view: TicketView) -> str | None:
    quiet = view.quiet
    if quiet is None:
        return None
    return (
        f"{view.assignee_label} has not updated this ticket for "
        f"{quiet.quiet_seconds // 3600} business hours; contact their supervisor, "
        f"{quiet.supervisor.label()}"
    )


def ticket_text(view: TicketView, tz: tzinfo) -> str:
    """The ticket for a person: fields, the due time and whether it was met, the whole log."""
    ticket = view.ticket
    if ticket.first_response_at is not None:
        met = "met" if view.on_time else "missed"
        response = f"{instant(ticket.first_response_at, tz)} ({met})"
    elif view.overdue:
        response = f"none yet: OVERDUE by {view.seconds_late / 3600:.1f} business hours"
    else:
        response = "none yet"
    rows = [
        ("Ticket", f"{ticket.id}  [{ticket.status}]" + ("  EMERGENCY" if ticket.is_emergency else "")),
        ("Summary", ticket.summary),
        ("Building", f"{ticket.building}" + (f" ({view.building_name})" if view.building_name else "")),
        ("Category", ticket.category or "-"),
        ("Requester", ticket.requester + (
            f" (entered by {ticket.entered_by})" if ticket.entered_by != ticket.requester else ""
        )),
        ("Entered", instant(ticket.entered_at, tz)),
        ("Assignee", view.assignee_label),
        ("Response due", f"{instant(view.due, tz)} ({due_in_words(view.due, tz, view.now)})"),
        ("First response", response),
    ]
    # Every check, in the procedure's order; a key an older file lacks was not made.
    made = [name for name in CHECKS if ticket.checklist.get(name)]
    rows.append(("Checks made", ", ".join(made) or "none of the pre-checks"))
    not_made = [name for name in CHECKS if not ticket.checklist.get(name)]
    if not_made and made:
        rows.append(("Not checked", ", ".join(not_made)))
    rows.append(("Others affected", describe_others_affected(ticket.others_affected)))
    lines = [f"{(label + ':').ljust(15)} {value}" for label, value in rows]
    quiet = quiet_text(view)
    if quiet:
        lines.append(f"{'Attention:':<16}{quiet}")
    if ticket.description:
        lines += ["", "Description:", *(f"  {line}" for line in ticket.description.splitlines())]
    lines += ["", f"Notes ({len(ticket.notes)}):"]
    if not ticket.notes:
        lines.append("  (none yet)")
    for note in ticket.notes:
        handed = f" -> {note.to}" if note.to else ""
        lines.append(f"  {instant(note.at, tz)}  {note.kind}{handed}  by {note.by}")
        lines += [f"      {line}" for line in note.text.splitlines()]
    return "\n".join(lines)


# ---- files that could not be read, and a long rebuild's progress ----


def report_problems(problems: list[str]) -> None:
    """Name each unreadable ticket file on stderr; the command then exits non-zero."""
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise BrokenTicket(
            f"{len(problems)} ticket file(s) could not be read (named above); "
            "fix them and run `pcsdesk check`"
        )


class ProgressBar:
    """A progress bar on stderr, shown only on a terminal and once the work takes a while."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty()
        self.started = time.monotonic()
        self.done = 0
        self.bar: Any = None

    def advance(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_AFTER_SECONDS:
                return
            self.bar = click.progressbar(length=self.total, label="Indexing tickets", file=sys.stderr)
            self.bar.__enter__()
            self.bar.update(self.done)
        else:
            self.bar.update(count)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def explain_lines(explained: list[str], business_days: int) -> list[str]:
    """`show --explain`: how the due time was counted, day by day."""
    return ["", f"How the first-response due time was counted ({business_days} business days):",
            *(f"  {line}" for line in explained)]
