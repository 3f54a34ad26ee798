"""The terminal's renderer: aligned tables, text cut to fit, JSON streamed as json.dumps
writes it, and the index's progress bar only where a person watches."""

from __future__ import annotations

import io
import json
import sys

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pcsdesk.commands import _render
from pcsdesk.commands._render import ProgressBar, cell_width, print_json, shorten, table_lines

# Text as tickets hold it: letters, digits, punctuation, accents, dashes, the
# ellipsis shorten() adds, wide characters and combining marks.
CELL = st.text(
    alphabet=st.sampled_from(
        [*"abcXYZ019 .,:;-_@/'\"()[]#!?", "é", "ñ", "…", "—", "“", "”", "\t", "\n", "界", "\u0301", "😀"]
    ),
    max_size=14,
)
FLAT_CELL = CELL.map(lambda text: " ".join(text.split()))


class TestTable:
    def test_a_listing_pinned(self) -> None:
        rows = [["2611-7KQ3X", "EMERG", "PCHS", "Fri 12-04 15:00", "Projector in room 204"],
                ["2611-AB12C", "", "DO", "Mon 12-07 09:00", "Wi-Fi drops — café wing"]]
        assert list(table_lines(rows, ["id", "flags", "building", "due", "summary"])) == [
            "id          flags  building  due              summary",
            "----------  -----  --------  ---------------  -----------------------",
            "2611-7KQ3X  EMERG  PCHS      Fri 12-04 15:00  Projector in room 204",
            "2611-AB12C         DO        Mon 12-07 09:00  Wi-Fi drops — café wing",
        ]

    def test_numbers_right_aligned(self) -> None:
        lines = list(table_lines([["PCHS", "12", "100.0"], ["all", "3", "-"]], ["building", "entered", "kept %"],
                                 right=("entered", "kept %")))
        assert lines == ["building  entered  kept %", "--------  -------  ------",
                         "PCHS           12   100.0", "all             3       -"]

    @settings(max_examples=150, deadline=None)
    @given(st.integers(1, 4).flatmap(lambda n: st.tuples(
        st.lists(FLAT_CELL, min_size=n, max_size=n),
        st.lists(st.lists(FLAT_CELL, min_size=n, max_size=n), max_size=5),
    )))
    def test_every_column_starts_at_the_same_terminal_column(
        self, table: tuple[list[str], list[list[str]]]
    ) -> None:
        headers, rows = table
        lines = list(table_lines(rows, headers))
        widths = [max(cell_width(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
        assert lines[1] == "  ".join("-" * width for width in widths)
        for line, cells in zip([lines[0], *lines[2:]], [headers, *rows], strict=True):
            # Each column as wide as its widest cell in terminal columns, two apart.
            padded = "  ".join(cell + " " * (width - cell_width(cell)) for cell, width in zip(cells, widths, strict=True))
            assert line == padded.rstrip()


class TestShorten:
    @settings(max_examples=200, deadline=None)
    @given(CELL, st.integers(2, 20))
    def test_one_line_within_the_width(self, text: str, width: int) -> None:
        short = shorten(text, width)
        assert "\n" not in short and "\t" not in short
        assert cell_width(short) <= width
        if short != " ".join(text.split()):
            assert short.endswith("…")

    def test_terminal_escapes_never_reach_the_terminal(self) -> None:
        assert "\x1b" not in shorten("\x1b[2Jcleared", 40)


class TestStreamedJson:
    """print_json writes a generator as an array item by item: the same text json.dumps gives."""

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.dictionaries(st.text(max_size=5), st.one_of(
        st.none(), st.booleans(), st.integers(), CELL, st.lists(CELL, max_size=2))), max_size=4))
    def test_same_text_as_the_whole_list(self, items: list[dict[str, object]]) -> None:
        @click.command()
        def streamed() -> None:
            print_json(item for item in items)

        expected = json.dumps(items, indent=2, ensure_ascii=False) + "\n"
        assert CliRunner().invoke(streamed).output == expected

    def test_many_items_cross_the_chunks(self) -> None:
        @click.command()
        def streamed() -> None:
            print_json({"n": n} for n in range(1234))

        assert json.loads(CliRunner().invoke(streamed).output) == [{"n": n} for n in range(1234)]


class TestProgressBar:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def test_drawn_on_a_terminal_once_the_work_takes_a_while(self, monkeypatch: pytest.MonkeyPatch) -> None:
        stderr = self.Terminal()
        monkeypatch.setattr(sys, "stderr", stderr)
        monkeypatch.setattr(_render, "PROGRESS_AFTER_SECONDS", 0.0)
        progress = ProgressBar(400)
        for _ in range(4):
            progress.advance(100)
        progress.finish()
        assert "Indexing tickets" in stderr.getvalue()
        assert "100%" in stderr.getvalue()

    def test_never_drawn_off_a_terminal_or_when_quick(self, monkeypatch: pytest.MonkeyPatch) -> None:
        quiet = io.StringIO()
        monkeypatch.setattr(sys, "stderr", quiet)
        progress = ProgressBar(400)
        progress.advance(400)
        progress.finish()
        terminal = self.Terminal()
        monkeypatch.setattr(sys, "stderr", terminal)
        quick = ProgressBar(400)   # well under PROGRESS_AFTER_SECONDS
        quick.advance(400)
        quick.finish()
        assert quiet.getvalue() == "" and terminal.getvalue() == ""
