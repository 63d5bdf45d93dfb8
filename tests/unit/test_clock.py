"""The one clock: sleeping on simulated time, speed, pause and advance."""

from __future__ import annotations

import asyncio
import time

from kitlib.sim.clock import Clock


def test_advance_fires_due_sleepers_in_order() -> None:
    async def scenario() -> list[str]:
        clock = Clock(seed=1)
        clock.pause()
        woke: list[str] = []

        async def sleeper(name: str, seconds: float) -> None:
            await clock.sleep(seconds)
            woke.append(name)

        tasks = [asyncio.create_task(sleeper(n, s)) for n, s in
                 (("late", 300), ("early", 10), ("middle", 40))]
        await asyncio.sleep(0.01)
        assert woke == []                         # paused: nothing happens by itself
        clock.advance(45)
        await asyncio.sleep(0.01)
        assert woke == ["early", "middle"]
        clock.advance(300)
        await asyncio.gather(*tasks)
        clock.stop()
        return woke

    assert asyncio.run(scenario()) == ["early", "middle", "late"]


def test_speed_makes_simulated_seconds_short() -> None:
    async def scenario() -> float:
        clock = Clock(speed=1000)
        started = time.monotonic()
        await clock.sleep(50)                     # 50 simulated seconds: 50 ms real
        clock.stop()
        return time.monotonic() - started

    assert asyncio.run(scenario()) < 1.0


def test_pause_freezes_time_and_resume_continues() -> None:
    clock = Clock()
    clock.pause()
    frozen = clock.time()
    time.sleep(0.02)
    assert clock.time() == frozen
    clock.advance(30)
    assert clock.time() == frozen + 30
    clock.resume()
    time.sleep(0.01)
    assert clock.time() > frozen + 30


def test_seeded_uids_repeat() -> None:
    assert [Clock(seed=7).uid() for _ in range(2)] == [Clock(seed=7).uid()] * 2
    assert Clock(seed=7).uid() != Clock(seed=8).uid()


def test_a_driver_that_missed_its_cancellation_still_ends() -> None:
    # On Python 3.11 asyncio.wait_for could swallow a cancellation arriving as the clock's
    # event was set; the driver must end anyway once stop() has dropped it.
    async def scenario() -> bool:
        clock = Clock(seed=1)
        clock.call_later(3600, lambda: None)        # a far timer: the driver waits
        await asyncio.sleep(0.01)
        driver = clock._driver
        assert driver is not None and not driver.done()
        clock._driver = None                        # what stop() does, minus the cancel
        clock._replan()                             # the event is set at that moment
        await asyncio.wait([driver], timeout=2.0)
        return driver.done()

    assert asyncio.run(scenario())


def test_stop_ends_the_driver_even_when_its_event_is_set_at_once() -> None:
    async def scenario() -> bool:
        clock = Clock(seed=1)
        clock.call_later(3600, lambda: None)
        await asyncio.sleep(0.01)
        clock._replan()                             # the wait is over as the cancel comes
        driver = clock.stop()
        assert driver is not None
        await asyncio.wait([driver], timeout=2.0)
        return driver.done()

    assert asyncio.run(scenario())
