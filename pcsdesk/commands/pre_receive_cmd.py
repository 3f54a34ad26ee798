"""`pcsdesk pre-receive`: the git server's gate, run by a bare repository's hooks/pre-receive."""

from __future__ import annotations

import os
import sys

import click

from pcsdesk.errors import PcsdeskError


@click.command("pre-receive")
@click.option("--pusher", metavar="NAME",
              help="Who is pushing, when the server does not say ($REMOTE_USER, else $GL_USER).")
@click.option("--branch", metavar="REF", help="The store's branch (default: the one the repository's HEAD names).")
def pre_receive(pusher: str | None, branch: str | None) -> None:
    """Refuse a push to the store's branch that would break the record.

    Reads git's `OLD NEW REF` lines on standard input. The push is refused as a
    whole, one line per reason, when it is not a fast-forward or deletes the
    branch; fails `pcsdesk check --base OLD` on NEW; carries a commit whose author
    is not the pusher (but for district.service_account); or changes
    calendar.yaml, buildings.yaml or .gitattributes and the pusher is not listed
    under district.admins. An accepted push prints nothing and exits 0.

    The pusher is --pusher, else $REMOTE_USER (smart HTTP behind the web server's
    authentication), else $GL_USER (gitolite); a bare name gets
    district.email_domain. See docs/server.md.

    \b
    Example: the bare repository's hooks/pre-receive (executable):
      #!/bin/sh
      exec /opt/pcsdesk/bin/pcsdesk pre-receive
    and by hand, as git runs it:
      echo "$OLD $NEW refs/heads/main" | REMOTE_USER=rlee pcsdesk pre-receive
    """
    from pcsdesk.desk.gate import refusals
    from pcsdesk.store.gate import open_repository, parse_updates

    data = sys.stdin.buffer.read()
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError as e:
        raise PcsdeskError("standard input is not git's `OLD NEW REF` lines") from e
    store = open_repository()
    try:
        who = pusher or os.environ.get("REMOTE_USER") or os.environ.get("GL_USER") or None
        reasons = refusals(store, parse_updates(text), who, branch)
    finally:
        store.close()
    for reason in reasons:
        click.echo(reason, err=True)
    if reasons:
        sys.exit(1)
