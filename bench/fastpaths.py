"""Are the two fast paths still needed? The quick YAML reader and the table writer, against what they spare.

    python bench/fastpaths.py STORE [--files 3000] [--runs 7]

STORE is a generated store (bench/generate.py), e.g. bench/stores/100000.

- The quick reader (store/quickyaml.py) against the full loader (PyYAML with
  libyaml, strict): the time to read a sample of the store's ticket files into
  Tickets, and what that makes of a cold index rebuild of every file, on every core.
- The table writer (commands/_render.table_lines) against tabulate: the
  start-up cost tabulate adds to a process (python -c "import click, yaml" with and
  without it, each a new process), and the time to draw `list --building`'s table.

Each figure is the median of --runs runs. Issue 6's targets: a cold rebuild at
100,000 tickets within 30 s; `list --building` within 2.0 times the floor.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def sample_files(root: Path, count: int) -> list[bytes]:
    from pcsdesk.store.store import Store

    store = Store(root)
    try:
        listing = store.git.run("ls-tree", "-r", "--format=%(objectname) %(path)", store.head().commit,
                                "--", "tickets")
        oids = [line.split(" ", 1)[0] for line in listing.decode().splitlines() if line.endswith(".yaml")]
        step = max(1, len(oids) // count)
        return [c for c in store.reader.blobs(oids[::step][:count]) if c is not None]
    finally:
        store.close()


def parsing(root: Path, files: int, runs: int) -> list[str]:
    from zoneinfo import ZoneInfo

    from pcsdesk.rules.ticket import ticket_from_data
    from pcsdesk.store.quickyaml import Declined, quick_load
    from pcsdesk.store.store import parse_ticket_bytes
    from pcsdesk.store.workers import cores

    tz = ZoneInfo("America/Denver")
    contents = sample_files(root, files)
    total = sum(1 for name in subprocess.run(["git", "ls-files", "tickets"], cwd=root, capture_output=True,
                                             text=True, check=True).stdout.splitlines()
                if name.endswith(".yaml"))
    declined = 0
    for content in contents:
        try:
            quick_load(content)
        except Declined:
            declined += 1

    def quick() -> None:
        for content in contents:
            try:
                ticket_from_data(quick_load(content), tz)
            except Declined:
                parse_ticket_bytes(content, "t.yaml", tz)

    def full() -> None:
        for content in contents:
            parse_ticket_bytes(content, "t.yaml", tz)

    per_quick = median_seconds(quick, runs) / len(contents)
    per_full = median_seconds(full, runs) / len(contents)
    share = cores()
    return [
        f"ticket files sampled: {len(contents):,} of {total:,} ({declined} declined by the quick reader)",
        f"quick reader: {per_quick * 1e6:,.0f} us a file; full loader: {per_full * 1e6:,.0f} us a file "
        f"({per_full / per_quick:.1f}x)",
        f"parsing alone in a cold rebuild of {total:,} files on {share} cores: "
        f"{per_quick * total / share:.1f} s quick, {per_full * total / share:.1f} s full",
    ]


def tables(runs: int) -> list[str]:
    floor = [sys.executable, "-c", "import click, yaml"]
    heavy = [sys.executable, "-c", "import click, yaml, tabulate"]

    def run(argv: list[str]) -> Callable[[], object]:
        return lambda: subprocess.run(argv, check=True)

    base = median_seconds(run(floor), runs)
    with_tabulate = median_seconds(run(heavy), runs)
    from tabulate import tabulate

    from pcsdesk.commands._render import table_lines

    headers = ["id", "flags", "assignee", "due", "summary"]
    rows = [[f"2611-{n:05d}", "OVERDUE", "ets.pchs@pcschools.us", "Fri 06-04 14:00",
             "Projector in room 204 shows no signal…"] for n in range(300)]

    def ours() -> None:
        "\n".join(table_lines(rows, headers))

    def theirs() -> None:
        tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)

    return [
        f"process start, python -c 'import click, yaml': {base * 1000:.0f} ms; with tabulate: "
        f"{with_tabulate * 1000:.0f} ms (+{(with_tabulate - base) * 1000:.0f} ms)",
        f"a 300-line listing table: {median_seconds(ours, runs) * 1000:.1f} ms ours, "
        f"{median_seconds(theirs, runs) * 1000:.1f} ms tabulate",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for line in [*parsing(args.store, args.files, args.runs), *tables(args.runs)]:
        print(line)


if __name__ == "__main__":
    main()
