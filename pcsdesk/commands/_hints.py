"""The CLI's own way of doing what a core message asks: its flag or command, added after the words.

The core words its messages for a terminal and a page alike ("the note is empty; say
what was done or found"); only here do they learn about `-m TEXT` or `pcsdesk note`.
"""

from __future__ import annotations

from pcsdesk.errors import PcsdeskError

# The option that gives each field the core may name.
_FLAGS = {
    "summary": " (--summary TEXT)",
    "requester": " (--requester EMAIL)",
    "note": " (-m TEXT)",
}


def cli_hint(error: PcsdeskError) -> str:
    """What the CLI adds to the core's message: the flag of the field at fault, or the command to run."""
    if error.then == "note":
        return f" (`pcsdesk note {error.ticket_id or 'ID'} -m ...`)"
    if error.then == "new":
        return " (`pcsdesk new ...`)"
    if error.then == "list":
        return "; `pcsdesk list --status all` shows the tickets"
    if error.then == "ids":
        return " (`pcsdesk list` shows them)"
    return _FLAGS.get(error.field or "", "")


def cli_message(error: PcsdeskError) -> str:
    return f"{error}{cli_hint(error)}"
