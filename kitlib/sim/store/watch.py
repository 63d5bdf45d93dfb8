"""Watchers: one queue per open watch, fed by the store, filtered by selectors.

The filtering follows the apiserver's watch cache: an object that starts matching a
watcher's selector arrives as ADDED, one that stops matching as DELETED (carrying its last
matching state and the new resourceVersion), so a client's picture stays consistent.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from kitlib.sim.machinery.fields import FieldSelector
from kitlib.sim.machinery.labels import LabelSelector
from kitlib.sim.store.records import Event, Record, with_rv

#: A watcher whose client reads too slowly is closed, as the real server does; it re-lists.
QUEUE_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class WatchEvent:
    type: str                 # ADDED, MODIFIED, DELETED
    record: Record


@dataclass(eq=False)
class Watcher:
    resource: str
    namespace: str | None     # None: all namespaces
    labels: LabelSelector
    fields: FieldSelector
    name: str | None = None   # watches of one object (?fieldSelector=metadata.name=x)
    queue: asyncio.Queue[WatchEvent | None] = field(default_factory=asyncio.Queue)
    overflowed: bool = False
    #: Events at or before this version were already sent (as the initial list or backlog).
    min_rv: int = 0

    def selects(self, record: Record | None) -> bool:
        if record is None:
            return False
        if self.namespace is not None and record.namespace != self.namespace:
            return False
        return self.labels.matches(record.labels) and self.fields.matches(record.fields)

    def translate(self, event: Event) -> WatchEvent | None:
        """What this watcher sees of ``event``, if anything."""
        now = self.selects(event.record)
        if event.type == "DELETED":
            return WatchEvent("DELETED", event.record) if now else None
        before = self.selects(event.prev)
        if now and before:
            return WatchEvent("MODIFIED", event.record)
        if now:
            return WatchEvent("ADDED", event.record)
        if before and event.prev is not None:
            return WatchEvent("DELETED", with_rv(event.prev, event.rv))
        return None

    def offer(self, event: Event) -> None:
        if self.overflowed or event.rv <= self.min_rv:
            return
        seen = self.translate(event)
        if seen is None:
            return
        if self.queue.qsize() >= QUEUE_LIMIT:
            self.overflowed = True
            self.queue.put_nowait(None)
            return
        self.queue.put_nowait(seen)

    def close(self) -> None:
        self.queue.put_nowait(None)
