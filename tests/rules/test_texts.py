"""rules/texts: only real UTF-8 text, within the sizes docs/reviewing.md lists, goes into a ticket."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcsdesk.errors import InvalidInput
from pcsdesk.rules.texts import (
    SUMMARY_MAX_CHARS,
    TEXT_MAX_BYTES,
    TICKET_MAX_BYTES,
    ensure_summary,
    ensure_text,
    ensure_ticket_size,
    ensure_utf8,
    first_bad_byte,
    normalize_line_ends,
)

# What Python makes of bytes that are not UTF-8 on the command line (surrogateescape).
undecodable = st.binary(min_size=1, max_size=40).map(lambda b: b.decode("utf-8", "surrogateescape"))


class TestUtf8:
    @settings(deadline=None)
    @given(st.text())
    def test_every_real_text_is_accepted(self, text: str) -> None:
        assert first_bad_byte(text) is None or any(0xD800 <= ord(c) <= 0xDFFF for c in text)

    @settings(deadline=None)
    @given(undecodable)
    def test_text_from_bytes_is_accepted_exactly_when_the_bytes_were_utf8(self, text: str) -> None:
        raw = text.encode("utf-8", "surrogateescape")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            with pytest.raises(InvalidInput, match="is not valid UTF-8 text"):
                ensure_utf8(text, "note")
        else:
            assert ensure_utf8(text, "note") == text

    def test_the_latin1_cafe_names_its_byte(self) -> None:
        with pytest.raises(InvalidInput) as raised:
            ensure_utf8(b"Caf\xe9".decode("utf-8", "surrogateescape"), "note")
        assert str(raised.value).startswith("the note is not valid UTF-8 text (byte 0xe9) at character 4; ")


class TestSizes:
    def test_a_summary_of_200_characters_and_no_more(self) -> None:
        assert ensure_summary("é" * SUMMARY_MAX_CHARS)
        with pytest.raises(InvalidInput, match="201 characters, more than 200"):
            ensure_summary("x" * (SUMMARY_MAX_CHARS + 1))

    def test_other_text_up_to_64_kib_of_utf8(self) -> None:
        assert ensure_text("x" * TEXT_MAX_BYTES, "note")
        with pytest.raises(InvalidInput, match="more than 64 KiB"):
            ensure_text("é" * (TEXT_MAX_BYTES // 2 + 1), "note")   # two bytes each

    def test_a_ticket_file_up_to_1_mib(self) -> None:
        ensure_ticket_size(TICKET_MAX_BYTES, "2611-7KQ3X")
        with pytest.raises(InvalidInput, match="ticket 2611-7KQ3X would be 1024 KiB, more than 1024 KiB"):
            ensure_ticket_size(TICKET_MAX_BYTES + 1, "2611-7KQ3X")


@settings(deadline=None)
@given(st.text(alphabet=st.sampled_from("ab\r\n ")))
def test_line_ends_become_lf(text: str) -> None:
    normal = normalize_line_ends(text)
    assert "\r" not in normal
    assert normal.count("\n") == text.count("\n") - text.count("\r\n") + text.count("\r")
