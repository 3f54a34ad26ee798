"""`pcsdesk serve`: the web helpdesk for requesters and staff, behind the district's sign-in proxy."""

from __future__ import annotations

import ipaddress
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pcsdesk.commands._common import session
from pcsdesk.errors import InvalidInput

if TYPE_CHECKING:
    # Flask and waitress load only when the server starts, not for every command's help.
    from pcsdesk.web.config import WebConfig


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the sign-in proxy connects here.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port, printed at start).")
@click.option("--identity-header", default="X-Forwarded-Email", show_default=True, metavar="NAME",
              help="The header in which the proxy passes the signed-in person's verified email.")
@click.option("--trusted-proxy", "trusted_proxies", multiple=True, metavar="ADDR",
              help="An address (or network) of the proxy; repeatable. Default: 127.0.0.1 and ::1.")
@click.option("--allow-domain", "allowed_domains", multiple=True, metavar="DOMAIN",
              help="An email domain that may sign in; repeatable. Default: district.email_domain.")
@click.option("--secure-cookie/--no-secure-cookie", "secure_cookie", default=None,
              help="Send the session cookie only over HTTPS (the proxy's). Default: on, "
                   "but off with --demo, which is plain http on this computer.")
@click.option("--demo", is_flag=True,
              help="Try it on this computer: a throwaway demo store and a 'sign in as' list "
                   "(loopback addresses only).")
def serve(host: str, port: int, identity_header: str, trusted_proxies: tuple[str, ...],
          allowed_domains: tuple[str, ...], secure_cookie: bool | None, demo: bool) -> None:
    """Serve the web helpdesk: My tickets, New Ticket, each ticket, and the staff queue.

    Put it behind the district's single sign-on (Apache mod_auth_openidc or
    oauth2-proxy), which passes the verified email in a header; requests from
    anywhere else get 401. Stops cleanly on SIGTERM. See docs/web.md.

    \b
    Examples:
      pcsdesk serve --port 8080
      pcsdesk serve --demo
    """
    from pcsdesk.web.config import DEFAULT_TRUSTED_PROXIES, WebConfig, parse_networks

    if not identity_header.strip() or any(c.isspace() or c == ":" for c in identity_header):
        raise InvalidInput(f"--identity-header {identity_header!r} is not a header name; e.g. X-Forwarded-Email")
    if demo and not _loopback(host):
        raise InvalidInput(
            f"--demo serves made-up people without a sign-in, so it listens only on this computer; "
            f"drop --host {host} (or use 127.0.0.1)"
        )
    domains = tuple(d.strip().lower().lstrip("@") for d in allowed_domains if d.strip())
    scratch: Path | None = None
    try:
        if demo:
            from pcsdesk.web.demo_store import PEOPLE, make_demo_store

            scratch = Path(tempfile.mkdtemp(prefix="pcsdesk-demo-"))
            from pcsdesk.store.setup import default_calendar

            root = make_demo_store(scratch / "helpdesk", session().now(default_calendar().tz))
            people = PEOPLE
        else:
            root = session().store.root
            people = ()
        config = WebConfig(
            store_root=root,
            identity_header=identity_header.strip(),
            trusted_proxies=parse_networks(trusted_proxies or DEFAULT_TRUSTED_PROXIES),
            allowed_domains=domains,
            demo_people=people,
            secure_cookie=(not demo) if secure_cookie is None else secure_cookie,
        )
        _run(config, host, port)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _run(config: WebConfig, host: str, port: int) -> None:
    from pcsdesk.web.app import create_app
    from pcsdesk.web.server import serve as run_server
    from pcsdesk.web.server import warm_index

    app = create_app(config)

    def announce(server: object) -> None:
        address = getattr(server, "effective_host", host), getattr(server, "effective_port", port)
        shown = f"[{address[0]}]" if ":" in str(address[0]) else address[0]
        mode = " (demo: a throwaway store)" if config.demo else ""
        click.echo(f"pcsdesk serving {config.store_root} at http://{shown}:{address[1]}/{mode}", err=True)
        click.echo("Stop with Ctrl-C or SIGTERM.", err=True)
        sys.stderr.flush()

    def refresh_index() -> None:
        from pcsdesk.desk.queries import ticket_ids
        from pcsdesk.store.store import Store

        store = Store(config.store_root)
        try:
            ticket_ids(store, prefix="~")   # any question brings the index up to date
        except Exception as e:  # a page that needs the index reports the problem to its reader
            click.echo(f"pcsdesk: the index could not be brought up to date at start: {e}", err=True)
        finally:
            store.close()

    warm_index(refresh_index)
    run_server(app, host, port, ready=announce)
