"""The README's first quick-start command: the demo runs to the end on a fresh store."""

from __future__ import annotations

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
