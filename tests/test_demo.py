"""The README's first quick-start command: the demo runs to the end on a fresh store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_demo_runs_to_the_end(tmp_path: Path) -> None:
    # A rule added later (no hand-over to the current holder) once broke the demo's story
    # while every other test passed: run it as the README does.
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py"), str(tmp_path / "helpdesk")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "5 tickets entered" in result.stdout
    assert "$ pcsdesk overdue" in result.stdout


def test_without_a_folder_the_store_is_kept_and_the_demo_says_how_to_remove_it(tmp_path: Path) -> None:
    # It once printed "Demo store: /tmp/pcsdesk-demo-.../helpdesk" and then removed that folder.
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")],
        capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    store = Path(lines[0].split()[2])
    assert store.parent.parent == tmp_path and store.parent.name.startswith("pcsdesk-demo-")
    assert len(list((store / "tickets").rglob("*.yaml"))) == 5
    assert lines[-4] == f"The demo store is kept in {store}; try it there:"
    listing = subprocess.run(["bash", "-c", lines[-3]], capture_output=True, text=True)
    assert listing.returncode == 0 and listing.stdout.count("\n2611-") >= 4, listing.stdout + listing.stderr
    assert lines[-2:] == ["Remove it when done:", f"  rm -rf {store.parent}"]
