"""Time pcsdesk commands as a technician runs them, on stores of 1,000 to 100,000 tickets.

    python bench/run.py [--sizes 1000,10000,100000] [--runs 7] [--stores DIR]
                        [--compare LABEL=PCSDESK]...

For each size the store is made once by bench/generate.py under bench/stores/<N>
(git-ignored; --stores puts them elsewhere, to share them) and reused afterwards.
With --compare, each LABEL=PCSDESK (another checkout's installed `pcsdesk`, e.g.
main before a change) is timed in the same rounds as this checkout's, each on its
own clone of the store (DIR/clones/<N>-<label>, its own index), and a last table
puts their medians side by side. Every command then runs as a new process,
`--runs` times; each round runs every command on every size, beside the baselines,
so that a busy moment of the machine touches all of them alike:

- the floor: `python -c "import click, yaml"`, what any pcsdesk process pays first;
- `git commit --allow-empty` in the same store, git's own cost for one commit;
- new, note, assign, escalate, close, reopen, show (the write path and one read);
- list --building, overdue and report with a warm index, `list --building` right
  after a write (the index catching up on one commit), and a cold index rebuild.

It prints one table (median wall time, its ratio to the floor, and the peak memory
of the command's whole process tree, from wait4's rusage) and the verdict on each
target of issue 6. Each run first resets the store to the commit the generator
made, so every run writes to the same tickets; write commands work on open
tickets of a usual size, and close and reopen in pairs, so the store stays clean.

Bytecode: this sandbox sets PYTHONDONTWRITEBYTECODE=1, which makes every process
compile pcsdesk from source (~50 ms) while click and PyYAML load compiled files.
An installed tool has its bytecode, so the bench runs without that variable.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORES = HERE / "stores"
NOW = "2027-06-04T14:00:00"   # the generator's last school day, 14:00
ETS = "ets.pchs@pcschools.us"
TEACHER = "maria.garcia@pcschools.us"
GENERATOR_MARK = "pcsdesk-bench-generated"

# Issue 6's targets.
WRITE_FACTOR = 1.4     # write commands and show: at most this times the floor
READ_FACTOR = 2.0      # list --building, overdue, report with a warm index
FLAT = 0.10            # write commands and show: within 10% of their time at the smallest size
COLD_SECONDS = 30.0    # cold index rebuild at 100,000 tickets
PEAK_MB = 150.0        # any command


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    peak_kb: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def pcsdesk_command() -> list[str]:
    """The installed console script next to this Python (not a shell shim), else `-m pcsdesk`."""
    script = Path(sys.executable).with_name("pcsdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pcsdesk"]


def child_environment(user: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("PCSDESK_STORE", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    env.update({
        "PCSDESK_NOW": NOW,
        "PCSDESK_USER": user,
        "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@pcschools.us",
        "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@pcschools.us",
        "LC_ALL": "C",
    })
    return env


def timed(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, int, str]:
    """(wall seconds, peak RSS in KB of the whole process tree, exit code, stderr) of one run."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=err)
        # wait4 rather than wait: its rusage covers the child and every descendant it
        # waited for (git, index workers), which RUSAGE_CHILDREN of this process would
        # mix across all runs.
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return elapsed, usage.ru_maxrss, process.returncode, err.read().decode("utf-8", "replace")


def git_out(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                          check=True).stdout.strip()


def ensure_store(size: int, stores: Path = STORES) -> Path:
    """The generated store of `size` tickets, back at its generated commit.

    Going back (git reset --hard, to a commit the store made itself) keeps every
    bench run on the same tickets: otherwise the notes the bench adds pile up
    on the tickets it writes to, and write commands would slow down run by run.
    """
    root = stores / str(size)
    mark = root / ".git" / GENERATOR_MARK
    if not mark.exists() and (root / ".git").is_dir():
        # A store generate.py made without this script (a shared folder's, say): adopt
        # it at its generated commit rather than delete it and generate it again.
        generated = subprocess.run(["git", "log", "-1", "--format=%H", "--grep=^Tickets of the week"],
                                   cwd=root, capture_output=True, text=True).stdout.strip()
        if generated:
            mark.write_text(f"{size} {generated}\n")
    if not mark.exists():
        if root.exists():
            raise SystemExit(f"{root} exists but is not a store bench/generate.py made; "
                             "move it away or give another --stores folder")
        stores.mkdir(parents=True, exist_ok=True)
        print(f"generating a store of {size:,} tickets in {root} ...", file=sys.stderr)
        started = time.monotonic()
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--tickets", str(size), str(root)],
                       check=True)
        mark.write_text(f"{size} {git_out(root, 'rev-parse', 'HEAD')}\n")
        print(f"  generated in {time.monotonic() - started:.0f} s", file=sys.stderr)
    fields = mark.read_text().split()
    if len(fields) < 2:   # a mark from before the commit was recorded
        generated = git_out(root, "log", "-1", "--format=%H", "--grep=^Tickets of the week")
        mark.write_text(f"{size} {generated}\n")
        fields = [str(size), generated]
    if git_out(root, "rev-parse", "HEAD") != fields[1]:
        subprocess.run(["git", "reset", "-q", "--hard", fields[1]], cwd=root, check=True)
    return root


def clone_store(source: Path, target: Path) -> Path:
    """A clone of a generated store (objects hard-linked), marked as generated at the same commit."""
    mark = source / ".git" / GENERATOR_MARK
    if not (target / ".git" / GENERATOR_MARK).exists():
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        print(f"cloning {source} to {target} ...", file=sys.stderr)
        subprocess.run(["git", "clone", "-q", "--local", str(source), str(target)], check=True)
        (target / ".git" / GENERATOR_MARK).write_text(mark.read_text())
    fields = mark.read_text().split()
    if git_out(target, "rev-parse", "HEAD") != fields[1]:
        subprocess.run(["git", "reset", "-q", "--hard", fields[1]], cwd=target, check=True)
    return target


def open_tickets(root: Path) -> list[str]:
    """Open tickets of a usual size (1 to 6 log entries) to write to; writes keep them open."""
    sys.path.insert(0, str(HERE.parent))
    from pcsdesk.store.index import open_index
    from pcsdesk.store.store import Store

    store = Store(root)
    try:
        rows, _problems = open_index(store).rows(status="open")
    finally:
        store.close()
    # Not held by whom assign and escalate hand them to: pcsdesk refuses a hand-over to
    # the ticket's own holder, which made those two steps fail in some rounds.
    receivers = {"tech.pchs@pcschools.us", "netops@pcschools.us"}
    ids = sorted(row.id for row in rows if 1 <= row.note_count <= 6 and row.assignee.lower() not in receivers)
    if len(ids) < 5:
        raise SystemExit(f"{root} has only {len(ids)} open tickets to write to")
    return ids


def set_index_aside(root: Path) -> None:
    """Move the warm index away for a cold rebuild (put back afterwards by restore_index)."""
    folder = root / ".git" / "pcsdesk"
    for path in folder.glob("index.sqlite*"):
        path.rename(folder / f"bench-kept-{path.name}")


def restore_index(root: Path) -> None:
    """The warm index back, with its cached due times: the next round's reads stay warm."""
    folder = root / ".git" / "pcsdesk"
    for path in folder.glob("index.sqlite*"):
        path.unlink()
    for path in folder.glob("bench-kept-*"):
        path.rename(folder / path.name.removeprefix("bench-kept-"))


@dataclass
class Step:
    name: str
    argv: Callable[[int], list[str]]   # from the round number
    user: str = ETS
    before: Callable[[], None] | None = None
    after: Callable[[], None] | None = None
    cold: bool = False


def steps_for(root: Path, pcsdesk: list[str], ids: list[str]) -> list[Step]:
    def ticket(offset: int) -> Callable[[int], list[str]]:
        # A different ticket for each command and round, so no ticket grows much.
        return lambda round_number: [ids[(round_number * 5 + offset) % len(ids)]]

    def pc(*args: str, tail: Callable[[int], list[str]] | None = None,
           after: tuple[str, ...] = ()) -> Callable[[int], list[str]]:
        return lambda r: [*pcsdesk, *args, *(tail(r) if tail else []), *after]

    floor = [sys.executable, "-c", "import click, yaml"]
    return [
        Step("python -c 'import click, yaml' (floor)", lambda r: floor),
        Step("git commit --allow-empty", lambda r: ["git", "commit", "-q", "--allow-empty",
                                                    "-m", "bench: an empty commit"]),
        Step("new", pc("new", "--building", "PCHS", "--category", "av", "--summary",
                       "Bench: projector in 204 shows no signal"), user=TEACHER),
        Step("note", pc("note", tail=ticket(0), after=("-m", "Bench: checked the cable."))),
        Step("list --building (after a write)", pc("list", "--building", "PCHS")),
        Step("assign", pc("assign", tail=ticket(1), after=("--to", "tech.pchs@pcschools.us",
                                                           "-m", "Bench: yours"))),
        Step("escalate", pc("escalate", tail=ticket(2), after=(
            "--to", "netops@pcschools.us", "-m", "Bench: port tested, switch side next."))),
        Step("close", pc("close", tail=ticket(3), after=("-m", "Bench: fixed."))),
        Step("reopen", pc("reopen", tail=ticket(3), after=("-m", "Bench: back again."))),
        Step("show", pc("show", tail=ticket(4))),
        Step("list --building (warm index)", pc("list", "--building", "PCHS"),
             before=lambda: subprocess.run([*pcsdesk, "list", "--building", "PCHS"], cwd=root,
                                           env=child_environment(ETS), capture_output=True)),
        Step("overdue", pc("overdue")),
        Step("report", pc("report")),
        Step("index cold rebuild (list --building)", pc("list", "--building", "PCHS"),
             before=lambda: set_index_aside(root), after=lambda: restore_index(root), cold=True),
    ]


@dataclass
class Prepared:
    size: int
    root: Path
    steps: list[Step]
    samples: dict[str, Sample]
    label: str = "this"


def prepare(size: int, runs: int, stores: Path = STORES, label: str = "this",
            pcsdesk: list[str] | None = None, ids: list[str] | None = None) -> Prepared:
    """The store of `size` tickets, warmed up: bytecode written, index built, caches filled.

    `label` other than "this" times another pcsdesk on its own clone of the store;
    `ids` are the tickets to write to (the same for every version compared).
    """
    source = ensure_store(size, stores)
    # In a shared folder each checkout times its own clone: "this" is named after it.
    name = HERE.parent.name if label == "this" else label
    root = source if label == "this" and stores == STORES else clone_store(
        source, stores / "clones" / f"{size}-{name}")
    pcsdesk = pcsdesk or pcsdesk_command()
    subprocess.run([*pcsdesk, "list", "--building", "PCHS"], cwd=root, env=child_environment(ETS),
                   capture_output=True, check=True)
    steps = steps_for(root, pcsdesk, ids if ids is not None else open_tickets(root))
    for step in steps:
        if not step.cold:
            subprocess.run(step.argv(runs), cwd=root, env=child_environment(step.user),
                           capture_output=True)
    return Prepared(size, root, steps, {step.name: Sample() for step in steps}, label)


def bench(sizes: list[int], runs: int, cold_runs: int, stores: Path = STORES,
          versions: Sequence[tuple[str, list[str]]] = ()) -> dict[str, dict[int, dict[str, Sample]]]:
    """Every size (and version) in every round, so a busy spell of the machine touches all alike:
    the comparison between sizes (is a write flat?) is then as fair as the one with the floor."""
    prepared = []
    for size in sizes:
        this = prepare(size, runs, stores)
        ids = open_tickets(this.root)
        prepared.append(this)
        prepared += [prepare(size, runs, stores, label, command, ids) for label, command in versions]
    for round_number in range(runs):
        print(f"round {round_number + 1}/{runs}", file=sys.stderr)
        for store in prepared:
            for step in store.steps:
                if step.cold and round_number >= cold_runs:
                    continue
                if step.before is not None:
                    step.before()
                seconds, peak, code, err = timed(step.argv(round_number), store.root,
                                                 child_environment(step.user))
                if step.after is not None:
                    step.after()
                sample = store.samples[step.name]
                sample.seconds.append(seconds)
                sample.peak_kb = max(sample.peak_kb, peak)
                if code != 0:
                    sample.failures.append(err.strip().splitlines()[-1] if err.strip() else f"exit {code}")
    for store in prepared:
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=store.root,
                               capture_output=True, text=True, check=True).stdout
        if dirty:
            print(f"WARNING: {store.root} is not clean after the bench:\n{dirty}", file=sys.stderr)
    results: dict[str, dict[int, dict[str, Sample]]] = {}
    for store in prepared:
        results.setdefault(store.label, {})[store.size] = store.samples
    return results


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    git = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{model}, {cores} cores; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {git}")


WRITES = ("new", "note", "assign", "escalate", "close", "reopen", "show")
READS = ("list --building (warm index)", "overdue", "report")
FLOOR = "python -c 'import click, yaml' (floor)"
COLD = "index cold rebuild (list --building)"


def table(results: dict[int, dict[str, Sample]]) -> str:
    sizes = sorted(results)
    names = list(results[sizes[0]])
    header = "| command | " + " | ".join(f"{s:,} tickets" for s in sizes) + " | peak MB |"
    rule = "|---|" + "---:|" * len(sizes) + "---:|"
    lines = [header, rule]
    for name in names:
        cells = []
        for size in sizes:
            sample = results[size][name]
            floor = results[size][FLOOR].median
            cell = f"{sample.median * 1000:,.0f} ms"
            if name != FLOOR and not name.startswith("git"):
                cell += f" ({sample.median / floor:.2f}x)"
            if sample.failures:
                cell += " FAILED"
            cells.append(cell)
        peak = max(results[size][name].peak_kb for size in sizes) / 1024
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {peak:.0f} |")
    return "\n".join(lines)


def side_by_side(results: dict[str, dict[int, dict[str, Sample]]], size: int) -> str:
    """The medians of every version at one size, in columns."""
    labels = list(results)
    names = list(results[labels[0]][size])
    lines = [f"| command at {size:,} tickets | " + " | ".join(labels) + " |",
             "|---|" + "---:|" * len(labels)]
    for name in names:
        cells = [f"{results[label][size][name].median * 1000:,.0f} ms" for label in labels]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(results: dict[int, dict[str, Sample]]) -> list[str]:
    sizes = sorted(results)
    big, small = sizes[-1], sizes[0]
    out = []

    def line(ok: bool, text: str) -> None:
        out.append(f"- {'met   ' if ok else 'MISSED'} {text}")

    floor = results[big][FLOOR].median
    for name in WRITES:
        ratio = results[big][name].median / floor
        line(ratio <= WRITE_FACTOR, f"{name} at {big:,}: {ratio:.2f}x the floor (target {WRITE_FACTOR}x)")
        if big != small:
            growth = results[big][name].median / results[small][name].median - 1
            line(growth <= FLAT, f"{name} flat: {growth:+.0%} from {small:,} to {big:,} tickets "
                                 f"(target within {FLAT:.0%})")
    for name in READS:
        ratio = results[big][name].median / floor
        line(ratio <= READ_FACTOR, f"{name} at {big:,}: {ratio:.2f}x the floor (target {READ_FACTOR}x)")
    cold = results[big][COLD].median
    line(cold <= COLD_SECONDS, f"cold index rebuild at {big:,}: {cold:.1f} s (target {COLD_SECONDS:.0f} s)")
    peak = max(s.peak_kb for r in results.values() for s in r.values()) / 1024
    worst = max(((s.peak_kb, n) for r in results.values() for n, s in r.items()))[1]
    line(peak <= PEAK_MB, f"peak memory of any command: {peak:.0f} MB ({worst}; target {PEAK_MB:.0f} MB)")
    for size, samples in results.items():
        for name, sample in samples.items():
            if sample.failures:
                out.append(f"- FAILED {name} at {size:,}: {sample.failures[0]}")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="store sizes, comma-separated (default 1000,10000,100000)")
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (default 7)")
    parser.add_argument("--cold-runs", type=int, default=3,
                        help="runs of the cold index rebuild, the slow one (default 3)")
    parser.add_argument("--stores", type=Path, default=STORES,
                        help="where the generated stores are kept (default bench/stores)")
    parser.add_argument("--compare", action="append", default=[], metavar="LABEL=PCSDESK",
                        help="also time this pcsdesk executable, in the same rounds (repeatable)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    versions = []
    for spec in args.compare:
        label, _, command = spec.partition("=")
        if not label or not command or label == "this":
            parser.error(f"--compare {spec!r}: give LABEL=PATH, e.g. main=/work/base/.venv/bin/pcsdesk")
        versions.append((label, [command]))
    started = datetime.now().astimezone()
    results = bench(sizes, args.runs, max(1, min(args.cold_runs, args.runs)), args.stores, versions)
    print(f"pcsdesk bench, {started:%Y-%m-%d %H:%M %Z}; {machine()}")
    print(f"medians of {args.runs} runs (cold rebuild: {min(args.cold_runs, args.runs)}), "
          "each a new process; (Nx) = times the floor of the same size\n")
    for label, by_size in results.items():
        if versions:
            print(f"## {label}\n")
        print(table(by_size))
        print()
        print("\n".join(verdicts(by_size)))
        print()
    if versions:
        print(side_by_side(results, max(sizes)))


if __name__ == "__main__":
    main()
