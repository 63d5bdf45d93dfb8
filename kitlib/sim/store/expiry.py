"""Keys with a time to live: what etcd leases are to Events.

A real kube-apiserver writes every Event with an etcd lease of ``--event-ttl`` (one hour
by default), granted anew on each write of the event; when the lease runs out etcd deletes
the key and watchers see the Event DELETED.  Without it a busy cluster would keep every
event it ever recorded: four or five per pod started.

``Expiry`` is the book of deadlines (in simulated seconds).  The registry grants a
deadline with each write of a resource that has a time to live and, as its writes go on,
deletes what has run out (``due``).  A key written again since it was granted carries a
newer resourceVersion, so its old deadline is recognised and skipped.

There is a lease for every event written in the last hour, so a lease must cost little:
each resource's leases are three columns (deadlines and resourceVersions in arrays, and
the key: the record's ``Fields``, which begin with the name and namespace and which the
record keeps anyway), 24 bytes a lease rather than a tuple and a float of 104.  A
resource's leases share one time to live, so they are granted in deadline order and the
columns are queues; one granted out of order (leases restored at start-up, a clock set
back) is put in its place.
"""

from __future__ import annotations

import bisect
from array import array
from typing import Iterator, NamedTuple

#: Leases handed out from a book's head before its columns are cut down to what is left.
COMPACT_AFTER = 1024


class Lease(NamedTuple):
    deadline: float           # simulated seconds since the epoch
    rv: int                   # the write the lease was granted with
    resource: str
    namespace: str
    name: str


class _Book:
    """One resource's leases, in deadline order from ``head``."""

    __slots__ = ("deadlines", "rvs", "keys", "head")

    def __init__(self) -> None:
        self.deadlines = array("d")
        self.rvs = array("q")
        self.keys: list[tuple[str, ...]] = []       # (name, namespace, ...)
        self.head = 0

    def __len__(self) -> int:
        return len(self.keys) - self.head

    def add(self, deadline: float, rv: int, key: tuple[str, ...]) -> None:
        deadlines = self.deadlines
        if len(deadlines) == self.head or deadlines[-1] <= deadline:
            deadlines.append(deadline)
            self.rvs.append(rv)
            self.keys.append(key)
            return
        at = bisect.bisect_right(deadlines, deadline, self.head)
        deadlines.insert(at, deadline)
        self.rvs.insert(at, rv)
        self.keys.insert(at, key)

    def first(self) -> float | None:
        return self.deadlines[self.head] if len(self.keys) > self.head else None

    def pop(self) -> tuple[float, int, tuple[str, ...]]:
        i = self.head
        found = self.deadlines[i], self.rvs[i], self.keys[i]
        self.keys[i] = ()               # let the key go at once
        self.head = i + 1
        if self.head >= COMPACT_AFTER and self.head * 2 >= len(self.keys):
            del self.deadlines[:self.head], self.rvs[:self.head], self.keys[:self.head]
            self.head = 0
        return found


class Expiry:
    def __init__(self) -> None:
        self._books: dict[str, _Book] = {}

    def grant(self, lease: Lease) -> None:
        self.grant_key(lease.resource, (lease.name, lease.namespace), lease.rv,
                       deadline=lease.deadline)

    def grant_key(self, resource: str, key: tuple[str, ...], rv: int, *,
                  deadline: float) -> None:
        """A lease on the object ``key`` names: a tuple that begins with its name and
        namespace (a record's ``fields``, kept at no cost)."""
        book = self._books.get(resource)
        if book is None:
            book = self._books[resource] = _Book()
        book.add(deadline, rv, key)

    def next_deadline(self) -> float | None:
        firsts = [first for book in self._books.values()
                  if (first := book.first()) is not None]
        return min(firsts) if firsts else None

    def due(self, now: float) -> Iterator[Lease]:
        """The leases that ran out by ``now``, earliest first (removed as they are read)."""
        while True:
            soonest: tuple[float, str, _Book] | None = None
            for resource, book in self._books.items():
                first = book.first()
                if first is not None and first <= now and (soonest is None or
                                                           first < soonest[0]):
                    soonest = (first, resource, book)
            if soonest is None:
                return
            _, resource, book = soonest
            deadline, rv, key = book.pop()
            yield Lease(deadline, rv, resource, _item(key, 1), _item(key, 0))

    def __len__(self) -> int:
        return sum(len(book) for book in self._books.values())


_item = tuple.__getitem__       # by position, also of a ``Fields`` (a mapping by key)
