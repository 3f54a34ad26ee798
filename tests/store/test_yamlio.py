"""Ticket YAML: hostile text round-trips exactly; the loader is safe and strict."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcsdesk.errors import BrokenTicket
from pcsdesk.store.yamlio import dump_yaml, load_yaml

HOSTILE = [
    "yes", "no", "on", "off", "null", "~", "true", "1", "0x1F", "1e3", ".inf", "- x",
    "key: value", "!!python/object/apply:os.system ['echo hi']", "&anchor", "*alias",
    "multi\nline\ntext\n", "trailing spaces   ", "  leading", "line with trailing  \nnext",
    "emoji 🎉 and accents: é ñ", "tab\there", "# not a comment", "'quoted'", '"double"',
    "", " ", "\n", "a\r\nb", "2026-11-30", "2026-11-30T10:00:00-07:00", "--- ", "...",
    "{flow: map}", "[a, b]", "% directive", "@at", "`tick`", "|", ">", "?", "\\backslash",
    "x" * 500, "\u2028line separator", "zero\u200bwidth",
]


class TestRoundTrip:
    @pytest.mark.parametrize("text", HOSTILE)
    def test_hostile_text_round_trips_exactly(self, text: str) -> None:
        data = {"summary": text, "notes": [{"text": text}]}
        assert load_yaml(dump_yaml(data), "t.yaml") == data

    @settings(max_examples=300, deadline=None)
    @given(st.text())
    def test_any_text_round_trips(self, text: str) -> None:
        data = {"description": text, "notes": [{"at": "2026-11-30T10:00:00-07:00", "text": text}]}
        assert load_yaml(dump_yaml(data), "t.yaml") == data

    def test_multi_line_text_is_a_block_scalar(self) -> None:
        assert "description: |\n  first\n  second\n" in dump_yaml({"description": "first\nsecond\n"})

    def test_keys_keep_their_order(self) -> None:
        text = dump_yaml({"id": 1, "status": 2, "building": 3})
        assert text.index("id") < text.index("status") < text.index("building")

    def test_no_tags_anchors_or_aliases(self) -> None:
        shared = {"a": 1}
        text = dump_yaml({"x": shared, "y": shared})
        assert "&" not in text and "*" not in text and "!!" not in text


class TestSafeStrictLoading:
    def test_duplicate_keys_are_refused_with_their_line(self) -> None:
        with pytest.raises(BrokenTicket, match=r"t\.yaml:3: duplicate key 'status'"):
            load_yaml("id: x\nstatus: open\nstatus: closed\n", "t.yaml")

    def test_python_tags_never_run(self, tmp_path) -> None:  # type: ignore[no-untyped-def]
        marker = tmp_path / "ran"
        text = f"id: !!python/object/apply:os.system ['touch {marker}']\n"
        with pytest.raises(BrokenTicket, match=r"^t\.yaml:1: "):
            load_yaml(text, "t.yaml")
        assert not marker.exists()

    def test_syntax_errors_name_file_and_line(self) -> None:
        with pytest.raises(BrokenTicket, match=r"^t\.yaml:\d+: "):
            load_yaml("id: x\nnotes: [unclosed\n", "t.yaml")
