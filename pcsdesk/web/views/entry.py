"""New Ticket: the procedure's form, the checklist first; a refused entry is shown again as typed."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from pcsdesk.desk.actions import create_ticket
from pcsdesk.errors import PcsdeskError
from pcsdesk.web import context
from pcsdesk.web.forms import CHECK_LABELS, OTHERS_CHOICES, OTHERS_QUESTION, EntryForm

bp = Blueprint("entry", __name__)


def _page(form: EntryForm, error: str | None = None) -> str:
    directory = context.directory()
    categories = [c for c in directory.categories.values()]
    return render_template(
        "new.html", form=form, error=error, buildings=list(directory.buildings.values()),
        categories=categories, checks=CHECK_LABELS, others_question=OTHERS_QUESTION,
        others_choices=OTHERS_CHOICES,
    )


@bp.get("/new")
def new_ticket() -> str:
    return _page(EntryForm())


@bp.post("/new")
def submit() -> Response | tuple[str, int]:
    form = EntryForm.from_post(request.form)
    try:
        ticket = create_ticket(context.store(), context.actor(), form.request())
    except PcsdeskError as e:
        # The message never repeats a refused secret (the core words it so); the
        # fields keep what was typed so nothing has to be typed twice.
        return _page(form, str(e)), 400
    return redirect(url_for("tickets.show", ticket_id=ticket.id, entered=1), code=303)
