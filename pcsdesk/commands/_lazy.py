"""The group's commands by name, each module imported only when its command is used."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click


class LazyCommands(dict[str, "click.Command"]):
    """A dict of commands whose values start as "module:attribute" and are imported on first use.

    Why: importing every command's module at start-up made `pcsdesk note` pay for
    `report` and `overdue` (their rules, the index, the table writer): about 20 ms
    of a write command's 150 ms. Click reads `group.commands` through get, items,
    values and [], so lookups keep working for click, tests and completion;
    `--help` imports them all, which a person reading help never notices.
    """

    def __init__(self, targets: dict[str, str]) -> None:
        super().__init__()
        # The targets stand in for the commands until first use.
        self.update(targets)  # type: ignore[arg-type]

    def _load(self, name: str) -> click.Command:
        value: Any = dict.__getitem__(self, name)
        if isinstance(value, str):
            module, _, attribute = value.partition(":")
            value = getattr(importlib.import_module(module), attribute)
            dict.__setitem__(self, name, value)
        command: click.Command = value
        return command

    def __getitem__(self, name: str) -> click.Command:
        return self._load(name)

    def get(self, name: str, default: Any = None) -> Any:
        return self._load(name) if name in self else default

    def values(self) -> list[click.Command]:  # type: ignore[override]
        return [self._load(name) for name in self]

    def items(self) -> list[tuple[str, click.Command]]:  # type: ignore[override]
        return [(name, self._load(name)) for name in self]
