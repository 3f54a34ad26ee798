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

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Refuse a command-line argument that is not UTF-8 before any command sees it.

        Python hands undecodable argv bytes over as lone surrogates ("Caf\\udce9" for a
        Latin-1 terminal's "Café"); written into a ticket they make a file no loader
        reads again. Every argument of every command is checked here, once.
        """
        from pcsdesk.rules.texts import first_bad_byte

        for number, arg in enumerate(args):
            position = first_bad_byte(arg)
            if position is None:
                continue
            before = args[number - 1] if number and args[number - 1].startswith("-") else None
            if arg.startswith("--") and "=" in arg[:position]:
                before = arg.split("=", 1)[0]
            what = f"the value of {before}" if before else f"argument {number + 1}"
            byte = ord(arg[position]) - 0xDC00
            shown = f"byte 0x{byte:02x}" if 0x80 <= byte <= 0xFF else "a character"
            click.echo(
                f"Error: {what} is not valid UTF-8 text ({shown} at character {position + 1}); set the "
                "terminal to UTF-8 (e.g. LANG=en_US.UTF-8) and type it again; nothing was changed",
                err=True,
            )
            ctx.exit(1)
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PcsdeskError as e:
            from pcsdesk.commands._hints import cli_message

            click.echo(f"Error: {cli_message(e)}", err=True)
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
