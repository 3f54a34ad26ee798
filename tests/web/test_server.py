"""The serving loop: SIGTERM stops it wherever it lands, even inside one of waitress's handlers."""

from __future__ import annotations

import signal

import pytest
from waitress import wasyncore

from pcsdesk.web import server


class _Channel:
    """A channel whose read handler is where the signal arrives, as under load."""

    def handle_read_event(self) -> None:
        server._stop(signal.SIGTERM, None)

    def handle_error(self) -> None:
        raise AssertionError("waitress swallowed the stop: the server would go on serving")


def test_a_stop_raised_inside_a_channel_handler_leaves_the_loop() -> None:
    with pytest.raises(server._Stop):
        wasyncore.read(_Channel())
