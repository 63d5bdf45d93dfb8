"""Shared informers and work queues: how components follow the cluster's state.

A real controller watches the API through an informer (a cache kept current by a watch)
and reacts by putting object keys on a rate-limited work queue.  In the simulator the
store already is a consistent cache, so an informer here is one watch per resource,
shared by every component, that calls their handlers with each change; reads go through
the same in-process client (``LocalClient``), parsing only what they use.  This keeps one
copy of every object in memory however many components follow it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Callable, TypeVar

from kitlib.sim.client import LocalClient
from kitlib.sim.clock import Clock
from kitlib.sim.machinery.fields import EVERYTHING as ALL_FIELDS
from kitlib.sim.machinery.labels import EVERYTHING as ALL_LABELS
from kitlib.sim.machinery.labels import LabelSelector
from kitlib.sim.store.records import Record
from kitlib.sim.store.watch import Watcher

log = logging.getLogger("kitlib.sim.informers")

#: A handler gets (ADDED|MODIFIED|DELETED, the record, the previous record or None).
Handler = Callable[[str, Record, Record | None], None]
T = TypeVar("T")


class Informer:
    """One resource's changes, fanned out to every registered handler."""

    def __init__(self, client: LocalClient, resource: str) -> None:
        self.client = client
        self.resource = resource
        self.handlers: list[Handler] = []
        self.synced = asyncio.Event()
        self._shared: dict[str, object] = {}

    def add_handler(self, handler: Handler) -> None:
        self.handlers.append(handler)

    def shared(self, key: str, make: Callable[[], T]) -> T:
        """The one object ``key`` names for this informer, made by ``make`` on first use:
        an index that several components would otherwise each keep per object."""
        found = self._shared.get(key)
        if found is None:
            found = self._shared[key] = make()
        return found  # type: ignore[no-any-return]

    # --- reads (from the store, through the client's registry) --------------------------

    def get(self, namespace: str, name: str) -> Record | None:
        return self.client.registry[self.resource].find(namespace=namespace, name=name)

    def list(self, namespace: str | None = None,
             labels: LabelSelector = ALL_LABELS) -> list[Record]:
        store = self.client.registry.store
        return [r for r in store.list(self.resource, namespace) if labels.matches(r.labels)]

    # --- the watch ----------------------------------------------------------------------

    def _deliver(self, kind: str, record: Record, prev: Record | None) -> None:
        for handler in self.handlers:
            try:
                handler(kind, record, prev)
            except Exception:   # one component's bug must not starve the others
                log.exception("handler for %s failed", self.resource)

    async def run(self) -> None:
        store = self.client.registry.store
        known: dict[tuple[str, str], Record] = {}
        while True:
            watcher = Watcher(resource=self.resource, namespace=None, labels=ALL_LABELS,
                              fields=ALL_FIELDS)
            store.subscribe(watcher, since=None)
            try:
                # A (re-)list: what is new or changed arrives as ADDED/MODIFIED, and what
                # vanished while this informer was behind as DELETED, as client-go's
                # reflector replaces its store.
                current = {(r.namespace, r.name): r for r in store.list(self.resource)}
                for key in [k for k in known if k not in current]:
                    self._deliver("DELETED", known.pop(key), None)
                for key, record in current.items():
                    prev = known.get(key)
                    if prev is None or prev.rv != record.rv:
                        self._deliver("ADDED" if prev is None else "MODIFIED", record, prev)
                known = current
                self.synced.set()
                while True:
                    event = await watcher.queue.get()
                    if event is None:
                        break           # fell behind: watch again from a fresh list
                    key = (event.record.namespace, event.record.name)
                    prev = known.get(key)
                    if event.type == "DELETED":
                        known.pop(key, None)
                    else:
                        known[key] = event.record
                    self._deliver(event.type, event.record, prev)
            finally:
                store.unsubscribe(watcher)


class InformerFactory:
    """One informer per resource for the whole simulated control plane and its nodes."""

    def __init__(self, client: LocalClient) -> None:
        self.client = client
        self._informers: dict[str, Informer] = {}

    def __call__(self, resource: str) -> Informer:
        if resource not in self._informers:
            self._informers[resource] = Informer(self.client, resource)
        return self._informers[resource]

    def start(self, loop: asyncio.AbstractEventLoop) -> list[asyncio.Task[None]]:
        return [loop.create_task(inf.run(), name=f"informer-{res}")
                for res, inf in self._informers.items()]

    async def wait_synced(self) -> None:
        await asyncio.gather(*(inf.synced.wait() for inf in self._informers.values()))


class WorkQueue:
    """Keys to reconcile, each at most once in the queue, with delayed re-adds.

    Like client-go's workqueue: a key added while it is being processed is processed
    again afterwards, never by two workers at once.  Delays run on the simulator's clock.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._queue: deque[str] = deque()
        self._queued: set[str] = set()
        self._processing: set[str] = set()
        self._dirty: set[str] = set()
        self._ready = asyncio.Event()
        self._failures: dict[str, int] = {}
        self._delayed: set[asyncio.Future[None]] = set()

    def close(self) -> None:
        """Drop the delayed re-adds (the controller is stopping)."""
        for task in list(self._delayed):
            task.cancel()

    def add(self, key: str) -> None:
        if key in self._processing:
            self._dirty.add(key)
            return
        if key not in self._queued:
            self._queued.add(key)
            self._queue.append(key)
            self._ready.set()

    def add_after(self, key: str, seconds: float) -> None:
        if seconds <= 0:
            self.add(key)
            return

        async def later() -> None:
            await self.clock.sleep(seconds)
            self.add(key)

        task = asyncio.ensure_future(later())
        self._delayed.add(task)
        task.add_done_callback(self._delayed.discard)

    def add_rate_limited(self, key: str) -> None:
        """Retry a failed key with exponential back-off (5 ms doubling, capped at 1000 s)."""
        failures = self._failures.get(key, 0)
        self._failures[key] = failures + 1
        self.add_after(key, min(0.005 * 2 ** failures, 1000.0))

    def forget(self, key: str) -> None:
        self._failures.pop(key, None)

    async def get(self) -> str:
        while not self._queue:
            self._ready.clear()
            await self._ready.wait()
        key = self._queue.popleft()
        self._queued.discard(key)
        self._processing.add(key)
        return key

    def done(self, key: str) -> None:
        self._processing.discard(key)
        if key in self._dirty:
            self._dirty.discard(key)
            self.add(key)

    def __len__(self) -> int:
        return len(self._queue)
