"""The scheduler's events.k8s.io-style events: shape, and how repeats become a series."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

from kitlib.sim.clock import Clock
from kitlib.sim.scheduler.events import SchedulerEvents

JSON = dict[str, Any]


class FakeClient:
    """Just the two verbs the recorder uses, over a dict of events."""

    def __init__(self) -> None:
        self.events: dict[str, JSON] = {}
        self.writes: list[str] = []

    async def create(self, resource: str, obj: JSON, *, namespace: str | None = None) -> JSON:
        self.events[obj["metadata"]["name"]] = obj
        self.writes.append("create")
        return obj

    async def mutate(self, resource: str, *, namespace: str = "", name: str,
                     change: Callable[[JSON], None], **_: Any) -> JSON | None:
        event = self.events.get(name)
        if event is None:
            return None
        change(event)
        self.writes.append("patch")
        return event


def pod_ref(rv: str = "10") -> JSON:
    return {"kind": "Pod", "namespace": "default", "name": "nginx", "uid": "u-1",
            "apiVersion": "v1", "resourceVersion": rv}


def recorder() -> tuple[SchedulerEvents, FakeClient, Clock]:
    clock = Clock(seed=1)
    clock.pause()
    client = FakeClient()
    events = SchedulerEvents(client, clock, controller="default-scheduler",  # type: ignore
                             instance="default-scheduler-kit-control-plane")
    return events, client, clock


def fail(events: SchedulerEvents, rv: str = "10", note: str = "0/3 nodes are available") -> None:
    asyncio.run(events.emit(pod_ref(rv), type="Warning", reason="FailedScheduling",
                            action="Scheduling", note=note))


def test_event_shape() -> None:
    events, client, _ = recorder()
    asyncio.run(events.emit(pod_ref(), type="Normal", reason="Scheduled", action="Binding",
                            note="Successfully assigned default/nginx to kit-worker"))
    (event,) = client.events.values()
    assert event["metadata"]["name"].startswith("nginx.")
    assert event["metadata"]["namespace"] == "default"
    assert event["involvedObject"] == pod_ref()
    assert event["reportingComponent"] == "default-scheduler"
    assert event["reportingInstance"] == "default-scheduler-kit-control-plane"
    assert event["action"] == "Binding" and event["type"] == "Normal"
    assert event["eventTime"].endswith("Z") and "." in event["eventTime"]
    assert event["firstTimestamp"] is None and "count" not in event


def test_repeats_become_a_series_written_twice() -> None:
    events, client, clock = recorder()
    fail(events)
    clock.advance(10)
    fail(events, note="another text: the note is not part of the key")
    (event,) = client.events.values()
    assert event["series"]["count"] == 2
    assert client.writes == ["create", "patch"]
    for _ in range(3):
        clock.advance(10)
        fail(events)
    assert event["series"]["count"] == 2        # counted in memory only
    assert client.writes == ["create", "patch"]
    clock.advance(400)
    asyncio.run(events.finish_series())         # the series ended: its final count is written
    assert event["series"]["count"] == 5
    assert event["message"] == "0/3 nodes are available"


def test_a_new_resource_version_starts_a_new_event() -> None:
    events, client, _ = recorder()
    fail(events, rv="10")
    fail(events, rv="11")       # the scheduler's own condition update moved the pod on
    assert len(client.events) == 2
    assert all("series" not in e for e in client.events.values())


def test_refresh_writes_running_counts() -> None:
    events, client, clock = recorder()
    for _ in range(4):
        fail(events)
        clock.advance(1)
    asyncio.run(events.refresh_series())
    (event,) = client.events.values()
    assert event["series"]["count"] == 4
