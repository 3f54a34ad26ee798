"""Reading and writing instants: ISO 8601, to the second, in the district's time zone."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from pcsdesk.errors import InvalidInput


def parse_instant(text: str, tz: tzinfo, what: str = "time") -> datetime:
    """An aware instant from ISO 8601 text; without an offset it is district time.

    A bare date means the start of that day. Used for $PCSDESK_NOW, --as-of and the
    times stored in ticket files.
    """
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        value = _parse_with_dateutil(text, what)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(tz).replace(microsecond=0)


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
