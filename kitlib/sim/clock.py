"""The simulator's one clock and its one source of randomness.

Every component asks this clock for the time, sleeps on it, and draws names, UIDs and
jitter from its random source, so that a seeded run is repeatable and an instructor can
slow time down, pause it or step it forward ("advance 30 s" fires, in order, every timer
that falls due).  Nothing else in ``kitlib.sim`` calls ``time.time()`` or ``random``.

Simulated time runs from the wall-clock moment of start-up at ``speed`` times real time.
Sleepers are kept in a heap ordered by their simulated deadline; one driver task wakes at
the real moment the earliest is due, and is re-planned whenever the clock is changed.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
import random
import time
import uuid
from typing import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone


@dataclass(order=True)
class _Timer:
    deadline: float
    seq: int
    future: asyncio.Future[None] = field(compare=False)


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
        self._timers: list[_Timer] = []
        self._seq = itertools.count()
        self._changed: asyncio.Event | None = None
        self._driver: asyncio.Task[None] | None = None
        self._stamp: tuple[float, str] = (math.nan, "")     # the last timestamp(), by second

    # --- reading the time ---------------------------------------------------------------

    def time(self) -> float:
        """Simulated seconds since the epoch."""
        if self._paused:
            return self._base
        return self._base + (time.monotonic() - self._anchor) * self._speed

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), timezone.utc)

    def timestamp(self) -> str:
        """RFC 3339 with seconds, as metav1.Time serialises (``2026-11-26T16:00:00Z``).

        One string per second: the pods started within a second keep the same one."""
        now = self.time()
        # The whole second as datetime rounds it (to the microsecond, half to even).
        frac, second = math.modf(now)
        micros = round(frac * 1e6)
        second += 1 if micros >= 1_000_000 else -1 if micros < 0 else 0
        if second != self._stamp[0]:
            stamp = datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            self._stamp = (second, stamp)
        return self._stamp[1]

    def micro_timestamp(self) -> str:
        """RFC 3339 with microseconds, as metav1.MicroTime serialises."""
        return self.now().strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def since(self, moment: datetime) -> timedelta:
        return self.now() - moment

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
        if not speed > 0:
            raise ValueError("speed must be positive; pause the clock to stop time")
        self._rebase()
        self._speed = speed
        self._replan()

    def pause(self) -> None:
        self._rebase()
        self._paused = True
        self._replan()

    def resume(self) -> None:
        self._anchor = time.monotonic()
        self._paused = False
        self._replan()

    def advance(self, seconds: float) -> None:
        """Jump forward: every timer due within ``seconds`` fires, earliest first."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._rebase()
        self._base += seconds
        self._fire_due()
        self._replan()

    def real_delay(self, simulated_seconds: float) -> float:
        """How long ``simulated_seconds`` take in real seconds at the current speed."""
        return simulated_seconds / self._speed

    # --- sleeping -----------------------------------------------------------------------

    async def sleep(self, seconds: float) -> None:
        """Wait until ``seconds`` of simulated time have passed."""
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._timers, _Timer(self.time() + seconds, next(self._seq), future))
        self._ensure_driver(loop)
        self._replan()
        try:
            await future
        finally:
            if not future.done():
                future.cancel()

    def call_later(self, seconds: float, callback: Callable[[], None]) -> asyncio.Future[None]:
        """Call ``callback`` once ``seconds`` of simulated time have passed: an alarm in the
        same heap as the sleepers, without a task of its own.  Cancel the returned future
        to take it back."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        future.add_done_callback(lambda done: None if done.cancelled() else callback())
        heapq.heappush(self._timers, _Timer(self.time() + max(0.0, seconds), next(self._seq),
                                            future))
        self._ensure_driver(loop)
        self._replan()
        return future

    def _fire_due(self) -> None:
        now = self.time()
        while self._timers and self._timers[0].deadline <= now:
            timer = heapq.heappop(self._timers)
            if not timer.future.done():
                timer.future.set_result(None)

    def _replan(self) -> None:
        if self._changed is not None:
            self._changed.set()

    def _ensure_driver(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._driver is None or self._driver.done():
            self._changed = asyncio.Event()
            self._driver = loop.create_task(self._drive(), name="kit-clock")

    async def _drive(self) -> None:
        assert self._changed is not None
        # A driver replaced or stopped (``stop`` drops it) ends at its next turn, even if
        # its cancellation was lost.
        while self._driver is asyncio.current_task():
            self._fire_due()
            while self._timers and self._timers[0].future.done():
                heapq.heappop(self._timers)      # cancelled sleepers
            self._changed.clear()
            if self._timers and not self._paused:
                wait = max(0.0, (self._timers[0].deadline - self.time()) / self._speed)
                # Not asyncio.wait_for: on Python 3.11 it swallows a cancellation that
                # arrives as the event is set, and a driver that missed stop() runs on.
                try:
                    async with asyncio.timeout(wait):
                        await self._changed.wait()
                except TimeoutError:
                    pass
            else:
                await self._changed.wait()

    def stop(self) -> asyncio.Task[None] | None:
        """Cancel the timer driver; the task is returned for the caller to await (a task
        dropped while still pending is destroyed noisily when its loop closes)."""
        driver, self._driver = self._driver, None
        if driver is not None:
            driver.cancel()
        return driver

    def state(self) -> dict[str, object]:
        return {"time": self.timestamp(), "speed": self._speed, "paused": self._paused,
                "timers": sum(1 for t in self._timers if not t.future.done())}

    # --- randomness ---------------------------------------------------------------------

    def uid(self) -> str:
        """A UUID4 from the seeded source, so seeded runs give the same UIDs."""
        if not self.seeded:
            return str(uuid.uuid4())
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def jitter(self, low: float, high: float) -> float:
        return self.random.uniform(low, high)
