"""The click group: global options and the commands (each lives in pcsdesk/commands/)."""

from __future__ import annotations

import sys

# The commands that answer from HEAD and name the uncommitted files they did not see
# (commands/_common.reads_from_head).
_READS = frozenset({"show", "list", "log", "overdue", "report"})


def _start_reads_early(args: list[str]) -> None:
    """For a read command, start git's look at the work tree before click and pcsdesk load.

    It costs git 0.2 s at 100,000 tickets (store/worktree.py); begun here, it runs
    on the other core while Python imports, rather than after. Only the plain
    forms are recognised (--store PATH, --store=PATH, --as EMAIL before the
    command); anything else is left to click, and the query starts later instead.
    """
    import os

    store = None
    rest = iter(args)
    for arg in rest:
        if arg in ("--store", "--as"):
            value = next(rest, None)
            if arg == "--store":
                store = value
        elif arg.startswith("--store="):
            store = arg.removeprefix("--store=")
        elif arg.startswith("--as="):
            continue
        elif arg in _READS:
            break
        else:
            return
    else:
        return
    from pathlib import Path

    from pcsdesk.errors import StoreNotFound
    from pcsdesk.store.root import find_store_root
    from pcsdesk.store.worktree import start_early

    try:
        start_early(find_store_root(store or os.environ.get("PCSDESK_STORE") or None, Path.cwd()))
    except (StoreNotFound, OSError):
        pass   # the command itself reports it


_start_reads_early(sys.argv[1:])

import click  # noqa: E402

from pcsdesk import __version__  # noqa: E402
from pcsdesk.commands._boundary import PcsdeskGroup  # noqa: E402
from pcsdesk.commands._common import Session, _complete_staff  # noqa: E402


@click.group(cls=PcsdeskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_path", metavar="PATH", envvar=None,
              help="The store to use (default: $PCSDESK_STORE, else the store around the current folder).")
@click.option("--as", "as_user", metavar="EMAIL", shell_complete=_complete_staff,
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


# Each command's module is imported when that command runs, not at start-up, so a
# write command imports only what it needs (docs/performance.md). Add a command as
# "name": "pcsdesk.commands.<module>:<function>" (commands/_lazy.py, click's lazy group).
cli.lazy_subcommands.update({
    "init": "pcsdesk.commands.init_cmd:init",
    "new": "pcsdesk.commands.new_cmd:new",
    "show": "pcsdesk.commands.show_cmd:show",
    "list": "pcsdesk.commands.list_cmd:list_tickets",
    "note": "pcsdesk.commands.note_cmd:note",
    "assign": "pcsdesk.commands.assign_cmd:assign",
    "escalate": "pcsdesk.commands.escalate_cmd:escalate",
    "close": "pcsdesk.commands.close_cmd:close",
    "reopen": "pcsdesk.commands.reopen_cmd:reopen",
    "log": "pcsdesk.commands.log_cmd:log",
    "overdue": "pcsdesk.commands.overdue_cmd:overdue",
    "report": "pcsdesk.commands.report_cmd:report",
    "check": "pcsdesk.commands.check_cmd:check",
    "sync": "pcsdesk.commands.sync_cmd:sync",
    "notify": "pcsdesk.commands.notify_cmd:notify",
    "merge-driver": "pcsdesk.commands.merge_driver_cmd:merge_driver",
    "pre-receive": "pcsdesk.commands.pre_receive_cmd:pre_receive",
    "serve": "pcsdesk.commands.serve_cmd:serve",
})
