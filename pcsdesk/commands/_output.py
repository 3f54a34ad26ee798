"""One table renderer and one JSON serializer for every command."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from types import GeneratorType
from typing import Any

import click


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def print_json(data: Any) -> None:
    """JSON, indented by two; a generator of items is written as an array, item by item.

    Streaming keeps a listing of 100,000 tickets from holding every row's object
    and the whole text at once (~0.5 GB); the text is the same as json.dumps of
    the list would give.
    """
    if not isinstance(data, GeneratorType):
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_default))
        return
    chunk: list[str] = []
    opened = False
    for item in data:
        text = json.dumps(item, indent=2, ensure_ascii=False, default=_default)
        # Inside the array each line is indented two more; strings hold no raw newline.
        chunk.append((",\n  " if opened else "[\n  ") + text.replace("\n", "\n  "))
        opened = True
        if len(chunk) >= 500:
            click.echo("".join(chunk), nl=False)
            chunk = []
    chunk.append("\n]" if opened else "[]")
    click.echo("".join(chunk))


def print_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    """Rows under headers, in tabulate's "simple" format."""
    lines = simple_table_lines(rows, headers)
    if lines is None:
        # tabulate is imported only here: it costs ~100 ms to import (it loads
        # importlib.metadata and wcwidth), as much as click and PyYAML together.
        from tabulate import tabulate

        click.echo(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
        return
    # Written a thousand lines at a time: a listing of 100,000 tickets never
    # holds its whole text.
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= 1000:
            click.echo("\n".join(chunk))
            chunk = []
    if chunk:
        click.echo("\n".join(chunk))


def simple_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str | None:
    """The table exactly as tabulate's "simple" format writes text cells, or None.

    The listings print text cells, one line each, of characters one column wide
    (accents, dashes, the ellipsis): that case is written here, so `list` does
    not pay tabulate's import. Anything else (numbers, several lines, wide or
    zero-width characters, terminal escapes) returns None for tabulate to write.
    tests/commands/test_simple_table.py compares both on generated tables.
    """
    lines = simple_table_lines(rows, headers)
    return None if lines is None else "\n".join(lines)


def simple_table_lines(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> Iterator[str] | None:
    """simple_table's lines, made one at a time once every cell is known to qualify."""
    columns = len(headers)
    for header in headers:
        if type(header) is not str or not _narrow(header):
            return None
    # As tabulate: each column as wide as its widest cell, and at least its header plus two.
    widths = [len(header) + 2 for header in headers]
    for row in rows:
        if len(row) != columns:
            return None
        for number, value in enumerate(row):
            if value is None:
                continue
            if type(value) is not str or not _narrow(value):
                return None
            width = len(value.strip())
            if width > widths[number]:
                widths[number] = width

    def lines() -> Iterator[str]:
        yield "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
        yield "  ".join("-" * w for w in widths).rstrip()
        for row in rows:
            yield "  ".join(("" if c is None else c.strip()).ljust(w)
                            for c, w in zip(row, widths, strict=True)).rstrip()

    return lines()


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
