"""Commits in the committer's thread: durable before announced, in order, never blocking.

With a state file the store hands each turn's writes to a thread; a writer is answered,
and watchers told, only once its batch is committed, batches finish in the order they were
made, a slow commit (a checkpoint's fsync) leaves the event loop free, and a failed commit
reaches its writers as an error instead of leaving them waiting.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from kitlib.sim.machinery import errors, labels
from kitlib.sim.machinery.fields import EVERYTHING
from kitlib.sim.store.persistence import Persistence, Write
from kitlib.sim.store.store import Store
from kitlib.sim.store.watch import Watcher


def pod(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "ns"}}


class SlowPersistence(Persistence):
    """Commits that take ``delay`` seconds (as a checkpoint's fsync does), or fail."""

    delay = 0.0
    fail_names: set[str] = set()

    def commit(self, writes: list[Write], rv: int) -> None:
        assert threading.current_thread().name == "kit-store-commit"
        time.sleep(self.delay)
        if any(w.name in self.fail_names for w in writes):
            raise sqlite3.OperationalError("database or disk is full")
        super().commit(writes, rv)


def test_writes_are_durable_and_announced_in_order(tmp_path: Path) -> None:
    async def scenario() -> tuple[list[int], list[int]]:
        store = Store(persistence=SlowPersistence(tmp_path / "s.db"))
        store.bind(asyncio.get_running_loop())
        watcher = Watcher(resource="pods", namespace=None, labels=labels.EVERYTHING,
                          fields=EVERYTHING)
        store.subscribe(watcher, since=None)
        settled: list[int] = []
        for turn in range(20):
            records = [store.create("pods", pod(f"p{turn}-{i}"), fields={}) for i in range(3)]
            assert store.settled_rv < records[0].rv     # not before the commit
            await asyncio.sleep(0)                       # the next turn: a new batch
            settled.append(store.settled_rv)
        await store.settled(store.rv)
        seen = []
        while not watcher.queue.empty():
            event = watcher.queue.get_nowait()
            assert event is not None
            seen.append(event.record.rv)
        store.flush()
        store.persistence.close()                       # type: ignore[union-attr]
        return seen, settled

    seen, settled = asyncio.run(scenario())
    assert seen == list(range(1, 61))
    assert settled == sorted(settled)
    again = Store(persistence=Persistence(tmp_path / "s.db"))
    assert again.load(fields_for=lambda _r, _o: {}) == 60 and again.rv == 60


def test_a_slow_commit_leaves_the_loop_free(tmp_path: Path) -> None:
    async def scenario() -> tuple[float, float]:
        persistence = SlowPersistence(tmp_path / "s.db")
        persistence.delay = 0.3
        store = Store(persistence=persistence)
        store.bind(asyncio.get_running_loop())
        started = time.monotonic()
        record = store.create("pods", pod("slow"), fields={})
        waiting = asyncio.create_task(store.settled(record.rv))
        await asyncio.sleep(0.02)               # the loop runs while the commit sleeps
        ticked = time.monotonic() - started
        await waiting
        store.flush()
        persistence.close()
        return ticked, time.monotonic() - started

    ticked, settled = asyncio.run(scenario())
    assert ticked < 0.2 <= settled


def test_a_failed_commit_is_an_error_for_its_writers_only(tmp_path: Path) -> None:
    async def scenario() -> None:
        persistence = SlowPersistence(tmp_path / "s.db")
        persistence.fail_names = {"bad"}
        store = Store(persistence=persistence)
        store.bind(asyncio.get_running_loop())
        good = store.create("pods", pod("good"), fields={})
        await store.settled(good.rv)
        bad = store.create("pods", pod("bad"), fields={})
        with pytest.raises(errors.InternalError, match="disk is full"):
            await store.settled(bad.rv)
        after = store.create("pods", pod("after"), fields={})
        await asyncio.wait_for(store.settled(after.rv), 5)
        store.flush()
        persistence.close()

    asyncio.run(scenario())


def test_flush_commits_everything_pending_and_goes_inline(tmp_path: Path) -> None:
    async def scenario() -> Store:
        persistence = SlowPersistence(tmp_path / "s.db")
        persistence.delay = 0.05
        store = Store(persistence=persistence)
        store.bind(asyncio.get_running_loop())
        for i in range(5):
            store.create("pods", pod(f"p{i}"), fields={})
            await asyncio.sleep(0)
        store.flush()
        assert store.settled_rv == 5
        return store

    store = asyncio.run(scenario())
    store.persistence.close()                           # type: ignore[union-attr]
    again = Store(persistence=Persistence(tmp_path / "s.db"))
    assert again.load(fields_for=lambda _r, _o: {}) == 5
