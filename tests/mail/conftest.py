"""Fixtures for the email face: a real SMTP server on 127.0.0.1, and a store notify has run on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from smtp_server import Notifier, Recorder, start_server
from support import Invoker


@pytest.fixture
def smtp() -> Iterator[Recorder]:
    recorder = Recorder()
    controller, port = start_server(recorder)
    recorder.url = f"smtp://127.0.0.1:{port}"  # type: ignore[attr-defined]
    try:
        yield recorder
    finally:
        recorder.release.set()
        controller.stop()


@pytest.fixture
def notify(invoke: Invoker, smtp: Recorder) -> Notifier:
    """A store on which notify has had its first run (so what follows is news)."""
    notifier = Notifier(invoke, smtp)
    notifier()
    assert smtp.received == []
    return notifier
