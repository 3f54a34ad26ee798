"""The staff queue: open tickets by building, assignee and status, emergencies and overdue first."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from pcsdesk.web import context, reads

bp = Blueprint("queue", __name__)

STATUSES = ("open", "closed", "all")


@bp.get("/queue")
def queue() -> str:
    store = context.store()
    directory = store.directory
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
    now = context.now()
    listed = reads.queue(store, now, codes, assignee or None, status)
    return render_template(
        "queue.html", listed=listed, tz=store.calendar.tz, now=now, building=building, own=own,
        buildings=list(directory.buildings.values()), assignee=assignee, status=status,
        statuses=STATUSES, staff_people=sorted(directory.staff.values(), key=lambda m: m.name.lower()),
        directory=directory,
    )
