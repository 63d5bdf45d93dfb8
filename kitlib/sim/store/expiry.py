"""Keys with a time to live: what etcd leases are to Events.

A real kube-apiserver writes every Event with an etcd lease of ``--event-ttl`` (one hour
by default), granted anew on each write of the event; when the lease runs out etcd deletes
the key and watchers see the Event DELETED.  Without it a busy cluster would keep every
event it ever recorded: four or five per pod started.

``Expiry`` is the book of deadlines (a heap, in simulated seconds).  The registry grants a
deadline with each write of a resource that has a time to live and, as its writes go on,
deletes what has run out (``due``).  A key written again since it was granted carries a
newer resourceVersion, so its old deadline is recognised and skipped.
"""

from __future__ import annotations

import heapq
from typing import Iterator, NamedTuple


class Lease(NamedTuple):
    deadline: float           # simulated seconds since the epoch
    rv: int                   # the write the lease was granted with
    resource: str
    namespace: str
    name: str


class Expiry:
    def __init__(self) -> None:
        self._heap: list[Lease] = []

    def grant(self, lease: Lease) -> None:
        heapq.heappush(self._heap, lease)

    def next_deadline(self) -> float | None:
        return self._heap[0].deadline if self._heap else None

    def due(self, now: float) -> Iterator[Lease]:
        """The leases that ran out by ``now``, earliest first (removed as they are read)."""
        heap = self._heap
        while heap and heap[0].deadline <= now:
            yield heapq.heappop(heap)

    def __len__(self) -> int:
        return len(self._heap)
