"""`pcsdesk sync`: fetch, merge and push the store, so clones that worked apart end with everything."""

from __future__ import annotations

import click

from pcsdesk.commands._common import session
from pcsdesk.errors import InvalidInput


@click.command("sync")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing unless something goes wrong (for cron).")
def sync(quiet: bool) -> None:
    """Pull and push the store: fetch its remote, merge, push.

    Notes added to one ticket in two clones both survive, in time order; status,
    assignee and first response follow from the merged notes; new tickets from
    both sides arrive. A change that cannot be merged safely (the same field
    changed differently on both sides, a note edited) stops the sync and leaves
    this clone and the remote as they were. A push overtaken by another clone is
    retried after merging again.

    The remote is the branch's upstream, else `origin`. Uncommitted changes to
    files the merge must update stop the sync; other uncommitted work is left as
    it is. Also registers the ticket merge driver, so a plain `git pull` in this
    clone merges tickets the same way.

    \b
    Examples:
      pcsdesk sync
      pcsdesk sync -q        # in a cron job: silent unless it fails
    """
    from pcsdesk.desk.actions import author_for
    from pcsdesk.store.store import Author
    from pcsdesk.store.sync import sync as sync_store

    current = session()
    store = current.store

    def author() -> Author:
        # Asked only when sync must make a merge commit: a quiet day needs no identity.
        try:
            return author_for(current.context(), current.actor())
        except InvalidInput as e:
            if "who is acting" not in str(e):
                raise   # an identity given but not usable: its own message says why
            raise InvalidInput(
                "sync must make a merge commit (this clone and the remote both changed) and needs "
                "to know who makes it: pass --as EMAIL, set PCSDESK_USER (in a crontab, a line "
                "PCSDESK_USER=you@pcschools.us above the job), or run git config user.email EMAIL "
                f"in {store.root}; nothing was changed"
            ) from e

    result = sync_store(store, author, current.now())
    if quiet:
        return
    if not result.received and not result.sent:
        click.echo(f"{result.branch} is up to date with {result.upstream}")
        return
    merged = f"; merged {len(result.merged)} ticket(s) changed on both sides" if result.merged else ""
    click.echo(
        f"{result.branch} synced with {result.upstream}: received {result.received} commit(s), "
        f"sent {result.sent}{merged}"
    )
    for path in result.merged:
        click.echo(f"  merged {path}")
    if result.attempts > 1:
        click.echo(f"  another clone pushed meanwhile: merged again and pushed (try {result.attempts})")
