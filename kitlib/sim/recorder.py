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

What the correlator remembers is kept small (see ``eventcache``): no more than
``CACHE_SIZE`` objects, least recently used forgotten first, as client-go's LRU caches;
and what can no longer matter (stale for the correlation window, bucket full again) is
dropped as new objects come.
"""

from __future__ import annotations

import itertools
from typing import Any

from kitlib.sim.client import LocalClient
from kitlib.sim.eventcache import (AGGREGATE_AFTER, CACHE_SIZE, COMBINED_PREFIX,
                                   CORRELATION_WINDOW, FORGET_BATCH, ObjectState,
                                   ReasonKey, shared_message)
from kitlib.sim.machinery import errors
from kitlib.sim.machinery.sharing import intern

JSON = dict[str, Any]


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
        #: An involved object's uid (or kind, namespace and name) -> what is known of it,
        #: least recently used first.
        self._objects: dict[str | tuple[str, ...], ObjectState] = {}
        self._sequence = itertools.count()

    def _name(self, involved: str) -> str:
        """"<object>.<unix nanoseconds in hex>", as client-go names events."""
        clock = self.client.registry.clock
        nanos = int(clock.time() * 1e9) + next(self._sequence)
        return f"{involved}.{nanos:x}"

    async def event(self, obj: JSON, *, type: str = "Normal", reason: str, message: str,
                    field_path: str = "") -> None:
        """Record (or count again) a core/v1 event about ``obj``."""
        ref = reference(obj, field_path=field_path)
        namespace = ref.get("namespace") or "default"
        name = ref.get("name", "")
        # A uid names one object for good; a reference without one is named by its parts
        # (interned: the stored events' fields share them).
        involved = intern(ref.get("uid")) or tuple(
            intern(part) for part in (ref.get("kind", ""), namespace, name))
        clock = self.client.registry.clock
        now, stamp = clock.time(), clock.timestamp()
        # The spam key is the source and the object, whatever the field path or reason.
        known = self._object(involved, now)
        if not known.take(now):
            return                      # the spam filter drops it, as client-go's does
        key = self._aggregate(known, intern(field_path), intern(type), intern(reason),
                              shared_message(message), now)
        combining = key.combining
        seen = key.seen(message)
        if combining:
            message = COMBINED_PREFIX + message
        if seen is not None and now - seen.bumped < CORRELATION_WINDOW:
            seen.count += 1
            seen.bumped = now

            def bump(event: JSON, count: int = seen.count) -> None:
                event["count"] = count
                event["lastTimestamp"] = stamp
                event["message"] = message      # a combined event shows the latest

            if await self.client.mutate("events", namespace=namespace,
                                        name=seen.name,
                                        change=bump) is not None:
                return
        source: JSON = {"component": self.component}
        if self.host:
            source["host"] = self.host
        event: JSON = {
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": self._name(name), "namespace": namespace},
            "involvedObject": ref, "reason": reason, "message": message, "source": source,
            "firstTimestamp": stamp, "lastTimestamp": stamp, "count": 1, "type": type,
            "eventTime": None, "reportingComponent": self.component,
            "reportingInstance": self.host,
        }
        if await self._create(event):
            # Looked up again: the key may have gone stale and been replaced meanwhile.
            key = self._aggregated(involved, field_path, type, reason)
            if key is not None and key.combining == combining:
                key.wrote(message, event["metadata"]["name"], now)

    def _object(self, involved: str | tuple[str, ...], now: float) -> ObjectState:
        """The object's state, made most recently used; forgets what no longer matters (and,
        beyond ``CACHE_SIZE`` objects, the least recently used, as client-go's LRU does)."""
        objects = self._objects
        known = objects.pop(involved, None)
        if known is None:
            known = ObjectState(now)
            for old in list(itertools.islice(objects, FORGET_BATCH)):
                if len(objects) >= CACHE_SIZE or objects[old].forgettable(now):
                    del objects[old]
                else:
                    break
        objects[involved] = known
        return known

    def _aggregated(self, involved: str | tuple[str, ...], field_path: str, type: str,
                    reason: str) -> ReasonKey | None:
        known = self._objects.get(involved)
        return known.key(field_path, type, reason) if known is not None else None

    def _aggregate(self, known: ObjectState, field_path: str, type: str, reason: str,
                   message: str, now: float) -> ReasonKey:
        """The key ``message`` is counted under, counted in (EventAggregator): combining
        once it saw more than ``AGGREGATE_AFTER`` distinct messages lately."""
        key = known.key(field_path, type, reason)
        if key is None or now - key.last_time > CORRELATION_WINDOW:
            # A new key; the stale ones (this one, maybe) go: what they knew no longer counts.
            fresh = (old for old in known.keys if now - old.last_time <= CORRELATION_WINDOW)
            key = ReasonKey(field_path, type, reason, message, now)
            known.keys = (*fresh, key)
        else:
            key.add(message)
            key.last_time = now
        return key

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
        await self._create(event)

    async def _create(self, event: JSON) -> bool:
        namespace = event["metadata"]["namespace"]
        try:
            await self.client.create("events", event, namespace=namespace)
        except (errors.NotFound, errors.Forbidden, errors.AlreadyExists):
            return False    # the namespace is gone or going: nobody will read this event
        return True
