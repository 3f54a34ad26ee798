"""Reading and writing instants: ISO 8601, to the second, in the district's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from pcsdesk.errors import InvalidInput


def parse_instant(text: str, tz: tzinfo, what: str = "time") -> datetime:
    """An aware instant from ISO 8601 text; without an offset it is district time.

    A bare date means the start of that day. Used for $PCSDESK_NOW, --as-of and the
    times stored in ticket files. A local time the clock skips (the hour lost when
    daylight saving begins) names no instant and is refused; one the clock repeats
    (the hour gained when it ends) means its first occurrence.
    """
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        value = _parse_with_dateutil(text, what)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz, fold=0)
        exists = value.astimezone(UTC).astimezone(tz).replace(tzinfo=None, fold=0)
        if exists != value.replace(tzinfo=None):
            jumped_from, jumped_to = _jump(value, tz)
            shown = ("%H:%M" if jumped_from.date() == jumped_to.date() else "%Y-%m-%d %H:%M")
            raise InvalidInput(
                f"{what} {text.strip()!r} names a time the clock skips in {tz} (the clocks jumped "
                f"from {jumped_from:{shown}} to {jumped_to:{shown}}); give a time that exists, e.g. "
                f"{jumped_to:%Y-%m-%dT%H:%M}, or one with its UTC offset"
            )
    return value.astimezone(tz).replace(microsecond=0)


def _jump(value: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """The wall-clock readings just before and at the change that skipped `value` (02:00, 03:00)."""
    before, after = value.utcoffset(), value.replace(fold=1).utcoffset()
    assert before is not None and after is not None
    # fold=0 gives a skipped time the offset from before the change.
    instant = value.astimezone(UTC)
    low, high = instant - (after - before) * 2, instant
    while (high - low).total_seconds() > 1:
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == before:
            low = middle
        else:
            high = middle
    change = high.replace(microsecond=0)
    naive = change.replace(tzinfo=None)
    return naive + before, naive + after


def _parse_with_dateutil(text: str, what: str) -> datetime:
    # dateutil reads the ISO 8601 forms Python's own parser does not (week dates,
    # "20261130T1000"); it is imported only then, since its import costs ~20 ms.
    from dateutil.parser import isoparse

    try:
        return isoparse(text.strip())
    except (ValueError, OverflowError) as e:
        raise InvalidInput(
            f"cannot read {what} {text!r}; use ISO 8601, e.g. 2026-11-30T10:00 or 2026-11-30T10:00-07:00"
        ) from e


def parse_date(text: str, what: str = "date") -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as e:
        raise InvalidInput(f"cannot read {what} {text!r}; use YYYY-MM-DD, e.g. 2026-11-30") from e


def format_instant(value: datetime, tz: tzinfo) -> str:
    """ISO 8601 with the UTC offset, in district time, to the second."""
    return value.astimezone(tz).replace(microsecond=0).isoformat()


def coerce_instant(value: object, tz: tzinfo, what: str) -> datetime:
    """An instant from a ticket file, which holds text (or a datetime if written unquoted)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=tz)
        return value.astimezone(tz).replace(microsecond=0)
    if isinstance(value, str):
        return parse_instant(value, tz, what)
    raise InvalidInput(f"{what} must be an ISO 8601 time, not {value!r}")


def human_time(value: datetime, tz: tzinfo, now: datetime | None = None, *, offset: bool = False,
               seconds: bool = False) -> str:
    """The one form of a time for people, in tables and text: `Fri 12-04 15:00`, district time.

    The weekday, because "due Fri 15:00" read on Monday says what "0.0 hours" never
    did. The year is added (`Fri 2025-12-04 15:00`) when it is not the year of `now`,
    or when there is no `now` to compare with. `offset` adds the UTC offset (` -07:00`)
    where the clocks changing matters (how a due time was counted); `seconds` shows
    seconds that are not zero. JSON and files keep ISO 8601 (format_instant).
    """
    local = value.astimezone(tz)
    day = f"{local:%m-%d}" if now is not None and now.astimezone(tz).year == local.year else f"{local:%Y-%m-%d}"
    clock = f"{local:%H:%M:%S}" if seconds and local.second else f"{local:%H:%M}"
    text = f"{local:%a} {day} {clock}"
    if offset:
        stamp = f"{local:%z}"
        text += f" {stamp[:3]}:{stamp[3:]}" if len(stamp) == 5 else f" {stamp}"
    return text


def in_words(value: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    """A time as a person reads it, in district time: "Wed Dec 2, 10:00".

    The wording of a page and an email (SPEC's "by Wed Dec 2, 10:00"); a terminal's
    tables and text use human_time's shorter `Wed 12-02 10:00`, which lines up in columns. The year is said only when
    `now` is given and falls in another year ("Mon Jan 4 2027, 10:00" in December).
    """
    local = value.astimezone(tz)
    year = f" {local.year}" if now is not None and now.astimezone(tz).year != local.year else ""
    return f"{local:%a %b} {local.day}{year}, {local:%H:%M}"


def due_in_words(due: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    """A due time as the promise says it: "by Wed Dec 2, 10:00"."""
    return f"by {in_words(due, tz, now)}"
