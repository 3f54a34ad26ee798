"""Demo mode only: "sign in as" one of the demo people, since there is no proxy in front."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from pcsdesk.web import context

bp = Blueprint("demo", __name__)


@bp.get("/demo/sign-in")
def sign_in() -> str:
    return render_template("demo_sign_in.html", people=context.config().demo_people)


@bp.post("/demo/sign-in")
def choose() -> Response:
    who = request.form.get("who", "")
    if who not in dict(context.config().demo_people):
        abort(400, "Choose one of the demo people.")
    session.clear()
    session.permanent = True
    session["demo_user"] = who
    return redirect(url_for("tickets.mine"), code=303)


@bp.post("/demo/sign-out")
def sign_out() -> Response:
    session.clear()
    return redirect(url_for("demo.sign_in"), code=303)
