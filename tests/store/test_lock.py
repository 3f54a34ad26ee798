"""The store's write lock queues its waiters: nobody gives up while others are being served."""

from __future__ import annotations

import multiprocessing
import time
from datetime import datetime
from pathlib import Path

import pytest
from support import ETS, TECH, Invoker, git

from pcsdesk.desk.actions import Actor, add_note
from pcsdesk.errors import StoreBusy
from pcsdesk.store.store import Store

HOLD = 0.05
CONTEXT = multiprocessing.get_context("fork")


def _hog(root: str, until: float, ready: multiprocessing.synchronize.Event) -> None:
    """Takes the lock again the moment it lets go, as a busy store's stream of writers does."""
    store = Store(Path(root))
    ready.set()
    while time.monotonic() < until:
        with store.write_lock():
            time.sleep(HOLD)


def _writer(root: str, ticket_id: str, number: int) -> str:
    store = Store(Path(root))
    try:
        who = ETS if number % 2 else TECH
        add_note(store, Actor(who, datetime.fromisoformat("2026-11-30T10:00:00-07:00")), ticket_id,
                 f"note {number}")
        return "ok"
    except StoreBusy as e:
        return str(e)
    finally:
        store.close()


class TestFairQueue:
    def test_a_waiter_is_served_in_its_turn_among_writers_that_never_pause(self, store: Path) -> None:
        until = time.monotonic() + 6
        ready = [CONTEXT.Event() for _ in range(3)]
        hogs = [CONTEXT.Process(target=_hog, args=(str(store), until, event)) for event in ready]
        for hog in hogs:
            hog.start()
        try:
            for event in ready:
                assert event.wait(30)
            time.sleep(0.3)
            late = Store(store)
            late.lock_wait = 3.0    # the queue ahead is three writers of 0.05 s each
            started = time.monotonic()
            with late.write_lock():
                waited = time.monotonic() - started
            late.close()
        finally:
            for hog in hogs:
                hog.join()
        assert waited < 3.0

    def test_a_wait_that_runs_out_leaves_the_lock_usable(self, store: Path) -> None:
        holder = Store(store)
        with holder.write_lock():
            waiter = Store(store)
            waiter.lock_wait = 0.2
            with pytest.raises(StoreBusy, match="held the store for 0 s"):
                with waiter.write_lock():
                    pass
        again = Store(store)
        again.lock_wait = 5
        with again.write_lock():
            pass

    def test_many_writers_at_once_all_land(self, invoke: Invoker, store: Path) -> None:
        ticket_id = invoke.new()
        before = int(git(store, "rev-list", "--count", "HEAD"))
        with CONTEXT.Pool(16) as pool:
            outcomes = pool.starmap(_writer, [(str(store), ticket_id, n) for n in range(24)])
        assert outcomes == ["ok"] * 24
        assert int(git(store, "rev-list", "--count", "HEAD")) == before + 24
        assert git(store, "status", "--porcelain") == ""
