"""Routing and permissions, and what each step of the ticket flow must carry: pure rules, no store."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pcsdesk.errors import InvalidInput, NotAllowed, OutOfScope, UnknownBuilding, UnknownCategory
from pcsdesk.rules.directory import directory_from_dict
from pcsdesk.rules.routing import (
    building_of,
    ensure_close_has_resolution,
    ensure_escalation_has_notes,
    ensure_may_close,
    ensure_may_hand_over,
    ensure_may_reopen,
    ensure_note_has_text,
    ensure_reopen_has_reason,
    requester_contact,
    route_new_ticket,
    supervisor_of,
)
from pcsdesk.rules.ticket import Ticket

DIRECTORY = directory_from_dict(yaml.safe_load("""
district: {name: Park City School District, noc_phone: x5051, webmaster: webmaster@pcschools.us}
staff:
  mfoster@pcschools.us: {name: Maria Foster, role: ets, phone: x2110, supervisor: boss@pcschools.us}
  rlee@pcschools.us: {name: Ray Lee, role: tech, phone: x2111}
  netops@pcschools.us: {name: NOC, role: department}
  boss@pcschools.us: {name: The Director, role: department}
buildings:
  PCHS: {name: Park City High School, ets: mfoster@pcschools.us, techs: [rlee@pcschools.us]}
categories:
  network: {assign_to: netops@pcschools.us}
  new-technology: {out_of_scope: "Talk to your ETS about new technology."}
"""))
AT = datetime(2026, 11, 30, 10, tzinfo=ZoneInfo("America/Denver"))


def ticket(status: str = "open", requester: str = "jsmith@pcschools.us") -> Ticket:
    return Ticket(id="2611-AV52R", status=status, priority="normal", building="PCHS", category=None,
                  summary="x", description="", requester=requester, entered_by=requester,
                  entered_at=AT, assignee="mfoster@pcschools.us")


BLANK = st.text(alphabet=" \t\n\r", max_size=6)


class TestRouting:
    def test_category_team_else_the_building_ets(self) -> None:
        pchs = building_of(DIRECTORY, " pchs ")
        assert route_new_ticket(DIRECTORY, pchs, "network") == "netops@pcschools.us"
        assert route_new_ticket(DIRECTORY, pchs, None) == "mfoster@pcschools.us"

    def test_refusals_say_what_to_do(self) -> None:
        pchs = building_of(DIRECTORY, "PCHS")
        with pytest.raises(OutOfScope, match="Maria Foster"):
            route_new_ticket(DIRECTORY, pchs, "new-technology")
        with pytest.raises(UnknownCategory):
            route_new_ticket(DIRECTORY, pchs, "toasters")
        with pytest.raises(UnknownBuilding, match="PCHS"):
            building_of(DIRECTORY, "XX")

    def test_contacts_and_supervisors(self) -> None:
        member = requester_contact(DIRECTORY, building_of(DIRECTORY, "PCHS"))
        assert member is not None and member.email == "rlee@pcschools.us"
        boss = supervisor_of(DIRECTORY, "MFoster@pcschools.us")
        assert boss is not None and boss.email == "boss@pcschools.us"
        assert supervisor_of(DIRECTORY, "rlee@pcschools.us") is None


class TestPermissions:
    def test_only_staff_hand_over_and_only_to_staff(self) -> None:
        assert ensure_may_hand_over(DIRECTORY, "rlee@pcschools.us", " NetOps@pcschools.us ", "assign") == \
            "netops@pcschools.us"
        with pytest.raises(NotAllowed, match="add a note instead"):
            ensure_may_hand_over(DIRECTORY, "jsmith@pcschools.us", "netops@pcschools.us", "assign")
        with pytest.raises(NotAllowed, match="is not technology staff"):
            ensure_may_hand_over(DIRECTORY, "rlee@pcschools.us", "jsmith@pcschools.us", "escalate")

    def test_close_and_reopen_by_the_requester_or_staff_once_each(self) -> None:
        ensure_may_close(DIRECTORY, "JSmith@pcschools.us", ticket())
        ensure_may_close(DIRECTORY, "rlee@pcschools.us", ticket())
        ensure_may_reopen(DIRECTORY, "jsmith@pcschools.us", ticket("closed"))
        with pytest.raises(NotAllowed):
            ensure_may_close(DIRECTORY, "someone@pcschools.us", ticket())
        with pytest.raises(InvalidInput, match="already closed"):
            ensure_may_close(DIRECTORY, "rlee@pcschools.us", ticket("closed"))
        with pytest.raises(InvalidInput, match="open already"):
            ensure_may_reopen(DIRECTORY, "rlee@pcschools.us", ticket())


class TestWhatEachStepCarries:
    @settings(max_examples=25, deadline=None)
    @given(BLANK)
    def test_blank_text_is_refused_with_the_step_named(self, blank: str) -> None:
        with pytest.raises(InvalidInput, match="research so far"):
            ensure_escalation_has_notes(blank)
        with pytest.raises(InvalidInput, match="resolution"):
            ensure_close_has_resolution(blank)
        with pytest.raises(InvalidInput, match="reopened"):
            ensure_reopen_has_reason(blank)
        with pytest.raises(InvalidInput, match="note is empty"):
            ensure_note_has_text(blank)

    @settings(max_examples=25, deadline=None)
    @given(st.text(min_size=1).filter(lambda t: t.strip() != ""))
    def test_any_words_are_enough(self, text: str) -> None:
        for rule in (ensure_escalation_has_notes, ensure_close_has_resolution, ensure_reopen_has_reason,
                     ensure_note_has_text):
            rule(text)


class TestWhoMaySeeATicket:
    def test_staff_the_requester_and_the_one_who_entered_it(self) -> None:
        from dataclasses import replace

        from pcsdesk.rules.routing import may_see

        entered = replace(ticket(), entered_by="mjones@pcschools.us")
        assert may_see(DIRECTORY, "JSmith@pcschools.us", entered)
        assert may_see(DIRECTORY, "mjones@pcschools.us", entered)
        assert may_see(DIRECTORY, "netops@pcschools.us", entered)
        assert not may_see(DIRECTORY, "agreen@pcschools.us", entered)
