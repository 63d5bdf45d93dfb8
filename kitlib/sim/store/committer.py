"""Committing in a thread of its own, so that the event loop never waits for SQLite.

A commit takes some 50 µs; but every few megabytes SQLite copies its write-ahead log into
the database file and fsyncs it (a checkpoint), which takes ~10 ms on an ordinary disk.
Done on the event loop, every request in flight waits for it: that was most of the p99 of
a write.  Here one thread takes the store's batches in order and commits each; the store
collects the finished ones on its loop, in the same order, and only then announces their
events and answers their writers.  Batches made while one commits wait their turn and grow,
so under load the commits get fewer and larger.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections import deque
from typing import Any, Callable

from kitlib.sim.store.persistence import Persistence, Write

log = logging.getLogger("kitlib.sim.store")


class Committer:
    def __init__(self, persistence: Persistence, loop: asyncio.AbstractEventLoop, *,
                 collect: Callable[[], None]) -> None:
        self.persistence = persistence
        self.loop = loop
        self.collect = collect          # called on the loop when batches have finished
        self._queue: queue.SimpleQueue[tuple[list[Write], int, Any] | None] = \
            queue.SimpleQueue()
        self._done: deque[tuple[Any, BaseException | None]] = deque()
        self._in_flight = 0
        self._idle = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="kit-store-commit", daemon=True)
        self._thread.start()

    def submit(self, writes: list[Write], rv: int, token: Any) -> None:
        """Commit ``writes`` (and the counter ``rv``) after every batch submitted before."""
        with self._idle:
            self._in_flight += 1
        self._queue.put((writes, rv, token))

    def finished(self) -> list[tuple[Any, BaseException | None]]:
        """The finished batches' tokens, oldest first, each with its error (or None)."""
        out = []
        while True:
            try:
                out.append(self._done.popleft())
            except IndexError:
                return out

    def drain(self, timeout: float = 60.0) -> None:
        """Wait (blocking) until every submitted batch has been committed."""
        with self._idle:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout)

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(10)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            writes, rv, token = item
            error: BaseException | None = None
            try:
                self.persistence.commit(writes, rv)
            except BaseException as exc:   # reported to the batch's writers, not lost
                log.exception("cannot commit %d writes up to resourceVersion %d",
                              len(writes), rv)
                error = exc
            self._done.append((token, error))
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()
            try:
                self.loop.call_soon_threadsafe(self.collect)
            except RuntimeError:
                pass                        # the loop is closed: nobody waits any more
