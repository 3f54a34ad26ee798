"""The click group: global options, the one error boundary, and the commands."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import click

from pcsdesk import __version__
from pcsdesk.commands import (
    assign_cmd,
    close_cmd,
    escalate_cmd,
    init_cmd,
    list_cmd,
    new_cmd,
    note_cmd,
    reopen_cmd,
    show_cmd,
)
from pcsdesk.commands._common import Session
from pcsdesk.errors import PcsdeskError

WEBMASTER = "webmaster@pcschools.us"


class PcsdeskGroup(click.Group):
    """Turns every PcsdeskError into one `Error: ...` line on stderr and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PcsdeskError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            sys.exit(1)
        except Exception as e:  # the last resort: say whom to tell, keep the details
            session = ctx.find_object(Session)
            contact = WEBMASTER
            try:
                if session is not None and session._store is not None:
                    contact = session._store.directory.webmaster or WEBMASTER
            except Exception:
                pass
            click.echo(
                f"Error: unexpected failure ({type(e).__name__}: {e}); please report it to "
                f"the district's webmaster, {contact}, with the command you ran",
                err=True,
            )
            if "--debug" in sys.argv or os.environ.get("PCSDESK_DEBUG"):
                traceback.print_exc()
            sys.exit(1)


@click.group(cls=PcsdeskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_path", metavar="PATH", envvar=None,
              help="The store to use (default: $PCSDESK_STORE, else the store around the current folder).")
@click.option("--as", "as_user", metavar="EMAIL",
              help="Who is acting (default: $PCSDESK_USER, else git config user.email).")
@click.version_option(__version__, "--version", prog_name="pcsdesk")
@click.pass_context
def cli(ctx: click.Context, store_path: str | None, as_user: str | None) -> None:
    """pcsdesk: the district's technology helpdesk, in a git repository.

    \b
    Enter a ticket, hand it on, note what you found, close it:
      pcsdesk new --building PCHS --summary "Projector in 204 shows no signal"
      pcsdesk note 2611-7KQ3X -m "Cable replaced; testing"
      pcsdesk close 2611-7KQ3X -m "Working again"
    """
    session = Session(store_path, as_user)
    ctx.obj = session
    ctx.call_on_close(session.close)


for command in (
    init_cmd.init, new_cmd.new, show_cmd.show, list_cmd.list_tickets,
    note_cmd.note, assign_cmd.assign, escalate_cmd.escalate, close_cmd.close, reopen_cmd.reopen,
):
    cli.add_command(command)
