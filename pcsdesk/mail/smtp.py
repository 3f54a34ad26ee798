"""Sending mail: the SMTP server named by the environment, never by the store.

`$PCSDESK_SMTP_URL` names the server (`smtp://host:port`, `smtp+starttls://user@host:587`,
`smtps://user@host:465`); the password comes from `$PCSDESK_SMTP_PASSWORD` or the
file `$PCSDESK_SMTP_PASSWORD_FILE` names. Git history is forever, so nothing
about the server's credentials is ever read from, or written to, the store.
TLS is verified against the system's certificates (`$SSL_CERT_FILE` names others).
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from ipaddress import ip_address
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pcsdesk.errors import PcsdeskError

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TIMEOUT_SECONDS = 60.0
EXAMPLE_URL = "smtp+starttls://helpdesk%40pcschools.us@smtp-relay.gmail.com:587"


class MailConfigError(PcsdeskError):
    """The SMTP settings in the environment cannot be used as given."""


class MailServerError(PcsdeskError):
    """The mail server cannot be reached, or failed for every message: stop and try later."""


@dataclass(frozen=True)
class Refused:
    """The server refused one message (a recipient, or the message itself)."""

    code: int
    reply: str

    @property
    def permanent(self) -> bool:
        """5xx: sending again will not help. 4xx: try again later."""
        return self.code >= 500


@dataclass(frozen=True)
class SmtpSettings:
    scheme: str
    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed, even by accident

    def describe(self) -> str:
        """The server as a message may name it: no password, ever."""
        who = f"{self.user}@" if self.user else ""
        return f"{self.scheme}://{who}{self.host}:{self.port}"


def settings_from_environment(env: Mapping[str, str]) -> SmtpSettings:
    """The server to send through, from $PCSDESK_SMTP_URL and the password variables."""
    url = env.get("PCSDESK_SMTP_URL", "").strip()
    if not url:
        raise MailConfigError(
            "no mail server: set PCSDESK_SMTP_URL, e.g. smtp://localhost:25 or "
            f"{EXAMPLE_URL} (docs/notify.md); `pcsdesk notify --dry-run` shows the messages without one"
        )
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise MailConfigError(
            f"PCSDESK_SMTP_URL must start with smtp://, smtp+starttls:// or smtps://, not {scheme or url!r}"
        )
    if parts.password is not None:
        raise MailConfigError(
            "PCSDESK_SMTP_URL holds a password; put it in PCSDESK_SMTP_PASSWORD or a file named by "
            "PCSDESK_SMTP_PASSWORD_FILE instead, and keep only the user name in the URL"
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise MailConfigError("PCSDESK_SMTP_URL is the server only: scheme://[user@]host[:port]")
    host = parts.hostname
    if not host:
        raise MailConfigError(f"PCSDESK_SMTP_URL names no host; for example {EXAMPLE_URL}")
    try:
        port = parts.port or SCHEMES[scheme]
    except ValueError as e:
        raise MailConfigError(f"PCSDESK_SMTP_URL has a port that is not a number: {e}") from e
    user = unquote(parts.username) if parts.username else None
    password = _password(env)
    if user and password is None:
        raise MailConfigError(
            f"PCSDESK_SMTP_URL signs in as {user}: set PCSDESK_SMTP_PASSWORD or PCSDESK_SMTP_PASSWORD_FILE"
        )
    if password is not None and not user:
        raise MailConfigError(
            "a password is set but PCSDESK_SMTP_URL names no user; write it as scheme://user@host:port"
        )
    if password is not None and scheme == "smtp" and not _is_loopback(host):
        raise MailConfigError(
            "a password over plain smtp:// would cross the network unencrypted; "
            "use smtp+starttls:// or smtps://"
        )
    return SmtpSettings(scheme, host, port, user, password)


def _password(env: Mapping[str, str]) -> str | None:
    if env.get("PCSDESK_SMTP_PASSWORD"):
        return env["PCSDESK_SMTP_PASSWORD"]
    name = env.get("PCSDESK_SMTP_PASSWORD_FILE", "").strip()
    if not name:
        return None
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        reason = e.strerror if isinstance(e, OSError) else "it is not UTF-8 text"
        raise MailConfigError(f"cannot read PCSDESK_SMTP_PASSWORD_FILE {name}: {reason}") from e
    # The file's last line end is not part of the password (echo and editors add one).
    password = text.rstrip("\r\n")
    if not password:
        raise MailConfigError(f"PCSDESK_SMTP_PASSWORD_FILE {name} is empty")
    return password


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


class Mailer:
    """One connection to the server for a whole run, opened at the first message."""

    def __init__(self, settings: SmtpSettings, timeout: float = TIMEOUT_SECONDS) -> None:
        self.settings = settings
        self.timeout = timeout
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        # EHLO with this machine's name as the OS knows it: getfqdn() may wait on DNS.
        hostname = socket.gethostname() or "localhost"
        try:
            if s.scheme == "smtps":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, local_hostname=hostname, timeout=self.timeout,
                    context=ssl.create_default_context(),
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, local_hostname=hostname, timeout=self.timeout)
                if s.scheme == "smtp+starttls":
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
            if s.user and s.password is not None:
                smtp.login(s.user, s.password)
        except smtplib.SMTPAuthenticationError as e:
            raise MailServerError(
                f"the mail server {s.describe()} refused the sign-in ({_reply(e.smtp_code, e.smtp_error)}); "
                "check the user in PCSDESK_SMTP_URL and the password"
            ) from None
        except (OSError, smtplib.SMTPException) as e:
            raise MailServerError(f"cannot reach the mail server {s.describe()}: {_describe(e)}") from None
        return smtp

    def send(self, message: Message, sender: str, recipient: str) -> Refused | None:
        """Send one message to one recipient; a Refused when the server will not take it.

        MailServerError when the server cannot be reached or fails in a way that is
        not about this message: the run stops there, to go on next time.
        """
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(message, from_addr=sender, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as e:
            code, reply = e.recipients.get(recipient, (550, b"refused"))
            return Refused(code, _text(reply))
        except smtplib.SMTPDataError as e:
            return Refused(e.smtp_code, _text(e.smtp_error))
        except smtplib.SMTPSenderRefused as e:
            self.close()
            raise MailServerError(
                f"the mail server {self.settings.describe()} refuses the sender {sender} "
                f"({_reply(e.smtp_code, e.smtp_error)}); allow it to send as district.helpdesk_email"
            ) from None
        except (OSError, smtplib.SMTPException) as e:
            self.close()
            raise MailServerError(
                f"the mail server {self.settings.describe()} failed: {_describe(e)}"
            ) from None
        return None

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())


def _reply(code: int, reply: bytes | str) -> str:
    return f"{code} {_text(reply)}"


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error.smtp_code, error.smtp_error)
    if isinstance(error, ssl.SSLError):
        return f"TLS failed ({error.reason or error}); check the scheme and port (smtps:// is TLS from the start)"
    return str(error) or type(error).__name__
