"""The simulator's one clock and its one source of randomness.

Every component asks this clock for the time and this random source for names, UIDs and
jitter, so that a seeded run is repeatable and an instructor can slow time down, pause it
or step it forward.  Nothing else in ``kitlib.sim`` calls ``time.time()`` or ``random``.

Simulated time runs from the wall-clock moment of start-up at ``speed`` times real time;
``pause()`` freezes it and ``advance()`` jumps it forward.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import datetime, timedelta, timezone


class Clock:
    def __init__(self, *, seed: int | None = None, speed: float = 1.0,
                 start: datetime | None = None) -> None:
        self.random = random.Random(seed)
        self.seeded = seed is not None
        self._speed = speed
        self._paused = False
        # Simulated time = _base + (monotonic - _anchor) * speed, unless paused.
        self._base = (start or datetime.now(timezone.utc)).timestamp()
        self._anchor = time.monotonic()

    # --- reading the time ---------------------------------------------------------------

    def time(self) -> float:
        """Simulated seconds since the epoch."""
        if self._paused:
            return self._base
        return self._base + (time.monotonic() - self._anchor) * self._speed

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), timezone.utc)

    def timestamp(self) -> str:
        """RFC 3339 with seconds, as metav1.Time serialises (``2026-11-26T16:00:00Z``)."""
        return self.now().strftime("%Y-%m-%dT%H:%M:%SZ")

    def micro_timestamp(self) -> str:
        """RFC 3339 with microseconds, as metav1.MicroTime serialises."""
        return self.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    # --- controlling it -----------------------------------------------------------------

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def paused(self) -> bool:
        return self._paused

    def _rebase(self) -> None:
        self._base = self.time()
        self._anchor = time.monotonic()

    def set_speed(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive; use pause() to stop time")
        self._rebase()
        self._speed = speed

    def pause(self) -> None:
        self._rebase()
        self._paused = True

    def resume(self) -> None:
        self._anchor = time.monotonic()
        self._paused = False

    def advance(self, seconds: float) -> None:
        self._rebase()
        self._base += seconds

    def real_delay(self, simulated_seconds: float) -> float:
        """How long to sleep in real seconds for ``simulated_seconds`` to pass."""
        return simulated_seconds / self._speed

    # --- randomness ---------------------------------------------------------------------

    def uid(self) -> str:
        """A UUID4 from the seeded source, so seeded runs give the same UIDs."""
        if not self.seeded:
            return str(uuid.uuid4())
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def since(self, moment: datetime) -> timedelta:
        return self.now() - moment
