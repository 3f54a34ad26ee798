"""Helpers for the web tests: a Flask test client signed in as someone, and the CSRF token of a page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from pcsdesk.web.app import create_app
from pcsdesk.web.config import WebConfig

HEADER = "X-Forwarded-Email"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_app(store: Path, **config: Any) -> Flask:
    app = create_app(WebConfig(store_root=store, secret_key=b"tests only", **config))
    app.config["TESTING"] = True
    return app


class Browser:
    """A test client that comes from the proxy (127.0.0.1) with one person's identity."""

    def __init__(self, app: Flask, who: str | None, remote_addr: str = "127.0.0.1") -> None:
        self.client: FlaskClient = app.test_client()
        self.headers = {HEADER: who} if who else {}
        self.environ = {"REMOTE_ADDR": remote_addr}

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, headers=self.headers, environ_base=self.environ, **kwargs)

    def post(self, path: str, data: dict[str, Any], token: bool = True, **kwargs: Any) -> TestResponse:
        """POST a form; with `token`, first GET the page to take its CSRF token, as a browser does."""
        if token:
            data = {**data, "csrf_token": self.token(path)}
        return self.client.post(path, data=data, headers=self.headers, environ_base=self.environ, **kwargs)

    def token(self, path: str) -> str:
        page = self.get(path)
        found = _TOKEN.search(page.get_data(as_text=True))
        assert found, f"no CSRF token on {path} ({page.status})"
        return found.group(1)


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)
