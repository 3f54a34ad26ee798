"""What a request works with: the store, the core's Context (calendar, directory, clock, actor)."""

from __future__ import annotations

import os
import threading
from datetime import datetime, tzinfo
from pathlib import Path

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


class StorePool:
    """One Store per serving thread, kept from request to request and refreshed between them.

    A Store per request cost two git processes and parsing both configuration
    files, about 15 ms of every page. Kept per thread (waitress has a fixed set),
    a Store is never shared by two requests at once, and Store.refresh makes it
    see HEAD as it is now, so a CLI write, a `sync` or a pull made meanwhile is
    seen by the next page exactly as before.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._local = threading.local()
        self._all: list[Store] = []
        self._guard = threading.Lock()

    def take(self) -> Store:
        kept: Store | None = getattr(self._local, "store", None)
        if kept is None:
            kept = Store(self.root)
            kept.start_git()
            self._local.store = kept
            with self._guard:
                self._all.append(kept)
        else:
            kept.refresh()
        return kept

    def drop(self) -> None:
        """This thread's Store closed and forgotten (after an unexpected failure: start afresh)."""
        kept: Store | None = getattr(self._local, "store", None)
        if kept is not None:
            self._local.store = None
            with self._guard:
                if kept in self._all:
                    self._all.remove(kept)
            kept.close()

    def close(self) -> None:
        with self._guard:
            kept, self._all = self._all, []
        for store in kept:
            store.close()


def pool() -> StorePool:
    found: StorePool = current_app.extensions["pcsdesk_stores"]
    return found


def store() -> Store:
    """This request's store: the serving thread's own, refreshed to HEAD on first use."""
    opened: Store | None = g.get("pcsdesk_store")
    if opened is None:
        opened = pool().take()
        g.pcsdesk_store = opened
    return opened


def close_store(error: BaseException | None = None) -> None:
    opened: Store | None = g.pop("pcsdesk_store", None)
    if opened is not None and (error is not None or g.pop("pcsdesk_failed", False)):
        # Whatever failed may have left a git pipe half-read: the next request starts afresh.
        pool().drop()


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
