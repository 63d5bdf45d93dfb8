"""The event recorder's correlation: counting, combining similar events, the spam filter."""

from __future__ import annotations

import asyncio

from kitlib.sim.client import LocalClient
from kitlib.sim.clock import Clock
from kitlib.sim.recorder import EventRecorder
from kitlib.sim.registry import catalog
from kitlib.sim.registry.generic import Registry
from kitlib.sim.registry.hooks import registry_hooks
from kitlib.sim.store.store import Store

OWNER = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
         "metadata": {"name": "web", "namespace": "default", "uid": "u1"}}


def _events(script) -> list[dict]:  # type: ignore[no-untyped-def]
    async def scenario() -> list[dict]:
        clock = Clock(seed=1)
        store = Store()
        store.bind(asyncio.get_running_loop())
        registry = Registry(store=store, clock=clock, resources=catalog.build(),
                            hooks=registry_hooks())
        await registry["namespaces"].create({"metadata": {"name": "default"}})
        recorder = EventRecorder(LocalClient(registry, manager="t"),
                                 component="replicaset-controller")
        await script(recorder, clock)
        return [r.object() for r in store.list("events")]
    return asyncio.run(scenario())


def test_repeats_are_counted() -> None:
    async def script(recorder: EventRecorder, clock: Clock) -> None:
        for _ in range(3):
            await recorder.event(OWNER, reason="Scaled", message="same")

    (event,) = _events(script)
    assert event["count"] == 3 and event["source"] == {"component": "replicaset-controller"}


def test_similar_events_are_combined_after_ten() -> None:
    async def script(recorder: EventRecorder, clock: Clock) -> None:
        for i in range(15):
            await recorder.event(OWNER, reason="SuccessfulCreate", message=f"Created pod: p{i}")

    events = _events(script)
    assert len(events) == 11
    combined = [e for e in events if e["message"].startswith("(combined from similar")]
    assert len(combined) == 1
    assert combined[0]["count"] == 5
    assert combined[0]["message"] == "(combined from similar events): Created pod: p14"


def test_spam_filter_holds_a_source_to_25_then_one_per_five_minutes() -> None:
    async def script(recorder: EventRecorder, clock: Clock) -> None:
        for i in range(40):
            await recorder.event(OWNER, reason=f"R{i}", message="m")
        clock.advance(301)
        await recorder.event(OWNER, reason="Later", message="m")
        await recorder.event(OWNER, reason="TooSoon", message="m")

    reasons = {e["reason"] for e in _events(script)}
    assert len(reasons) == 26 and "Later" in reasons and "TooSoon" not in reasons
