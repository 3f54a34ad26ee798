"""End to end through the district's kind of sign-in: Apache + mod_auth_openidc in front of `pcsdesk serve`.

Debian's Apache with libapache2-mod-auth-openidc (installed by .ci/run when missing)
runs the configuration docs/web.md gives, against oidc-provider-mock (PyPI) as the
identity provider, all on 127.0.0.1. A district account signs in and sees its tickets;
an account without the district's `hd` claim gets Apache's 401; an X-Forwarded-Email
the browser sends itself never reaches pcsdesk.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from live import LiveServer, hermetic_env, make_store, wait_until
from playwright.sync_api import BrowserContext, Page, expect
from support import ETS, TEACHER

APACHE = "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
OUTSIDER = "someone@example.com"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def apache_config(folder: Path, port: int, provider: int, app: str) -> str:
    """docs/web.md's site, on plain http and 127.0.0.1 (the provider is the mock)."""
    modules = "\n".join(
        f"LoadModule {name}_module {MODULES}/mod_{name}.so"
        for name in ("mpm_event", "authn_core", "authz_core", "headers", "proxy", "proxy_http", "auth_openidc")
    )
    # Apache started as root serves as an unprivileged account, as in production.
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    return f"""\
ServerRoot {folder}
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
PidFile {folder}/httpd.pid
ErrorLog {folder}/error.log
LogLevel warn
{user}{modules}

OIDCProviderMetadataURL http://127.0.0.1:{provider}/.well-known/openid-configuration
OIDCClientID pcsdesk
OIDCClientSecret tests-only
OIDCRedirectURI http://127.0.0.1:{port}/oidc/callback
OIDCCryptoPassphrase tests-only
OIDCScope "openid email"
OIDCRemoteUserClaim email
OIDCPassClaimsAs environment

<Location />
    AuthType openid-connect
    Require claim hd:pcschools.us
</Location>

RequestHeader unset X-Forwarded-Email
RequestHeader set   X-Forwarded-Email "%{{OIDC_CLAIM_email}}e"

ProxyPass        /oidc/callback !
ProxyPass        / {app}/
ProxyPassReverse / {app}/
"""


class Running:
    """A child process that is stopped (SIGTERM, then kill) when the test is done."""

    def __init__(self, args: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.log = log
        self.process = subprocess.Popen(args, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="module")
def front_door(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Apache with mod_auth_openidc on 127.0.0.1, the mock provider, and pcsdesk serve behind."""
    folder = tmp_path_factory.mktemp("sso")
    env = hermetic_env(folder, None)
    app = LiveServer(make_store(folder, env), env)
    provider_port, port = free_port(), free_port()
    people = [{"sub": TEACHER, "email": TEACHER, "hd": "pcschools.us"}, {"sub": OUTSIDER, "email": OUTSIDER}]
    provider = Running(
        [str(Path(sys.executable).parent / "oidc-provider-mock"), "--port", str(provider_port),
         *(arg for person in people for arg in ("--user-claims", json.dumps(person)))],
        folder / "provider.log",
    )
    apache: Running | None = None
    try:
        assert wait_until(lambda: listening(provider_port), 30), (folder / "provider.log").read_text()
        (folder / "httpd.conf").write_text(apache_config(folder, port, provider_port, app.url))
        apache = Running([APACHE, "-f", str(folder / "httpd.conf"), "-DFOREGROUND"], folder / "apache.log",
                         env={"PATH": "/usr/sbin:/usr/bin:/bin"})
        assert wait_until(lambda: listening(port) or apache.process.poll() is not None, 30)
        assert apache.process.poll() is None, (folder / "apache.log").read_text()
        yield f"http://127.0.0.1:{port}"
    finally:
        if apache is not None:
            apache.stop()
        provider.stop()
        assert app.stop() == 0


def sign_in(context: BrowserContext, url: str, who: str) -> Page:
    """Through the provider's page, as a person would: choose the account, come back."""
    page = context.new_page()
    page.goto(url + "/")
    page.get_by_role("button", name=who, exact=True).click()
    page.wait_for_load_state()
    return page


class TestSigningIn:
    def test_a_district_account_signs_in_and_a_forged_header_never_reaches_pcsdesk(
            self, new_context: Callable[..., BrowserContext], front_door: str) -> None:
        # The browser itself claims to be the ETS: Apache drops that header before setting its own.
        context = new_context(extra_http_headers={"X-Forwarded-Email": ETS})
        page = sign_in(context, front_door, TEACHER)
        expect(page.get_by_role("heading", name="My tickets")).to_be_visible()
        expect(page.locator("body")).to_contain_text(f"Signed in as {TEACHER}")
        expect(page.locator("body")).not_to_contain_text(ETS)
        # And the signed-in person enters a ticket through the proxy: one commit, theirs.
        page.get_by_role("link", name="New Ticket").first.click()
        page.get_by_label("Building").select_option("PCHS")
        page.get_by_label("Summary").fill("Entered through the district's sign-in")
        page.get_by_role("button", name="Submit ticket").click()
        expect(page.locator("main")).to_contain_text("Entered through the district's sign-in")

    def test_an_account_outside_the_district_gets_401_from_apache(
            self, new_context: Callable[..., BrowserContext], front_door: str) -> None:
        context = new_context()
        page = sign_in(context, front_door, OUTSIDER)   # the provider vouches for them; Apache does not
        for path in ("/", "/new", "/queue"):
            response = page.request.get(front_door + path, max_redirects=0)
            assert response.status == 401, path
            assert "My tickets" not in response.text() and "csrf_token" not in response.text()


def test_the_tools_are_installed() -> None:
    """.ci/run installs them; say which is missing rather than fail obscurely."""
    assert Path(APACHE).exists() and (MODULES / "mod_auth_openidc.so").exists(), (
        "apt-get install apache2 libapache2-mod-auth-openidc")
    assert shutil.which("oidc-provider-mock", path=str(Path(sys.executable).parent)), (
        "pip install -e '.[test]' (oidc-provider-mock)")
