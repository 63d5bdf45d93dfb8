"""Exponential back-off, as client-go's flowcontrol.Backoff keeps it for the kubelet.

Two of them shape what learners watch: restarting a crashed container (CrashLoopBackOff,
10 s doubling to 5 min) and retrying a failed image pull (ImagePullBackOff, the same).  An
entry is forgotten once it has been quiet for twice the maximum (10 min): a container that
ran fine for ten minutes starts again from 10 s.
"""

from __future__ import annotations

from dataclasses import dataclass

INITIAL = 10.0
MAXIMUM = 300.0


@dataclass
class _Entry:
    backoff: float
    last_update: float


class Backoff:
    def __init__(self, *, initial: float = INITIAL, maximum: float = MAXIMUM) -> None:
        self.initial = initial
        self.maximum = maximum
        self._entries: dict[str, _Entry] = {}

    def _expired(self, entry: _Entry, moment: float) -> bool:
        return moment - entry.last_update > 2 * self.maximum

    def next(self, key: str, *, moment: float, now: float) -> None:
        """Record a failure at ``moment``: the next wait doubles (or starts at ``initial``)."""
        entry = self._entries.get(key)
        if entry is None or self._expired(entry, moment):
            self._entries[key] = _Entry(self.initial, now)
            return
        entry.backoff = min(entry.backoff * 2, self.maximum)
        entry.last_update = now

    def get(self, key: str) -> float:
        entry = self._entries.get(key)
        return entry.backoff if entry else 0.0

    def in_backoff_since(self, key: str, moment: float, *, now: float) -> bool:
        """IsInBackOffSince: whether less than the current back-off has passed since
        ``moment`` (the last failure)."""
        entry = self._entries.get(key)
        if entry is None or self._expired(entry, moment):
            return False
        return now - moment < entry.backoff

    def remaining(self, key: str, moment: float, *, now: float) -> float:
        """Seconds until ``in_backoff_since`` turns false (0 when it already is)."""
        if not self.in_backoff_since(key, moment, now=now):
            return 0.0
        return max(0.0, moment + self._entries[key].backoff - now)

    def forget(self, prefix: str) -> None:
        """Drop every entry of a pod (keys start with its UID)."""
        for key in [k for k in self._entries if k.startswith(prefix)]:
            del self._entries[key]
