"""The scheduling queue: order, back-off, waking unschedulable pods, on a paused clock."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from kitlib.sim.clock import Clock
from kitlib.sim.scheduler.podinfo import pod_info
from kitlib.sim.scheduler.queue import QueuedPod, SchedulingQueue, backoff_seconds


def pod(name: str, *, priority: int = 0, gated: bool = False) -> Any:
    spec: dict[str, Any] = {"containers": [{"name": "c"}], "priority": priority}
    if gated:
        spec["schedulingGates"] = [{"name": "example.com/wait"}]
    return pod_info({"metadata": {"name": name, "namespace": "default", "uid": name,
                                  "resourceVersion": "1"}, "spec": spec})


@pytest.fixture
def clock() -> Clock:
    clock = Clock(seed=1)
    clock.pause()
    return clock


def pop(queue: SchedulingQueue) -> QueuedPod | None:
    return queue.pop_nowait()


def names(queue: SchedulingQueue) -> list[str]:
    out = []
    while (qp := pop(queue)) is not None:
        out.append(qp.pod.name)
    return out


def test_pop_waits_for_a_pod(clock: Clock) -> None:
    async def scenario() -> str:
        queue = SchedulingQueue(clock)
        waiter = asyncio.ensure_future(queue.pop())
        await asyncio.sleep(0)
        assert not waiter.done()
        queue.add(pod("a"))
        return (await asyncio.wait_for(waiter, 1)).pod.name
    assert asyncio.run(scenario()) == "a"


def test_backoff_doubles_up_to_ten_seconds() -> None:
    assert [backoff_seconds(n) for n in range(1, 7)] == [1, 2, 4, 8, 10, 10]


def test_higher_priority_first_then_oldest(clock: Clock) -> None:
    queue = SchedulingQueue(clock)
    queue.add(pod("a"))
    clock.advance(1)
    queue.add(pod("b", priority=10))
    queue.add(pod("c"))
    assert names(queue) == ["b", "a", "c"]


def test_unschedulable_pod_waits_for_an_event_then_backs_off(clock: Clock) -> None:
    queue = SchedulingQueue(clock)
    queue.add(pod("a"))
    qp = pop(queue)
    assert qp is not None and qp.attempts == 1
    queue.unschedulable_now(qp, frozenset({"NodeAffinity"}))
    clock.advance(30)
    queue.flush_backoff()
    assert pop(queue) is None                       # no event: it stays put
    assert queue.move(lambda q: "NodeResourcesFit" in q.plugins) == 0
    assert queue.move(lambda q: "NodeAffinity" in q.plugins) == 1
    assert pop(queue) is qp                         # its 1 s back-off is long over
    assert qp.attempts == 2


def test_a_woken_pod_still_backing_off_waits(clock: Clock) -> None:
    queue = SchedulingQueue(clock)
    queue.add(pod("a"))
    qp = pop(queue)
    assert qp is not None
    queue.unschedulable_now(qp, frozenset({"TaintToleration"}))
    queue.move(lambda q: True)
    assert pop(queue) is None
    clock.advance(1.0)
    queue.flush_backoff()
    assert pop(queue) is qp


def test_failure_without_plugins_retries_with_growing_backoff(clock: Clock) -> None:
    queue = SchedulingQueue(clock)
    queue.add(pod("a"))
    qp = pop(queue)
    waits = []
    for _ in range(6):
        assert qp is not None
        queue.unschedulable_now(qp, frozenset())     # e.g. "no nodes available"
        waited = 0.0
        while (again := pop(queue)) is None:
            clock.advance(0.5)
            waited += 0.5
            queue.flush_backoff()
        waits.append(waited)
        qp = again
    assert waits == [1, 2, 4, 8, 10, 10]


def test_leftover_unschedulable_pods_are_retried_after_five_minutes(clock: Clock) -> None:
    queue = SchedulingQueue(clock)
    queue.add(pod("a"))
    qp = pop(queue)
    assert qp is not None
    queue.unschedulable_now(qp, frozenset({"NodeAffinity"}))
    clock.advance(299)
    queue.flush_unschedulable_leftover()
    assert pop(queue) is None
    clock.advance(2)
    queue.flush_unschedulable_leftover()
    assert pop(queue) is qp


def test_gated_pods_wait_for_their_gates_to_go(clock: Clock) -> None:
    queue = SchedulingQueue(clock)
    queue.add(pod("a", gated=True))
    assert pop(queue) is None
    queue.update(pod("a"))
    popped = pop(queue)
    assert popped is not None and popped.pod.name == "a"


def test_deleted_and_bound_pods_leave_the_queue(clock: Clock) -> None:
    queue = SchedulingQueue(clock)
    queue.add(pod("a"))
    queue.add(pod("b"))
    queue.delete(("default", "a"))
    assert names(queue) == ["b"]
    assert len(queue) == 1          # b is in flight until the scheduler is done with it
    queue.delete(("default", "b"))
    assert len(queue) == 0


def test_an_update_of_an_unschedulable_pod_tries_it_again(clock: Clock) -> None:
    queue = SchedulingQueue(clock)
    queue.add(pod("a"))
    qp = pop(queue)
    assert qp is not None
    queue.unschedulable_now(qp, frozenset({"TaintToleration"}))
    clock.advance(5)
    queue.update(pod("a"))          # say, a toleration was added
    assert pop(queue) is qp


def test_moving_only_the_pods_a_plugin_rejected(clock: Clock) -> None:
    queue = SchedulingQueue(clock)
    for name, plugins in (("cpu", {"NodeResourcesFit"}), ("taint", {"TaintToleration"}),
                          ("both", {"NodeResourcesFit", "NodeAffinity"})):
        queue.add(pod(name))
        qp = pop(queue)
        assert qp is not None
        queue.unschedulable_now(qp, frozenset(plugins))
    clock.advance(5)
    assert queue.move_rejected_by(frozenset({"NodeResourcesFit", "NodePorts"})) == 2
    assert sorted(names(queue)) == ["both", "cpu"]
    assert list(queue.unschedulable) == [("default", "taint")]
    assert queue.move_rejected_by(frozenset({"NodeResourcesFit"})) == 0
