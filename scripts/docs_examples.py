"""Run the console examples of README.md and docs/*.md and compare (or rewrite) their output.

    python scripts/docs_examples.py            # check: print what differs, exit 1 if anything does
    python scripts/docs_examples.py --update   # rewrite every example's output in place
    python scripts/docs_examples.py --update docs/ticket-flow.md    # only these files

The idea is sqlite-utils' cog (`cog -r` rewrites, `cog --check` fails CI), but the
generator is the example itself: every fenced block with `$ ` lines is a shell session whose
`$ ` lines are commands, run for real by bash against a real store in a temporary
folder, and whose other lines are their output (standard output and standard error,
as a terminal shows them). tests/test_docs_examples.py runs the check.

Each such block is preceded by a marker saying how it starts:

    <!-- example: setup=NAME now=2026-11-30T10:00 dir=/tmp/rd -->
    <!-- example: continue now=2026-12-01T08:00 -->
    <!-- example: skip WHY -->

- `setup=NAME[,NAME...]` runs scripts/docs_setups/NAME.sh, in order, before the block:
  bash, in the empty folder the example starts in; `at TIME pcsdesk ...` sets the clock
  of one step and `ticket_id SUMMARY` finds an ID. `setup=empty` runs nothing.
- `continue` carries on where the previous example of the same file left off: the same
  store, folder and exported variables. It may add a `setup=` of its own, run first.
- `now=TIME` exports $PCSDESK_NOW for the block, read as pcsdesk reads it. A command
  ending in a comment `# PCSDESK_NOW=TIME` runs at that time alone.
- `dir=PATH` is how the example's temporary folder is shown (/home/tech if not said):
  a machine-specific part of an output, replaced explicitly, never hidden. Inherited
  by `continue`.
- `python=PATH` shows the Python interpreter's path (which a merge driver's command
  line names) as PATH: machine-specific too, so replaced explicitly.
- `columns=N` sets $COLUMNS (80 otherwise, as when there is no terminal).
- `terminal` runs the block's `pcsdesk` commands that are not piped at a pseudo-terminal
  (script(1), 80 columns), as a person at a terminal runs them: the editor, the prompts.
- `skip WHY` leaves a block unrun, saying why (it needs a terminal, a mail server...).

The clock is fixed as the tests fix it: pcsdesk gets $PCSDESK_NOW, and git gets the same
instant as $GIT_COMMITTER_DATE (and, for a plain `git commit`, $GIT_AUTHOR_DATE), so
commit ids are the same on every run. Ticket IDs are drawn from the ticket's summary and
entry time instead of the OS's randomness (only here: a `pcsdesk` on $PATH that wraps the
real one), so the same ticket has the same ID in every example and on every run.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SETUPS = Path(__file__).resolve().parent / "docs_setups"
DISTRICT_TZ = "America/Denver"

MARKER = re.compile(r"^\s*<!-- example: (.*?) -->\s*$")
FENCE_OPEN = re.compile(r"^(\s*)```[\w-]*\s*$")
HEREDOC = re.compile(r"<<-?\s*(['\"]?)(\w+)\1")
CLOCK_COMMENT = re.compile(r"#\s*PCSDESK_NOW=(\S+)\s*$")
SEPARATOR = "\x1e@@docs-example-command@@"


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@dataclass
class Command:
    text: str                 # as written after "$ ", continuation and here-document lines included
    output: list[str]         # the lines shown under it
    start: int                # index in the block's lines of its first output line
    end: int                  # ... and one past its last


@dataclass
class Example:
    path: Path
    line: int                 # 1-based line of the ```console fence
    options: dict[str, str]
    skip: str | None
    indent: str
    body: list[str]           # the block's lines, without the fences and the indent
    body_start: int           # 0-based index in the file of the first body line
    commands: list[Command] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{shown(self.path)}:{self.line}"


class ExampleError(Exception):
    """A block that cannot be run as written (no marker, an unknown option...)."""


def parse_options(text: str) -> tuple[dict[str, str], str | None]:
    words = text.split()
    if words and words[0] == "skip":
        reason = text.strip()[len("skip"):].strip()
        if not reason:
            raise ExampleError("`skip` needs a reason")
        return {}, reason
    options: dict[str, str] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if word in ("continue", "terminal"):
            options[word] = "yes"
        elif sep and key in ("setup", "now", "dir", "columns", "python"):
            options[key] = value
        else:
            raise ExampleError(f"unknown marker word {word!r}")
    if "setup" not in options and "continue" not in options:
        raise ExampleError("a marker needs setup=NAME or continue")
    return options, None


def split_commands(body: list[str]) -> list[Command]:
    commands: list[Command] = []
    i = 0
    while i < len(body) and not body[i].startswith("$ "):
        if body[i].strip():
            raise ExampleError(f"output before the first command: {body[i]!r}")
        i += 1
    while i < len(body):
        lines = [body[i][2:]]
        i += 1
        while lines[-1].endswith("\\") and i < len(body):
            lines.append(body[i])
            i += 1
        heredoc = HEREDOC.search(lines[0])
        if heredoc:
            while i < len(body):
                lines.append(body[i])
                i += 1
                if lines[-1] == heredoc[2]:
                    break
        start = i
        while i < len(body) and not body[i].startswith("$ "):
            i += 1
        commands.append(Command("\n".join(lines), body[start:i], start, i))
    return commands


def find_examples(path: Path) -> list[Example]:
    lines = path.read_text().splitlines()
    examples: list[Example] = []
    i = 0
    while i < len(lines):
        fence = FENCE_OPEN.match(lines[i])
        if not fence:
            i += 1
            continue
        indent = fence[1]
        end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
        body = [line[len(indent):] if line.startswith(indent) else line.lstrip() for line in lines[i + 1:end]]
        if any(line.startswith("$ ") for line in body):
            before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
            marker = MARKER.match(before)
            where = f"{shown(path)}:{i + 1}"
            if not marker:
                raise ExampleError(f"{where}: a console example needs a marker line before it, "
                                   "<!-- example: setup=NAME ... --> or <!-- example: skip WHY --> "
                                   "(scripts/docs_examples.py says how)")
            try:
                options, skip = parse_options(marker[1])
                example = Example(path, i + 1, options, skip, indent, body, i + 1)
                example.commands = split_commands(body)
            except ExampleError as e:
                raise ExampleError(f"{where}: {e}") from None
            examples.append(example)
        i = end + 1
    return examples


def sessions(examples: list[Example]) -> list[list[Example]]:
    """The examples in runs that share one store: each run starts at a `setup=` marker."""
    runs: list[list[Example]] = []
    for example in examples:
        if example.skip is not None:
            continue
        if "continue" in example.options:
            if not runs:
                raise ExampleError(f"{example.name}: `continue` with nothing before it to continue")
            runs[-1].append(example)
        else:
            runs.append([example])
    return runs


def all_sessions(paths: list[Path] | None = None) -> list[list[Example]]:
    return [run for path in (paths or documents()) for run in sessions(find_examples(path))]


# --- running ---------------------------------------------------------------------------

WRAPPER = """#!{python}
import sys
sys.path.insert(0, {scripts!r})
import docs_examples
docs_examples.seeded_pcsdesk()
"""

PRELUDE = r"""
_docs_clock() {
    if [ -n "${PCSDESK_NOW:-}" ]; then
        GIT_COMMITTER_DATE="$(TZ=%(tz)s date -d "$PCSDESK_NOW" '+%%s %%z')"
        GIT_AUTHOR_DATE="$GIT_COMMITTER_DATE"
        export GIT_COMMITTER_DATE GIT_AUTHOR_DATE
    fi
}
# The ID of the ticket with this summary, in the store the shell is in (for setups).
ticket_id() { basename "$(grep -rlF -- "summary: $1" tickets | head -n 1)" .yaml; }
at() { local when="$1"; shift; ( export PCSDESK_NOW="$when"; _docs_clock; "$@" ); }
_docs_save() { pwd > "%(state)s/cwd"; export -p > "%(state)s/env"; }
if [ -f "%(state)s/env" ]; then . "%(state)s/env"; cd "$(cat "%(state)s/cwd")"; fi
"""


class Sandbox:
    """The temporary folder one run of examples lives in: home, bin, state, the work folder."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.work = self.root / "work"
        self.state = self.root / "state"
        for folder in (self.work, self.state, self.root / "home", self.root / "bin"):
            folder.mkdir(parents=True, exist_ok=True)
        (self.root / "home" / ".gitconfig").write_text("[init]\n\tdefaultBranch = main\n")
        wrapper = self.root / "bin" / "pcsdesk"
        wrapper.write_text(WRAPPER.format(python=sys.executable, scripts=str(SETUPS.parent)))
        wrapper.chmod(0o755)
        self.env = {
            "PATH": f"{self.root / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.root / "home"),
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "dumb", "COLUMNS": "80",
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_EDITOR": "false", "EDITOR": "false", "PAGER": "cat",
            "GIT_PAGER": "cat",
        }

    def bash(self, script: str) -> str:
        prelude = PRELUDE % {"tz": DISTRICT_TZ, "state": self.state}
        result = subprocess.run(["bash", "-c", prelude + script + "\n_docs_save\n"], cwd=self.work,
                                env=self.env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        return result.stdout + result.stderr

    def setup(self, name: str) -> None:
        script = SETUPS / f"{name}.sh"
        if not script.is_file():
            raise ExampleError(f"no setup {name!r}: expected {script.relative_to(ROOT)}")
        prelude = PRELUDE % {"tz": DISTRICT_TZ, "state": self.state}
        result = subprocess.run(["bash", "-c", f"{prelude}set -e\n. {shlex.quote(str(script))}\nset +e\n_docs_save\n"],
                                cwd=self.work, env=self.env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if result.returncode != 0:
            raise ExampleError(f"setup {name} failed:\n{result.stdout}{result.stderr}")


def run_example(sandbox: Sandbox, example: Example, shown_dir: str) -> list[list[str]]:
    """The output lines of each of the example's commands, run in order in one shell."""
    for name in example.options.get("setup", "empty").split(","):
        if name != "empty":
            sandbox.setup(name)
    parts = []
    if "now" in example.options:
        parts.append(f"export PCSDESK_NOW={shlex.quote(example.options['now'])}")
    parts.append(f"export COLUMNS={shlex.quote(example.options.get('columns', '80'))}")
    for command in example.commands:
        clock = CLOCK_COMMENT.search(command.text.splitlines()[0])
        run = f"{{ {command.text}\n}}"
        if "terminal" in example.options and command.text.startswith("pcsdesk ") and "|" not in command.text:
            # script(1) gives the command a pseudo-terminal of 80 columns; the terminal's
            # line ends (CR LF) are made plain again below.
            inner = f"stty cols 80 rows 24; {command.text}"
            run = f"script -qec {shlex.quote(inner)} /dev/null"
        if clock:
            run = f"( export PCSDESK_NOW={shlex.quote(clock[1])}; _docs_clock\n{command.text}\n)"
        parts.append(f"printf '%s\\n' {shlex.quote(SEPARATOR)}\n_docs_clock\n{run} 2>&1")
    output = sandbox.bash("\n".join(parts))
    output = output.replace(str(sandbox.work), shown_dir)
    if "terminal" in example.options:
        output = output.replace("\r\n", "\n")
    if "python" in example.options:
        output = output.replace(sys.executable, example.options["python"])
    pieces = output.split(SEPARATOR + "\n")
    if len(pieces) != len(example.commands) + 1:
        raise ExampleError(f"{example.name}: the shell stopped early:\n{output}")
    return [piece.splitlines() for piece in pieces[1:]]


def run_session(session: list[Example], scratch: Path) -> list[list[list[str]]]:
    sandbox = Sandbox(scratch)
    shown_dir = "/home/tech"
    results = []
    for example in session:
        shown_dir = example.options.get("dir", shown_dir)
        results.append(run_example(sandbox, example, shown_dir))
    return results


def differences(session: list[Example], results: list[list[list[str]]]) -> list[str]:
    """A unified diff per command whose output is not as shown; empty when all match."""
    found = []
    for example, outputs in zip(session, results, strict=True):
        for command, actual in zip(example.commands, outputs, strict=True):
            if actual != command.output:
                found.append(f"{example.name}: $ {command.text.splitlines()[0]}\n" + "\n".join(
                    difflib.unified_diff(command.output, actual, "shown", "run", lineterm="")))
    return found


def rewrite(path: Path, results: dict[int, list[list[str]]]) -> bool:
    """Put each run example's actual output in place of what the file shows; True if it changed."""
    original = path.read_text()
    lines = original.splitlines()
    for example in reversed(find_examples(path)):
        if example.line not in results:
            continue
        for command, actual in reversed(list(zip(example.commands, results[example.line], strict=True))):
            start, end = example.body_start + command.start, example.body_start + command.end
            lines[start:end] = [example.indent + line if line else line for line in actual]
    text = "\n".join(lines) + ("\n" if original.endswith("\n") else "")
    if text != original:
        path.write_text(text)
    return text != original


# --- the pcsdesk the examples run ---------------------------------------------------------

def seeded_token(summary: str, when: Any, attempt: int) -> str:
    from pcsdesk.rules.ids import ALPHABET, RANDOM_LENGTH

    digest = hashlib.sha256(f"{summary}\n{when.isoformat()}\n{attempt}".encode()).digest()
    bits = int.from_bytes(digest[:4], "big")
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(RANDOM_LENGTH))


def seeded_pcsdesk() -> None:
    """pcsdesk with IDs from the summary and time, and git's committer date from $PCSDESK_NOW."""
    from zoneinfo import ZoneInfo

    from pcsdesk.desk import actions
    from pcsdesk.errors import PcsdeskError, StoreConflict
    from pcsdesk.rules.clock import parse_instant

    original = actions.create_ticket

    def create_ticket(store: Any, actor: Any, request: Any, token: str | None = None) -> Any:
        if token is not None:
            return original(store, actor, request, token)
        for attempt in count():
            try:
                return original(store, actor, request, seeded_token(request.summary, actor.now, attempt))
            except StoreConflict as e:
                if "already exists" not in str(e):
                    raise
        raise AssertionError("unreachable")

    actions.create_ticket = create_ticket
    if os.environ.get("PCSDESK_NOW"):
        try:
            instant = parse_instant(os.environ["PCSDESK_NOW"], ZoneInfo(DISTRICT_TZ))
            os.environ["GIT_COMMITTER_DATE"] = f"{int(instant.timestamp())} {instant:%z}"
        except PcsdeskError:
            pass    # pcsdesk refuses this clock itself, as the example should show
    from pcsdesk.cli import cli

    cli(prog_name="pcsdesk")


# --- the command line ---------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--update", action="store_true", help="rewrite the outputs in place")
    parser.add_argument("files", nargs="*", type=Path, help="README.md, docs/*.md (default: all)")
    args = parser.parse_args(argv)
    paths = [path.resolve() for path in args.files] or documents()
    failed = False
    by_file: dict[Path, dict[int, list[list[str]]]] = {}
    for session in all_sessions(paths):
        with tempfile.TemporaryDirectory(prefix="pcsdesk-docs-") as scratch:
            results = run_session(session, Path(scratch))
        for example, outputs in zip(session, results, strict=True):
            by_file.setdefault(example.path, {})[example.line] = outputs
        for difference in differences(session, results):
            failed = True
            if not args.update:
                print(difference, end="\n\n")
    if args.update:
        for path, results_of in by_file.items():
            if rewrite(path, results_of):
                print(f"rewrote {shown(path)}")
        return 0
    if failed:
        print("Some examples differ: run `python scripts/docs_examples.py --update` and review the diff.")
    return 1 if failed else 0


def iter_examples() -> Iterator[Example]:
    for path in documents():
        yield from find_examples(path)


if __name__ == "__main__":
    sys.exit(main())
