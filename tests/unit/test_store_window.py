"""The watch window ages as kube-apiserver's watch cache does: beyond its first hundred
events it keeps only the last 75 seconds' worth, so a resumed watch further back gets 410."""

from __future__ import annotations

from typing import Any

import pytest

from kitlib.sim.clock import Clock
from kitlib.sim.machinery.errors import Gone
from kitlib.sim.store.store import WINDOW_FRESH, WINDOW_LOWER, Store


def cm(name: str) -> dict[str, Any]:
    return {"metadata": {"name": name, "namespace": "default"}, "data": {}}


def aged_store(*, clock: bool) -> Store:
    store = Store()
    if clock:
        store.clock = Clock(seed=1)
        store.clock.pause()
    return store


def test_old_events_leave_the_window_but_the_last_hundred_stay() -> None:
    store = aged_store(clock=True)
    assert store.clock is not None
    first = [store.create("configmaps", cm(f"a{i}"), fields={}).rv for i in range(300)]
    store.check_window("configmaps", first[0])           # all young: all kept
    store.clock.advance(WINDOW_FRESH + 1)
    store.create("configmaps", cm("late"), fields={})
    # Kept: the last 99 of the first burst and "late"; a watch that saw first[-100] has
    # missed nothing the window lacks, one that saw first[-101] has.
    with pytest.raises(Gone):
        store.check_window("configmaps", first[-WINDOW_LOWER - 1])
    store.check_window("configmaps", first[-WINDOW_LOWER])
    assert len(store._windows["configmaps"]) == WINDOW_LOWER


def test_a_quiet_resource_ages_when_others_are_written() -> None:
    store = aged_store(clock=True)
    assert store.clock is not None
    for i in range(WINDOW_LOWER + 50):
        store.create("configmaps", cm(f"a{i}"), fields={})
    store.clock.advance(WINDOW_FRESH + 1)
    store.create("secrets", cm("s"), fields={})          # another resource's write
    assert len(store._windows["configmaps"]) == WINDOW_LOWER


def test_without_a_clock_only_the_count_bounds_the_window() -> None:
    store = aged_store(clock=False)
    first = store.create("configmaps", cm("a"), fields={}).rv
    for i in range(WINDOW_LOWER + 50):
        store.create("configmaps", cm(f"b{i}"), fields={})
    store.check_window("configmaps", first)


def test_big_objects_hold_fewer_events(monkeypatch: Any) -> None:
    import kitlib.sim.store.store as module
    store = aged_store(clock=False)
    big = {"metadata": {"name": "big", "namespace": "default"}, "data": {"k": "x" * 1000}}
    size = len(store.create("configmaps", big, fields={}).raw)
    monkeypatch.setattr(module, "WINDOW_BYTES", size * (WINDOW_LOWER + 20))
    for i in range(WINDOW_LOWER + 100):
        big["metadata"] = {"name": f"big{i}", "namespace": "default"}
        store.create("configmaps", big, fields={})
    assert WINDOW_LOWER < len(store._windows["configmaps"]) <= WINDOW_LOWER + 21
