"""`pcsdesk merge-driver %O %A %B %P`: the ticket merge driver git runs (hidden; see store/merge.py)."""

from __future__ import annotations

import click


@click.command("merge-driver", hidden=True)
@click.argument("base_file", metavar="BASE")
@click.argument("ours_file", metavar="OURS")
@click.argument("theirs_file", metavar="THEIRS")
@click.argument("path", metavar="PATH")
def merge_driver(base_file: str, ours_file: str, theirs_file: str, path: str) -> None:
    """Merge one ticket file for git: BASE, OURS (rewritten with the result), THEIRS, its PATH.

    Registered by `pcsdesk init` and `pcsdesk sync`; git runs it, people do not.

    \b
    Example (as git config holds it):
      python -m pcsdesk merge-driver %O %A %B %P
    """
    from pcsdesk.store.merge import run_merge_driver

    run_merge_driver(base_file, ours_file, theirs_file, path)
