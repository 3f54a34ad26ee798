"""How the web helpdesk is set up: the store, whom to believe about identity, demo mode."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from pcsdesk.errors import InvalidInput

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_IDENTITY_HEADER = "X-Forwarded-Email"
DEFAULT_TRUSTED_PROXIES = ("127.0.0.1", "::1")
# How long a demo sign-in and a form's CSRF token stay good.
SESSION_SECONDS = 8 * 3600


def parse_networks(addresses: tuple[str, ...] | list[str]) -> tuple[IPNetwork, ...]:
    """Addresses or networks (`10.0.0.5`, `10.0.0.0/24`, `::1`) the proxy may speak from."""
    networks = []
    for text in addresses:
        try:
            networks.append(ipaddress.ip_network(text.strip(), strict=False))
        except ValueError as e:
            raise InvalidInput(
                f"--trusted-proxy {text!r} is not an IP address or network; e.g. 127.0.0.1 or 10.0.0.0/24"
            ) from e
    return tuple(networks)


@dataclass(frozen=True)
class WebConfig:
    store_root: Path
    identity_header: str = DEFAULT_IDENTITY_HEADER
    trusted_proxies: tuple[IPNetwork, ...] = field(
        default_factory=lambda: parse_networks(DEFAULT_TRUSTED_PROXIES)
    )
    # Lower-case domains whose addresses may sign in; empty means district.email_domain.
    allowed_domains: tuple[str, ...] = ()
    secret_key: bytes = b""
    # The session cookie (it carries the forms' CSRF token) goes back only over HTTPS:
    # the sign-in proxy serves it so. Off for --demo, which is plain http on loopback.
    secure_cookie: bool = True
    # Demo mode: a throwaway store and a "sign in as" list instead of a proxy.
    demo_people: tuple[tuple[str, str], ...] = ()

    @property
    def demo(self) -> bool:
        return bool(self.demo_people)
