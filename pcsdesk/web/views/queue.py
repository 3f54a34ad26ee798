"""The staff queue: open tickets by building, assignee and status, emergencies and overdue first."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from pcsdesk.desk import queries
from pcsdesk.web import context, paging

bp = Blueprint("queue", __name__)

STATUSES = ("open", "closed", "all")


@bp.get("/queue")
def queue() -> str:
    core = context.core()
    directory = core.directory
    who = context.user()
    if not directory.is_staff(who):
        abort(403, "The queue is for technology staff. Your own tickets are under My tickets.")
    # Building techs and ETS see their buildings by default (the procedure's note on
    # building techs); anyone may choose another building or all of them.
    own = tuple(code for code, b in directory.buildings.items() if who == b.ets or who in b.techs)
    building = request.args.get("building", "mine" if own else "all")
    if building == "mine":
        codes = own
    elif building in directory.buildings:
        codes = (building,)
    else:
        building, codes = "all", ()
    assignee = request.args.get("assignee", "").strip().lower()
    status = request.args.get("status", "open")
    if status not in STATUSES:
        status = "open"
    listing = queries.staff_queue(context.store(), core, codes, assignee or None, status)
    # The whole queue is sorted (overdue depends on now), then one page of it is shown.
    page = paging.page_number(request.args)
    start = (page - 1) * paging.PAGE_SIZE
    filters = {"building": building, "assignee": assignee, "status": status}
    return render_template(
        "queue.html", listed=listing.tickets[start:start + paging.PAGE_SIZE], problems=listing.problems,
        tz=core.tz, now=listing.now, pages=paging.Pages(page, len(listing.tickets)), filters=filters,
        building=building, own=own,
        buildings=list(directory.buildings.values()), assignee=assignee, status=status,
        statuses=STATUSES, staff_people=sorted(directory.staff.values(), key=lambda m: m.name.lower()),
        directory=directory,
    )
