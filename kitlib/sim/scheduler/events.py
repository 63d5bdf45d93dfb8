"""The scheduler's events, written as client-go's events.k8s.io recorder writes them.

kube-scheduler reports through the newer Events API: an event has an ``eventTime``, an
``action`` (``Scheduling``, ``Binding``), ``reportingController: default-scheduler`` and
``reportingInstance: default-scheduler-<host>``, and no ``count``.  A repeat of the same
event (same type, action, reason, controller, instance and regarding object -- including
its resourceVersion, but not its note) does not create a new object: the second one
turns the first into a *series* (``series.count: 2`` and ``lastObservedTime``, written at
once); later repeats only bump the count in memory, written every 30 minutes and when the
series ends (6 minutes without a repeat).  This is why ``kubectl describe pod`` shows an
unschedulable pod's FailedScheduling as ``(x2 over 5m)`` rather than one line per retry.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import Any

from kitlib.sim.client import LocalClient
from kitlib.sim.clock import Clock
from kitlib.sim.machinery import errors

log = logging.getLogger("kitlib.sim.scheduler")
JSON = dict[str, Any]

FINISH_TIME = 360.0             # a series without repeats for 6 minutes is over
REFRESH_TIME = 1800.0           # running series are written every 30 minutes


@dataclass(slots=True)
class _Recorded:
    namespace: str
    name: str
    event_time: float           # when the first one was recorded
    count: int = 1
    last_observed: str = ""
    last_time: float = 0.0
    dirty: bool = False         # the count moved since it was last written


class SchedulerEvents:
    def __init__(self, client: LocalClient, clock: Clock, *, controller: str,
                 instance: str) -> None:
        self.client = client
        self.clock = clock
        self.controller = controller
        self.instance = instance
        self._cache: dict[tuple[Any, ...], _Recorded] = {}
        self._sequence = itertools.count()

    def _name(self, involved: str) -> str:
        # "<object>.<unix nanoseconds in hex>", as the events library names them.
        return f"{involved}.{int(self.clock.time() * 1e9) + next(self._sequence):x}"

    async def emit(self, regarding: JSON, *, type: str, reason: str, action: str,
                   note: str, related: JSON | None = None) -> None:
        key = (type, action, reason, regarding.get("namespace"), regarding.get("name"),
               regarding.get("uid"), regarding.get("resourceVersion"),
               tuple(sorted((related or {}).items())))
        recorded = self._cache.get(key)
        now = self.clock.time()
        if recorded is not None:
            recorded.count += 1
            recorded.last_observed = self.clock.micro_timestamp()
            recorded.last_time = now
            recorded.dirty = True
            if recorded.count == 2 and await self._write_series(recorded):
                return
            if recorded.count > 2:
                return
            self._cache.pop(key, None)  # the first one is gone: start afresh
        namespace = regarding.get("namespace") or "default"
        event: JSON = {
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": self._name(str(regarding.get("name"))), "namespace": namespace},
            "involvedObject": regarding, "reason": reason, "message": note, "source": {},
            "firstTimestamp": None, "lastTimestamp": None, "type": type,
            "eventTime": self.clock.micro_timestamp(), "action": action,
            "reportingComponent": self.controller, "reportingInstance": self.instance,
        }
        if related is not None:
            event["related"] = related
        try:
            await self.client.create("events", event, namespace=namespace)
        except (errors.NotFound, errors.Forbidden, errors.AlreadyExists):
            return      # the namespace is gone or going: nobody will read this event
        self._cache[key] = _Recorded(namespace, event["metadata"]["name"], now, last_time=now)

    async def _write_series(self, recorded: _Recorded) -> bool:
        series = {"count": recorded.count, "lastObservedTime": recorded.last_observed}

        def change(event: JSON) -> None:
            event["series"] = dict(series)

        try:
            written = await self.client.mutate("events", namespace=recorded.namespace,
                                               name=recorded.name, change=change)
        except errors.StatusError as exc:
            log.debug("could not update event %s: %s", recorded.name, exc)
            return False
        recorded.dirty = False
        return written is not None

    async def finish_series(self) -> None:
        """finishSeries: write the final count of series that ended; forget old singletons."""
        cutoff = self.clock.time() - FINISH_TIME
        for key, recorded in list(self._cache.items()):
            if recorded.last_time < cutoff:
                if recorded.count > 1 and recorded.dirty:
                    await self._write_series(recorded)
                self._cache.pop(key, None)

    async def refresh_series(self) -> None:
        """refreshExistingEventSeries: write the running count of every series."""
        for recorded in list(self._cache.values()):
            if recorded.count > 1 and recorded.dirty:
                await self._write_series(recorded)

    async def run(self) -> None:
        elapsed = 0.0
        while True:
            await self.clock.sleep(FINISH_TIME)
            elapsed += FINISH_TIME
            await self.finish_series()
            if elapsed >= REFRESH_TIME:
                elapsed = 0.0
                await self.refresh_series()
