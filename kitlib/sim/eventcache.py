"""What an event recorder remembers between events: client-go's events cache.

client-go's EventCorrelator keeps three caches per recorder -- the spam filter's token
buckets, the aggregator's distinct messages per reason, and the logger's written events
that repeats bump -- each an LRU of 4096 keys.  A kubelet records three or four events for
every pod it starts, so here what is known of one involved object is one small
``ObjectState``: its spam bucket and a ``ReasonKey`` per (field path, type, reason), which
is itself the record of the event written for its first message.  ``recorder.py`` decides
with them; this module only holds them.
"""

from __future__ import annotations

from kitlib.sim.machinery.sharing import intern

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


class Written:
    """An event written, that repeats of it bump (EventLogger's record)."""

    __slots__ = ("name", "count", "bumped")

    def __init__(self) -> None:
        self.name: str | None = None    # None: not written (the string is the stored event's)
        self.count = 0
        self.bumped = 0.0               # when it was last written


class ReasonKey(Written):
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
        self.more: dict[str, Written] | Written | None = None

    @property
    def combining(self) -> bool:
        return type(self.more) is Written

    def add(self, message: str) -> None:
        """Count ``message`` in."""
        more = self.more
        if message == self.message or type(more) is Written:
            return
        if more is None:
            more = self.more = {}
        if message not in more:
            more[message] = Written()
            if 1 + len(more) > AGGREGATE_AFTER:
                self.more = Written()

    def seen(self, message: str) -> Written | None:
        """The event written for ``message`` (the combined one once combining)."""
        more = self.more
        if type(more) is Written:
            seen: Written | None = more
        elif message == self.message:
            seen = self
        else:
            seen = more.get(message) if more is not None else None
        return seen if seen is not None and seen.name is not None else None

    def wrote(self, message: str, name: str, now: float) -> None:
        """The event for ``message`` was written (as the combined one, once combining)."""
        more = self.more
        if type(more) is Written:
            seen: Written = more
        elif message == self.message:
            seen = self
        elif more is not None and message in more:
            seen = more[message]
        else:
            return
        seen.name, seen.count, seen.bumped = name, 1, now


class ObjectState:
    """All the correlator keeps about one involved object: its spam-filter bucket (one per
    source and object, as client-go's spamRecord) and its keys."""

    __slots__ = ("tokens", "last", "keys")

    def __init__(self, now: float) -> None:
        self.tokens = SPAM_BURST
        self.last = now                                 # of the last event about it
        self.keys: tuple[ReasonKey, ...] = ()

    def take(self, now: float) -> bool:
        self.tokens = min(SPAM_BURST, self.tokens + (now - self.last) * SPAM_REFILL_PER_SECOND)
        self.last = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True

    def key(self, field_path: str, type: str, reason: str) -> ReasonKey | None:
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


def shared_message(text: str) -> str:
    """One copy of a short message the correlator keeps: "Created container: nginx" is
    the same for every pod."""
    return intern(text, longest=_SHARED_MESSAGE_MAX)


_SHARED_MESSAGE_MAX = 128
