"""Business time: counting working hours of open days forward from an instant, with no clock of its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from pcsdesk.errors import ConfigError
from pcsdesk.rules.calendar import Calendar
from pcsdesk.rules.clock import human_time

# Work is done in whole UTC epoch seconds: instants then compare and subtract exactly,
# which two aware datetimes sharing one tzinfo do not (Python subtracts those as wall
# clock, an hour off across a DST change).


def first_response_due(cal: Calendar, entered_at: datetime) -> datetime:
    """When the first response is due: the allowance of business time counted from entry."""
    return _to_local(cal, _add(cal, _epoch(cal, entered_at), cal.first_response_seconds))


def add_business_seconds(cal: Calendar, start: datetime, seconds: int) -> datetime:
    """The earliest instant at which `seconds` of business time have passed since `start`.

    A result that lands exactly on a closing time is that closing time, not the next
    opening. Zero seconds gives `start` itself.
    """
    if seconds < 0:
        raise ValueError(f"cannot add a negative amount of business time ({seconds} s)")
    return _to_local(cal, _add(cal, _epoch(cal, start), seconds))


def business_seconds_between(cal: Calendar, start: datetime, end: datetime) -> int:
    """Seconds of business time from `start` to `end`; 0 when end is not after start."""
    return _between(cal, _epoch(cal, start), _epoch(cal, end))


def explain_due(cal: Calendar, entered_at: datetime) -> list[str]:
    """How the due time was counted, one line per calendar date from entry to due."""
    start = _epoch(cal, entered_at)
    allowance = cal.first_response_seconds
    due = _add(cal, start, allowance)
    entered, due_at = _to_local(cal, start), _to_local(cal, due)
    days = cal.first_response_business_days
    lines = [
        f"entered {_stamp(entered)}; first response due within {days} business "
        f"day{'s' if days != 1 else ''} = {_duration(allowance)} of working time "
        f"({cal.describe_hours()}, {cal.timezone})"
    ]
    offset = entered.utcoffset()
    day, last = entered.date(), due_at.date()
    while day <= last:
        business = cal.next_business_day_until(day, last)
        stop = business if business is not None else last + timedelta(days=1)
        lines.extend(_skipped(cal, day, stop))
        if business is None:
            break
        lines.append(_counted(cal, business, start, due, offset))
        windows = cal.windows(business)
        if windows:
            offset = _to_local(cal, windows[-1][1]).utcoffset()
        day = business + timedelta(days=1)
    lines.append(f"due {_stamp(due_at)}")
    return lines


# ---- the counting, in epoch seconds ----


def _epoch(cal: Calendar, value: datetime) -> int:
    """Whole seconds since the epoch; a naive time is taken as district wall-clock time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=cal.tz)
    return int(value.replace(microsecond=0).timestamp())


def _to_local(cal: Calendar, seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, cal.tz)


def _local_date(cal: Calendar, seconds: int) -> date:
    return datetime.fromtimestamp(seconds, cal.tz).date()


def _add(cal: Calendar, start: int, remaining: int) -> int:
    if remaining <= 0:
        return start
    day = cal.next_business_day(_local_date(cal, start))
    while True:
        for opens, closes in cal.windows(day):
            begin = start if start > opens else opens
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        if day == date.max:
            raise ConfigError("the calendar ends before the business time does; "
                              "no business day follows " + day.isoformat(), where=("closed",),
                              file="calendar.yaml")
        day = cal.next_business_day(day + timedelta(days=1))


def _between(cal: Calendar, start: int, end: int) -> int:
    if end <= start:
        return 0
    first, last = _local_date(cal, start), _local_date(cal, end)
    total = _overlap(cal.windows(first), start, end)
    if last > first:
        total += _overlap(cal.windows(last), start, end)
        total += cal.working_seconds(first + timedelta(days=1), last - timedelta(days=1))
    return total


def _overlap(windows: tuple[tuple[int, int], ...], start: int, end: int) -> int:
    return sum(max(0, min(end, high) - max(start, low)) for low, high in windows)


# ---- explaining ----


def _counted(cal: Calendar, day: date, start: int, due: int, offset: timedelta | None) -> str:
    """One business day's line: what was counted of its working time, and any change of the clocks.

    `offset` is the UTC offset at the end of the previous day counted (or at entry);
    the offsets named are those the clock really showed, at the opening and at the
    end of the day's working time.
    """
    label = f"{day:%a %Y-%m-%d}"
    windows = cal.windows(day)
    kind, reason = cal.day_kind(day)
    note = f"  (open: {reason})" if kind == "open" and reason else "  (open day)" if kind == "open" else ""
    if not windows:
        return f"{label}  nothing counted: the clocks skipped the working hours{note}"
    at_opening = _to_local(cal, windows[0][0])
    # The end of the working time itself: a closing time the clock skips ends it at the change.
    at_end = _to_local(cal, windows[-1][1])
    if at_opening.utcoffset() != at_end.utcoffset():
        note += f"  (clocks changed during working hours: now UTC{_offset(at_end)})"
    elif at_opening.utcoffset() != offset:
        note += f"  (clocks changed: now UTC{_offset(at_opening)})"
    counted = [(max(start, low), min(due, high)) for low, high in windows if max(start, low) < min(due, high)]
    if not counted:
        closing = _to_local(cal, windows[-1][1])
        if start >= windows[-1][1]:
            return (f"{label}  nothing counted: entered at {_clock(_to_local(cal, start))}, "
                    f"at or after closing ({_clock(closing)}){note}")
        return f"{label}  nothing counted{note}"
    total = sum(high - low for low, high in counted)
    return (f"{label}  {_clock(_to_local(cal, counted[0][0]))}-{_clock(_to_local(cal, counted[-1][1]))}  "
            f"{_duration(total)} counted{note}")


def _skipped(cal: Calendar, first: date, stop: date) -> list[str]:
    """Lines for the non-business dates first..stop-1, runs with the same reason merged."""
    runs: list[tuple[date, date, str]] = []
    day = first
    while day < stop:
        closure = cal.closed_run(day)
        if closure is not None:
            run_end = min(closure[0], stop - timedelta(days=1))
            why = f"closed ({closure[1]})" if closure[1] else "closed"
        else:
            run_end = day
            why = cal.day_status(day)[1]
        if runs and runs[-1][2] == why and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], run_end, why)
        else:
            runs.append((day, run_end, why))
        day = run_end + timedelta(days=1)
    lines = []
    for run_first, run_last, why in runs:
        if run_first == run_last:
            lines.append(f"{run_first:%a %Y-%m-%d}  skipped: {why}")
        else:
            count = (run_last - run_first).days + 1
            lines.append(f"{run_first:%a %Y-%m-%d} to {run_last:%a %Y-%m-%d}  skipped: {why}, "
                         f"{count} days")
    return lines


def _stamp(value: datetime) -> str:
    # The one human form of a time (rules.clock), in full: the year, and the offset
    # since the clocks changing is what an explanation may have to show.
    return human_time(value, value.tzinfo or UTC, offset=True, seconds=True)


def _clock(value: datetime) -> str:
    return f"{value:%H:%M:%S}" if value.second else f"{value:%H:%M}"


def _offset(value: datetime) -> str:
    text = f"{value:%z}"
    return f"{text[:3]}:{text[3:]}" if len(text) == 5 else text


def _duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}" + (f"m{secs:02d}s" if secs else "")
