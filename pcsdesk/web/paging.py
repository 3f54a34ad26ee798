"""Long lists a page at a time: "My tickets" and the queue show PAGE_SIZE tickets, with links on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

# Enough for a person's open tickets at a glance; a page of 50 rows renders in a
# few milliseconds where a building's 500 open tickets took over 100.
PAGE_SIZE = 50


def page_number(args: Mapping[str, str]) -> int:
    """?page=N (1 for anything that is not a positive number)."""
    text = args.get("page", "1")
    return int(text) if text.isdigit() and 0 < int(text) < 1_000_000 else 1


class Pages(NamedTuple):
    number: int   # this page, from 1
    total: int    # items in all

    @property
    def first(self) -> int:
        """The position of this page's first item, from 1."""
        return (self.number - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return min(self.total, self.number * PAGE_SIZE)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * PAGE_SIZE < self.total

    @property
    def several(self) -> bool:
        return self.total > PAGE_SIZE or self.number > 1
