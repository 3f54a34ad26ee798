"""Serving the app with waitress (a production WSGI server), stopping cleanly on SIGTERM."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from flask import Flask

# Git processes do the work, so threads wait on them more than on Python: a few
# more threads than cores keeps both cores busy without crowding memory.
THREADS = 8


class _Stop(SystemExit):
    """Raised in the main thread by SIGTERM or SIGINT to leave the serving loop.

    A SystemExit, not an Exception: the signal lands wherever the main thread is,
    often inside one of waitress's channel handlers, and waitress's loop passes on
    only SystemExit, KeyboardInterrupt and its own ExitNow; anything else it logs
    and swallows, and the server went on serving (seen under load in the bench).
    """


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signum)


def serve(app: Flask, host: str, port: int, ready: Any = None, threads: int = THREADS) -> None:
    """Serve until SIGTERM or SIGINT; requests under way are finished first."""
    from waitress.server import create_server

    server = create_server(
        app, host=host, port=port, threads=threads, ident="pcsdesk",
        # Bounded: slow or idle clients are dropped, so they cannot hold every thread.
        channel_timeout=60, connection_limit=200, max_request_body_size=1024 * 1024,
    )
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if ready is not None:
            ready(server)
        try:
            server.run()
        except _Stop:
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        # Let requests already being handled finish (each is one commit at most),
        # then stop listening.
        server.task_dispatcher.shutdown(cancel_pending=False, timeout=10)
        server.close()
        stores = app.extensions.get("pcsdesk_stores")
        if stores is not None:
            stores.close()   # the serving threads' git processes


def warm_index(open_and_refresh: Any) -> threading.Thread:
    """Bring the index up to date in the background, so the server answers at once."""
    thread = threading.Thread(target=open_and_refresh, name="pcsdesk-index", daemon=True)
    thread.start()
    return thread
