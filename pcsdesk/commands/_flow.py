"""Shared by the ticket-flow commands: the editor's context and the one-line report."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from pcsdesk.rules.ticket import Ticket

if TYPE_CHECKING:
    from pcsdesk.desk.context import Context
    from pcsdesk.store.store import Store


def editor_context(store: Store, ctx: Context, ticket_id: str) -> Callable[[], str]:
    """The ticket, commented out, below the editor's text: read only when an editor opens."""

    def render() -> str:
        from pcsdesk.commands._render import ticket_text
        from pcsdesk.desk.queries import ticket_view

        text = ticket_text(ticket_view(store, ctx, ticket_id), ctx.tz)
        return "".join(f"# {line}".rstrip() + "\n" for line in text.splitlines())

    return render


def report_entry(ticket: Ticket) -> None:
    last = ticket.notes[-1]
    where = f"; assigned to {ticket.assignee}" if last.to else ""
    click.echo(f"{ticket.id} {last.kind} recorded{where} [{ticket.status}]")
