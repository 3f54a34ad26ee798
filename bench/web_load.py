"""Load on `pcsdesk serve` at district scale: page times, New Ticket submitted, 16 clients at once.

    python bench/web_load.py [--store PATH] [--runs 30] [--clients 16] [--submissions 160]
                             [--compare LABEL=PCSDESK]...

On a CLONE of the store of 100,000 tickets that bench/run.py makes (bench/stores/100000,
or --store PATH, e.g. the shared /work/bench-stores/100000): the store itself is only
read, never written. Each server under test gets its own clone beside this checkout
(bench/stores/clones/<N>-web-<label>, objects hard-linked; its index copied from the
store's when the store has one), reset to the store's commit at every start. With
--compare, each LABEL=PCSDESK (another checkout's installed `pcsdesk`, e.g. main before
a change) is measured in the same run: the one-at-a-time samples interleaved with this
checkout's, so a busy moment of the machine touches both alike. It starts `pcsdesk
serve` on 127.0.0.1 and, as the sign-in proxy would, sends the identity header from
127.0.0.1:

- ready: seconds from starting the server until it answers a page, with the index
  made stale first by one commit from the CLI (the server must not wait for it);
- "My tickets" (a teacher's), a ticket page, the staff queue (the building ETS's),
  and New Ticket submitted (GET the form for its CSRF token, POST, follow to the
  ticket): `--runs` times each, one at a time, interleaved with a baseline: a GET
  of the static stylesheet, the server's own floor. Median and 95th percentile;
- throughput: `--clients` clients submitting `--submissions` tickets in all, at once;
  then every ticket must be in git exactly once (one commit each, distinct IDs), and
  `pcsdesk check` clean;
- memory: the server's peak resident set (VmHWM) at the end.

Bounded: every request has a timeout, the whole run a deadline (--max-seconds), and
the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOW = "2027-06-04T14:00:00"   # the generator's last school day, as bench/run.py
# The requester with the most tickets in the generated store of 100,000 (147 of them).
TEACHER = "matthew.rogers@pcschools.us"
ETS = "ets.pchs@pcschools.us"
HEADER = "X-Forwarded-Email"
TIMEOUT = 60.0
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_ADDRESS = re.compile(r"at http://127\.0\.0\.1:(\d+)/")
_TICKET_LINK = re.compile(r'href="/tickets/(\d{4}-[0-9A-Z]{5})"')

# Issue 12's targets on this 2-core machine.
PAGE_MS = 50.0
SUBMIT_MS = 80.0
SUBMITS_PER_SECOND = 20.0
PEAK_MB = 150.0
READY_SECONDS = 2.0


class Client:
    """One person's browser: a keep-alive connection, the session cookie, their identity."""

    def __init__(self, port: int, who: str) -> None:
        self.port = port
        self.who = who
        self.cookie = ""
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, dict[str, str]]:
        headers = {HEADER: self.who}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: open another, once.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
                if attempt:
                    raise
        found = response.getheader("Set-Cookie")
        if found:
            self.cookie = found.split(";", 1)[0]
        return response.status, text, {k.lower(): v for k, v in response.getheaders()}

    def get(self, path: str) -> str:
        status, text, _ = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} as {self.who}: {status}")
        return text

    def submit(self, summary: str) -> str:
        """New Ticket as a person does it: the form, the POST, the ticket's page. Returns the ID."""
        token = _TOKEN.search(self.get("/new"))
        assert token, "no CSRF token on /new"
        body = urllib.parse.urlencode({
            "csrf_token": token.group(1), "building": "PCHS", "category": "av", "summary": summary,
            "details": "Bench: the projector says No Input.", "check": "cables", "others_affected": "no",
        })
        status, text, headers = self.request("POST", "/new", body)
        if status != 303:
            raise RuntimeError(f"POST /new: {status} {text[:300]}")
        location = headers["location"]
        self.get(location)
        return location.split("/")[2].split("?")[0]

    def close(self) -> None:
        self.connection.close()


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)

    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000

    def p95_ms(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)   # an installed tool has its bytecode
    for name in ("PCSDESK_STORE", "PCSDESK_USER", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    env.update({"PCSDESK_NOW": NOW, "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@pcschools.us",
                "LC_ALL": "C"})
    return env


def pcsdesk() -> list[str]:
    script = Path(sys.executable).with_name("pcsdesk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pcsdesk"]


def start_server(root: Path, command: list[str]) -> tuple[subprocess.Popen[str], int, float]:
    """The server, its port, and the seconds until it answered its first page."""
    started = time.perf_counter()
    server = subprocess.Popen([*command, "--store", str(root), "serve", "--port", "0"], env=environment(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    port = None
    for _ in range(20):
        line = server.stderr.readline()
        found = _ADDRESS.search(line)
        if found:
            port = int(found.group(1))
            break
    if port is None:
        server.kill()
        raise SystemExit("pcsdesk serve did not start")
    threading.Thread(target=lambda: [None for _ in server.stderr or ()], daemon=True).start()
    client = Client(port, TEACHER)
    client.get("/new")
    ready = time.perf_counter() - started
    client.close()
    return server, port, ready


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(sample: Sample, action: object) -> object:
    assert callable(action)
    started = time.perf_counter()
    result = action()
    sample.seconds.append(time.perf_counter() - started)
    return result


def clone_of(source: Path, target: Path) -> Path:
    """A clone of `source` at its HEAD (objects hard-linked), so the bench never writes into `source`.

    Kept between runs and reset to the source's commit each time. The source's
    index, when it has one, is copied in: it describes the same trees, so the clone
    starts warm instead of spending a cold rebuild on each new clone.
    """
    head = git(source, "rev-parse", "HEAD")
    if not (target / ".git").is_dir():
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        print(f"cloning {source} to {target} ...", file=sys.stderr)
        subprocess.run(["git", "clone", "-q", "--local", str(source), str(target)], check=True)
        kept = source / ".git" / "pcsdesk" / "index.sqlite"
        if kept.is_file():
            (target / ".git" / "pcsdesk").mkdir(exist_ok=True)
            shutil.copyfile(kept, target / ".git" / "pcsdesk" / "index.sqlite")
    git(target, "fetch", "-q", str(source), "HEAD")
    git(target, "reset", "-q", "--hard", head)
    return target


@dataclass
class Version:
    """One server under test: its label, its `pcsdesk`, its own clone, what was measured."""

    label: str
    command: list[str]
    root: Path
    server: subprocess.Popen[str] | None = None
    port: int = 0
    ready: float = 0.0
    ids: list[str] = field(default_factory=list)
    samples: dict[str, Sample] = field(default_factory=lambda: {name: Sample() for name in SAMPLES})
    before: int = 0
    after: int = 0
    entered: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    wall: float = 0.0
    memory: float = float("nan")
    code: int | None = None
    check: str = ""
    committed: set[str] = field(default_factory=set)
    clients: list[Client] = field(default_factory=list)


SAMPLES = ("stylesheet (floor)", "My tickets", "ticket page", "queue", "New Ticket submitted")


def start(version: Version) -> None:
    """A stale index (one CLI commit the index has not seen), then the server, warmed up."""
    subprocess.run([*version.command, "--store", str(version.root), "--as", ETS, "new", "--building", "PCHS",
                    "--summary", "Bench: makes the index stale"], env=environment(), check=True,
                   capture_output=True)
    version.server, version.port, version.ready = start_server(version.root, version.command)
    teacher, ets = Client(version.port, TEACHER), Client(version.port, ETS)
    mine = teacher.get("/")   # the first "My tickets" may wait for the index to catch up
    version.ids = _TICKET_LINK.findall(mine)
    if not version.ids:
        raise SystemExit(f"{TEACHER} has no tickets in {version.root}")
    ets.get("/queue")
    version.clients = [teacher, ets]


def one_round(version: Version, run: int) -> None:
    teacher, ets = version.clients
    samples = version.samples
    timed(samples["stylesheet (floor)"], lambda: teacher.get("/static/style.css"))
    timed(samples["My tickets"], lambda: teacher.get("/"))
    page, summary = f"/tickets/{version.ids[run % len(version.ids)]}", f"Bench: sequential {run}"
    timed(samples["ticket page"], lambda: teacher.get(page))
    timed(samples["queue"], lambda: ets.get("/queue"))
    timed(samples["New Ticket submitted"], lambda: teacher.submit(summary))


def throughput(version: Version, clients: int, submissions: int, deadline: float) -> None:
    """`clients` people submitting `submissions` tickets in all, at once."""
    version.before = int(git(version.root, "rev-list", "--count", "HEAD"))
    lock = threading.Lock()
    share = [submissions // clients + (1 if i < submissions % clients else 0) for i in range(clients)]

    def client(number: int) -> None:
        person = Client(version.port, f"bench.client{number}@pcschools.us")
        try:
            for k in range(share[number]):
                if time.monotonic() > deadline:
                    return
                ticket_id = person.submit(f"Bench: client {number} ticket {k}")
                with lock:
                    version.entered.append(ticket_id)
        except Exception as e:
            with lock:
                version.failures.append(f"client {number}: {e}")
        finally:
            person.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    version.wall = time.perf_counter() - started
    assert version.server is not None
    version.memory = peak_mb(version.server.pid)


def stop(version: Version, start_head: str) -> None:
    """SIGTERM, then count the commits, run `check`, and put the clone back where it was."""
    for person in version.clients:
        person.close()
    if version.server is not None:
        version.server.send_signal(signal.SIGTERM)
        try:
            version.code = version.server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            version.server.kill()   # reported: "exit on SIGTERM: None"
            version.server.wait()
    root = version.root
    version.after = int(git(root, "rev-list", "--count", "HEAD"))
    check = subprocess.run([*version.command, "--store", str(root), "check"], env=environment(),
                           capture_output=True, text=True)
    version.check = "clean" if check.returncode == 0 else (check.stdout + check.stderr).strip()
    subjects = git(root, "log", f"-{len(version.entered) or 1}", "--format=%s").splitlines()
    version.committed = {line.split()[0] for line in subjects if " new: Bench: client " in line}
    git(root, "reset", "-q", "--hard", start_head)


def report(version: Version, tickets: int, runs: int, clients: int) -> None:
    print(f"== {version.label}: pcsdesk serve on {tickets:,} tickets ({version.root}), {runs} runs each\n")
    print(f"{'':28} {'median ms':>10} {'p95 ms':>8}")
    samples = version.samples
    for name, sample in samples.items():
        if sample.seconds:
            print(f"{name:28} {sample.median_ms():10.1f} {sample.p95_ms():8.1f}")
    entered = version.entered
    rate = len(entered) / version.wall if version.wall else 0.0
    made = version.after - version.before
    print(f"\nready after start (stale index): {version.ready:.2f} s")
    print(f"{clients} clients: {len(entered)} tickets submitted in {version.wall:.2f} s = {rate:.1f} tickets/s")
    print(f"commits made: {made} for {len(entered)} tickets; distinct IDs: {len(set(entered))}; "
          f"all committed: {version.committed == set(entered)}; failures: {len(version.failures)}")
    print(f"server peak memory: {version.memory:.0f} MB; exit on SIGTERM: {version.code}; check: {version.check}")
    for failure in version.failures[:5]:
        print(f"  {failure}")
    print("\ntargets:")
    pages = max(samples[n].median_ms() for n in ("My tickets", "ticket page", "queue"))
    submitted = samples["New Ticket submitted"].median_ms()
    verdicts = [
        (f"pages <= {PAGE_MS:.0f} ms median", pages <= PAGE_MS, f"{pages:.1f} ms"),
        (f"submitted <= {SUBMIT_MS:.0f} ms median", submitted <= SUBMIT_MS, f"{submitted:.1f} ms"),
        (f">= {SUBMITS_PER_SECOND:.0f} tickets/s with {clients} clients", rate >= SUBMITS_PER_SECOND,
         f"{rate:.1f}/s"),
        ("none lost or duplicated", not version.failures and version.committed == set(entered)
         and made == len(entered) and len(set(entered)) == len(entered), f"{len(entered)} in, {made} commits"),
        (f"under {PEAK_MB:.0f} MB", version.memory < PEAK_MB, f"{version.memory:.0f} MB"),
        (f"ready within {READY_SECONDS:.0f} s", version.ready <= READY_SECONDS, f"{version.ready:.2f} s"),
    ]
    for name, ok, value in verdicts:
        print(f"  {'met   ' if ok else 'MISSED'} {name}: {value}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, default=HERE / "stores" / "100000",
                        help="the store to clone (only read)")
    parser.add_argument("--clones", type=Path, default=HERE / "stores" / "clones",
                        help="where each server's own clone is kept")
    parser.add_argument("--compare", action="append", default=[], metavar="LABEL=PCSDESK",
                        help="also measure another pcsdesk (e.g. main's) in the same run")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--submissions", type=int, default=160)
    parser.add_argument("--max-seconds", type=float, default=900.0)
    options = parser.parse_args()
    source = options.store.resolve()
    if not (source / "tickets").is_dir():
        raise SystemExit(f"{source} is not a store; run bench/run.py --sizes 100000 first, or pass --store")
    deadline = time.monotonic() + options.max_seconds
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(SystemExit("bench: out of time")))
    signal.alarm(int(options.max_seconds) + 120)
    start_head = git(source, "rev-parse", "HEAD")
    tickets = int(git(source, "ls-files", "tickets").count("\n")) + 1
    named = [("this", pcsdesk())]
    for entry in options.compare:
        label, _, command = entry.partition("=")
        if not label or not command:
            raise SystemExit(f"--compare {entry!r}: expected LABEL=PCSDESK")
        named.append((label, command.split()))
    versions = [Version(label, command, clone_of(source, options.clones / f"{source.name}-web-{label}"))
                for label, command in named]
    try:
        for version in versions:
            start(version)
        for run in range(options.runs):
            if time.monotonic() > deadline:
                break
            for version in versions:
                one_round(version, run)
        for version in versions:
            throughput(version, options.clients, options.submissions, deadline)
    finally:
        for version in versions:
            stop(version, start_head)
    print(f"{len(versions)} server(s) on {tickets:,} tickets, 2 cores shared\n")
    for version in versions:
        report(version, tickets, options.runs, options.clients)


if __name__ == "__main__":
    main()
