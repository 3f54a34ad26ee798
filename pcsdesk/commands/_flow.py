"""Shared by the ticket-flow commands: the editor's context and the one-line report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import click

from pcsdesk.rules.ticket import Ticket
from pcsdesk.store.store import Store


def editor_context(store: Store, ticket_id: str, now: datetime) -> Callable[[], str]:
    """The ticket, commented out, below the editor's text: read only when an editor opens."""

    def render() -> str:
        from pcsdesk.commands._present import ticket_text

        ticket = store.read_ticket(ticket_id)
        return "".join(f"# {line}".rstrip() + "\n" for line in ticket_text(store, ticket, now).splitlines())

    return render


def report_entry(ticket: Ticket) -> None:
    last = ticket.notes[-1]
    where = f"; assigned to {ticket.assignee}" if last.to else ""
    click.echo(f"{ticket.id} {last.kind} recorded{where} [{ticket.status}]")
