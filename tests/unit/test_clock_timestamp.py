"""Clock.timestamp hands out one string per second, and it is always the right one."""

from __future__ import annotations

from datetime import datetime, timezone

from kitlib.sim.clock import Clock


def _formatted(clock: Clock) -> str:
    return clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")


def test_timestamp_is_shared_within_a_second_and_exact_at_its_edges() -> None:
    clock = Clock(seed=1, start=datetime(2026, 11, 26, 16, 0, 0, 999_990, tzinfo=timezone.utc))
    clock.pause()
    first = clock.timestamp()
    assert first == _formatted(clock) == "2026-11-26T16:00:00Z"
    clock.advance(0.000001)
    assert clock.timestamp() is first               # the same second: the same string
    # Around the edge of a second (datetime rounds to the microsecond), then beyond.
    for step in [1e-7] * 100 + [0.3, 0.3, 0.3, 0.3, 59.0]:
        clock.advance(step)
        assert clock.timestamp() == _formatted(clock)
    assert clock.timestamp() == "2026-11-26T16:01:01Z"


def test_timestamp_before_1970() -> None:
    clock = Clock(start=datetime(1969, 12, 31, 23, 59, 59, 500_000, tzinfo=timezone.utc))
    clock.pause()
    assert clock.timestamp() == _formatted(clock) == "1969-12-31T23:59:59Z"
