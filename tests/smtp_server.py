"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, recording what it accepts."""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from support import Invoker


def free_port() -> int:
    """A port nobody listens on now (aiosmtpd's Controller cannot take port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Received:
    """One message as the server accepted it: the envelope and the parsed message."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def to(self) -> str:
        return self.recipients[0]

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def kind(self) -> str:
        return str(self.message["X-Pcsdesk-Kind"])

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"]).strip()

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        text: str = part.get_content()  # type: ignore[attr-defined]
        return text


@dataclass
class Recorder:
    """The server's handler: keeps every accepted message; refuses the addresses in `refuse`."""

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)   # address -> SMTP reply
    # Hold the reply to the Nth message (counting from 1) until `release` is set: the
    # message is kept, but the client never hears that it was accepted.
    hold_at: int | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio

        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
            count = len(self.received)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.hold_at is not None and count == self.hold_at:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.recipients]

    def pairs(self) -> list[tuple[str, str]]:
        """(kind, recipient) of every message, in the order received."""
        return [(r.kind, r.to) for r in self.received]


class Authenticator:
    """Accepts one user and password (for the starttls and smtps tests)."""

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.password = password
        self.attempts: list[tuple[str, str]] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        self.attempts.append((user, password))
        # handled=False: aiosmtpd itself answers 535 to a refused sign-in.
        return AuthResult(success=(user, password) == (self.user, self.password), handled=False)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made with the openssl command."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


def start_server(recorder: Recorder, **options: Any) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return controller, port


def tls_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context


class Notifier:
    """Runs `pcsdesk notify` against the test server, in-process."""

    def __init__(self, invoke: Invoker, smtp: Recorder) -> None:
        self.invoke = invoke
        self.smtp = smtp

    def env(self) -> dict[str, str]:
        return {"PCSDESK_SMTP_URL": self.smtp.url}  # type: ignore[attr-defined]

    def __call__(self, *args: str, ok: bool | None = True, now: str | None = None) -> object:
        kwargs = {"now": now} if now is not None else {}
        return self.invoke(["notify", *args], ok=ok, as_user=None, env=self.env(), **kwargs)

    def new_messages(self, *args: str, now: str | None = None) -> list[tuple[str, str]]:
        """Run notify and return (kind, recipient) of what it sent."""
        before = len(self.smtp.received)
        self(*args, now=now)
        return [(r.kind, r.to) for r in self.smtp.received[before:]]
