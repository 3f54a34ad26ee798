"""The District Office calendar: which days are business days, read from calendar.yaml's data."""

from __future__ import annotations

import heapq
import re
import zoneinfo
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import pairwise

from pcsdesk.errors import ConfigError

DEFAULT_CALENDAR_FILE = "calendar.yaml"

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS_BY_NAME: dict[str, int] = {}
for _number, _name in enumerate(WEEKDAY_NAMES):
    _WEEKDAYS_BY_NAME[_name.lower()] = _number
    _WEEKDAYS_BY_NAME[_name[:3].lower()] = _number

ALLOWED_KEYS = (
    "timezone",
    "workdays",
    "hours",
    "first_response_business_days",
    "closed",
    "open",
    "summer",
)
_REQUIRED_KEYS = ("timezone", "workdays", "hours", "first_response_business_days")
_HHMM = re.compile(r"(\d{1,2}):(\d{2})")
_EXAMPLE_SINGLE = "{date: 2027-02-03, reason: Snow day}"
_EXAMPLE_RANGE = "{from: 2026-12-24, to: 2027-01-01, reason: Winter closure}"


@dataclass(frozen=True)
class Closure:
    """A run of dates from calendar.yaml's `closed:` or `open:`; a single date has first == last."""

    first: date
    last: date
    reason: str = ""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


class _DateRanges:
    """Disjoint, sorted date ranges for O(log n) membership however long a range is.

    Where listed ranges overlap, the one listed first names the reason, as a
    clerk reading the file top to bottom would expect.
    """

    __slots__ = ("_ends", "_reasons", "_starts")

    def __init__(self, ranges: Iterable[Closure]) -> None:
        # One sweep over the start and end dates in order, keeping the entries that
        # cover the current stretch in a heap keyed by their place in the file: the
        # top names the stretch. O(n log n), where subtracting every earlier entry
        # from each new one was quadratic (0.8 s at 1,460 single days).
        entries = sorted(((c.first.toordinal(), c.last.toordinal() + 1, n, c.reason)
                          for n, c in enumerate(ranges)), key=lambda e: (e[0], e[2]))
        bounds = sorted({point for first, after, _, _ in entries for point in (first, after)})
        pieces: list[tuple[int, int, int, str]] = []   # (first, last, entry, reason), ordinals
        active: list[tuple[int, int, str]] = []        # (entry, after, reason)
        pending = 0
        for here, there in pairwise(bounds):
            while pending < len(entries) and entries[pending][0] == here:
                _, after, number, reason = entries[pending]
                heapq.heappush(active, (number, after, reason))
                pending += 1
            while active and active[0][1] <= here:
                heapq.heappop(active)
            if not active:
                continue
            number, _, reason = active[0]
            if pieces and pieces[-1][2] == number and pieces[-1][1] == here - 1:
                pieces[-1] = (pieces[-1][0], there - 1, number, reason)
            else:
                pieces.append((here, there - 1, number, reason))
        self._starts = [date.fromordinal(p[0]) for p in pieces]
        self._ends = [date.fromordinal(p[1]) for p in pieces]
        self._reasons = [p[3] for p in pieces]

    def find(self, day: date) -> int:
        """Index of the piece holding `day`, or -1."""
        i = bisect_right(self._starts, day) - 1
        return i if i >= 0 and day <= self._ends[i] else -1

    def reason(self, i: int) -> str:
        return self._reasons[i]

    def end(self, i: int) -> date:
        return self._ends[i]

    def last_day(self) -> date | None:
        return max(self._ends) if self._ends else None


@dataclass(frozen=True)
class Calendar:
    """Which days the District Office is open, its hours, and the first-response allowance."""

    timezone: str
    tz: zoneinfo.ZoneInfo
    workdays: frozenset[int]
    opens: time
    closes: time
    first_response_business_days: int
    closed: tuple[Closure, ...] = ()
    open_days: tuple[Closure, ...] = ()
    summer: tuple[date, date] | None = None
    _closed_index: _DateRanges = field(init=False, repr=False, compare=False)
    _open_index: _DateRanges = field(init=False, repr=False, compare=False)
    # Working window of each date as UTC epoch seconds, filled on demand: reports ask
    # for the same few hundred dates thousands of times.
    _windows: dict[date, tuple[tuple[int, int], ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    # Running totals of working seconds per block of dates, so the business time
    # across months (how long a ticket is overdue) costs a few look-ups, not a walk.
    _blocks: dict[int, list[int]] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_closed_index", _DateRanges(self.closed))
        object.__setattr__(self, "_open_index", _DateRanges(self.open_days))

    # ---- which days count ----

    def day_status(self, day: date) -> tuple[bool, str]:
        """(is a business day, why): "Thanksgiving", "Saturday", "workday", "open: ..."."""
        kind, reason = self.day_kind(day)
        if kind == "closed":
            return False, reason or "closed"
        if kind == "off":
            return False, reason
        if kind == "open":
            return True, f"open: {reason}" if reason else "open"
        return True, "workday"

    def day_kind(self, day: date) -> tuple[str, str]:
        """("closed", reason), ("off", weekday name), ("open", reason) or ("workday", "")."""
        i = self._closed_index.find(day)
        if i >= 0:
            return "closed", self._closed_index.reason(i)
        j = self._open_index.find(day)
        if j >= 0:
            return "open", self._open_index.reason(j)
        weekday = day.weekday()
        if weekday in self.workdays:
            return "workday", ""
        return "off", WEEKDAY_NAMES[weekday]

    def is_business_day(self, day: date) -> bool:
        if self._closed_index.find(day) >= 0:
            return False
        return day.weekday() in self.workdays or self._open_index.find(day) >= 0

    def next_business_day(self, day: date) -> date:
        """The first business day on or after `day`; ConfigError when none ever follows."""
        found = self._scan(day, None)
        assert found is not None  # without a limit _scan returns a day or raises
        return found

    def next_business_day_until(self, day: date, limit: date) -> date | None:
        """The first business day from `day` through `limit`, or None."""
        return self._scan(day, limit)

    def closed_run(self, day: date) -> tuple[date, str] | None:
        """(last day, reason) of the closure holding `day`, or None when it is not closed."""
        i = self._closed_index.find(day)
        return (self._closed_index.end(i), self._closed_index.reason(i)) if i >= 0 else None

    def _scan(self, day: date, limit: date | None) -> date | None:
        # Jumps over a closure in one step, so a closed summer (or year) costs no
        # more than a weekend and the search needs no cap on how far it looks.
        current: date | None = day
        while current is not None and (limit is None or current <= limit):
            i = self._closed_index.find(current)
            if i >= 0:
                current = _day_after(self._closed_index.end(i))
            elif current.weekday() in self.workdays or self._open_index.find(current) >= 0:
                return current
            elif self.workdays:
                current = _day_after(current)
            else:
                # Only listed open days can follow: go straight to the next one.
                current = min((max(c.first, current) for c in self.open_days if c.last >= current),
                              default=None)
        if limit is not None:
            return None
        raise ConfigError(
            f"the calendar has no business day on or after {day.isoformat()}; "
            "add workdays or open days, or end the closure that runs to the end of the calendar",
            where=("workdays",) if not self.workdays else ("closed",), file=DEFAULT_CALENDAR_FILE,
        )

    # ---- working hours ----

    @property
    def business_day_seconds(self) -> int:
        """The length of one business day's working hours, in seconds (8 h = 28800)."""
        return _seconds(self.closes) - _seconds(self.opens)

    @property
    def first_response_seconds(self) -> int:
        """The first-response allowance as working seconds (2 days of 8 h = 57600)."""
        return self.first_response_business_days * self.business_day_seconds

    def windows(self, day: date) -> tuple[tuple[int, int], ...]:
        """The working time of `day` as UTC epoch-second intervals [start, end), in order.

        The definition (docs/procedure.md): every instant whose local wall-clock reading falls on `day`
        within the hours, on an open day. So where the clocks change inside the hours,
        an opening or closing time the clock skips starts or ends the window at the
        change, and a repeated hour counts each time it reads within the hours (which
        can split the window in two). Empty when `day` is not a business day.
        """
        found = self._windows.get(day)
        if found is not None:
            return found
        result: tuple[tuple[int, int], ...] = ()
        if self.is_business_day(day):
            result = working_intervals(self.tz, day, self.opens, self.closes)
        if len(self._windows) > 50_000:
            self._windows.clear()
        self._windows[day] = result
        return result

    def window(self, day: date) -> tuple[int, int] | None:
        """The first start and last end of `day`'s working time, or None if it has none."""
        found = self.windows(day)
        return (found[0][0], found[-1][1]) if found else None

    def working_seconds(self, first: date, last: date) -> int:
        """Working seconds of the whole dates first..last, both included."""
        if last < first:
            return 0
        start, stop = first.toordinal(), last.toordinal() + 1
        block, end_block = start // _BLOCK, stop // _BLOCK
        sums = self._block(block)
        if block == end_block:
            return sums[stop - block * _BLOCK] - sums[start - block * _BLOCK]
        total = sums[_BLOCK] - sums[start - block * _BLOCK]
        for middle in range(block + 1, end_block):
            total += self._block(middle)[_BLOCK]
        if stop > end_block * _BLOCK:
            total += self._block(end_block)[stop - end_block * _BLOCK]
        return total

    def _block(self, number: int) -> list[int]:
        sums = self._blocks.get(number)
        if sums is None:
            sums = [0]
            for ordinal in range(number * _BLOCK, (number + 1) * _BLOCK):
                found = self.windows(date.fromordinal(ordinal)) if _FIRST <= ordinal <= _LAST else ()
                sums.append(sums[-1] + sum(end - start for start, end in found))
            self._blocks[number] = sums
        return sums

    def last_closure(self) -> date | None:
        """The last day calendar.yaml lists as closed, or None when it lists none."""
        return self._closed_index.last_day()

    def describe_hours(self) -> str:
        """Working hours and weekdays for people, e.g. "07:00-15:00, Mon-Fri"."""
        runs: list[list[int]] = []
        for number in sorted(self.workdays):
            if runs and runs[-1][-1] == number - 1:
                runs[-1].append(number)
            else:
                runs.append([number])
        names: list[str] = []
        for run in runs:
            if len(run) > 2:
                names.append(f"{WEEKDAY_NAMES[run[0]][:3]}-{WEEKDAY_NAMES[run[-1]][:3]}")
            else:
                names.extend(WEEKDAY_NAMES[number][:3] for number in run)
        return f"{self.opens:%H:%M}-{self.closes:%H:%M}, {', '.join(names) or 'no weekdays'}"


_BLOCK = 256
_FIRST, _LAST = date.min.toordinal(), date.max.toordinal()


# No time zone changes its offset twice within this many seconds (the tz database's
# closest pair of changes is days apart); the offset is sampled this often inside
# a day whose hours hold a change, and the change itself found to the second.
_OFFSET_SAMPLE_SECONDS = 1800


def working_intervals(tz: tzinfo, day: date, opens: time, closes: time) -> tuple[tuple[int, int], ...]:
    """The instants whose wall-clock reading in `tz` lies on `day` within [opens, closes), as UTC intervals.

    Away from a change of the clocks that is one interval, found from the wall-clock
    readings. Near one, each offset in effect around the hours gives the interval of
    instants that would read within the hours under it, kept only where that offset
    is really in effect; the pieces are joined where they touch.
    """
    wall_open = _wall_seconds(day, opens)
    wall_close = _wall_seconds(day, closes)
    # Nearly every day: the same offset from a day before the opening to a day after
    # the closing, so no change of the clocks can touch the hours (no zone changes
    # twice within two days).
    offset = _offset_seconds(datetime.combine(day, opens, tzinfo=tz))
    start, end = wall_open - offset, wall_close - offset
    if _offset_at(tz, start - 86400) == offset and _offset_at(tz, end + 86400) == offset:
        return ((start, end),)
    offsets = {
        _offset_seconds(datetime.combine(day, moment, tzinfo=tz).replace(fold=fold))
        for moment in (opens, closes) for fold in (0, 1)
    }
    pieces: list[tuple[int, int]] = []
    for offset in offsets:
        pieces += _where_offset_is(tz, wall_open - offset, wall_close - offset, offset)
    pieces.sort()
    merged: list[tuple[int, int]] = []
    for start, end in pieces:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _where_offset_is(tz: tzinfo, start: int, end: int, offset: int) -> list[tuple[int, int]]:
    """The parts of [start, end) where `tz`'s UTC offset is `offset` seconds."""
    if end <= start:
        return []
    samples = [*range(start, end - 1, _OFFSET_SAMPLE_SECONDS), end - 1]
    stretches: list[tuple[int, int, int]] = []     # (from, to, offset) between changes
    begin, current = start, _offset_at(tz, start)
    for low, high in pairwise(samples):
        if _offset_at(tz, high) == current:
            continue
        # The change, to the second: `current` at low, another offset at high.
        while high - low > 1:
            middle = (low + high) // 2
            if _offset_at(tz, middle) == current:
                low = middle
            else:
                high = middle
        stretches.append((begin, high, current))
        begin, current = high, _offset_at(tz, high)
    stretches.append((begin, end, current))
    return [(a, b) for a, b, found in stretches if found == offset and a < b]


def _wall_seconds(day: date, moment: time) -> int:
    """A wall-clock reading as seconds on a clock that never changes (as if it were UTC)."""
    return (day.toordinal() - _EPOCH_ORDINAL) * 86400 + _seconds(moment)


def _offset_at(tz: tzinfo, instant: int) -> int:
    return _offset_seconds(datetime.fromtimestamp(instant, tz))


def _offset_seconds(value: datetime) -> int:
    offset = value.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _day_after(day: date) -> date | None:
    return day + timedelta(days=1) if day < date.max else None


def _seconds(value: time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


# How far ahead calendar.yaml should list its closures: next year's holidays are due
# in it before the due times of tickets entered then would count them as business days.
CLOSURES_AHEAD_DAYS = 60


def closures_warning(cal: Calendar, today: date) -> str | None:
    """A warning when the calendar's closures run out less than CLOSURES_AHEAD_DAYS from `today`."""
    last = cal.last_closure()
    if last is not None and last >= today + timedelta(days=CLOSURES_AHEAD_DAYS):
        return None
    listed = (f"lists no closures after {last.isoformat()}" if last is not None
              else "lists no closures at all")
    return (f"calendar.yaml {listed}, less than {CLOSURES_AHEAD_DAYS} days from {today.isoformat()}: "
            "add the coming holidays under closed:, or due times after that will count them as "
            "business days")


# ---- reading calendar.yaml's data ----


def calendar_from_dict(data: object) -> Calendar:
    """A Calendar from calendar.yaml as loaded; a ConfigError says what is wrong and how to fix it."""
    if not isinstance(data, Mapping):
        raise ConfigError(
            "calendar.yaml must be a mapping with the keys " + ", ".join(ALLOWED_KEYS)
            + f", not {_kind(data)}"
        )
    for key in data:
        if key not in ALLOWED_KEYS:
            raise ConfigError(
                f"unknown key {key!r}; the allowed keys are " + ", ".join(ALLOWED_KEYS),
                where=(str(key),),
            )
    for key in _REQUIRED_KEYS:
        if data.get(key) is None:
            raise ConfigError(f"{key} is missing; {_REQUIRED_HINTS[key]}", where=(key,))

    timezone, tz = _timezone(data["timezone"])
    workdays = _workdays(data["workdays"])
    opens, closes = _hours(data["hours"])
    allowance = _allowance(data["first_response_business_days"])
    closed = _closures(data.get("closed"), "closed")
    open_days = _closures(data.get("open"), "open")
    summer = _summer(data.get("summer"))

    _check_open_not_closed(closed, open_days)
    if not workdays and not open_days:
        raise ConfigError(
            "no business days: workdays is empty and no open days are listed, so no due time "
            "could ever be found; list the weekdays the office is open, e.g. [mon, tue, wed, thu, fri]",
            where=("workdays",),
        )
    return Calendar(
        timezone=timezone,
        tz=tz,
        workdays=workdays,
        opens=opens,
        closes=closes,
        first_response_business_days=allowance,
        closed=closed,
        open_days=open_days,
        summer=summer,
    )


_REQUIRED_HINTS = {
    "timezone": "add e.g. `timezone: America/Denver`",
    "workdays": "add e.g. `workdays: [mon, tue, wed, thu, fri]`",
    "hours": 'add e.g. `hours: {open: "07:00", close: "15:00"}`',
    "first_response_business_days": "add e.g. `first_response_business_days: 2`",
}


def _kind(value: object) -> str:
    if value is None:
        return "nothing (the file is empty)"
    if isinstance(value, bool):
        return f"true/false ({value})"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return f"{type(value).__name__} {value!r}"


def _timezone(value: object) -> tuple[str, zoneinfo.ZoneInfo]:
    hint = "use an IANA time zone name such as America/Denver"
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"timezone must be a time zone name, not {_kind(value)}; {hint}",
                          where=("timezone",))
    name = value.strip()
    try:
        return name, zoneinfo.ZoneInfo(name)
    except zoneinfo.ZoneInfoNotFoundError:
        raise ConfigError(
            f"unknown time zone {name!r} (zoneinfo found no such zone); {hint}, spelled exactly "
            "(capitals matter); if the name is right, install the tzdata package",
            where=("timezone",),
        ) from None
    except (ValueError, OSError):
        raise ConfigError(f"{name!r} is not a time zone name; {hint}", where=("timezone",)) from None


def _workdays(value: object) -> frozenset[int]:
    hint = "e.g. [mon, tue, wed, thu, fri]"
    if not isinstance(value, list):
        raise ConfigError(f"workdays must be a list of weekdays, {hint}, not {_kind(value)}",
                          where=("workdays",))
    days: set[int] = set()
    for i, item in enumerate(value):
        number = _WEEKDAYS_BY_NAME.get(item.strip().lower()) if isinstance(item, str) else None
        if number is None:
            raise ConfigError(
                f"{item!r} is not a weekday; use mon, tue, wed, thu, fri, sat or sun",
                where=("workdays", i),
            )
        days.add(number)
    return frozenset(days)


def _hours(value: object) -> tuple[time, time]:
    example = '{open: "07:00", close: "15:00"}'
    if not isinstance(value, Mapping):
        raise ConfigError(f"hours must be a mapping like {example}, not {_kind(value)}",
                          where=("hours",))
    for key in value:
        if key not in ("open", "close"):
            raise ConfigError(f"unknown key {key!r} in hours; hours takes only open and close, "
                              f"e.g. {example}", where=("hours", str(key)))
    opens = _clock_time(value.get("open"), ("hours", "open"))
    closes = _clock_time(value.get("close"), ("hours", "close"))
    if closes <= opens:
        raise ConfigError(
            f"the office opens at {opens:%H:%M} but closes at {closes:%H:%M}; the closing time "
            "must be later the same day (working hours cannot cross midnight)",
            where=("hours", "close"),
        )
    return opens, closes


def _clock_time(value: object, where: tuple[str, str]) -> time:
    what = where[1]
    if value is None:
        raise ConfigError(f"hours needs {what}: a time like \"07:00\"", where=where)
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 15:00 as the base-60 number 900.
        raise ConfigError(
            f"{what} time must be in quotes, e.g. \"15:00\": unquoted, YAML reads a time "
            f"such as 15:00 as the number {value}",
            where=where,
        )
    match = _HHMM.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ConfigError(f"{what} time {value!r} is not a time of day; write HH:MM in quotes, "
                          "e.g. \"07:00\" (24-hour clock)", where=where)
    return time(int(match[1]), int(match[2]))


def _allowance(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(
            f"first_response_business_days must be a whole number of business days, 1 or more "
            f"(e.g. 2), not {_kind(value)}",
            where=("first_response_business_days",),
        )
    return value


def _closures(value: object, key: str) -> tuple[Closure, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(
            f"{key} must be a list of entries like {_EXAMPLE_SINGLE} or {_EXAMPLE_RANGE}, "
            f"not {_kind(value)}",
            where=(key,),
        )
    return tuple(_closure(item, (key, i)) for i, item in enumerate(value))


def _closure(item: object, where: tuple[str, int]) -> Closure:
    shapes = f"{_EXAMPLE_SINGLE} or {_EXAMPLE_RANGE}"
    if not isinstance(item, Mapping):
        raise ConfigError(f"each entry must look like {shapes}, not {_kind(item)}", where=where)
    for key in item:
        if key not in ("date", "from", "to", "reason"):
            raise ConfigError(
                f"unknown key {key!r}; an entry takes date (or from and to) and reason, "
                f"e.g. {shapes}",
                where=(*where, str(key)),
            )
    reason = _reason(item.get("reason"), (*where, "reason"))
    if "date" in item:
        if "from" in item or "to" in item:
            raise ConfigError(
                "give either date (one day) or from and to (a run of days), not both",
                where=(*where, "date"),
            )
        day = _date(item["date"], (*where, "date"))
        return Closure(day, day, reason)
    if "from" not in item or "to" not in item:
        missing = "to" if "from" in item else "from" if "to" in item else "date"
        raise ConfigError(f"the entry has no {missing}; write it like {shapes}", where=where)
    first = _date(item["from"], (*where, "from"))
    last = _date(item["to"], (*where, "to"))
    if last < first:
        raise ConfigError(
            f"from {first.isoformat()} is after to {last.isoformat()}; swap them",
            where=(*where, "to"),
        )
    return Closure(first, last, reason)


def _reason(value: object, where: tuple[object, ...]) -> str:
    if value is None:
        return ""
    if isinstance(value, (Mapping, list)):
        raise ConfigError(f"reason must be plain text, not {_kind(value)}", where=where)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _date(value: object, where: tuple[object, ...]) -> date:
    if isinstance(value, datetime):
        raise ConfigError(f"{value} has a time of day; give only the date, e.g. 2026-11-26",
                          where=where)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-26",
                      where=where)


def _summer(value: object) -> tuple[date, date] | None:
    if value is None:
        return None
    example = "{from: 2027-06-05, to: 2027-08-15}"
    if not isinstance(value, Mapping):
        raise ConfigError(f"summer must look like {example}, not {_kind(value)}", where=("summer",))
    for key in value:
        if key not in ("from", "to"):
            raise ConfigError(f"unknown key {key!r} in summer; it takes from and to, e.g. {example}",
                              where=("summer", str(key)))
    for key in ("from", "to"):
        if key not in value:
            raise ConfigError(f"summer has no {key}; write it like {example}", where=("summer",))
    first = _date(value["from"], ("summer", "from"))
    last = _date(value["to"], ("summer", "to"))
    if last < first:
        raise ConfigError(f"summer from {first.isoformat()} is after to {last.isoformat()}; swap them",
                          where=("summer", "to"))
    return first, last


def _check_open_not_closed(closed: tuple[Closure, ...], open_days: tuple[Closure, ...]) -> None:
    if not open_days or not closed:
        return
    by_first = sorted(closed, key=lambda c: c.first)
    firsts = [c.first.toordinal() for c in by_first]
    # The longest closure bounds how far back one that overlaps can start.
    longest = max(c.last.toordinal() - c.first.toordinal() for c in by_first)
    for j, extra in enumerate(open_days):
        low = bisect_left(firsts, extra.first.toordinal() - longest)
        high = bisect_right(firsts, extra.last.toordinal())
        overlapping = [shut for shut in by_first[low:high] if shut.last >= extra.first]
        if not overlapping:
            continue
        shut = min(overlapping, key=closed.index)
        first, last = max(extra.first, shut.first), min(extra.last, shut.last)
        days = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        verb = "is" if first == last else "are"
        span = shut.first.isoformat()
        if shut.last != shut.first:
            span += f" to {shut.last.isoformat()}"
        label = f"{shut.reason}, {span}" if shut.reason else span
        raise ConfigError(
            f"{days} {verb} both closed ({label}) and open; "
            f"remove {'it' if first == last else 'them'} from one list",
            where=("open", j, "date" if extra.first == extra.last else "from"),
        )
