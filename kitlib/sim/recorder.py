"""Events: how the simulator's components tell a learner what happened, and why.

Each component records events as its real counterpart does (client-go's EventRecorder
and EventCorrelator): a core/v1 Event about an object, with a reason, a message, and the
component as its source; repeating the same event bumps its ``count`` and
``lastTimestamp`` instead of writing a new one, so ``kubectl describe`` shows "x4 over 2m"
just like a real cluster.  Similar events (same reason, different messages: "Created pod:
web-abcde", "Created pod: web-fghij", ...) are combined after ten into one counted
"(combined from similar events): ..." event, and each source may write at most 25 events
about one object before it is held to one every five minutes.
The scheduler writes the newer events.k8s.io style (``eventTime``, ``action``,
``reportingController``), which the API stores in the same Event objects.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass
from typing import Any

from kitlib.sim.client import LocalClient
from kitlib.sim.machinery import errors

JSON = dict[str, Any]

#: Identical events within this many seconds are merged into one with a count.
CORRELATION_WINDOW = 600.0
#: Distinct messages with the same reason before they are combined (maxEvents).
AGGREGATE_AFTER = 10
COMBINED_PREFIX = "(combined from similar events): "
#: The spam filter: a burst of 25 events per source and object, then one per 5 minutes.
SPAM_BURST = 25.0
SPAM_REFILL_PER_SECOND = 1.0 / 300.0


@dataclass(slots=True)
class _Bucket:
    tokens: float
    last: float

    def take(self, now: float) -> bool:
        self.tokens = min(SPAM_BURST, self.tokens + (now - self.last) * SPAM_REFILL_PER_SECOND)
        self.last = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


@dataclass(slots=True)
class _Similar:
    """The distinct messages seen with one reason (most keys only ever see one)."""

    first: str | None
    others: set[str] | None
    last_time: float

    def add(self, message: str) -> int:
        """Count ``message`` in; returns how many distinct messages there are."""
        if self.first is None or self.first == message:
            self.first = message
        elif self.others is None:
            self.others = {message}
        else:
            self.others.add(message)
        return 1 + (len(self.others) if self.others is not None else 0)


@dataclass(slots=True)
class _Seen:
    namespace: str
    name: str
    count: int
    last_time: float


def _shared(text: object) -> object:
    return sys.intern(text) if type(text) is str else text


def reference(obj: JSON, *, field_path: str = "") -> JSON:
    """An ObjectReference to ``obj`` (the Event's ``involvedObject``)."""
    meta = obj.get("metadata") or {}
    ref: JSON = {"kind": obj.get("kind", ""), "namespace": meta.get("namespace", ""),
                 "name": meta.get("name", ""), "uid": meta.get("uid", ""),
                 "apiVersion": obj.get("apiVersion", ""),
                 "resourceVersion": meta.get("resourceVersion", ""), "fieldPath": field_path}
    # Empty fields are left out, as Go's omitempty leaves them out of the stored event.
    return {key: value for key, value in ref.items() if value}


class EventRecorder:
    """Records events for one component instance (``component`` on ``host``)."""

    def __init__(self, client: LocalClient, *, component: str, host: str = "") -> None:
        self.client = client
        self.component = component
        self.host = host
        self._seen: dict[tuple[str, ...], _Seen] = {}
        self._similar: dict[tuple[str, ...], _Similar] = {}
        self._buckets: dict[tuple[str, ...], _Bucket] = {}
        self._sequence = itertools.count()

    def _name(self, involved: str) -> str:
        clock = self.client.registry.clock
        nanos = int(clock.time() * 1e9) + next(self._sequence)
        return f"{involved}.{nanos:x}"

    async def event(self, obj: JSON, *, type: str = "Normal", reason: str, message: str,
                    field_path: str = "") -> None:
        """Record (or count again) a core/v1 event about ``obj``."""
        ref = reference(obj, field_path=field_path)
        namespace = ref.get("namespace") or "default"
        # The same object's events share one copy of each part of their keys (the caches
        # hold a few keys per pod for ten minutes).
        involved = tuple(_shared(part) for part in (
            ref.get("kind", ""), namespace, ref.get("name", ""), ref.get("uid", ""), field_path))
        clock = self.client.registry.clock
        now, stamp = clock.time(), clock.timestamp()
        # The spam key is the source and the object, whatever the field path or reason.
        bucket = self._buckets.setdefault(involved[:4], _Bucket(SPAM_BURST, now))
        if not bucket.take(now):
            return                      # the spam filter drops it, as client-go's does
        message, key = self._aggregate(involved, type, reason, message, now)
        seen = self._seen.get(key)
        if seen is not None and now - seen.last_time < CORRELATION_WINDOW:
            seen.count += 1
            seen.last_time = now

            def bump(event: JSON, count: int = seen.count) -> None:
                event["count"] = count
                event["lastTimestamp"] = stamp
                event["message"] = message      # a combined event shows the latest

            if await self.client.mutate("events", namespace=seen.namespace, name=seen.name,
                                        change=bump) is not None:
                return
        source: JSON = {"component": self.component}
        if self.host:
            source["host"] = self.host
        event: JSON = {
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": self._name(ref.get("name", "")), "namespace": namespace},
            "involvedObject": ref, "reason": reason, "message": message, "source": source,
            "firstTimestamp": stamp, "lastTimestamp": stamp, "count": 1, "type": type,
            "eventTime": None, "reportingComponent": self.component,
            "reportingInstance": self.host,
        }
        await self._create(event, key, now)

    def _aggregate(self, involved: tuple[str, ...], type: str, reason: str, message: str,
                   now: float) -> tuple[str, tuple[str, ...]]:
        """The message to record and the key it is counted under (EventAggregator)."""
        similar_key = (*involved, type, reason)
        similar = self._similar.get(similar_key)
        if similar is None or now - similar.last_time > CORRELATION_WINDOW:
            similar = self._similar[similar_key] = _Similar(None, None, now)
        distinct = similar.add(message)
        similar.last_time = now
        if distinct <= AGGREGATE_AFTER:
            return message, (*similar_key, message)
        return COMBINED_PREFIX + message, similar_key

    async def scheduling_event(self, obj: JSON, *, type: str = "Normal", reason: str,
                               message: str, action: str = "Scheduling") -> None:
        """An events.k8s.io-style event, as the scheduler writes them (no count, eventTime)."""
        ref = reference(obj)
        namespace = ref.get("namespace") or "default"
        clock = self.client.registry.clock
        event: JSON = {
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": self._name(ref.get("name", "")), "namespace": namespace},
            "involvedObject": ref, "reason": reason, "message": message, "source": {},
            "firstTimestamp": None, "lastTimestamp": None, "type": type,
            "eventTime": clock.micro_timestamp(), "action": action,
            "reportingComponent": self.component, "reportingInstance": self.host,
        }
        await self._create(event, None, clock.time())

    async def _create(self, event: JSON, key: tuple[str, ...] | None, now: float) -> None:
        namespace = event["metadata"]["namespace"]
        try:
            await self.client.create("events", event, namespace=namespace)
        except (errors.NotFound, errors.Forbidden, errors.AlreadyExists):
            return      # the namespace is gone or going: nobody will read this event
        if key is not None:
            self._seen[key] = _Seen(namespace, event["metadata"]["name"], 1, now)
            if len(self._seen) > 4096:
                self._forget_old(now)

    def _forget_old(self, now: float) -> None:
        for key in [k for k, v in self._seen.items() if now - v.last_time > CORRELATION_WINDOW]:
            del self._seen[key]
        for key in [k for k, v in self._similar.items()
                    if now - v.last_time > CORRELATION_WINDOW]:
            del self._similar[key]
        for key in [k for k, b in self._buckets.items() if b.tokens >= SPAM_BURST - 1]:
            del self._buckets[key]
