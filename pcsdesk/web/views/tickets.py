"""My tickets, and one ticket: its log as a conversation, and what the signed-in person may do with it."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from pcsdesk.desk import actions, queries
from pcsdesk.desk.queries import TicketView
from pcsdesk.errors import InvalidInput, PcsdeskError, TicketNotFound
from pcsdesk.rules.routing import emergency_contacts, supervisor_of
from pcsdesk.web import context, paging
from pcsdesk.web.forms import CHECK_LABELS, text_field

bp = Blueprint("tickets", __name__)

# What each button of the ticket page does, and what the page says after it.
ACTIONS = {
    "note": "Your note was added.",
    "close": "The ticket is closed.",
    "reopen": "The ticket is open again.",
    "assign": "The ticket was assigned.",
    "escalate": "The ticket was escalated.",
}


@bp.get("/")
def mine() -> str:
    core = context.core()
    page = paging.page_number(request.args)
    found = queries.my_tickets_page(context.store(), core, context.user(), paging.PAGE_SIZE,
                                    (page - 1) * paging.PAGE_SIZE)
    return render_template("mine.html", listed=found.tickets, tz=core.tz, now=core.now(),
                           pages=paging.Pages(page, found.total))


def _visible(ticket_id: str) -> TicketView:
    try:
        return queries.visible_ticket(context.store(), context.core(), ticket_id, context.user())
    except TicketNotFound:
        abort(404)


def _page(view: TicketView, error: str | None = None, note: str = "", to: str = "") -> str:
    core = context.core()
    directory = core.directory
    ticket = view.ticket
    who = context.user()
    staff = directory.is_staff(who)
    building = directory.buildings.get(ticket.building)
    phone_path = emergency_contacts(directory, building) if building is not None else []
    # Named beside the assignee always (the procedure: contact the supervisor of anyone
    # who stops responding); the view's `quiet` says when that time has come.
    supervisor = supervisor_of(directory, ticket.assignee)
    may_close = staff or who == ticket.requester.lower()
    return render_template(
        "ticket.html", view=view, ticket=ticket, tz=core.tz, now=view.now, due=view.due,
        overdue=view.overdue, directory=directory, building=building,
        phone_path=phone_path, supervisor=supervisor, staff=staff, may_close=may_close,
        staff_people=sorted(directory.staff.values(), key=lambda m: m.name.lower()),
        check_labels=CHECK_LABELS, error=error, note=note, to=to,
        entered=request.args.get("entered") == "1", done=ACTIONS.get(request.args.get("done", "")),
    )


@bp.get("/tickets/<ticket_id>")
def show(ticket_id: str) -> str:
    return _page(_visible(ticket_id))


@bp.post("/tickets/<ticket_id>")
def act(ticket_id: str) -> Response | tuple[str, int]:
    ticket = _visible(ticket_id).ticket
    action = request.form.get("action", "")
    text = text_field(request.form, "note")
    to = request.form.get("to", "").strip()
    store = context.store()
    actor = context.actor()
    try:
        if action == "note":
            actions.add_note(store, actor, ticket.id, text)
        elif action == "close":
            actions.close(store, actor, ticket.id, text)
        elif action == "reopen":
            actions.reopen(store, actor, ticket.id, text)
        elif action in ("assign", "escalate"):
            if not to:
                raise InvalidInput(f"choose the staff member to {action} the ticket to")
            if action == "assign":
                actions.assign(store, actor, ticket.id, to, text)
            else:
                actions.escalate(store, actor, ticket.id, to, text)
        else:
            abort(400)
    except PcsdeskError as e:
        # Shown again with what was typed; the ticket as it stands now.
        return _page(queries.ticket_view(store, context.core(), ticket.id), str(e), note=text, to=to), 400
    return redirect(url_for("tickets.show", ticket_id=ticket.id, done=action), code=303)
