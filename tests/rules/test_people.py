"""The identity rule: one email address, nothing around it; and the staff member a name means."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcsdesk.errors import InvalidInput
from pcsdesk.rules.directory import directory_from_dict
from pcsdesk.rules.people import closest_staff, identity, is_identity, staff_member

DIRECTORY = directory_from_dict({
    "district": {"name": "PCSD"},
    "staff": {
        "ets.pchs@pcschools.us": {"name": "PCHS ETS", "role": "ets"},
        "tech.pchs@pcschools.us": {"name": "PCHS tech", "role": "tech"},
        "netops@pcschools.us": {"name": "NOC", "role": "department"},
    },
    "buildings": {"PCHS": {"name": "Park City High School", "ets": "ets.pchs@pcschools.us"}},
})

LOCAL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-+", min_size=1, max_size=20).filter(
    lambda s: not s.startswith(".") and not s.endswith(".") and ".." not in s)
LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=10)


class TestIdentity:
    @pytest.mark.parametrize("text", ["jsmith@pcschools.us", "J.Smith+helpdesk@PCSchools.us",
                                      "o'brien@mail.pcschools.us"])
    def test_one_address_is_accepted_lower_cased(self, text: str) -> None:
        assert identity(f"  {text}\n", "--as") == text.lower()

    @pytest.mark.parametrize("text", ["x", "", "   ", "Bob<ets@pcschools.us>", "Bob <ets@pcschools.us>",
                                      "<ets@pcschools.us>", "a@b", "a@@b.us", "a b@c.us", "a@b.us, c@d.us",
                                      "a@b.us\nc@d.us", "-a@b.us x", ".a@b.us", "a.@b.us", "a@-b.us",
                                      "a" * 250 + "@b.us", "é@b.us"])
    def test_anything_else_is_refused_saying_what_to_give(self, text: str) -> None:
        with pytest.raises(InvalidInput, match=r"--as (must be one email address|is empty)"):
            identity(text, "--as")

    @settings(deadline=None, max_examples=200)
    @given(LOCAL, st.lists(LABEL, min_size=2, max_size=4))
    def test_every_plain_address_is_one(self, local: str, labels: list[str]) -> None:
        address = f"{local}@{'.'.join(labels)}"
        assert identity(address, "--as") == address

    @settings(deadline=None, max_examples=200)
    @given(LOCAL, st.lists(LABEL, min_size=2, max_size=4),
           st.sampled_from(list(" <>,;\"()[]\\:\t\n@")), st.integers(min_value=0, max_value=60))
    def test_an_address_with_a_separator_inside_is_never_one(
        self, local: str, labels: list[str], odd: str, where: int
    ) -> None:
        address = f"{local}@{'.'.join(labels)}"
        where = min(where, len(address) - 1)
        spoiled = address[:where] + odd + address[where:]
        if where == 0 and odd.isspace():
            return  # leading whitespace is forgiven, as from a paste
        assert not is_identity(spoiled.strip()) or spoiled.strip() == address


class TestStaffMember:
    def test_the_bare_name_of_one_staff_member(self) -> None:
        assert closest_staff(DIRECTORY, "netops") == "netops@pcschools.us"

    def test_a_typo(self) -> None:
        assert closest_staff(DIRECTORY, "tech.pch@pcschools.us") == "tech.pchs@pcschools.us"

    def test_nothing_close(self) -> None:
        assert closest_staff(DIRECTORY, "principal@elsewhere.org") is None

    def test_staff_in_any_case(self) -> None:
        assert staff_member(DIRECTORY, " NetOps@PCSchools.us ", "the assignee") == "netops@pcschools.us"

    def test_not_staff_is_refused(self) -> None:
        with pytest.raises(InvalidInput, match=r"not technology staff in buildings\.yaml; the staff are listed"):
            staff_member(DIRECTORY, "principal@elsewhere.org", "the assignee")
