"""Time the server-side gate, `pcsdesk pre-receive`, per push, on stores of 10,000 and 100,000 tickets.

    python bench/gate.py --store /work/bench-stores/10000 --store /work/bench-stores/100000 [--runs 7]

Each store (made by bench/generate.py) is cloned bare, as the district's server
holds it, with the hook installed; a second bare clone plays the technician and
holds one new commit: a note appended to an open ticket by its assignee, at the
generator's last day (the committer date is set to the same instant, as an honest
clock would have it). Each round, beside the floor (`python -c "import click,
yaml"`), it times:

- the hook alone: `pcsdesk pre-receive` fed `OLD NEW refs/heads/main` in the bare
  repository, as git runs it;
- a whole `git push` of that commit with the hook installed, and without it: the
  difference is what the gate adds to a technician's push.

The server's branch is put back before every push, so each push carries the same
commit (its objects are already on the server after the first: what is timed is
the ref update and the hook, not the transfer). Prints the median of each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOW = "2027-06-04T14:00:00-06:00"   # the generator's last school day, 14:00 district time
HOOK = "#!/bin/sh\nexec {pcsdesk} pre-receive\n"


def pcsdesk_command() -> str:
    script = Path(sys.executable).with_name("pcsdesk")
    return str(script) if script.exists() else f"{sys.executable} -m pcsdesk"


def git(cwd: Path, *args: str, env: dict[str, str] | None = None, input: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **(env or {})}, input=input,
                          capture_output=True, check=True)
    return done.stdout.decode().strip()


def timed(command: list[str], cwd: Path, env: dict[str, str], input: bytes | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, input=input, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or (command[-1] == "pre-receive" and (done.stdout or done.stderr)):
        raise SystemExit(f"{' '.join(command)} failed or spoke:\n{done.stdout.decode()}{done.stderr.decode()}")
    return elapsed


def open_ticket(bare: Path) -> tuple[str, str, str]:
    """An open ticket's path, its assignee and its blob at the server's head."""
    listing = git(bare, "ls-tree", "-r", "main", "--", "tickets/2706", "tickets/2705")
    for line in reversed(listing.splitlines()):
        meta, path = line.split("\t")
        blob = meta.split()[2]
        text = git(bare, "cat-file", "blob", blob)
        if "status: open" in text and "\nnotes:\n" in text:
            assignee = next(x.split(": ", 1)[1] for x in text.splitlines() if x.startswith("assignee: "))
            return path, assignee, blob
    raise SystemExit("no open ticket with notes in the store's last months")


def prepare(store: Path, scratch: Path) -> tuple[Path, Path, str, str, str]:
    """The server (bare, hook installed), the technician's clone holding one new commit, and who pushes."""
    server, client = scratch / "server.git", scratch / "client.git"
    git(scratch, "clone", "-q", "--bare", "--local", str(store), str(server))
    git(server, "symbolic-ref", "HEAD", "refs/heads/main")
    git(scratch, "clone", "-q", "--bare", "--shared", str(server), str(client))
    path, assignee, blob = open_ticket(client)
    text = git(client, "cat-file", "blob", blob) + (
        f"\n- at: '{NOW}'\n  by: {assignee}\n  kind: note\n  text: Checked again after the update\n"
    )
    new_blob = git(client, "hash-object", "-w", "--stdin", input=text.encode())
    index = {"GIT_INDEX_FILE": str(scratch / "index")}
    git(client, "read-tree", "main", env=index)
    git(client, "update-index", "--cacheinfo", f"100644,{new_blob},{path}", env=index)
    tree = git(client, "write-tree", env=index)
    old = git(client, "rev-parse", "main")
    who = {"GIT_AUTHOR_NAME": assignee, "GIT_AUTHOR_EMAIL": assignee, "GIT_AUTHOR_DATE": NOW,
           "GIT_COMMITTER_NAME": assignee, "GIT_COMMITTER_EMAIL": assignee, "GIT_COMMITTER_DATE": NOW}
    new = git(client, "commit-tree", tree, "-p", old, env=who, input=b"A note, for the gate's bench\n")
    git(client, "update-ref", "refs/heads/main", new)
    # The commit's objects on the server (under a ref the gate does not watch), so the
    # hook alone can be run on them as git would after receiving the push.
    git(client, "push", "-q", str(server), "main:refs/bench/incoming")
    hook = server / "hooks" / "pre-receive"
    hook.write_text(HOOK.format(pcsdesk=pcsdesk_command()))
    hook.chmod(0o755)
    return server, client, old, new, assignee


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", action="append", type=Path, required=True, help="a generated store (repeat)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "GIT_DIR")}
    with tempfile.TemporaryDirectory(prefix="pcsdesk-gate-bench-") as tmp:
        setups = []
        for store in args.store:
            scratch = Path(tmp) / store.name
            scratch.mkdir()
            setups.append((store, *prepare(store, scratch)))
        samples: dict[str, list[float]] = {}
        for _ in range(args.runs):
            floor = timed([sys.executable, "-c", "import click, yaml"], Path(tmp), env)
            samples.setdefault("floor", []).append(floor)
            for store, server, client, old, new, assignee in setups:
                pusher = {**env, "REMOTE_USER": assignee}
                hook_cmd = [*pcsdesk_command().split(), "pre-receive"]
                line = f"{old} {new} refs/heads/main\n".encode()
                samples.setdefault(f"{store.name}: hook alone", []).append(
                    timed(hook_cmd, server, {**pusher, "GIT_DIR": str(server)}, line))
                for label, hook_on in (("git push, with the hook", True), ("git push, no hook", False)):
                    hook = server / "hooks" / "pre-receive"
                    parked = server / "hooks" / "pre-receive.parked"
                    if not hook_on:
                        hook.rename(parked)
                    git(server, "update-ref", "refs/heads/main", old)
                    try:
                        samples.setdefault(f"{store.name}: {label}", []).append(timed(
                            ["git", "push", "-q", str(server), "main:main"], client, pusher))
                    finally:
                        if not hook_on:
                            parked.rename(hook)
        width = max(len(k) for k in samples)
        print(f"medians of {args.runs} runs")
        for label, values in samples.items():
            print(f"{label:<{width}}  {statistics.median(values) * 1000:7.0f} ms")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
