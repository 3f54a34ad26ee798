"""Time reading calendar.yaml as the number of closures grows: it must grow linearly.

    python bench/calendar_load.py [--runs 7]

For 365, 1,460 and 5,840 single-day closures (one, four and sixteen years of
days off listed one by one, the worst shape), the median of `--runs` in-process
loads (PyYAML parse plus pcsdesk's checks and date index), beside the baseline
of the district's own calendar.yaml measured in the same run. Linear means the
per-closure cost stays flat across the sizes.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta

from pcsdesk.rules.calendar import calendar_from_dict
from pcsdesk.store.setup import default_file
from pcsdesk.store.yamlio import dump_yaml, load_yaml

SHIPPED = default_file("calendar.yaml")


def calendar_text(closures: int) -> bytes:
    """The district's shipped calendar with `closures` single days off in place of its own closures."""
    district = load_yaml(SHIPPED, "calendar.yaml")
    settings = {key: value for key, value in district.items() if key not in ("closed", "open")}
    first = date(2026, 1, 1)
    lines = [f"  - {{date: {first + timedelta(days=3 * n)}, reason: Day off {n}}}\n" for n in range(closures)]
    return (dump_yaml(settings) + "closed:\n" + "".join(lines)).encode()


def median_seconds(text: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        calendar_from_dict(load_yaml(text, "calendar.yaml"))
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"medians of {args.runs} loads")
    print(f"{'calendar':<34}{'load':>10}{'per closure':>14}")
    print(f"{'baseline: the shipped calendar.yaml':<34}{median_seconds(SHIPPED, args.runs) * 1000:>8.1f} ms")
    for closures in (365, 1460, 5840):
        seconds = median_seconds(calendar_text(closures), args.runs)
        print(f"{f'{closures:,} single-day closures':<34}{seconds * 1000:>8.1f} ms"
              f"{seconds / closures * 1e6:>10.1f} µs")


if __name__ == "__main__":
    main()
