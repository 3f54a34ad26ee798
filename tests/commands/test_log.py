"""`log`: the ticket's audit trail from git history, edits made outside pcsdesk included."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from support import NETOPS, TEACHER, TECH, Invoker, git

from pcsdesk.rules.ids import ticket_path

HAND = {"GIT_AUTHOR_NAME": "Pat Admin", "GIT_AUTHOR_EMAIL": "padmin@pcschools.us",
        "GIT_AUTHOR_DATE": "2026-12-01T16:30:00Z"}


def hand_commit(store: Path, message: str, *paths: str, env: dict[str, str] | None = None) -> str:
    """A commit made with plain git, as a technician would by hand."""
    subprocess.run(["git", "commit", "-q", "-m", message, "--", *paths], cwd=store, check=True,
                   env={**os.environ, **HAND, **(env or {})})
    return git(store, "rev-parse", "--short", "HEAD").strip()


def short(store: Path, rev: str = "HEAD") -> str:
    return git(store, "rev-parse", "--short", rev).strip()


def entries(invoke: Invoker, ticket_id: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(invoke(["log", ticket_id, "--json"]).stdout)
    return data


class TestTrail:
    def test_every_action_and_a_hand_edit_oldest_first(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new(as_user=TEACHER, now="2026-11-30T09:00")
        new = short(store)
        invoke(["note", ticket_id, "-m", "Looking"], now="2026-11-30T10:00")
        note = short(store)
        path = store / ticket_path(ticket_id)
        path.write_text(path.read_text().replace("Projector shows no signal", "Projector in 204 shows no signal"))
        hand = hand_commit(store, "Say which room, from the phone call", ticket_path(ticket_id))
        invoke(["escalate", ticket_id, "--to", NETOPS, "-m", "Port dead"], now="2026-12-02T08:00")
        escalate = short(store)
        invoke(["close", ticket_id, "-m", "Fixed"], as_user=NETOPS, now="2026-12-02T09:30")
        close = short(store)
        out = invoke(["log", ticket_id]).stdout
        # 80 columns without a terminal: the author's address without the district's domain,
        # the time in the one human form, the action taking the room that is left.
        assert out == (
            "commit   time             author    action\n"
            "-------  ---------------  --------  --------------------------------------------\n"
            f"{new}  Mon 11-30 09:00  jsmith    new\n"
            f"{note}  Mon 11-30 10:00  ets.pchs  note\n"
            f"{hand}  Tue 12-01 09:30  padmin    edited outside pcsdesk: Say which room, fro…\n"
            f"{escalate}  Wed 12-02 08:00  ets.pchs  escalate\n"
            f"{close}  Wed 12-02 09:30  netops    close\n"
        )
        assert max(len(line) for line in out.splitlines()) == 80
        wide = invoke(["log", ticket_id, "--wide"]).stdout
        assert (f"{hand}  Tue 12-01 09:30  Pat Admin <padmin@pcschools.us>                     "
                "edited outside pcsdesk: Say which room, from the phone call\n") in wide
        assert f"{note}  Mon 11-30 10:00  PCHS ETS (to be filled in) <ets.pchs@pcschools.us>  note\n" in wide

    def test_columns_honoured(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new(as_user=TEACHER, now="2026-11-30T09:00")
        out = invoke(["log", ticket_id], env={"COLUMNS": "120"}).stdout
        assert "jsmith@pcschools.us" in out   # room enough: the address in full

    def test_merges_from_two_clones_are_listed_with_both_sides(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new(now="2026-11-30T09:00")
        git(store, "branch", "laptop")
        invoke(["note", ticket_id, "-m", "From the desk"], now="2026-11-30T10:00")
        desk = short(store)
        git(store, "checkout", "-q", "laptop")
        invoke(["note", ticket_id, "-m", "From the laptop"], as_user=TECH, now="2026-11-30T10:05")
        laptop = short(store)
        git(store, "checkout", "-q", "main")
        # The merge keeps the desk's file: the laptop's note is dropped, which the trail must show.
        subprocess.run(["git", "merge", "-q", "-s", "ours", "-m", "Merge the laptop", "laptop"], cwd=store,
                       check=True, env={**os.environ, **HAND})
        merge = short(store)
        trail = entries(invoke, ticket_id)
        assert [e["short"] for e in trail[1:3]] in ([desk, laptop], [laptop, desk])
        assert trail[-1]["short"] == merge
        assert trail[-1]["merge"] and trail[-1]["outside_pcsdesk"] and trail[-1]["action"] is None
        assert (f"{merge}  Tue 12-01 09:30  Pat Admin <padmin@pcschools.us>"
                in invoke(["log", ticket_id, "--wide"]).stdout)
        assert "edited outside pcsdesk (merge): Merge the laptop" in invoke(["log", ticket_id, "--wide"]).stdout

    def test_a_merge_bringing_in_the_other_sides_note_is_listed(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new(now="2026-11-30T09:00")
        git(store, "checkout", "-q", "-b", "laptop")
        invoke(["note", ticket_id, "-m", "From the laptop"], as_user=TECH, now="2026-11-30T10:05")
        git(store, "checkout", "-q", "main")
        (store / "calendar.yaml").write_text((store / "calendar.yaml").read_text() + "# snow day?\n")
        hand_commit(store, "Calendar note", "calendar.yaml")
        subprocess.run(["git", "merge", "-q", "--no-edit", "laptop"], cwd=store, check=True,
                       env={**os.environ, **HAND})
        trail = entries(invoke, ticket_id)
        assert [(e["action"], e["merge"]) for e in trail] == [("new", False), ("note", False), (None, True)]

    def test_a_forged_trailer_for_another_ticket_is_not_trusted(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        other = invoke.new()
        path = store / ticket_path(ticket_id)
        path.write_text(path.read_text().replace("status: open", "status: closed"))
        hand_commit(store, f"Close it quietly\n\nPcsdesk-Ticket: {other}\nPcsdesk-Action: close",
                    ticket_path(ticket_id))
        last = entries(invoke, ticket_id)[-1]
        assert last["action"] is None and last["outside_pcsdesk"]
        assert last["subject"] == "Close it quietly"

    def test_a_ticket_deleted_by_hand_keeps_its_trail(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        git(store, "rm", "-q", ticket_path(ticket_id))
        hand_commit(store, "Remove a duplicate ticket", ticket_path(ticket_id))
        assert invoke(["show", ticket_id], ok=False).exit_code == 1
        assert [(e["action"], e["subject"]) for e in entries(invoke, ticket_id)] == [
            ("new", f"{ticket_id} new: Projector shows no signal"), (None, "Remove a duplicate ticket")]


class TestErrors:
    def test_an_unknown_ticket(self, invoke: Invoker) -> None:
        result = invoke(["log", "2611-AAAAA"], ok=False)
        assert result.exit_code == 1
        assert result.stderr == "Error: no ticket '2611-AAAAA'; `pcsdesk list --status all` shows the tickets\n"
        assert result.stdout == ""

    def test_text_that_git_could_read_as_an_option_never_reaches_git(self, invoke: Invoker, store: Path) -> None:
        target = store.parent / "written-by-git.txt"
        for text in (f"--output={target}", "-p", "HEAD", "tickets/../calendar.yaml"):
            result = invoke(["log", "--", text], ok=False)
            assert result.exit_code == 1
            assert result.stderr.startswith(f"Error: {text!r} is not a ticket ID")
        assert not target.exists()
