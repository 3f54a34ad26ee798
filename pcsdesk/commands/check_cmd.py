"""`pcsdesk check [--base REF]`: validate the store for a reviewer's CI; one line per problem."""

from __future__ import annotations

import click

from pcsdesk.commands._common import session
from pcsdesk.errors import PcsdeskError


def _warn_about_the_calendar() -> None:
    """A calendar whose closures run out soon is not a problem yet: a warning on stderr."""
    from pcsdesk.rules.calendar import closures_warning

    current = session()
    try:
        calendar = current.store.calendar
        warning = closures_warning(calendar, current.now(calendar.tz).date())
    except PcsdeskError:
        return   # a broken calendar.yaml or $PCSDESK_NOW: check reports the file itself
    if warning:
        click.echo(f"Warning: {warning}", err=True)


class ProblemsFound(PcsdeskError):
    """check found problems; they are listed on stdout above this message."""


@click.command("check")
@click.option("--base", "base", metavar="REF",
              help="Also check what changed since REF (a pull request's target, e.g. origin/main): "
                   "notes only appended, id, entered_at and requester unchanged.")
def check(base: str | None) -> None:
    """Check every ticket at HEAD: it parses, follows the schema, names known
    buildings, categories and staff, holds no password, and its status, assignee
    and first response follow from its notes log.

    With --base, every ticket changed since REF must only have had notes
    appended. Problems are printed one per line as `path:line: problem`; the
    exit status is 0 when there are none, 1 otherwise.

    \b
    Examples:
      pcsdesk check
      pcsdesk check --base origin/main
    """
    from pcsdesk.store.check import check_store

    current = session()
    result = check_store(current.store, base)
    for line in result.problems:
        click.echo(line)
    _warn_about_the_calendar()
    checked = f"{result.tickets} ticket file(s)"
    if base is not None:
        checked += f", {result.changed} changed since {base}"
    if result.problems:
        raise ProblemsFound(f"{len(result.problems)} problem(s) in {checked} (listed above)")
    click.echo(f"{checked}: no problems", err=True)
