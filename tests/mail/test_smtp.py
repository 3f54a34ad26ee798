"""The mail server from the environment: URLs, passwords, TLS and sign-in, against aiosmtpd."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from smtp_server import Authenticator, Recorder, self_signed, start_server, tls_context
from support import TEACHER, Invoker

from pcsdesk.errors import PcsdeskError
from pcsdesk.mail.smtp import SmtpSettings, settings_from_environment

USER, PASSWORD = "helpdesk@pcschools.us", "correct horse battery staple"


class TestSettings:
    @pytest.mark.parametrize(("url", "expected"), [
        ("smtp://localhost", SmtpSettings("smtp", "localhost", 25)),
        ("smtp://127.0.0.1:2525", SmtpSettings("smtp", "127.0.0.1", 2525)),
        ("smtp+starttls://helpdesk%40pcschools.us@smtp-relay.gmail.com",
         SmtpSettings("smtp+starttls", "smtp-relay.gmail.com", 587, USER, "pw")),
        ("smtps://helpdesk@mail.pcschools.us", SmtpSettings("smtps", "mail.pcschools.us", 465, "helpdesk", "pw")),
    ])
    def test_urls(self, url: str, expected: SmtpSettings) -> None:
        env = {"PCSDESK_SMTP_URL": url}
        if expected.user:
            env["PCSDESK_SMTP_PASSWORD"] = "pw"
        assert settings_from_environment(env) == expected

    def test_the_password_file_loses_only_its_last_line_end(self, tmp_path: Path) -> None:
        secret = tmp_path / "smtp-password"
        secret.write_text("  spaces kept  \n")
        settings = settings_from_environment({"PCSDESK_SMTP_URL": "smtps://u@mail.example.org",
                                              "PCSDESK_SMTP_PASSWORD_FILE": str(secret)})
        assert settings.password == "  spaces kept  "
        assert "spaces kept" not in repr(settings)

    @pytest.mark.parametrize(("env", "words"), [
        ({}, "PCSDESK_SMTP_URL"),
        ({"PCSDESK_SMTP_URL": "smtp+starttls://u@mail.example.org"}, "PCSDESK_SMTP_PASSWORD"),
        ({"PCSDESK_SMTP_URL": "smtp://mail.example.org", "PCSDESK_SMTP_PASSWORD": "x"}, "names no user"),
        ({"PCSDESK_SMTP_URL": "smtp://u@mail.example.org", "PCSDESK_SMTP_PASSWORD": "x"}, "unencrypted"),
        ({"PCSDESK_SMTP_URL": "smtps://u@mail.example.org", "PCSDESK_SMTP_PASSWORD_FILE": "/nonexistent"},
         "cannot read"),
        ({"PCSDESK_SMTP_URL": "smtp://u:hunter2@mail.example.org"}, "holds a password"),
    ])
    def test_mistakes_say_what_to_do_and_never_echo_a_password(self, env: dict[str, str], words: str) -> None:
        with pytest.raises(PcsdeskError) as raised:
            settings_from_environment(env)
        assert words in str(raised.value)
        assert "hunter2" not in str(raised.value)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))


@pytest.fixture(params=["smtp+starttls", "smtps"])
def secure_server(request: pytest.FixtureRequest, certificate: tuple[Path, Path]) -> Iterator[tuple[str, Recorder, Authenticator]]:
    cert, key = certificate
    recorder, auth = Recorder(), Authenticator(USER, PASSWORD)
    context = tls_context(cert, key)
    if request.param == "smtps":
        controller, port = start_server(recorder, ssl_context=context, authenticator=auth,
                                        auth_require_tls=False)
    else:
        controller, port = start_server(recorder, tls_context=context, require_starttls=True,
                                        authenticator=auth)
    try:
        yield f"{request.param}://helpdesk%40pcschools.us@127.0.0.1:{port}", recorder, auth
    finally:
        controller.stop()


class TestSecureServers:
    def test_signs_in_over_tls_with_the_password_from_a_file(
        self, invoke: Invoker, secure_server: tuple[str, Recorder, Authenticator],
        certificate: tuple[Path, Path], tmp_path: Path,
    ) -> None:
        url, recorder, auth = secure_server
        secret = tmp_path / "password"
        secret.write_text(PASSWORD + "\n")
        env = {"PCSDESK_SMTP_URL": url, "PCSDESK_SMTP_PASSWORD_FILE": str(secret),
               "SSL_CERT_FILE": str(certificate[0])}
        invoke(["notify"], as_user=None, env=env)
        invoke.new(as_user=TEACHER)
        invoke(["notify"], as_user=None, env=env)
        assert auth.attempts[-1] == (USER, PASSWORD)
        assert sorted(r.kind for r in recorder.received) == ["new", "receipt"]

    def test_a_wrong_password_stops_the_run_and_loses_nothing(
        self, invoke: Invoker, secure_server: tuple[str, Recorder, Authenticator],
        certificate: tuple[Path, Path],
    ) -> None:
        url, recorder, _auth = secure_server
        env = {"PCSDESK_SMTP_URL": url, "SSL_CERT_FILE": str(certificate[0])}
        invoke(["notify"], as_user=None, env={**env, "PCSDESK_SMTP_PASSWORD": PASSWORD})
        invoke.new(as_user=TEACHER)
        result = invoke(["notify"], as_user=None, env={**env, "PCSDESK_SMTP_PASSWORD": "wrong"}, ok=False)
        assert result.stderr.startswith("Error: the mail server") and "sign-in" in result.stderr
        assert "wrong" not in result.stderr
        invoke(["notify"], as_user=None, env={**env, "PCSDESK_SMTP_PASSWORD": PASSWORD})
        assert sorted(r.kind for r in recorder.received) == ["new", "receipt"]

    def test_an_untrusted_certificate_is_refused(
        self, invoke: Invoker, secure_server: tuple[str, Recorder, Authenticator],
    ) -> None:
        url, recorder, _auth = secure_server
        env = {"PCSDESK_SMTP_URL": url, "PCSDESK_SMTP_PASSWORD": PASSWORD}
        invoke(["notify"], as_user=None, env=env)
        invoke.new(as_user=TEACHER)
        result = invoke(["notify"], as_user=None, env=env, ok=False)
        assert "cannot reach the mail server" in result.stderr
        assert recorder.received == []
