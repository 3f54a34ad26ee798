"""Who is signed in: the proxy's verified email, believed only from the proxy and for the district's domains."""

from __future__ import annotations

import ipaddress
import re

from flask import g, request, session

from pcsdesk.web.config import WebConfig

# One plain address: no spaces, commas or angle brackets (a header that lists
# several people, or names one with a display name, is not one identity).
_EMAIL = re.compile(r"\A[A-Za-z0-9._%+'-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)\Z")


class NotSignedIn(Exception):
    """No trusted identity: the page answers 401 and shows no ticket data."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def from_trusted_proxy(remote_addr: str | None, config: WebConfig) -> bool:
    if not remote_addr:
        return False
    try:
        peer = ipaddress.ip_address(remote_addr.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(peer, ipaddress.IPv6Address) and peer.ipv4_mapped is not None:
        peer = peer.ipv4_mapped
    return any(peer in network for network in config.trusted_proxies)


def valid_identity(value: str, domains: tuple[str, ...]) -> str | None:
    """The address in lower case when it is one email of an allowed domain, else None."""
    value = value.strip()
    found = _EMAIL.match(value)
    if found is None or len(value) > 200:
        return None
    if found.group(1).lower() not in domains:
        return None
    return value.lower()


def signed_in_user(config: WebConfig, domains: tuple[str, ...]) -> str:
    """The email of the person making this request, or NotSignedIn."""
    if not from_trusted_proxy(request.remote_addr, config):
        raise NotSignedIn("this request did not come through the district's sign-in")
    if config.demo:
        who = session.get("demo_user")
        if not isinstance(who, str) or who not in dict(config.demo_people):
            raise NotSignedIn("choose whom to sign in as")
        return who
    value = request.headers.get(config.identity_header)
    if value is None:
        raise NotSignedIn("the sign-in did not say who you are")
    who = valid_identity(value, domains)
    if who is None:
        raise NotSignedIn("your account is not one of the district's")
    return who


def remember(who: str) -> None:
    g.pcsdesk_user = who
