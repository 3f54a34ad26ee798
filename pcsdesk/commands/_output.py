"""One table renderer and one JSON serializer for every command."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import click


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_default))


def print_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    """Rows under headers, in tabulate's "simple" format."""
    text = simple_table(rows, headers)
    if text is None:
        # tabulate is imported only here: it costs ~100 ms to import (it loads
        # importlib.metadata and wcwidth), as much as click and PyYAML together.
        from tabulate import tabulate

        text = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)
    click.echo(text)


def simple_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str | None:
    """The table exactly as tabulate's "simple" format writes text cells, or None.

    The listings print text cells, one line each, of characters one column wide
    (accents, dashes, the ellipsis): that case is written here, so `list` does
    not pay tabulate's import. Anything else (numbers, several lines, wide or
    zero-width characters, terminal escapes) returns None for tabulate to write.
    tests/commands/test_simple_table.py compares both on generated tables.
    """
    columns = len(headers)
    cells: list[list[str]] = []
    for row in rows:
        if len(row) != columns:
            return None
        line = []
        for value in row:
            if value is None:
                value = ""
            if type(value) is not str or not _narrow(value):
                return None
            line.append(value.strip())
        cells.append(line)
    for header in headers:
        if type(header) is not str or not _narrow(header):
            return None
    # As tabulate: each column as wide as its widest cell, and at least its header plus two.
    widths = [len(header) + 2 for header in headers]
    for line in cells:
        for number, cell in enumerate(line):
            if len(cell) > widths[number]:
                widths[number] = len(cell)
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip(),
           "  ".join("-" * w for w in widths).rstrip()]
    out.extend("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
               for line in cells)
    return "\n".join(out)


def _narrow(text: str) -> bool:
    """Every character printable and one column wide, as wcwidth (tabulate's measure) counts."""
    if text.isascii():
        return text.isprintable() and text not in ("True", "False")
    import unicodedata

    for char in text:
        if char.isascii():
            if not char.isprintable():
                return False
        elif (not char.isprintable() or unicodedata.east_asian_width(char) in ("W", "F")
              or unicodedata.category(char) in ("Mn", "Me", "Cf", "Sk")
              or 0xFE00 <= ord(char) <= 0xFE0F):
            return False
    return True


def shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
