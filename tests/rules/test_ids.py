"""Ticket IDs: the format, reading them back as people type them, and their paths."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcsdesk.errors import InvalidTicketId
from pcsdesk.rules.ids import ALPHABET, id_from_path, new_ticket_id, normalize_ticket_id, ticket_path


class TestNewIds:
    def test_format_is_year_month_and_five_readable_characters(self) -> None:
        ticket_id = new_ticket_id(date(2026, 11, 30))
        assert ticket_id[:5] == "2611-"
        assert len(ticket_id) == 10
        assert all(c in ALPHABET for c in ticket_id[5:])

    def test_alphabet_leaves_out_letters_people_mishear(self) -> None:
        assert not set("ILOU") & set(ALPHABET)
        assert len(ALPHABET) == 32

    def test_ids_differ(self) -> None:
        ids = {new_ticket_id(date(2026, 11, 30)) for _ in range(2000)}
        assert len(ids) > 1990


class TestReadingIds:
    @pytest.mark.parametrize("typed", ["2611-7kq3x", " 2611-7KQ3X ", "2611-7KQ3X"])
    def test_case_and_spaces_do_not_matter(self, typed: str) -> None:
        assert normalize_ticket_id(typed) == "2611-7KQ3X"

    def test_o_i_l_read_as_digits(self) -> None:
        assert normalize_ticket_id("2611-O1IL0") == "2611-01110"

    @pytest.mark.parametrize("bad", [
        "", "../etc/passwd", "2611", "2611-7KQ3", "2611-7KQ3XX", "--help", "-n",
        "2613-7KQ3X", "2600-7KQ3X", "2611_7KQ3X", "2611-7KQ3X/../x", "tickets/2611/7/2611-7KQ3X",
        "2611-7KQ3\n", "2611-7KQ3U",
    ])
    def test_anything_else_is_refused(self, bad: str) -> None:
        with pytest.raises(InvalidTicketId):
            normalize_ticket_id(bad)


class TestPaths:
    def test_path_follows_from_the_id(self) -> None:
        assert ticket_path("2611-7KQ3X") == "tickets/2611/7/2611-7KQ3X.yaml"

    @given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
           st.text(alphabet=ALPHABET, min_size=5, max_size=5))
    def test_path_and_id_round_trip(self, day: date, token: str) -> None:
        ticket_id = new_ticket_id(day, token)
        assert id_from_path(ticket_path(ticket_id)) == ticket_id

    def test_a_file_in_the_wrong_folder_is_not_that_ticket(self) -> None:
        assert id_from_path("tickets/2611/A/2611-7KQ3X.yaml") is None
        assert id_from_path("tickets/2611/7/notes.txt") is None
