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

What the correlator remembers is kept small (a kubelet records three or four events per
pod it starts): per involved object one ``_Object`` holding its spam bucket and a
``_Key`` per reason, which is itself the record of the event written for its first
message; no more than ``CACHE_SIZE`` objects, least recently used forgotten first, as
client-go's LRU caches; and what can no longer matter (stale for the correlation window,
bucket full again) is dropped as new objects come.
"""

from __future__ import annotations

import itertools
import sys
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
#: Objects the correlator remembers at most (client-go's LRU caches hold 4096 keys each).
CACHE_SIZE = 4096
#: Objects looked at, least recently used first, when a new one comes.
FORGET_BATCH = 4


class _Seen:
    """An event written, that repeats of it bump (EventLogger's record)."""

    __slots__ = ("name", "count", "bumped")

    def __init__(self) -> None:
        self.name: str | None = None    # None: not written (the string is the stored event's)
        self.count = 0
        self.bumped = 0.0               # when it was last written


class _Key(_Seen):
    """What the correlator knows of one reason for one object (field path, type, reason):
    EventAggregator's record -- the distinct messages seen lately -- and the events
    written for them.  Most keys only ever see one message: the key is itself the record
    of the event written for its first one (``message``)."""

    __slots__ = ("field_path", "type", "reason", "last_time", "message", "more")

    def __init__(self, field_path: str, type: str, reason: str, message: str,
                 now: float) -> None:
        super().__init__()
        self.field_path = field_path
        self.type = type
        self.reason = reason
        self.last_time = now                            # of the last event with this key
        self.message = message
        #: None while ``message`` is the only one; then the other distinct messages and
        #: their events; once there are more than ``AGGREGATE_AFTER``, the combined
        #: event's record (the messages are no longer needed: it stays combined until
        #: the key goes stale).
        self.more: dict[str, _Seen] | _Seen | None = None

    @property
    def combining(self) -> bool:
        return type(self.more) is _Seen

    def add(self, message: str) -> None:
        """Count ``message`` in."""
        more = self.more
        if message == self.message or type(more) is _Seen:
            return
        if more is None:
            more = self.more = {}
        if message not in more:
            more[message] = _Seen()
            if 1 + len(more) > AGGREGATE_AFTER:
                self.more = _Seen()

    def seen(self, message: str) -> _Seen | None:
        """The event written for ``message`` (the combined one once combining)."""
        more = self.more
        if type(more) is _Seen:
            seen: _Seen | None = more
        elif message == self.message:
            seen = self
        else:
            seen = more.get(message) if more is not None else None
        return seen if seen is not None and seen.name is not None else None

    def wrote(self, message: str, name: str, now: float) -> None:
        """The event for ``message`` was written (as the combined one, once combining)."""
        more = self.more
        if type(more) is _Seen:
            seen: _Seen = more
        elif message == self.message:
            seen = self
        elif more is not None and message in more:
            seen = more[message]
        else:
            return
        seen.name, seen.count, seen.bumped = name, 1, now


class _Object:
    """All the correlator keeps about one involved object: its spam-filter bucket (one per
    source and object, as client-go's spamRecord) and its keys."""

    __slots__ = ("tokens", "last", "keys")

    def __init__(self, now: float) -> None:
        self.tokens = SPAM_BURST
        self.last = now                                 # of the last event about it
        self.keys: tuple[_Key, ...] = ()

    def take(self, now: float) -> bool:
        self.tokens = min(SPAM_BURST, self.tokens + (now - self.last) * SPAM_REFILL_PER_SECOND)
        self.last = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True

    def key(self, field_path: str, type: str, reason: str) -> _Key | None:
        for key in self.keys:
            if key.reason == reason and key.type == type and key.field_path == field_path:
                return key
        return None

    def forgettable(self, now: float) -> bool:
        """Whether forgetting the object changes nothing: its keys went stale and its
        bucket has filled up again (a fresh one is full)."""
        idle = now - self.last
        refill = (SPAM_BURST - self.tokens) / SPAM_REFILL_PER_SECOND
        return idle > CORRELATION_WINDOW and idle > refill + 1.0


def _shared(text: Any) -> Any:
    return sys.intern(text) if type(text) is str else text


def _message(text: str) -> str:
    """One copy of a short message the correlator keeps: "Created container: nginx" is
    the same for every pod."""
    return sys.intern(text) if len(text) <= _SHARED_MESSAGE_MAX else text


_SHARED_MESSAGE_MAX = 128


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
        self._objects: dict[str | tuple[str, ...], _Object] = {}
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
        involved = _shared(ref.get("uid")) or tuple(
            _shared(part) for part in (ref.get("kind", ""), namespace, name))
        clock = self.client.registry.clock
        now, stamp = clock.time(), clock.timestamp()
        # The spam key is the source and the object, whatever the field path or reason.
        known = self._object(involved, now)
        if not known.take(now):
            return                      # the spam filter drops it, as client-go's does
        key = self._aggregate(known, _shared(field_path), _shared(type), _shared(reason),
                              _message(message), now)
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

    def _object(self, involved: str | tuple[str, ...], now: float) -> _Object:
        """The object's state, made most recently used; forgets what no longer matters (and,
        beyond ``CACHE_SIZE`` objects, the least recently used, as client-go's LRU does)."""
        objects = self._objects
        known = objects.pop(involved, None)
        if known is None:
            known = _Object(now)
            for old in list(itertools.islice(objects, FORGET_BATCH)):
                if len(objects) >= CACHE_SIZE or objects[old].forgettable(now):
                    del objects[old]
                else:
                    break
        objects[involved] = known
        return known

    def _aggregated(self, involved: str | tuple[str, ...], field_path: str, type: str,
                    reason: str) -> _Key | None:
        known = self._objects.get(involved)
        return known.key(field_path, type, reason) if known is not None else None

    def _aggregate(self, known: _Object, field_path: str, type: str, reason: str,
                   message: str, now: float) -> _Key:
        """The key ``message`` is counted under, counted in (EventAggregator): combining
        once it saw more than ``AGGREGATE_AFTER`` distinct messages lately."""
        key = known.key(field_path, type, reason)
        if key is None or now - key.last_time > CORRELATION_WINDOW:
            # A new key; the stale ones (this one, maybe) go: what they knew no longer counts.
            fresh = (old for old in known.keys if now - old.last_time <= CORRELATION_WINDOW)
            key = _Key(field_path, type, reason, message, now)
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
