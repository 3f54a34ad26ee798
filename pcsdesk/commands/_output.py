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
    # tabulate is imported here, not at start-up: it costs ~100 ms to import and
    # only the listing commands need it.
    from tabulate import tabulate

    click.echo(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))


def shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
