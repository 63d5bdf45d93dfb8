"""The versioned store: one resourceVersion counter, the event window, persistence."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from kitlib.sim.machinery import errors, labels
from kitlib.sim.machinery.fields import EVERYTHING
from kitlib.sim.store.persistence import Persistence
from kitlib.sim.store.store import Store
from kitlib.sim.store.watch import Watcher


def pod(name: str, **labels: str) -> dict:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "labels": dict(labels)}}


def test_one_counter_orders_every_write() -> None:
    store = Store()
    a = store.create("pods", pod("a"), fields={})
    b = store.create("services", {"metadata": {"name": "s", "namespace": "default"}}, fields={})
    a2 = store.update("pods", pod("a", app="x"), prev=a, fields={})
    gone = store.delete("pods", a2)
    assert [a.rv, b.rv, a2.rv, gone.rv] == [1, 2, 3, 4]
    assert store.get("pods", "default", "a") is None
    assert gone.object()["metadata"]["resourceVersion"] == "4"
    assert a2.object()["metadata"]["labels"] == {"app": "x"}


def test_window_replays_and_expires() -> None:
    store = Store(window=3)
    for i in range(5):
        store.create("pods", pod(f"p{i}"), fields={})
    watcher = Watcher(resource="pods", namespace=None, labels=labels.EVERYTHING,
                      fields=EVERYTHING)
    backlog = store.subscribe(watcher, since=3)
    assert [e.rv for e in backlog] == [4, 5]
    with pytest.raises(errors.Gone) as info:
        store.subscribe(watcher, since=1)
    assert info.value.status()["code"] == 410
    assert info.value.status()["reason"] == "Expired"
    assert info.value.message == "too old resource version: 1 (3)"


def test_selector_transitions_become_added_and_deleted() -> None:
    store = Store()
    watcher = Watcher(resource="pods", namespace="default",
                      labels=labels.parse("app=web"), fields=EVERYTHING)
    store.subscribe(watcher, since=0)
    first = store.create("pods", pod("p"), fields={})
    labelled = store.update("pods", pod("p", app="web"), prev=first, fields={})
    relabelled = store.update("pods", pod("p", app="db"), prev=labelled, fields={})
    seen = []
    while not watcher.queue.empty():
        seen.append(watcher.queue.get_nowait())
    assert [(e.type, e.record.rv) for e in seen] == [("ADDED", 2), ("DELETED", 3)]
    # The DELETED event carries the last matching state with the new resourceVersion.
    assert seen[1].record.labels == {"app": "web"}
    assert relabelled.rv == 3


def test_persistence_restores_objects_and_counter(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = Store(persistence=Persistence(path))
    a = store.create("pods", pod("a"), fields={})
    store.create("pods", pod("b"), fields={})
    store.delete("pods", a)
    store.persistence.close()  # type: ignore[union-attr]

    again = Store(persistence=Persistence(path))
    assert again.load(fields_for=lambda _res, _obj: {}) == 1
    assert again.rv == 3
    assert again.get("pods", "default", "b") is not None
    assert again.get("pods", "default", "a") is None
    assert again.create("pods", pod("c"), fields={}).rv == 4
    # A watch from before the restart cannot be resumed: the window starts anew.
    watcher = Watcher(resource="pods", namespace=None, labels=labels.EVERYTHING,
                      fields=EVERYTHING)
    with pytest.raises(errors.Gone):
        again.subscribe(watcher, since=2)


def test_group_commit_waits_for_flush(tmp_path: Path) -> None:
    async def scenario() -> list[int]:
        store = Store(persistence=Persistence(tmp_path / "s.db"))
        store.bind(asyncio.get_running_loop())
        records = [store.create("pods", pod(f"p{i}"), fields={}) for i in range(10)]
        assert store.settled_rv == 0            # nothing committed yet in this turn
        await asyncio.gather(*(store.settled(r.rv) for r in records))
        return [store.settled_rv]

    assert asyncio.run(scenario()) == [10]
