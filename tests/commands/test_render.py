"""The terminal's renderer: tables as tabulate's "simple" format writes them, JSON streamed
as json.dumps writes it, and the index's progress bar only where a person watches."""

from __future__ import annotations

import io
import json
import sys

import click
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from pcsdesk.commands import _render
from pcsdesk.commands._render import ProgressBar, print_json, simple_table_lines

# Text as tickets hold it: letters, digits, punctuation, accents, dashes, the
# ellipsis shorten() adds, and now and then what the renderer must leave to tabulate.
CELL = st.text(
    alphabet=st.sampled_from(
        [*"abcXYZ019 .,:;-_@/'\"()[]#!?", "é", "ñ", "…", "—", "“", "”", "\t", "\n", "界", "\u0301", "😀"]
    ),
    max_size=14,
)


# Characters the fast path leaves to tabulate: control characters, several lines, wide
# and zero-width characters, which only wcwidth measures.
UNMEASURED = frozenset(["\t", "\n", "界", "\u0301", "😀"])
NARROW_CELL = st.text(alphabet=st.sampled_from([*"abcXYZ019 .,:;-_@/'\"()[]#!?", "é", "ñ", "…", "—", "“", "”"]),
                      max_size=14)


def simple_table(rows: list[list[str]], headers: list[str]) -> str | None:
    lines = simple_table_lines(rows, headers)
    return None if lines is None else "\n".join(lines)


def tabulated(rows: list[list[str]], headers: list[str]) -> str:
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


class TestSameAsTabulate:
    def test_a_listing(self) -> None:
        headers = ["id", "pri", "status", "building", "assignee", "due", "late", "summary"]
        rows = [
            ["2611-7KQ3X", "EMERG", "open", "PCHS", "ets.pchs@pcschools.us", "2026-12-02 10:00",
             "OVERDUE", "Projector in room 204 shows no sig…"],
            ["2611-AB12C", "", "open", "DO", "netops@pcschools.us", "2026-12-03 09:00", "",
             "  Wi-Fi drops — café wing  "],
        ]
        assert simple_table(rows, headers) == tabulated(rows, headers)

    def test_numbers_and_wide_characters_are_left_to_tabulate(self) -> None:
        assert simple_table([[1, "a"]], ["n", "x"]) is None
        assert simple_table([["界", "a"]], ["n", "x"]) is None
        assert simple_table([["two\nlines", "a"]], ["n", "x"]) is None
        assert simple_table([["\x1b[1mbold\x1b[0m"]], ["n"]) is None

    @settings(max_examples=150, deadline=None)
    @given(st.integers(1, 4).flatmap(lambda n: st.tuples(
        st.lists(NARROW_CELL, min_size=n, max_size=n),
        st.lists(st.lists(NARROW_CELL, min_size=n, max_size=n), max_size=5),
    )))
    def test_tables_of_everyday_text_take_the_fast_path_and_match(self, table: tuple[list[str], list[list[str]]]) -> None:
        headers, rows = table
        mine = simple_table(rows, headers)
        assert mine is not None, "a table of everyday text fell off the fast path"
        assert mine == tabulated(rows, headers)

    @settings(max_examples=150, deadline=None)
    @given(st.integers(1, 4).flatmap(lambda n: st.tuples(
        st.lists(CELL, min_size=n, max_size=n),
        st.lists(st.lists(CELL, min_size=n, max_size=n), max_size=5),
    )))
    def test_it_declines_exactly_the_tables_it_cannot_measure(self, table: tuple[list[str], list[list[str]]]) -> None:
        headers, rows = table
        mine = simple_table(rows, headers)
        odd = any(char in UNMEASURED for cell in [*headers, *(c for row in rows for c in row)] for char in cell)
        assert (mine is None) == odd
        if mine is not None:
            assert mine == tabulated(rows, headers)


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
