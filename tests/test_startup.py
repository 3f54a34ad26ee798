"""The start-up decisions hold: a write command loads neither tabulate nor sqlite3 nor the index.

Each is measured in a fresh process (what a technician's shell starts), from
sys.modules after the command ran: an import that slips back in at module level
shows here, not as a slower bench an hour later.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import ETS, Invoker

HEAVY = ("tabulate", "sqlite3", "pcsdesk.store.index", "pcsdesk.store.rows", "multiprocessing")
PROBE = """
import json, sys
from pcsdesk.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="pcsdesk", standalone_mode=False)
finally:
    sys.stdout.flush()
    print("\\nMODULES " + json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def modules_loaded(store: Path, *args: str) -> set[str]:
    env = {**os.environ, "PCSDESK_NOW": "2026-11-30T11:00:00", "PCSDESK_USER": ETS}
    done = subprocess.run([sys.executable, "-c", PROBE, "--store", str(store), *args], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    line = done.stderr.rsplit("MODULES ", 1)[1]
    return set(json.loads(line))


@pytest.fixture
def ticket(invoke: Invoker) -> str:
    return invoke.new()


@pytest.mark.parametrize("command", [
    ["note", "{id}", "-m", "Checked the cable"],
    ["assign", "{id}", "--to", "tech.pchs@pcschools.us"],
    ["new", "--building", "PCHS", "--summary", "Printer jams"],
    ["show", "{id}"],
])
def test_write_commands_and_show_stay_light(store: Path, ticket: str, command: list[str]) -> None:
    loaded = modules_loaded(store, *(part.format(id=ticket) for part in command))
    assert "pcsdesk.desk.actions" in loaded or command[0] == "show"   # the probe saw the command run
    assert sorted(set(HEAVY) & loaded) == []


def test_a_listing_reads_the_index_but_draws_its_table_without_tabulate(store: Path, ticket: str) -> None:
    loaded = modules_loaded(store, "list", "--building", "PCHS")
    assert "pcsdesk.store.index" in loaded and "sqlite3" in loaded
    assert "tabulate" not in loaded
