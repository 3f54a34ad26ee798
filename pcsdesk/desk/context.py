"""What both cores need besides the store: the calendar, the staff directory, the clock, who acts.

A face builds one Context per request (the terminal per invocation, the web per
page, the mailer per run) and hands it to `desk.actions` and `desk.queries`.
Each part may be given as a value or as a function that produces it, so a
command that never needs buildings.yaml never reads it, and a long-running
server can ask the clock afresh on every question.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, TypeVar

from pcsdesk.errors import InvalidInput

if TYPE_CHECKING:
    from pcsdesk.rules.calendar import Calendar
    from pcsdesk.rules.directory import Directory
    from pcsdesk.store.index import ProgressFactory
    from pcsdesk.store.store import Store

T = TypeVar("T")
Clock = Callable[[tzinfo], datetime]


def system_clock(tz: tzinfo) -> datetime:
    """Now, in `tz`, to the second (ticket files keep times to the second)."""
    return datetime.now(tz).replace(microsecond=0)


def fixed_clock(at: datetime) -> Clock:
    """A clock that always says `at` ($PCSDESK_NOW, --as-of, tests)."""
    return lambda tz: at.astimezone(tz).replace(microsecond=0)


class _Lazy:
    """A value, or a function computed once on first use."""

    __slots__ = ("_get", "_known", "_value")

    def __init__(self, source: object) -> None:
        self._known = not callable(source)
        self._value = None if callable(source) else source
        self._get = source if callable(source) else None

    def get(self) -> object:
        if not self._known:
            assert self._get is not None
            self._value = self._get()
            self._known = True
        return self._value


class Context:
    """The calendar, the staff directory, the clock and the actor for one request."""

    __slots__ = ("_actor", "_calendar", "_clock", "_directory", "progress")

    def __init__(
        self,
        calendar: Calendar | Callable[[], Calendar],
        directory: Directory | Callable[[], Directory],
        clock: Clock = system_clock,
        actor: str | Callable[[], str] | None = None,
        progress: ProgressFactory | None = None,
    ) -> None:
        self._calendar = _Lazy(calendar)
        self._directory = _Lazy(directory)
        self._clock = clock
        self._actor = _Lazy(actor)
        # How the face shows a long index rebuild (a terminal's bar); None shows nothing.
        self.progress = progress

    @classmethod
    def of_store(
        cls, store: Store, clock: Clock = system_clock, actor: str | Callable[[], str] | None = None,
        progress: ProgressFactory | None = None,
    ) -> Context:
        """The context a store's own calendar.yaml and buildings.yaml describe, read when first needed."""
        return cls(lambda: store.calendar, lambda: store.directory, clock, actor, progress)

    @property
    def calendar(self) -> Calendar:
        value: Calendar = self._calendar.get()  # type: ignore[assignment]
        return value

    @property
    def directory(self) -> Directory:
        value: Directory = self._directory.get()  # type: ignore[assignment]
        return value

    @property
    def tz(self) -> tzinfo:
        return self.calendar.tz

    def now(self) -> datetime:
        """The clock's time in the district's zone."""
        return self._clock(self.tz)

    @property
    def actor(self) -> str:
        """Who is acting; a clear error when nobody was named (a read never asks)."""
        who = self._actor.get()
        if not isinstance(who, str) or not who:
            raise InvalidInput(
                "who is acting? pass --as EMAIL, set PCSDESK_USER, or set git config user.email"
            )
        return who
