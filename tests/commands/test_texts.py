"""Hostile text from every channel: bytes that are not UTF-8, and texts beyond the sizes docs/reviewing.md lists, write nothing."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ETS, Invoker, git, hand_edit, line_of, run_cli

from pcsdesk.rules.ids import ticket_path

LATIN1_CAFE = b"Caf\xe9".decode("utf-8", "surrogateescape")   # what Python makes of a Latin-1 "Café"


def nearly_1_mib_ticket(invoke: Invoker, store: Path) -> str:
    """A ticket whose file a 30,000-character note would take past the 1 MiB limit."""
    ticket_id = invoke.new()
    block = "  " + "z" * 1000 + "\n"
    hand_edit(store, ticket_id, lambda t: t.replace("description: ''", "description: |-\n" + block * 1040),
              author=ETS, at="2026-11-30T10:00")
    return ticket_id


class TestNotUtf8:
    @pytest.mark.parametrize("args", [
        ["note", "{id}", "-m", LATIN1_CAFE],
        ["close", "{id}", "-m", LATIN1_CAFE],
        ["new", "--building", "PCHS", "--summary", LATIN1_CAFE],
        [f"--summary={LATIN1_CAFE}", "new", "--building", "PCHS"],
        ["new", "--building", "PCHS", "--summary", "Fine", "--description", LATIN1_CAFE],
        ["new", "--building", "PCHS", "--summary", "Fine", "--requester", LATIN1_CAFE],
    ])
    def test_an_argument_is_refused_in_one_line_and_nothing_is_written(
        self, invoke: Invoker, store: Path, args: list[str]
    ) -> None:
        ticket_id = invoke.new()
        head = git(store, "rev-parse", "HEAD")
        result = invoke([a.replace("{id}", ticket_id) for a in args], ok=False)
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: ")
        assert "is not valid UTF-8 text (byte 0xe9 at character " in result.stderr
        assert result.stderr.count("\n") == 1
        assert "unexpected failure" not in result.stderr
        assert git(store, "rev-parse", "HEAD") == head
        assert invoke(["check"]).stdout == ""

    def test_the_option_is_named(self, invoke: Invoker) -> None:
        result = invoke(["new", "--building", "PCHS", f"--summary={LATIN1_CAFE}"], ok=False)
        assert result.stderr.startswith("Error: the value of --summary is not valid UTF-8 text (byte 0xe9 at")

    def test_a_latin1_terminal_end_to_end(self, store: Path) -> None:
        # The real process: bytes on argv, as a shell with a Latin-1 locale passes them.
        ticket_id = run_cli(["--as", ETS, "new", "--building", "PCHS", "--summary", "x"], store).stdout.split()[0]
        head = git(store, "rev-parse", "HEAD")
        env = {**os.environ, "PCSDESK_USER": ETS}
        done = subprocess.run(
            [sys.executable.encode(), b"-m", b"pcsdesk", b"note", ticket_id.encode(), b"-m", b"Caf\xe9"],
            cwd=store, env=env, capture_output=True)
        assert done.returncode == 1
        assert done.stderr.startswith(b"Error: the value of -m is not valid UTF-8 text (byte 0xe9")
        assert git(store, "rev-parse", "HEAD") == head

    def test_the_acting_user_from_the_environment(self, invoke: Invoker, store: Path) -> None:
        head = git(store, "rev-parse", "HEAD")
        result = invoke(["new", "--building", "PCHS", "--summary", "x"], as_user=None,
                        env={"PCSDESK_USER": f"{LATIN1_CAFE}@pcschools.us"}, ok=False)
        assert result.stderr.startswith("Error: the acting user")
        assert git(store, "rev-parse", "HEAD") == head

    def test_an_editor_that_saves_latin1(self, store: Path, tmp_path: Path) -> None:
        from support import run_in_terminal

        ticket_id = run_cli(["--as", ETS, "new", "--building", "PCHS", "--summary", "x"], store).stdout.split()[0]
        head = git(store, "rev-parse", "HEAD")
        editor = tmp_path / "latin1-editor"
        editor.write_text("#!/bin/sh\nprintf 'Caf\\351\\n' > \"$1\"\n")
        editor.chmod(0o755)
        code, shown = run_in_terminal(["--as", ETS, "note", ticket_id], store, "",
                                      env={"EDITOR": str(editor), "VISUAL": str(editor)})
        assert code == 1
        assert "Error: the note the editor saved is not UTF-8 text (byte 4)" in shown
        assert "unexpected failure" not in shown
        assert git(store, "rev-parse", "HEAD") == head


class TestSizes:
    def test_a_summary_over_200_characters(self, invoke: Invoker, store: Path) -> None:
        head = git(store, "rev-parse", "HEAD")
        result = invoke(["new", "--building", "PCHS", "--summary", "x" * 201], ok=False)
        assert result.stderr == (
            "Error: the summary has 201 characters, more than 200; say in a few words what is wrong and "
            "put the details in the description\n"
        )
        assert git(store, "rev-parse", "HEAD") == head

    def test_a_note_over_64_kib(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        head = git(store, "rev-parse", "HEAD")
        result = invoke(["note", ticket_id, "-m", "-"], input="y" * (64 * 1024 + 1), ok=False)
        assert result.stderr.startswith("Error: the note is 64 KiB, more than 64 KiB; shorten it")
        assert git(store, "rev-parse", "HEAD") == head

    def test_a_note_that_would_pass_1_mib_of_ticket(self, invoke: Invoker, store: Path) -> None:
        ticket_id = nearly_1_mib_ticket(invoke, store)
        head = git(store, "rev-parse", "HEAD")
        result = invoke(["note", ticket_id, "-m", "z" * 30000], ok=False)
        assert result.stderr.startswith(f"Error: ticket {ticket_id} would be 1")
        assert "more than 1024 KiB; nothing was written" in result.stderr
        assert git(store, "rev-parse", "HEAD") == head
        assert git(store, "status", "--porcelain") == ""

    def test_a_huge_ticket_file_is_named_not_read(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        block = "  " + "z" * 1000 + "\n"
        path = hand_edit(store, ticket_id, lambda t: t.replace("description: ''", "description: |-\n" + block * 2200))
        show = invoke(["show", ticket_id], ok=False)
        assert show.stderr.startswith(f"Error: {path}: 2")
        assert "pcsdesk does not read it" in show.stderr
        assert invoke(["check"], ok=False).stdout.startswith(f"{path}: 2")

    def test_check_reports_texts_beyond_the_sizes(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        path = hand_edit(store, ticket_id, lambda t: t.replace("summary: Projector shows no signal",
                                                               "summary: " + "s" * 250))
        assert invoke(["check"], ok=False).stdout == (
            f"{path}:{line_of(store, path, 'summary:')}: the summary has 250 characters, more than 200\n"
        )
        assert ticket_path(ticket_id) == path


@contextlib.contextmanager
def holding_the_lock(store: Path) -> Iterator[None]:
    """Another process holds the store's write lock (a real flock) until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, sys\n"
         f"f = open({str(store / '.git' / 'pcsdesk.lock')!r}, 'a+b')\n"
         "fcntl.flock(f, fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\n"
         "sys.stdin.read()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline() == "locked\n"
        yield
    finally:
        holder.stdin.close()
        holder.wait()


class TestSizesBeforeTheLock:
    """SPEC's limits are refused before the store's write lock: never after queueing behind other writers."""

    def test_a_20_mb_note(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        head = git(store, "rev-parse", "HEAD")
        with holding_the_lock(store):
            result = run_cli(["note", ticket_id, "-m", "-"], store, {"PCSDESK_USER": ETS},
                             input="y" * 20_000_000)
        assert result.returncode == 1
        assert result.stderr.startswith("Error: the note is 19531 KiB, more than 64 KiB; shorten it")
        assert git(store, "rev-parse", "HEAD") == head

    def test_a_20_mb_description(self, store: Path) -> None:
        with holding_the_lock(store):
            result = run_cli(["new", "--building", "PCHS", "--summary", "Big", "--description", "-"], store,
                             {"PCSDESK_USER": ETS}, input="d" * 20_000_000)
        assert result.returncode == 1
        assert result.stderr.startswith("Error: the description is 19531 KiB, more than 64 KiB; shorten it")

    def test_a_note_that_would_pass_1_mib_of_ticket(self, invoke: Invoker, store: Path) -> None:
        ticket_id = nearly_1_mib_ticket(invoke, store)
        head = git(store, "rev-parse", "HEAD")
        with holding_the_lock(store):
            result = run_cli(["note", ticket_id, "-m", "z" * 30000], store, {"PCSDESK_USER": ETS})
        assert result.returncode == 1
        assert result.stderr.startswith(f"Error: ticket {ticket_id} would be 1")
        assert "more than 1024 KiB; nothing was written" in result.stderr
        assert git(store, "rev-parse", "HEAD") == head
