"""The versioned object store: what etcd and the watch cache are to a real API server.

One global resourceVersion counter orders every write, as etcd's revision does.  Each
resource keeps a bounded window of recent events, so a watch can resume from a
resourceVersion it saw; one older than the window gets 410 Expired, as on a real server.

The store is used from one asyncio event loop only.  Writes change memory at once and are
then made durable (see ``persistence``) and announced to watchers together, once per turn
of the loop; ``await store.settled(rv)`` before telling a client a write has happened.
"""

from __future__ import annotations

import asyncio
from collections import deque

import orjson
from typing import Callable, Iterable, Iterator

from kitlib.sim.machinery.errors import Gone
from kitlib.sim.store.persistence import Persistence, Write
from kitlib.sim.store.records import JSON, Event, Record, make_record, with_rv
from kitlib.sim.store.watch import Watcher

#: Events kept per resource for watches that resume from a resourceVersion.
WINDOW = 5_000

FieldsFor = Callable[[str, JSON], dict[str, str]]


class Store:
    def __init__(self, *, persistence: Persistence | None = None, window: int = WINDOW) -> None:
        self.persistence = persistence
        self.window_size = window
        self.rv = 0
        # resource -> namespace -> name -> Record
        self._objects: dict[str, dict[str, dict[str, Record]]] = {}
        self._windows: dict[str, deque[Event]] = {}
        # resource -> the newest resourceVersion no longer in its window
        self._floor: dict[str, int] = {}
        self._start_rv = 0
        self._watchers: dict[str, set[Watcher]] = {}
        self._pending_writes: dict[tuple[str, str, str], Write] = {}
        self._pending_events: list[Event] = []
        self._settled_rv = 0
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._flush_scheduled = False
        self._loop: asyncio.AbstractEventLoop | None = None

    # --- start-up -----------------------------------------------------------------------

    def load(self, *, fields_for: FieldsFor) -> int:
        """Bring back every persisted object; returns how many."""
        if self.persistence is None:
            return 0
        rv, rows = self.persistence.load()
        count = 0
        for resource, data in rows:
            obj = orjson.loads(data)
            record = make_record(obj, rv=int(obj["metadata"]["resourceVersion"]),
                                 fields=fields_for(resource, obj))
            self._put(resource, record)
            count += 1
        self.rv = self._start_rv = self._settled_rv = rv
        return count

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    # --- reads --------------------------------------------------------------------------

    def get(self, resource: str, namespace: str, name: str) -> Record | None:
        return self._objects.get(resource, {}).get(namespace, {}).get(name)

    def list(self, resource: str, namespace: str | None = None) -> Iterator[Record]:
        by_ns = self._objects.get(resource, {})
        if namespace is not None:
            yield from by_ns.get(namespace, {}).values()
            return
        for ns in sorted(by_ns):
            yield from by_ns[ns].values()

    def count(self, resource: str, namespace: str | None = None) -> int:
        by_ns = self._objects.get(resource, {})
        if namespace is not None:
            return len(by_ns.get(namespace, {}))
        return sum(len(v) for v in by_ns.values())

    def resources(self) -> Iterable[str]:
        return self._objects.keys()

    # --- writes -------------------------------------------------------------------------

    def create(self, resource: str, obj: JSON, *, fields: dict[str, str]) -> Record:
        """Store a new object (the caller checked it does not exist)."""
        record = make_record(obj, rv=self._next_rv(), fields=fields)
        self._put(resource, record)
        self._record_write(resource, record, prev=None, kind="ADDED")
        return record

    def update(self, resource: str, obj: JSON, *, prev: Record, fields: dict[str, str]) -> Record:
        record = make_record(obj, rv=self._next_rv(), fields=fields)
        self._put(resource, record)
        self._record_write(resource, record, prev=prev, kind="MODIFIED")
        return record

    def delete(self, resource: str, prev: Record) -> Record:
        """Remove an object; returns its final state stamped with the deletion's version."""
        final = with_rv(prev, self._next_rv())
        self._objects.get(resource, {}).get(prev.namespace, {}).pop(prev.name, None)
        self._record_write(resource, final, prev=prev, kind="DELETED")
        return final

    def _next_rv(self) -> int:
        self.rv += 1
        return self.rv

    def _put(self, resource: str, record: Record) -> None:
        self._objects.setdefault(resource, {}).setdefault(record.namespace, {})[record.name] = record

    def _record_write(self, resource: str, record: Record, *, prev: Record | None,
                      kind: str) -> None:
        key = (resource, record.namespace, record.name)
        self._pending_writes[key] = Write(resource, record.namespace, record.name, record.rv,
                                          None if kind == "DELETED" else record.raw)
        event = Event(rv=record.rv, type=kind, resource=resource, record=record, prev=prev)
        self._pending_events.append(event)
        window = self._windows.setdefault(resource, deque())
        window.append(event)
        if len(window) > self.window_size:
            self._floor[resource] = window.popleft().rv
        self._schedule_flush()

    # --- durability and delivery ----------------------------------------------------------

    def _schedule_flush(self) -> None:
        if self._flush_scheduled:
            return
        self._flush_scheduled = True
        if self._loop is None:
            self.flush()
        else:
            self._loop.call_soon(self.flush)

    def flush(self) -> None:
        """Commit pending writes, then wake their callers and tell the watchers."""
        self._flush_scheduled = False
        writes = list(self._pending_writes.values())
        events, self._pending_events = self._pending_events, []
        self._pending_writes = {}
        if self.persistence is not None and writes:
            self.persistence.commit(writes, self.rv)
        self._settled_rv = self.rv
        for event in events:
            for watcher in self._watchers.get(event.resource, ()):
                watcher.offer(event)
        waiters, self._waiters = self._waiters, []
        for rv, future in waiters:
            if not future.done():
                future.set_result(None)

    async def settled(self, rv: int) -> None:
        """Wait until the write that produced ``rv`` is durable and announced."""
        if rv <= self._settled_rv:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((rv, future))
        await future

    # --- watches ------------------------------------------------------------------------

    def check_window(self, resource: str, since: int) -> None:
        """Raise 410 Expired if events after ``since`` are no longer all known."""
        floor = max(self._floor.get(resource, 0), self._start_rv)
        if since < floor:
            raise Gone(f"too old resource version: {since} ({floor + 1})")

    def subscribe(self, watcher: Watcher, *, since: int | None) -> list[Event]:
        """Register ``watcher``; returns the window's events after ``since`` to replay.

        With ``since`` None the caller sends the current objects as ADDED itself.
        """
        backlog: list[Event] = []
        watcher.min_rv = self.rv if since is None else since
        if since is not None:
            self.check_window(watcher.resource, since)
            backlog = [e for e in self._windows.get(watcher.resource, ()) if e.rv > since
                       and e.rv <= self._settled_rv]
        self._watchers.setdefault(watcher.resource, set()).add(watcher)
        return backlog

    def unsubscribe(self, watcher: Watcher) -> None:
        self._watchers.get(watcher.resource, set()).discard(watcher)

    def close_watchers(self) -> None:
        for watchers in self._watchers.values():
            for watcher in watchers:
                watcher.close()
        self._watchers.clear()

    @property
    def settled_rv(self) -> int:
        return self._settled_rv
