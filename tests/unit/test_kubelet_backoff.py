"""The kubelet's back-off: 10 s doubling to 5 min, forgotten after 10 quiet minutes."""

from __future__ import annotations

from kitlib.sim.kubelet.backoff import Backoff


def test_first_failure_is_not_in_back_off_then_doubles_to_the_cap() -> None:
    backoff = Backoff()
    assert not backoff.in_backoff_since("c", 0.0, now=0.0)     # the first restart is at once
    waits = []
    moment = 0.0
    for _ in range(7):
        backoff.next("c", moment=moment, now=moment)
        waits.append(backoff.get("c"))
        moment += backoff.get("c")
    assert waits == [10, 20, 40, 80, 160, 300, 300]


def test_in_back_off_and_remaining() -> None:
    backoff = Backoff()
    backoff.next("c", moment=100.0, now=100.0)
    assert backoff.in_backoff_since("c", 100.0, now=105.0)
    assert backoff.remaining("c", 100.0, now=105.0) == 5.0
    assert not backoff.in_backoff_since("c", 100.0, now=110.0)
    assert backoff.remaining("c", 100.0, now=111.0) == 0.0


def test_ten_quiet_minutes_reset_it() -> None:
    backoff = Backoff()
    for moment in (0.0, 10.0, 30.0):
        backoff.next("c", moment=moment, now=moment)
    assert backoff.get("c") == 40
    assert not backoff.in_backoff_since("c", 631.0, now=631.0)  # ran fine for > 600 s
    backoff.next("c", moment=631.0, now=631.0)
    assert backoff.get("c") == 10


def test_forget_by_pod_prefix() -> None:
    backoff = Backoff()
    backoff.next("uid-1/a", moment=0, now=0)
    backoff.next("uid-2/a", moment=0, now=0)
    backoff.forget("uid-1/")
    assert backoff.get("uid-1/a") == 0 and backoff.get("uid-2/a") == 10
