"""`pcsdesk new` at a terminal: the procedure's checklist, then each field."""

from __future__ import annotations

import json
import re
from pathlib import Path

from support import ETS, TEACHER, run_cli, run_in_terminal

ENV = {"PCSDESK_USER": ETS, "PCSDESK_NOW": "2026-11-30T10:00"}


def test_walks_the_checklist_and_records_the_answers(store: Path) -> None:
    answers = "y\ny\nn\ny\ny\ny\nn\npchs\nav\nProjector in 204 dark\nLamp light blinks\n" + TEACHER + "\nn\n"
    code, shown = run_in_terminal(["new"], store, answers, ENV)
    assert code == 0, shown
    assert "Are all cords and cables securely plugged in?" in shown
    assert "One issue per ticket" in shown
    assert "Never type a password" in shown
    found = re.search(r"(\d{4}-[0-9A-Z]{5}) entered and assigned to", shown)
    assert found, shown
    ticket_id = found.group(1)
    data = json.loads(run_cli(["show", ticket_id, "--json"], store, ENV).stdout)
    assert data["summary"] == "Projector in 204 dark"
    assert data["description"] == "Lamp light blinks"
    assert data["requester"] == TEACHER
    assert data["category"] == "av"
    assert data["checklist"] == {"cables": True, "power": True, "others": False, "relogin": True,
                                 "restart": True, "internet": True, "batteries": False}


def test_a_password_typed_at_the_prompt_is_refused(store: Path) -> None:
    answers = "n\n" * 7 + "PCHS\n\nCannot log in\nmy password is Tiger123\n\nn\n"
    code, shown = run_in_terminal(["new"], store, answers, ENV)
    assert code == 1
    assert "Error: the description seems to state a password" in shown
    assert json.loads(run_cli(["list", "--json"], store, ENV).stdout) == []
