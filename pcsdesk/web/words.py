"""Times in words for a page: "by Wed Dec 2, 10:00"."""

from __future__ import annotations

from datetime import datetime, tzinfo


def when(value: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    """A time as a person reads it: "Wed Dec 2, 10:00"; with the year when it is not now's."""
    local = value.astimezone(tz)
    year = f" {local.year}" if now is not None and now.astimezone(tz).year != local.year else ""
    return f"{local:%a %b} {local.day}{year}, {local:%H:%M}"


def due_words(due: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    return f"by {when(due, tz, now)}"


def iso(value: datetime, tz: tzinfo) -> str:
    """For <time datetime="...">: machine-readable beside the words."""
    return value.astimezone(tz).replace(microsecond=0).isoformat()
