"""`pcsdesk notify`: email the people the changes since the last run concern (for cron)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

import click

from pcsdesk.commands._common import session


@click.command("notify")
@click.option("--dry-run", "dry_run", is_flag=True,
              help="Print each message instead of sending it, and move nothing.")
@click.option("--digest", is_flag=True,
              help="Instead: send each member of staff their open tickets, overdue first (the morning cron).")
@click.option("-v", "--verbose", is_flag=True, help="Name each message sent, on standard error.")
def notify(dry_run: bool, digest: bool, verbose: bool) -> None:
    """Send the email that the commits since the last run call for.

    Walks the commits since `refs/pcsdesk/notified` (the first run records HEAD
    and sends nothing), tells each person what concerns them (a receipt, a new
    assignment, a staff update, the resolution, a requester's note, a first
    response gone overdue), and moves the ref forward as it goes. Silent when
    there is nothing to send; a recipient the server refuses is reported and the
    run exits 1. The server: $PCSDESK_SMTP_URL (smtp://host:port,
    smtp+starttls://user@host:587, smtps://...), the password from
    $PCSDESK_SMTP_PASSWORD or the file $PCSDESK_SMTP_PASSWORD_FILE names.

    \b
    Examples (cron):
      */5 * * * *  pcsdesk --store /srv/helpdesk notify
      30 6 * * 1-5 pcsdesk --store /srv/helpdesk notify --digest
      pcsdesk notify --dry-run
    """
    from pcsdesk.mail import outbox
    from pcsdesk.mail.render import Outgoing
    from pcsdesk.mail.smtp import Mailer, settings_from_environment

    current = session()
    store = current.store
    ctx = current.context()
    mailer = None if dry_run else Mailer(settings_from_environment(os.environ))
    printed = [0]

    def show(message: Outgoing) -> None:
        if printed[0]:
            click.echo()
        click.echo(message.preview(), nl=False)
        printed[0] += 1

    box = outbox.Outbox(mailer, show)
    if digest:
        from pcsdesk.mail.digest import send_digests

        result = send_digests(store, ctx, box)
    else:
        result = outbox.run(store, ctx, box, hook=_pause_hook())
    if dry_run and result.first_run:
        click.echo("notify has not run in this clone yet: its first run records HEAD and sends nothing.",
                   err=True)
    if verbose and not dry_run:
        for sent in result.sent:
            click.echo(f"sent {sent.subject} to {sent.recipient}", err=True)
    for problem in result.problems:
        click.echo(f"Error: {problem}", err=True)
    if not result.ok:
        raise click.exceptions.Exit(1)


def _pause_hook() -> Callable[[str, str], None] | None:
    """A place to stop the process for real, for the crash tests: PCSDESK_NOTIFY_PAUSE=STEP:N.

    At the Nth time the run reaches STEP ("sent": a commit's messages are sent and
    the ref is not yet moved; "moved": the ref just moved) the process stops
    itself (SIGSTOP), so a test can kill it at exactly that point.
    """
    wanted = os.environ.get("PCSDESK_NOTIFY_PAUSE", "")
    step, _, count = wanted.partition(":")
    if not step:
        return None
    remaining = [int(count or "1")]

    def hook(reached: str, _what: str) -> None:
        if reached == step:
            remaining[0] -= 1
            if remaining[0] == 0:
                os.kill(os.getpid(), signal.SIGSTOP)

    return hook

