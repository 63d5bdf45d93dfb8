"""One copy of what thousands of pods hold alike: interned strings and bounded share tables.

A cluster of 10,000 pods repeats the same UIDs (in the scheduler, the kubelet, the
controllers and the events), node names, phases, volume layouts and owner references in
every component; holding one copy of each keeps its memory per pod small.  Strings go
through ``sys.intern``; other immutable values go through a ``ShareTable``, which forgets
everything once it holds ``limit`` of them (what it shared stays shared, and a value seen
again is simply kept afresh), so a long run with ever new values cannot grow it.
"""

from __future__ import annotations

import sys
from typing import Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")


def intern(value: T, *, longest: int | None = None) -> T:
    """``value`` itself, or the one shared copy of it when it is a string (no longer than
    ``longest`` characters, when given)."""
    if type(value) is str and (longest is None or len(value) <= longest):
        return sys.intern(value)        # type: ignore[return-value]
    return value


class ShareTable(Generic[K, V]):
    """The value made for a key, kept for the next caller with the same key."""

    __slots__ = ("_values", "_limit")

    def __init__(self, *, limit: int) -> None:
        self._values: dict[K, V] = {}
        self._limit = limit

    def get(self, key: K, make: Callable[[], V]) -> V:
        values = self._values
        found = values.get(key)
        if found is None:
            if len(values) >= self._limit:
                values.clear()
            found = values[key] = make()
        return found

    def clear(self) -> None:
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
