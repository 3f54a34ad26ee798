"""What a request works with: the store, the core's Context (calendar, directory, clock, actor)."""

from __future__ import annotations

import os
from datetime import datetime, tzinfo

from flask import current_app, g

from pcsdesk.desk.actions import Actor
from pcsdesk.desk.context import Context, system_clock
from pcsdesk.rules.clock import parse_instant
from pcsdesk.rules.directory import Directory
from pcsdesk.store.store import Store
from pcsdesk.web.config import WebConfig


def config() -> WebConfig:
    found: WebConfig = current_app.config["PCSDESK"]
    return found


def store() -> Store:
    """This request's store, opened on first use and closed when the request ends.

    A store per request, not per server: it reads HEAD afresh, so a CLI write, a
    `sync` or a pull made meanwhile is seen by the next page.
    """
    opened: Store | None = g.get("pcsdesk_store")
    if opened is None:
        opened = Store(config().store_root)
        opened.finish_interrupted()
        opened.start_git()
        g.pcsdesk_store = opened
    return opened


def close_store(_error: BaseException | None = None) -> None:
    opened: Store | None = g.pop("pcsdesk_store", None)
    if opened is not None:
        opened.close()


def clock(tz: tzinfo) -> datetime:
    """The clock; $PCSDESK_NOW replaces it here as for every command."""
    fixed = os.environ.get("PCSDESK_NOW")
    if fixed:
        return parse_instant(fixed, tz, "$PCSDESK_NOW")
    return system_clock(tz)


def core() -> Context:
    """The Context the core's actions and queries take, for this request's signed-in person."""
    found: Context | None = g.get("pcsdesk_context")
    if found is None:
        found = Context.of_store(store(), clock=clock, actor=user)
        g.pcsdesk_context = found
    return found


def directory() -> Directory:
    return core().directory


def now() -> datetime:
    return core().now()


def user() -> str:
    """The signed-in person's email (set by the identity check before every view)."""
    who: str = g.pcsdesk_user
    return who


def actor() -> Actor:
    return Actor(email=user(), now=now(), context=core())


def is_staff() -> bool:
    return directory().is_staff(user())
