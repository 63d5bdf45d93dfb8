"""The versioned object store: what etcd and the watch cache are to a real API server.

One global resourceVersion counter orders every write, as etcd's revision does.  Each
resource keeps a bounded window of recent events, so a watch can resume from a
resourceVersion it saw; one older than the window gets 410 Expired, as on a real server.

The store is used from one asyncio event loop only.  Writes change memory at once and are
then made durable (see ``persistence``) and announced to watchers together, once per turn
of the loop; ``await store.settled(rv)`` before telling a client a write has happened.
With a state file the commits happen in a thread of their own (see ``committer``).
"""

from __future__ import annotations

import asyncio
from collections import deque

import orjson
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from kitlib.sim.machinery.errors import Gone, InternalError
from kitlib.sim.machinery.labels import LabelSelector
from kitlib.sim.store.committer import Committer
from kitlib.sim.store.packing import HOT, Packer
from kitlib.sim.store.persistence import Persistence, Write
from kitlib.sim.store.records import JSON, Event, Record, make_record, with_rv
from kitlib.sim.store.watch import Watcher

if TYPE_CHECKING:
    from kitlib.sim.clock import Clock

#: Events kept per resource for watches that resume from a resourceVersion: at most this
#: many; beyond ``WINDOW_LOWER`` only those younger than ``WINDOW_FRESH`` simulated seconds,
#: as kube-apiserver's watch cache sizes itself (eventFreshDuration 75 s, lower bound 100),
#: and holding no more than ``WINDOW_BYTES`` of objects (1,700 versions of a running pod).
WINDOW = 5_000
WINDOW_LOWER = 100
WINDOW_FRESH = 75.0
WINDOW_BYTES = 8 * 2**20

FieldsFor = Callable[[str, JSON], dict[str, str]]


class Store:
    def __init__(self, *, persistence: Persistence | None = None, window: int = WINDOW,
                 hot: int = HOT) -> None:
        self.persistence = persistence
        self.window_size = window
        self.rv = 0
        # resource -> namespace -> name -> Record
        self._objects: dict[str, dict[str, dict[str, Record]]] = {}
        # resource -> namespace -> (label key, value) -> names: for selectors naming values
        self._by_label: dict[str, dict[str, dict[tuple[str, str], set[str]]]] = {}
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
        self._committer: Committer | None = None
        #: The simulated clock that ages the windows (set by the registry); without one the
        #: windows are bounded by count only.
        self.clock: Clock | None = None
        self._swept_at = 0.0
        self._window_bytes: dict[str, int] = {}      # resource -> size of its events' objects
        #: Records written lately, packed once they went cold (see ``packing``).
        self._packer = Packer(hot=hot)
        self._pack_scheduled = False

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
            self._packer.add(resource, record)
            count += 1
        self.rv = self._start_rv = self._settled_rv = rv
        self._schedule_pack()
        return count

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        if self.persistence is not None and self._committer is None:
            self._committer = Committer(self.persistence, loop, collect=self._collect)

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

    def select(self, resource: str, namespace: str | None,
               labels: LabelSelector) -> Iterator[Record]:
        """The objects (of one namespace) whose labels match ``labels``, sorted by namespace
        and name.  A requirement that names values (``app=web``, ``env in (a,b)``) is looked
        up in the label index, so a LIST for 10 pods of 10,000 does not test 10,000."""
        if labels.nothing:
            return
        names = self._indexed(resource, namespace, labels)
        if names is None:
            found = [r for r in self.list(resource, namespace) if labels.matches(r.labels)]
            found.sort(key=lambda r: (r.namespace, r.name))
            yield from found
            return
        by_ns = self._objects.get(resource, {})
        for ns in sorted(names):
            for name in sorted(names[ns]):
                record = by_ns.get(ns, {}).get(name)
                if record is not None and labels.matches(record.labels):
                    yield record

    def _indexed(self, resource: str, namespace: str | None,
                 labels: LabelSelector) -> dict[str, set[str]] | None:
        """The names the most selective indexable requirement allows, by namespace (None:
        no requirement names values)."""
        index = self._by_label.get(resource, {})
        spaces = [namespace] if namespace is not None else list(index)
        best, best_size = None, 0
        for requirement in labels.requirements:
            if requirement.operator not in ("=", "==", "in"):
                continue
            size = sum(len(index.get(ns, {}).get((requirement.key, value), ()))
                       for ns in spaces for value in requirement.values)
            if best is None or size < best_size:
                best, best_size = requirement, size
        if best is None:
            return None
        names: dict[str, set[str]] = {}
        for ns in spaces:
            pairs = index.get(ns, {})
            found = [pairs[(best.key, v)] for v in best.values if (best.key, v) in pairs]
            if found:
                names[ns] = found[0] if len(found) == 1 else set().union(*found)
        return names

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
        record = make_record(obj, rv=self._next_rv(), fields=fields, prev=prev)
        self._put(resource, record)
        self._record_write(resource, record, prev=prev, kind="MODIFIED")
        return record

    def delete(self, resource: str, prev: Record) -> Record:
        """Remove an object; returns its final state stamped with the deletion's version."""
        final = with_rv(prev, self._next_rv())
        gone = self._objects.get(resource, {}).get(prev.namespace, {}).pop(prev.name, None)
        if gone is not None:
            self._unindex(resource, gone)
        self._record_write(resource, final, prev=prev, kind="DELETED")
        return final

    def _next_rv(self) -> int:
        self.rv += 1
        return self.rv

    def _put(self, resource: str, record: Record) -> None:
        names = self._objects.setdefault(resource, {}).setdefault(record.namespace, {})
        old = names.get(record.name)
        names[record.name] = record
        if old is not None and old.labels is record.labels:
            return              # versions share unchanged labels (see make_record)
        if old is not None:
            self._unindex(resource, old)
        pairs = self._by_label.setdefault(resource, {}).setdefault(record.namespace, {})
        for pair in _label_pairs(record):
            pairs.setdefault(pair, set()).add(record.name)

    def _unindex(self, resource: str, record: Record) -> None:
        pairs = self._by_label.get(resource, {}).get(record.namespace, {})
        for pair in _label_pairs(record):
            names = pairs.get(pair)
            if names is not None:
                names.discard(record.name)
                if not names:
                    del pairs[pair]

    def _record_write(self, resource: str, record: Record, *, prev: Record | None,
                      kind: str) -> None:
        key = (resource, record.namespace, record.name)
        self._pending_writes[key] = Write(resource, record.namespace, record.name, record.rv,
                                          None if kind == "DELETED" else record.raw)
        now = self.clock.time() if self.clock is not None else 0.0
        size = len(record.raw)          # not yet packed: written a moment ago
        event = Event(rv=record.rv, type=kind, resource=resource, record=record, prev=prev,
                      at=now, size=size)
        self._pending_events.append(event)
        window = self._windows.setdefault(resource, deque())
        window.append(event)
        self._window_bytes[resource] = self._window_bytes.get(resource, 0) + size
        self._packer.add(resource, record)
        self._trim(resource, window, now)
        if now - self._swept_at >= 1.0:     # quiet resources age too, checked once a second
            self._swept_at = now
            for other, events in self._windows.items():
                self._trim(other, events, now)
        self._schedule_flush()
        self._schedule_pack()

    def _trim(self, resource: str, window: deque[Event], now: float) -> None:
        """Forget the events a resumed watch may no longer ask for (see ``WINDOW``)."""
        oldest = now - WINDOW_FRESH
        size = self._window_bytes.get(resource, 0)
        while len(window) > self.window_size or len(window) > WINDOW_LOWER and (
                size > WINDOW_BYTES or self.clock is not None and window[0].at < oldest):
            gone = window.popleft()
            size -= gone.size
            self._floor[resource] = gone.rv
        self._window_bytes[resource] = size

    # --- packing cold records ------------------------------------------------------------

    def _schedule_pack(self) -> None:
        if self._pack_scheduled or not self._packer.behind:
            return
        if self._loop is None:
            self._packer.pack(self._holds, limit=len(self._packer))
            return
        self._pack_scheduled = True
        self._loop.call_soon(self._pack_batch)

    def _pack_batch(self) -> None:
        """One batch, then the next one in a later turn while the packer is behind."""
        self._pack_scheduled = False
        self._packer.pack(self._holds)
        self._schedule_pack()

    def _holds(self, resource: str, record: Record) -> bool:
        """Whether ``record`` is still the current version, or in the watch window (a
        version replaced and out of the window is garbage as soon as its readers are done:
        packing it would be wasted)."""
        current = self._objects.get(resource, {}).get(record.namespace, {}).get(record.name)
        return current is record or record.rv > self._floor.get(resource, 0)

    # --- durability and delivery ----------------------------------------------------------

    def _schedule_flush(self) -> None:
        if self._flush_scheduled:
            return
        self._flush_scheduled = True
        if self._loop is None:
            self.flush()
        else:
            self._loop.call_soon(self._flush_batch)

    def _take(self) -> tuple[list[Write], list[Event], int]:
        """The writes and events pending since the last batch, and the counter after them."""
        self._flush_scheduled = False
        writes = list(self._pending_writes.values())
        events, self._pending_events = self._pending_events, []
        self._pending_writes = {}
        return writes, events, self.rv

    def _flush_batch(self) -> None:
        """This turn's writes as one batch: committed in the committer's thread if there is
        one (announced when it is done), else here and now."""
        writes, events, rv = self._take()
        if self._committer is not None and writes:
            self._committer.submit(writes, rv, (rv, events))
            return
        if self.persistence is not None and writes:
            self.persistence.commit(writes, rv)
        self._settle(rv, events, None)

    def flush(self) -> None:
        """Commit everything now, in this thread, and announce it (when stopping, and for
        callers without a loop).  The committer's thread, if any, is stopped: later writes
        are committed inline."""
        committer, self._committer = self._committer, None
        if committer is not None:
            committer.drain()
            committer.stop()
            self._finish(committer)
        writes, events, rv = self._take()
        if self.persistence is not None and writes:
            self.persistence.commit(writes, rv)
        self._settle(rv, events, None)

    def _collect(self) -> None:
        if self._committer is not None:
            self._finish(self._committer)

    def _finish(self, committer: Committer) -> None:
        for (rv, events), error in committer.finished():
            self._settle(rv, events, error)

    def _settle(self, rv: int, events: list[Event], error: BaseException | None) -> None:
        """A batch up to ``rv`` is durable (or failed with ``error``): tell the watchers,
        answer the writers waiting for it."""
        before, self._settled_rv = self._settled_rv, max(self._settled_rv, rv)
        for event in events:
            for watcher in self._watchers.get(event.resource, ()):
                watcher.offer(event)
        waiting, self._waiters = self._waiters, []
        for wanted, future in waiting:
            if wanted > self._settled_rv:
                self._waiters.append((wanted, future))
            elif future.done():
                continue
            elif error is not None and wanted > before:
                future.set_exception(InternalError(f"storage: {error}"))
            else:
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


def _label_pairs(record: Record) -> list[tuple[str, str]]:
    """The (key, value) pairs of a record's labels that can be indexed (strings only: a
    stored object with a malformed label is still listed, by the slow path)."""
    return [(k, v) for k, v in record.labels.items() if isinstance(k, str) and isinstance(v, str)]
