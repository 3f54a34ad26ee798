"""The application factory: configuration, the identity check, CSRF, headers, the error boundary."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import Flask, Response, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from pcsdesk.errors import PcsdeskError
from pcsdesk.rules.clock import due_in_words, format_instant, in_words
from pcsdesk.web import context
from pcsdesk.web.config import SESSION_SECONDS, WebConfig
from pcsdesk.web.identity import NotSignedIn, remember, signed_in_user

WEBMASTER = "webmaster@pcschools.us"
# No inline script anywhere (the pages have no script at all), styles from our own
# static file only, forms post only back here, and no page may be framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
# Pages a person reaches before signing in (demo mode only) and the stylesheet.
_OPEN_ENDPOINTS = {"static", "demo.sign_in", "demo.choose"}


def create_app(config: WebConfig) -> Flask:
    app = Flask(__name__)
    app.config.update(
        PCSDESK=config,
        SECRET_KEY=config.secret_key or secrets.token_bytes(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="pcsdesk_session",
        PERMANENT_SESSION_LIFETIME=timedelta(seconds=SESSION_SECONDS),
        WTF_CSRF_TIME_LIMIT=SESSION_SECONDS,
        # A form can be long, never huge: the core refuses text over 64 KiB anyway.
        MAX_CONTENT_LENGTH=512 * 1024,
        MAX_FORM_MEMORY_SIZE=512 * 1024,
    )
    # The identity check runs before CSRF's: a request from nobody is 401 whatever it carries.
    app.before_request(_identify)
    CSRFProtect(app)
    app.extensions["pcsdesk_stores"] = context.StorePool(config.store_root)
    app.teardown_request(context.close_store)
    app.after_request(_security_headers)
    app.context_processor(_page_context)
    # Times in words as the CLI and the mail say them; `iso` for <time datetime="...">.
    app.add_template_global(in_words)
    app.add_template_global(due_in_words)
    app.add_template_global(format_instant, name="iso")
    _register_errors(app)

    from pcsdesk.web.views import demo, entry, queue, tickets

    app.register_blueprint(tickets.bp)
    app.register_blueprint(entry.bp)
    app.register_blueprint(queue.bp)
    if config.demo:
        app.register_blueprint(demo.bp)
    return app


def allowed_domains(config: WebConfig) -> tuple[str, ...]:
    """--allow-domain, else the district's email domain from buildings.yaml."""
    if config.allowed_domains:
        return config.allowed_domains
    domain = context.directory().email_domain
    return (domain,) if domain else ()


def _identify() -> Any:
    if request.endpoint in _OPEN_ENDPOINTS:
        return None
    config = context.config()
    try:
        remember(signed_in_user(config, allowed_domains(config)))
    except NotSignedIn as e:
        if config.demo and request.method == "GET":
            return redirect(url_for("demo.sign_in"))
        return render_template("error.html", title="Not signed in", message=(
            f"Sign in through the district's single sign-on to use the helpdesk ({e.reason})."
        )), 401
    return None


def _security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "static":
        # Pages hold people's tickets: never kept by a shared browser or a cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def webmaster() -> str:
    try:
        return context.directory().webmaster or WEBMASTER
    except Exception:  # the configuration itself may be what failed
        return WEBMASTER


def _page_context() -> dict[str, Any]:
    who: str | None = g.get("pcsdesk_user")
    staff = False
    if who is not None:
        try:
            staff = context.is_staff()
        except PcsdeskError:
            staff = False
    return {"signed_in": who, "is_staff": staff, "demo": context.config().demo, "webmaster": webmaster()}


def _register_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError) -> tuple[str, int]:
        return render_template("error.html", title="Form expired", message=(
            "This form could not be accepted: it is out of date or did not come from this "
            "helpdesk. Nothing was changed. Go back, reload the page and try again."
        )), 400

    @app.errorhandler(404)
    def not_found(error: HTTPException) -> tuple[str, int]:
        return render_template("error.html", title="Not found", message=(
            "There is no such page or ticket here. Your tickets are listed under My tickets."
        )), 404

    @app.errorhandler(PcsdeskError)
    def user_mistake(error: PcsdeskError) -> tuple[str, int]:
        return render_template("error.html", title="That did not work", message=str(error)), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        return render_template("error.html", title=error.name, message=error.description or ""), (
            error.code or 500
        )

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int]:
        # The details go to the server's log for the webmaster; the page names whom to tell.
        g.pcsdesk_failed = True
        app.logger.error("unexpected failure on %s %s: %s", request.method, request.path,
                         type(error).__name__, exc_info=error)
        return render_template("error.html", title="Something went wrong", message=(
            f"The helpdesk ran into a problem it did not expect. Go back and try again in a "
            f"moment; if it happens again, tell the district's webmaster, {webmaster()}, what "
            f"you were doing."
        )), 500
