"""The terminal's one renderer: every table, every time shown, every ticket as text, and JSON.

Commands build a query's result (pcsdesk.desk.queries) and hand it here; nothing
else in the terminal face draws a table or formats a time. JSON shapes come from
pcsdesk.desk.shapes, one per kind of result, and are written by print_json.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from types import GeneratorType
from typing import TYPE_CHECKING, Any

import click

from pcsdesk.errors import BrokenTicket
from pcsdesk.rules.clock import human_time
from pcsdesk.rules.ticket import CHECKS, describe_others_affected

if TYPE_CHECKING:
    from pcsdesk.desk.context import Context
    from pcsdesk.desk.queries import Awaiting, ListedTicket, Listing, QuietAssignees, Report, TicketView
    from pcsdesk.rules.directory import StaffMember
    from pcsdesk.rules.promise import PromiseCounts
    from pcsdesk.store.history import Change

# A rebuild of the index shows a progress bar once it has taken this long (on a terminal).
PROGRESS_AFTER_SECONDS = 0.7
# Changes made outside pcsdesk, as `log` names them.
OUTSIDE = "edited outside pcsdesk"


# ---- times: one human form (rules.clock.human_time) for tables and text; ISO 8601 in JSON ----


def when(value: datetime, layout: Layout) -> str:
    """A time for a person: `Fri 12-04 15:00`, with the year when it is not this year's."""
    return human_time(value, layout.tz, layout.now)


def hours(seconds: int) -> str:
    """Business seconds as hours, to one decimal."""
    return f"{abs(seconds) / 3600:.1f}"


def lateness(seconds_late: int, overdue: bool, due: datetime, tz: tzinfo) -> str:
    """How late, in business hours: `5.8 h`, `in 2.5 h` (not yet due), or `since Fri close`.

    A ticket that fell due at a closing time is late by no business time until the
    office opens again; "0.0 h" on Monday morning read as "not late at all".
    """
    if not overdue:
        return f"in {hours(seconds_late)} h"
    if seconds_late == 0:
        return f"since {due.astimezone(tz):%a} close"
    return f"{hours(seconds_late)} h" if seconds_late >= 360 else "<0.1 h"


# ---- fitting a table to the terminal ----


@dataclass(frozen=True)
class Layout:
    """How tables are drawn: the width to fit (None with --wide: everything in full), and the clock."""

    tz: tzinfo
    now: datetime
    width: int | None
    domain: str = ""   # district.email_domain: addresses may drop it when room is short


def layout_of(ctx: Context, wide: bool = False, now: datetime | None = None) -> Layout:
    return Layout(ctx.tz, now if now is not None else ctx.now(), None if wide else terminal_width(),
                  ctx.directory.email_domain)


def terminal_width() -> int:
    """$COLUMNS, else the terminal's width, else 80 (cron mail, a pipe)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    stream = sys.stdout
    try:
        if stream.isatty():
            return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        pass
    return 80


# The summary (or action) keeps at least this many columns, however narrow the terminal.
SUMMARY_LEAST = 12


def cell_width(text: str) -> int:
    """Columns a text takes on a terminal: wide characters two, combining marks none."""
    if text.isascii():
        return len(text)
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def shorten(text: str, width: int) -> str:
    """One line of at most `width` columns, cut with an ellipsis; control characters shown as �."""
    flat = " ".join(text.split())
    if not flat.isprintable():
        flat = "".join(char if char.isprintable() else "\ufffd" for char in flat)
    if cell_width(flat) <= width:
        return flat
    kept, used = [], 0
    for char in flat:
        used += cell_width(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def short_address(address: str, domain: str) -> str:
    """An address of the district without its domain (`ets.pchs`), as a bare name is typed."""
    if domain and address.lower().endswith("@" + domain):
        return address[: -len(domain) - 1]
    return address


def fit_table(headers: list[str], rows: list[list[str]], layout: Layout, flexible: str,
              addresses: tuple[str, ...] = (), keep_empty: bool = False) -> tuple[list[str], list[list[str]]]:
    """The columns that say something, narrowed so the table fits the layout's width.

    A column that is empty on every row is left out (unless `keep_empty`). Then, if the
    table is too wide, the `addresses` columns drop the district's domain (`ets.pchs`,
    as a bare name is typed), and the flexible column (the summary, the action) takes
    the room that is left, cut with an ellipsis.
    Widths are measured as print_table draws them.
    """
    keep = [i for i, header in enumerate(headers) if keep_empty or header == flexible or any(row[i] for row in rows)]
    headers = [headers[i] for i in keep]
    rows = [[row[i] for i in keep] for row in rows]
    if layout.width is None or not rows:
        return headers, rows
    flex = headers.index(flexible)

    def widths() -> list[int]:
        return [max([cell_width(header), *(cell_width(row[i]) for row in rows)]) for i, header in enumerate(headers)]

    def room(sizes: list[int]) -> int:
        assert layout.width is not None
        return layout.width - (sum(sizes) - sizes[flex]) - 2 * (len(sizes) - 1)

    sizes = widths()
    if room(sizes) < sizes[flex] and layout.domain:
        shortened = [headers.index(name) for name in addresses if name in headers]
        rows = [[short_address(cell, layout.domain) if i in shortened else cell for i, cell in enumerate(row)]
                for row in rows]
        sizes = widths()
    limit = max(room(sizes), SUMMARY_LEAST, len(flexible))
    if sizes[flex] > limit:
        for row in rows:
            row[flex] = shorten(row[flex], limit)
    return headers, rows


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


def print_table(rows: Sequence[Sequence[str]], headers: Sequence[str], after: Sequence[str] | None = None,
                right: Sequence[str] = ()) -> None:
    """Rows under headers, each column as wide as its widest cell; `after[i]` is a line below row i.

    Written a thousand lines at a time: a listing of 100,000 tickets never holds its
    whole text.
    """
    chunk: list[str] = []
    for number, line in enumerate(table_lines(rows, headers, right)):
        chunk.append(line)
        if after is not None and number >= 2:
            chunk.append(after[number - 2])
        if len(chunk) >= 1000:
            click.echo("\n".join(chunk))
            chunk = []
    if chunk:
        click.echo("\n".join(chunk))


def table_lines(rows: Sequence[Sequence[str]], headers: Sequence[str], right: Sequence[str] = ()) -> Iterator[str]:
    """A plain table: the headers, a rule of dashes, a line a row; two spaces between columns.

    Like tabulate's "simple" format, but no column is wider than its widest cell or
    header (tabulate pads each header by two, 14 columns of an 80-column line), the
    `right` columns (numbers) are right-aligned, and tabulate's ~100 ms import is
    never paid. Cells are single lines (the callers flatten text); widths are
    terminal columns (cell_width), so accents and wide characters stay aligned.
    """
    widths = [cell_width(header) for header in headers]
    for row in rows:
        for number, cell in enumerate(row):
            width = cell_width(cell)
            if width > widths[number]:
                widths[number] = width
    flush_right = [header in right for header in headers]

    def line(cells: Sequence[str]) -> str:
        parts = []
        for cell, width, at_right in zip(cells, widths, flush_right, strict=True):
            pad = " " * (width - cell_width(cell))
            parts.append(pad + cell if at_right else cell + pad)
        return "  ".join(parts).rstrip()

    yield line(headers)
    yield "  ".join("-" * width for width in widths)
    for row in rows:
        yield line(row)


# ---- the tables of each kind of result ----


def flags(listed: ListedTicket, quiet: bool = False) -> str:
    """The marks a ticket's line carries: EMERG, OVERDUE, QUIET (its assignee has gone quiet).

    QUIET only where OVERDUE does not already say it: with the shipped calendar an
    unanswered ticket falls overdue when its assignee has been silent for the quiet
    time, and the mark is for the assignee who answered once and then went quiet.
    """
    marks = []
    if listed.row.is_emergency:
        marks.append("EMERG")
    if listed.overdue:
        marks.append("OVERDUE")
    elif quiet:
        marks.append("QUIET")
    return " ".join(marks)


def listing_table(listing: Listing, layout: Layout, building: str | None = None,
                  assignee: str | None = None, status: str = "open") -> None:
    """`list`: one line a ticket, marked EMERG, OVERDUE, QUIET; `--wide` shows every field.

    A column the question already answers (the status of an open-only list, the
    building of `--building`, the assignee of `--assignee`) is left out, and so is
    one that is empty on every line.
    """
    wide = layout.width is None
    headers = ["id", "flags", "status", "building", "category", "assignee", "requester", "entered", "due",
               "summary"]
    shown = set(headers) if wide else {"id", "flags", "due", "summary"} | (
        {"status"} if status == "all" else set()) | (
        set() if building else {"building"}) | (set() if assignee else {"assignee"})
    table = []
    for listed in listing.tickets:
        row = listed.row
        cells = {
            "id": row.id,
            "flags": flags(listed, row.id in listing.quiet),
            "status": row.status,
            "building": row.building,
            "category": row.category or "",
            "assignee": row.assignee,
            "requester": row.requester,
            "entered": when(row.entered_at, layout),
            "due": when(listed.due, layout) if row.is_open else "",
            "summary": shorten(row.summary, 200),
        }
        table.append([cells[name] for name in headers if name in shown])
    if not table:
        if sys.stdout.isatty():
            # A person at a terminal hears that the list is empty; a script gets nothing.
            click.echo(empty_listing(building, assignee, status), err=True)
        return
    columns, table = fit_table([name for name in headers if name in shown], table, layout, "summary",
                               addresses=("assignee", "requester"))
    print_table(table, columns)


def empty_listing(building: str | None, assignee: str | None, status: str) -> str:
    which = {"open": "open tickets", "closed": "closed tickets"}.get(status, "tickets")
    where = (f" in {building.upper()}" if building else "") + (f" held by {assignee}" if assignee else "")
    return f"no {which}{where}"


def contact_text(member: StaffMember | None) -> str:
    """Name and phone for a table; the email where no phone is listed."""
    if member is None:
        return "-"
    return f"{member.name}, {member.phone}" if member.phone else f"{member.name} <{member.email}>"


def awaiting_table(awaiting: Awaiting, layout: Layout, building: str | None = None) -> None:
    """`overdue`: the late tickets, and below each, whom its requester should contact.

    `--wide` puts the requester and the contact in columns, one line a ticket.
    """
    wide = layout.width is None
    headers = ["id", "flags", "building", "assignee", "due", "late", "requester", "contact", "summary"]
    shown = [name for name in headers
             if wide or (name not in ("requester", "contact") and not (name == "building" and building))]
    table, below = [], []
    for item in awaiting.tickets:
        row = item.ticket.row
        cells = {
            "id": row.id,
            "flags": "EMERG" if row.is_emergency else "",
            "building": row.building,
            "assignee": row.assignee,
            "due": when(item.due, layout),
            "late": lateness(item.seconds_late, item.overdue, item.due, layout.tz),
            "requester": row.requester,
            "contact": contact_text(item.contact),
            "summary": shorten(row.summary, 200),
        }
        table.append([cells[name] for name in shown])
        below.append((len(row.id) + 2, row.requester, cells["contact"]))
    if not table:
        return
    columns, table = fit_table(shown, table, layout, "summary", addresses=("assignee", "requester"))
    if wide:
        print_table(table, columns)
        return
    print_table(table, columns, after=[contact_line(indent, requester, contact, layout)
                                       for indent, requester, contact in below])


def contact_line(indent: int, requester: str, contact: str, layout: Layout) -> str:
    """`overdue`'s second line of a ticket: whom its requester should contact (procedure 4b)."""
    line = f"{' ' * indent}requester {requester}; contact: {contact}"
    if layout.width is not None and cell_width(line) > layout.width:
        line = f"{' ' * indent}requester {short_address(requester, layout.domain)}; contact: {contact}"
    return line


def quiet_table(quiet: QuietAssignees, layout: Layout, building: str | None = None) -> None:
    """`overdue --quiet-assignees`: tickets whose assignee has gone quiet, and below each, whom to tell.

    `--wide` puts the supervisor in a column, one line a ticket.
    """
    wide = layout.width is None
    headers = ["id", "flags", "building", "assignee", "quiet", "supervisor", "summary"]
    shown = [name for name in headers
             if wide or (name != "supervisor" and not (name == "building" and building))]
    table, below = [], []
    for item in quiet.tickets:
        row = item.ticket.row
        cells = {
            "id": row.id,
            "flags": flags(item.ticket),
            "building": row.building,
            "assignee": row.assignee,
            "quiet": f"{hours(item.quiet.quiet_seconds)} h",
            "supervisor": contact_text(item.quiet.supervisor),
            "summary": shorten(row.summary, 200),
        }
        table.append([cells[name] for name in shown])
        below.append(f"{' ' * (len(row.id) + 2)}supervisor: {cells['supervisor']}")
    if table:
        columns, table = fit_table(shown, table, layout, "summary", addresses=("assignee",))
        print_table(table, columns, after=None if wide else below)


# The report's column headers, in shapes.REPORT_COLUMNS' order.
REPORT_HEADERS = ("entered", "on time", "late", "waiting", "overdue", "unanswered", "median", "kept %")


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


def report_tables(result: Report, layout: Layout) -> None:
    """`report`: a heading, then a table per building and per assignee, each with its total.

    Numbers are right-aligned under headers no wider than they need; the names take
    the room that is left (an assignee without the district's domain, then cut).
    """
    report = result.report
    days = result.business_days
    click.echo(f"Tickets entered {report.first} to {report.last}: first responses as of {when(result.now, layout)}")
    click.echo(f"(the promise: {days} business day{'s' if days != 1 else ''}; median: business hours to the first)")
    for title, groups in (("building", report.buildings), ("assignee", report.assignees)):
        click.echo("")
        table = [[key, *_report_cells(counts)] for key, counts in groups.items()]
        table.append(["all", *_report_cells(report.total)])
        columns, table = fit_table([title, *REPORT_HEADERS], table, layout, title, addresses=("assignee",),
                                   keep_empty=True)
        print_table(table, columns, right=REPORT_HEADERS)


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


def log_table(changes: Iterable[Change], layout: Layout) -> None:
    """`log`: one line a commit, with who did what; `--wide` names each author in full."""
    wide = layout.width is None
    rows = []
    for change in changes:
        if change.action is not None:
            action = change.action
        else:
            kind = f"{OUTSIDE} (merge)" if change.is_merge else OUTSIDE
            action = f"{kind}: {change.subject}"
        author = change.author if wide else change.author_email or change.author
        rows.append([change.short, when(change.at, layout), author, shorten(action, 500)])
    headers, rows = fit_table(["commit", "time", "author", "action"], rows, layout, "action",
                              addresses=("author",))
    print_table(rows, headers)


# ---- one ticket as text ----


def quiet_text(view: TicketView) -> str | None:
    quiet = view.quiet
    if quiet is None:
        return None
    return (
        f"{view.assignee_label} has not updated this ticket for "
        f"{hours(quiet.quiet_seconds)} business hours; contact their supervisor, "
        f"{quiet.supervisor.label()}"
    )


def ticket_text(view: TicketView, tz: tzinfo) -> str:
    """The ticket for a person: fields, the due time and whether it was met, the whole log."""
    ticket = view.ticket

    def instant(value: datetime, tz: tzinfo) -> str:
        return human_time(value, tz, view.now)

    if ticket.first_response_at is not None:
        met = "met" if view.on_time else "missed"
        response = f"{instant(ticket.first_response_at, tz)} ({met})"
    elif view.overdue and view.seconds_late == 0:
        response = f"none yet: OVERDUE since {view.due.astimezone(tz):%a}'s close"
    elif view.overdue:
        response = f"none yet: OVERDUE by {hours(view.seconds_late)} business hours"
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
        ("Response due", instant(view.due, tz)),
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
