"""`pcsdesk log ID`: a ticket's audit trail, every commit that touched its file, from git."""

from __future__ import annotations

from typing import Any

import click

from pcsdesk.commands._common import canonical_id, json_option, reads_from_head, session, ticket_id_argument

OUTSIDE = "edited outside pcsdesk"


@click.command("log")
@ticket_id_argument
@json_option
@reads_from_head
def log(ticket_id: str, as_json: bool) -> None:
    """Show a ticket's audit trail from git history, oldest first.

    Every commit that touched the ticket's file: its short hash, time (district
    time), author and action. Changes made outside pcsdesk (a hand edit committed
    with git, a merge) are listed too, with their commit subject.

    \b
    Example:
      pcsdesk log 2611-7KQ3X
      pcsdesk log 2611-7KQ3X --json
    """
    from pcsdesk.commands._output import print_json, print_table
    from pcsdesk.rules.clock import format_instant
    from pcsdesk.store.history import ticket_history

    store = session().store
    changes = ticket_history(store, canonical_id(ticket_id))
    tz = store.calendar.tz
    if as_json:
        data: list[dict[str, Any]] = [
            {
                "commit": change.commit,
                "short": change.short,
                "time": format_instant(change.at, tz),
                "author": change.author,
                "author_name": change.author_name,
                "author_email": change.author_email,
                "action": change.action,
                "outside_pcsdesk": change.action is None,
                "merge": change.is_merge,
                "subject": change.subject,
            }
            for change in changes
        ]
        print_json(data)
        return
    rows = []
    for change in changes:
        if change.action is not None:
            action = change.action
        else:
            kind = f"{OUTSIDE} (merge)" if change.is_merge else OUTSIDE
            action = f"{kind}: {change.subject}"
        rows.append([change.short, format_instant(change.at, tz), change.author, action])
    print_table(rows, ["commit", "time", "author", "action"])
