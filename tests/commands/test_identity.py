"""Who acts and who is named: one email address each, and staff filters that name real staff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import ETS, TECH, Invoker, git

REFUSED = ["x", "Bob<ets.pchs@pcschools.us>", "Bob <ets.pchs@pcschools.us>", "ets.pchs@pcschools.us,x@y.org",
           "@pcschools.us", "ets.pchs@", "-x@pcschools.us x", "a b@pcschools.us"]


def head(store: Path) -> str:
    return git(store, "rev-parse", "HEAD").strip()


class TestTheActingIdentity:
    @pytest.mark.parametrize("who", REFUSED)
    def test_as_must_be_one_email_address(self, invoke: Invoker, store: Path, who: str) -> None:
        before = head(store)
        result = invoke(["new", "--building", "PCHS", "--summary", "x"], as_user=who, ok=False)
        assert result.exit_code == 1
        assert result.stderr == (f"Error: the acting identity (--as) must be one email address such as "
                                 f"jsmith@pcschools.us, not {who!r}\n")
        assert head(store) == before

    def test_pcsdesk_user_and_git_config_are_held_to_the_same_rule(self, invoke: Invoker, store: Path) -> None:
        result = invoke(["new", "--building", "PCHS", "--summary", "x"], as_user=None,
                        env={"PCSDESK_USER": "Bob<ets.pchs@pcschools.us>"}, ok=False)
        assert result.stderr.startswith("Error: the acting identity ($PCSDESK_USER) must be one email")
        git(store, "config", "user.email", "bob")
        result = invoke(["new", "--building", "PCHS", "--summary", "x"], as_user=None, ok=False)
        assert result.stderr.startswith("Error: the acting identity (git config user.email) must be one")

    def test_an_address_in_capitals_is_the_author_and_the_by_alike(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new(as_user=" ETS.PCHS@pcschools.us ")
        invoke(["note", ticket_id, "-m", "On it"], as_user="Ets.Pchs@PCSchools.us")
        data = json.loads(invoke(["show", ticket_id, "--json"]).stdout)
        assert data["entered_by"] == ETS and data["notes"][0]["by"] == ETS
        assert git(store, "log", "-2", "--format=%ae").split() == [ETS, ETS]


class TestStaffFilters:
    def test_a_bare_name_is_refused_with_the_address_it_likely_means(self, invoke: Invoker) -> None:
        result = invoke(["list", "--assignee", "netops"], ok=False)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr == ("Error: the assignee must be a staff member's email address, not 'netops'; "
                                 "did you mean netops@pcschools.us?\n")

    def test_an_unknown_person_is_refused_with_a_close_match(self, invoke: Invoker) -> None:
        result = invoke(["list", "--assignee", "tech.pchs@pcschool.us"], ok=False)
        assert result.stderr == ("Error: the assignee tech.pchs@pcschool.us is not technology staff in "
                                 f"buildings.yaml; did you mean {TECH}?\n")

    def test_a_known_address_in_any_case_filters(self, invoke: Invoker) -> None:
        ticket_id = invoke.new()
        result = invoke(["list", "--assignee", ETS.upper(), "--json"])
        assert [row["id"] for row in json.loads(result.stdout)] == [ticket_id]
