"""Events live for an hour after their last write (kube-apiserver's --event-ttl)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

from kitlib.sim.clock import Clock
from kitlib.sim.registry import catalog
from kitlib.sim.registry.generic import EVENT_TTL, Registry
from kitlib.sim.registry.hooks import registry_hooks
from kitlib.sim.store.expiry import Expiry, Lease
from kitlib.sim.store.store import Store

START = datetime(2026, 11, 26, 16, 0, tzinfo=timezone.utc)


def event(name: str) -> dict[str, Any]:
    return {"metadata": {"name": name, "namespace": "default"},
            "involvedObject": {"kind": "Pod", "name": "web", "namespace": "default"},
            "reason": "Started", "message": "Started container web", "type": "Normal"}


def configmap(name: str) -> dict[str, Any]:
    return {"metadata": {"name": name, "namespace": "default"}, "data": {"k": "v"}}


def run(script: Callable[[Registry, Clock], Awaitable[Any]], *,
        store: Store | None = None) -> Any:
    async def scenario() -> Any:
        clock = Clock(seed=1, start=START)
        clock.pause()
        own = store or Store()
        own.bind(asyncio.get_running_loop())
        registry = Registry(store=own, clock=clock, resources=catalog.build(),
                            hooks=registry_hooks())
        if own.get("namespaces", "", "default") is None:
            await registry["namespaces"].create({"metadata": {"name": "default"}})
        return await script(registry, clock)
    return asyncio.run(scenario())


def names(registry: Registry, key: str = "events") -> list[str]:
    return sorted(r.name for r in registry.store.list(key))


def test_an_event_is_deleted_an_hour_after_its_last_write() -> None:
    async def script(registry: Registry, clock: Clock) -> list[list[str]]:
        seen = []
        await registry["events"].create(event("a"), namespace="default")
        clock.advance(1800)
        await registry["events"].create(event("b"), namespace="default")
        clock.advance(1800)
        await registry["configmaps"].create(configmap("c1"), namespace="default")
        seen.append(names(registry))            # a's hour is up; b has half an hour left
        clock.advance(1800)
        await registry["configmaps"].create(configmap("c2"), namespace="default")
        seen.append(names(registry))
        seen.append(names(registry, "configmaps"))  # only events expire
        return seen

    assert run(script) == [["b"], [], ["c1", "c2"]]


def test_each_write_grants_a_new_hour_and_watchers_see_deleted() -> None:
    async def script(registry: Registry, clock: Clock) -> tuple[list[str], list[str], str]:
        store = registry.store
        await registry["events"].create(event("a"), namespace="default")
        clock.advance(3000)

        def bump(obj: dict[str, Any]) -> dict[str, Any]:
            obj["count"] = 2
            return obj
        await registry["events"].update(namespace="default", name="a", transform=bump)
        clock.advance(3000)                        # 6000 s after creation, 3000 after the bump
        await registry["configmaps"].create(configmap("c1"), namespace="default")
        kept = names(registry)
        clock.advance(600)
        start = store.rv
        await registry["configmaps"].create(configmap("c2"), namespace="default")
        gone = names(registry)
        window = [e for e in store._windows["events"] if e.rv > start]
        return kept, gone, window[0].type if window else ""

    assert run(script) == (["a"], [], "DELETED")


def test_restored_events_keep_their_deadline_from_their_timestamps() -> None:
    store = Store()

    async def first(registry: Registry, clock: Clock) -> None:
        await registry["events"].create(event("old"), namespace="default")

    run(first, store=store)

    async def after_restart(registry: Registry, clock: Clock) -> list[list[str]]:
        # The new clock starts at the same moment: the restored event has its full hour.
        seen = [names(registry)]
        clock.advance(EVENT_TTL - 60)
        await registry["configmaps"].create(configmap("c1"), namespace="default")
        seen.append(names(registry))
        clock.advance(120)
        await registry["configmaps"].create(configmap("c2"), namespace="default")
        seen.append(names(registry))
        return seen

    assert run(after_restart, store=store) == [["old"], ["old"], []]


def test_expiry_hands_out_leases_in_deadline_order() -> None:
    book = Expiry()
    for deadline, name in ((30.0, "c"), (10.0, "a"), (20.0, "b")):
        book.grant(Lease(deadline, 1, "events", "default", name))
    assert [lease.name for lease in book.due(25.0)] == ["a", "b"]
    assert book.next_deadline() == 30.0 and len(book) == 1
