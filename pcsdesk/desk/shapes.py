"""The JSON shape of each kind of result, one function per kind, for every face that speaks JSON.

Kinds: a ticket (its file's data and what is derived when read), a listed ticket
(a row of a listing), a ticket awaiting its first response, the promise report,
and one change of a ticket's audit trail. Times are ISO 8601 in district time.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from pcsdesk.rules.clock import format_instant
from pcsdesk.rules.ticket import ticket_to_data

if TYPE_CHECKING:
    from pcsdesk.desk.queries import AwaitingTicket, ListedTicket, QuietTicket, Report, TicketView
    from pcsdesk.rules.directory import StaffMember
    from pcsdesk.rules.promise import PromiseCounts, QuietAssignee
    from pcsdesk.store.history import Change

# The report's figures per group, in the order they are shown.
REPORT_COLUMNS = ("entered", "on_time", "late", "waiting", "overdue", "closed_unanswered",
                  "median_business_hours", "kept_percent")
# An awaiting ticket shows these of a listed ticket's fields, then its own.
_AWAITING_FIELDS = ("id", "priority", "building", "assignee", "summary", "requester", "entered_at",
                    "first_response_due", "overdue")


def _instant(value: datetime | None, tz: tzinfo) -> str | None:
    return format_instant(value, tz) if value is not None else None


def ticket_json(view: TicketView, tz: tzinfo, judged: bool = True) -> dict[str, Any]:
    """The file's data plus the fields derived when read, after first_response_at.

    `judged=False` leaves out the overdue verdict (a ticket just entered, whose
    `new --json` has always printed the file and its due time only).
    """
    data = ticket_to_data(view.ticket, tz)
    derived: dict[str, Any] = {"first_response_due": format_instant(view.due, tz)}
    if view.on_time is not None:
        derived["first_response_on_time"] = view.on_time
    if judged:
        derived["overdue"] = view.overdue
        # The procedure's unresponsive assignee: null, or how long and whom to tell.
        derived["quiet_assignee"] = quiet_assignee_json(view.quiet)
    ordered: dict[str, Any] = {}
    for key, value in data.items():
        ordered[key] = value
        if key == "first_response_at":
            ordered.update(derived)
    return ordered


def listed_json(listed: ListedTicket, tz: tzinfo) -> dict[str, Any]:
    row = listed.row
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
        "first_response_at": _instant(row.first_response_at, tz),
        "first_response_due": format_instant(listed.due, tz),
        "overdue": listed.overdue,
        "path": row.path,
    }


def awaiting_json(item: AwaitingTicket, tz: tzinfo) -> dict[str, Any]:
    listed = listed_json(item.ticket, tz)
    data = {key: listed[key] for key in _AWAITING_FIELDS}
    data["first_response_due"] = format_instant(item.due, tz)
    data["overdue"] = item.overdue
    data.update({
        "business_hours_overdue": item.business_hours_late,
        "business_seconds_overdue": item.seconds_late,
        "contact": person_json(item.contact),
    })
    return data


def person_json(member: StaffMember | None) -> dict[str, Any] | None:
    if member is None:
        return None
    return {"name": member.name, "email": member.email, "phone": member.phone or None, "role": member.role}


def quiet_assignee_json(quiet: QuietAssignee | None) -> dict[str, Any] | None:
    if quiet is None:
        return None
    return {
        "assignee": quiet.assignee,
        "business_hours_quiet": round(quiet.quiet_seconds / 3600, 2),
        "business_seconds_quiet": quiet.quiet_seconds,
        "supervisor": person_json(quiet.supervisor),
    }


def quiet_json(item: QuietTicket, tz: tzinfo) -> dict[str, Any]:
    """`overdue --quiet-assignees`: the ticket's listed fields, then the silence and the supervisor."""
    listed = listed_json(item.ticket, tz)
    data = {key: listed[key] for key in _AWAITING_FIELDS}
    data["quiet_assignee"] = quiet_assignee_json(item.quiet)
    return data


def counts_values(counts: PromiseCounts) -> list[Any]:
    return [getattr(counts, column) for column in REPORT_COLUMNS]


def counts_json(counts: PromiseCounts) -> dict[str, Any]:
    return dict(zip(REPORT_COLUMNS, counts_values(counts), strict=True))


def report_json(result: Report, tz: tzinfo) -> dict[str, Any]:
    report = result.report
    return {
        "from": report.first.isoformat(),
        "to": report.last.isoformat(),
        "as_of": format_instant(result.now, tz),
        "total": counts_json(report.total),
        "buildings": [{"building": key, **counts_json(c)} for key, c in report.buildings.items()],
        "assignees": [{"assignee": key, **counts_json(c)} for key, c in report.assignees.items()],
    }


def change_json(change: Change, tz: tzinfo) -> dict[str, Any]:
    return {
        "commit": change.commit,
        "short": change.short,
        "time": format_instant(change.at, tz),
        "author": change.author,
        "author_name": change.author_name,
        "author_email": change.author_email,
        "action": change.action,
        "outside_pcsdesk": change.action is None,
        "merge": change.is_merge,
        "subject": change.subject,
    }
