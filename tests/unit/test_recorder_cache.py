"""The event correlator's memory: bounded as client-go's LRU caches, forgetting only what
no longer changes what it does."""

from __future__ import annotations

from typing import Any

import pytest

from kitlib.sim import recorder as recorder_module
from kitlib.sim.clock import Clock
from kitlib.sim.recorder import EventRecorder

from tests.unit.test_recorder import _events


def pod(name: str, *, uid: bool = True) -> dict[str, Any]:
    meta = {"name": name, "namespace": "default", **({"uid": f"uid-{name}"} if uid else {})}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta}


def counts(events: list[dict]) -> dict[str, int]:
    return {f'{e["involvedObject"]["name"]}/{e["reason"]}': e["count"] for e in events}


def test_the_least_recently_used_object_is_forgotten_beyond_the_cache_size(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recorder_module, "CACHE_SIZE", 3)
    held: list[int] = []

    async def script(recorder: EventRecorder, clock: Clock) -> None:
        for name in ("a", "b", "c"):
            await recorder.event(pod(name), reason="Started", message="m")
        await recorder.event(pod("a"), reason="Started", message="m")      # a: most recent
        await recorder.event(pod("d"), reason="Started", message="m")      # b goes
        held.append(len(recorder._objects))
        await recorder.event(pod("a"), reason="Started", message="m")      # counted: 3
        await recorder.event(pod("b"), reason="Started", message="m")      # a new event

    events = _events(script)
    assert held == [3]
    assert counts([e for e in events if e["involvedObject"]["name"] != "b"]) == \
        {"a/Started": 3, "c/Started": 1, "d/Started": 1}
    assert sorted(e["count"] for e in events if e["involvedObject"]["name"] == "b") == [1, 1]


def test_stale_objects_are_forgotten_and_repeats_after_the_window_are_new_events() -> None:
    held: list[int] = []

    async def script(recorder: EventRecorder, clock: Clock) -> None:
        for name in ("a", "b"):
            await recorder.event(pod(name), reason="Started", message="m")
        clock.advance(601)
        await recorder.event(pod("a"), reason="Started", message="m")      # too late: new
        clock.advance(700)                   # stale, and their buckets filled up again
        await recorder.event(pod("c"), reason="Started", message="m")
        held.append(len(recorder._objects))

    events = _events(script)
    assert held == [1]
    assert sorted((e["involvedObject"]["name"], e["count"]) for e in events) == \
        [("a", 1), ("a", 1), ("b", 1), ("c", 1)]


def test_an_object_held_by_the_spam_filter_is_not_forgotten_while_its_bucket_refills(
        ) -> None:
    async def script(recorder: EventRecorder, clock: Clock) -> None:
        for i in range(30):
            await recorder.event(pod("a"), reason=f"R{i}", message="m")
        clock.advance(700)                   # stale keys, but only 2 tokens back
        await recorder.event(pod("b"), reason="Started", message="m")
        for i in range(5):
            await recorder.event(pod("a"), reason=f"Later{i}", message="m")

    reasons = [e["reason"] for e in _events(script) if e["involvedObject"]["name"] == "a"]
    assert len(reasons) == 27 and reasons.count("Later0") == reasons.count("Later1") == 1


def test_combining_keeps_counting_without_keeping_every_message() -> None:
    keys: list[Any] = []

    async def script(recorder: EventRecorder, clock: Clock) -> None:
        owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
                 "metadata": {"name": "web", "namespace": "default", "uid": "u1"}}
        for i in range(20):       # 25 at most get past the spam filter
            await recorder.event(owner, reason="SuccessfulCreate", message=f"Created pod: p{i}")
        await recorder.event(owner, reason="SuccessfulCreate", message="Created pod: p3")
        (known,) = recorder._objects.values()
        keys.extend(known.keys)

    events = _events(script)
    (combined,) = [e for e in events if e["message"].startswith("(combined")]
    assert len(events) == 11 and combined["count"] == 11
    assert combined["message"] == "(combined from similar events): Created pod: p3"
    (key,) = keys
    assert key.combining and not isinstance(key.more, dict), "the messages are not kept"


def test_references_without_a_uid_are_told_apart_by_kind_namespace_and_name() -> None:
    async def script(recorder: EventRecorder, clock: Clock) -> None:
        for name in ("a", "a", "b"):
            await recorder.event(pod(name, uid=False), reason="Started", message="m")

    assert counts(_events(script)) == {"a/Started": 2, "b/Started": 1}
