"""`pcsdesk init [PATH]`: make a new store with the district's default configuration."""

from __future__ import annotations

import os
from pathlib import Path

import click

from pcsdesk.commands._common import session
from pcsdesk.store.setup import default_calendar, init_store


@click.command("init")
@click.argument("path", required=False, default=".", type=click.Path(file_okay=False))
def init(path: str) -> None:
    """Make a new store at PATH (default: here), running `git init` where needed.

    Copies the district's default calendar.yaml and buildings.yaml, creates
    tickets/, registers the ticket merge driver, and commits.

    \b
    Example:
      pcsdesk init ~/helpdesk
    """
    current = session()
    who = current.as_option or os.environ.get("PCSDESK_USER") or None
    root = init_store(Path(path), who, current.now(default_calendar().tz))
    click.echo(f"Initialized pcsdesk store in {root}")
