"""The one error boundary: every PcsdeskError becomes `Error: ...` on stderr and exit 1."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from pcsdesk.commands._common import Session
from pcsdesk.commands._lazy import LazyGroup
from pcsdesk.errors import PcsdeskError

WEBMASTER = "webmaster@pcschools.us"


def _webmaster(ctx: click.Context) -> str:
    """The district's webmaster from buildings.yaml when it was read, else the procedure's."""
    session = ctx.find_object(Session)
    directory = session.loaded_directory() if session is not None else None
    return directory.webmaster if directory is not None and directory.webmaster else WEBMASTER


class PcsdeskGroup(LazyGroup):
    """A click group whose commands' failures reach the user as one actionable line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PcsdeskError as e:
            click.echo(f"Error: {e}", err=True)
            sys.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `pcsdesk list | head`: the reader left; nothing to report.
            sys.exit(1)
        except Exception as e:
            # Not the user's mistake: say whom to tell, and keep the details for them.
            click.echo(
                f"Error: unexpected failure ({type(e).__name__}: {e}); please report it to "
                f"the district's webmaster, {_webmaster(ctx)}, with the command you ran "
                "(PCSDESK_DEBUG=1 prints the details)",
                err=True,
            )
            if os.environ.get("PCSDESK_DEBUG"):
                import traceback  # only here: with textwrap it costs ~3 ms at start-up

                traceback.print_exc()
            sys.exit(1)
