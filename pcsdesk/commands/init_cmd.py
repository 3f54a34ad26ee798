"""`pcsdesk init [PATH]`: make a new store with the district's default configuration."""

from __future__ import annotations

import os
from pathlib import Path

import click

from pcsdesk.commands._common import session
from pcsdesk.errors import InvalidInput
from pcsdesk.store.setup import default_calendar, init_store


@click.command("init")
@click.argument("path", required=False, type=click.Path(file_okay=False))
def init(path: str | None) -> None:
    """Make a new store at PATH (default: --store, else $PCSDESK_STORE, else here),
    running `git init` where needed.

    Copies the district's default calendar.yaml and buildings.yaml, creates
    tickets/, registers the ticket merge driver, and commits.

    \b
    Example:
      pcsdesk init ~/helpdesk
    """
    current = session()
    store_option = current.store_option
    if path is not None and store_option is not None and Path(path).resolve() != Path(store_option).resolve():
        raise InvalidInput(
            f"two places for the new store: --store {store_option} and {path}; give one of them"
        )
    target = path or store_option or os.environ.get("PCSDESK_STORE") or "."
    root = init_store(Path(target), current.actor_email, current.now(default_calendar().tz))
    click.echo(f"Initialized pcsdesk store in {root}")
