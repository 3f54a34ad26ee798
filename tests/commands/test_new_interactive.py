"""`pcsdesk new` at a terminal: the procedure's checklist, then each field, each checked as given."""

from __future__ import annotations

import json
import re
from pathlib import Path

from support import ETS, TEACHER, git, run_cli, run_in_terminal

ENV = {"PCSDESK_USER": ETS, "PCSDESK_NOW": "2026-11-30T10:00"}


def entered(shown: str) -> str:
    found = re.search(r"(\d{4}-[0-9A-Z]{5}) entered and assigned to", shown)
    assert found, shown
    return found.group(1)


def shown_ticket(store: Path, ticket_id: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(run_cli(["show", ticket_id, "--json"], store, ENV).stdout)
    return data


def test_walks_the_checklist_and_records_what_was_checked(store: Path) -> None:
    # cables yes, power yes, asked others yes -> are they? yes, relogin yes, restart yes,
    # internet yes, batteries no.
    answers = ("y\ny\ny\ny\ny\ny\ny\nn\npchs\nav\nProjector in 204 dark\n"
               "Lamp light blinks\nThe remote does nothing\n\n" + TEACHER + "\nn\n")
    code, shown = run_in_terminal(["new"], store, answers, ENV)
    assert code == 0, shown
    assert "Did you check that all cords and cables are securely plugged in?" in shown
    assert "Did you ask whether others are having the same issue?" in shown
    assert "Are they?" in shown
    assert "Did you check whether the batteries need charging?" in shown
    assert "One issue per ticket" in shown
    assert "Never type a password" in shown
    data = shown_ticket(store, entered(shown))
    assert data["summary"] == "Projector in 204 dark"
    assert data["description"] == "Lamp light blinks\nThe remote does nothing"
    assert data["requester"] == TEACHER
    assert data["category"] == "av"
    assert data["checklist"] == {"cables": True, "power": True, "others": True, "relogin": True,
                                 "restart": True, "internet": True, "batteries": False}
    assert data["others_affected"] is True


def test_not_asking_around_leaves_others_affected_unknown(store: Path) -> None:
    # "Did you ask...?" no: "Are they?" is not asked.
    answers = "n\n" * 7 + "PCHS\n\nNo sound\n\n\nn\n"
    code, shown = run_in_terminal(["new"], store, answers, ENV)
    assert code == 0, shown
    assert "Are they?" not in shown
    data = shown_ticket(store, entered(shown))
    assert data["others_affected"] is None
    assert data["checklist"]["others"] is False  # type: ignore[index]


def test_categories_are_offered_without_the_empty_or_refused_ones(store: Path) -> None:
    answers = "n\n" * 7 + "PCHS\n\nNo sound\n\n\nn\n"
    code, shown = run_in_terminal(["new"], store, answers, ENV)
    assert code == 0, shown
    offered = re.search(r"Categories: (.*)\n", shown)
    assert offered, shown
    assert offered.group(1) == "hardware, software, email, accounts, printing, av, network, phones"
    assert "Not for the helpdesk (new-technology):" in shown and "contact your building ETS" in shown
    assert "[, " not in shown and "(, " not in shown


def test_a_refused_answer_is_asked_again_and_nothing_typed_is_lost(store: Path) -> None:
    answers = ("y\n" + "n\n" * 6 + "PCHS\n"
               "new-technology\nnope\nav\n"            # refused, unknown, then a category
               "my password is Tiger123\nProjector dark\n"   # a summary with a password, again
               "login jsmith / password Winter2025\n\n"      # a description with one
               "Room 204\n\n"                                # and again
               "not-an-email\n" + TEACHER + "\n"             # a requester that is no address
               "n\n")
    code, shown = run_in_terminal(["new"], store, answers, ENV)
    assert code == 0, shown
    assert "Error: The helpdesk is for existing district-approved technology" in shown
    assert "Error: unknown category 'nope'" in shown
    assert "Error: the summary seems to state a password" in shown
    assert "Error: the description seems to state a password" in shown
    # The wizard asks for "Requester's email": the core's words, without the flag.
    assert "Error: the requester must be one email address" in shown
    assert "(--requester EMAIL)" not in shown
    assert "Tiger123" not in shown.split("Tiger123", 1)[1]   # only the echo of the typing
    data = shown_ticket(store, entered(shown))
    assert (data["category"], data["summary"], data["description"], data["requester"]) == (
        "av", "Projector dark", "Room 204", TEACHER)
    assert data["checklist"]["cables"] is True  # type: ignore[index]
    objects = git(store, "log", "-p", "--all")
    assert "Tiger123" not in objects and "Winter2025" not in objects


def test_the_identity_is_checked_before_any_question(store: Path) -> None:
    code, shown = run_in_terminal(["new"], store, "y\n" * 20, {**ENV, "PCSDESK_USER": "x"})
    assert code == 1
    # The terminal echoes what was typed ahead; the error is the only thing pcsdesk printed.
    assert shown.replace("y\n", "") == ("Error: the acting identity ($PCSDESK_USER) must be one email "
                                        "address such as jsmith@pcschools.us, not 'x'\n")
    assert "Did you" not in shown
    assert json.loads(run_cli(["list", "--json"], store, ENV).stdout) == []
