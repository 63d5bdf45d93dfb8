"""Queueing hints: which node events bring an unschedulable pod back, on a paused clock.

The scheduler's node handler is driven with Node objects as the kubelet and kubectl write
them; the pod's place in the queue says whether it was woken.  Nothing waits in real time.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from kitlib.sim.clock import Clock
from kitlib.sim.scheduler.algorithm import schedule_pod
from kitlib.sim.scheduler.cache import Cache
from kitlib.sim.scheduler.podinfo import pod_info
from kitlib.sim.scheduler.queue import QueuedPod, SchedulingQueue
from kitlib.sim.scheduler.scheduler import Scheduler
from kitlib.sim.store.records import make_record

JSON = dict[str, Any]
CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def node(name: str, *, labels: JSON | None = None, taints: list[JSON] | None = None,
         cpu: str = "8", heartbeat: str = "2025-01-01T00:00:00Z") -> JSON:
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name,
                                                  **(labels or {})}},
            "spec": {"taints": taints} if taints else {},
            "status": {"allocatable": {"cpu": cpu, "memory": "16Gi", "pods": "110"},
                       "conditions": [{"type": "Ready", "status": "True",
                                       "reason": "KubeletReady",
                                       "lastHeartbeatTime": heartbeat,
                                       "lastTransitionTime": "2025-01-01T00:00:00Z"}]}}


def pod(name: str, **spec: Any) -> JSON:
    return {"metadata": {"name": name, "namespace": "default", "uid": name,
                         "resourceVersion": "1"},
            "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec}}


class Lab:
    """The scheduler's cache and queue, fed through its own node handler."""

    def __init__(self) -> None:
        self.clock = Clock(seed=1)
        self.clock.pause()
        self.scheduler = Scheduler.__new__(Scheduler)
        self.scheduler.cache = Cache()
        self.scheduler.queue = SchedulingQueue(self.clock)
        self.rv = 0
        self.records: dict[str, Any] = {}

    def node(self, obj: JSON) -> None:
        self.rv += 1
        name = obj["metadata"]["name"]
        prev = self.records.get(name)
        record = make_record(copy.deepcopy(obj), rv=self.rv, fields={}, prev=prev)
        self.records[name] = record
        self.scheduler._on_node("ADDED" if prev is None else "MODIFIED", record, prev)

    def fail(self, obj: JSON) -> QueuedPod:
        """Queue the pod and run one scheduling attempt, which must find no node."""
        queue = self.scheduler.queue
        queue.add(pod_info(obj, keep_source=True))
        queued = queue.pop_nowait()
        assert queued is not None
        decision = schedule_pod(queued.pod, self.scheduler.cache.node_list(),
                                rng=random.Random(1))
        assert decision.node == "", decision
        queue.unschedulable_now(queued, decision.plugins)
        return queued


@pytest.fixture
def lab() -> Lab:
    lab = Lab()
    lab.node(node("kit-control-plane", taints=[CONTROL_PLANE_TAINT]))
    lab.node(node("kit-worker"))
    return lab


def test_heartbeats_do_not_wake_an_unschedulable_pod(lab: Lab) -> None:
    waiting = lab.fail(pod("picky", nodeSelector={"disktype": "ssd"}))
    assert waiting.where == "unschedulable"
    assert waiting.plugins == {"TaintToleration", "NodeAffinity"}
    for second in range(1, 6):
        lab.clock.advance(10)
        lab.node(node("kit-worker", heartbeat=f"2025-01-01T00:00:{second * 10}Z"))
    assert waiting.where == "unschedulable"
    assert lab.scheduler.queue.pop_nowait() is None


def test_a_label_the_selector_asks_for_wakes_the_pod(lab: Lab) -> None:
    waiting = lab.fail(pod("picky", nodeSelector={"disktype": "ssd"}))
    lab.node(node("kit-worker", labels={"team": "blue"}))      # no help: stays
    assert waiting.where == "unschedulable"
    lab.clock.advance(5)                                         # past its 1 s back-off
    lab.node(node("kit-worker", labels={"disktype": "ssd"}))
    assert waiting.where == "active"
    again = lab.scheduler.queue.pop_nowait()
    assert again is waiting
    decision = schedule_pod(again.pod, lab.scheduler.cache.node_list(), rng=random.Random(1))
    assert decision.node == "kit-worker"


def test_a_woken_pod_within_its_back_off_waits_for_it(lab: Lab) -> None:
    waiting = lab.fail(pod("picky", nodeSelector={"disktype": "ssd"}))
    lab.node(node("kit-worker", labels={"disktype": "ssd"}))
    assert waiting.where == "backoff"
    lab.scheduler.queue.flush_backoff()
    assert waiting.where == "backoff"
    lab.clock.advance(1)
    lab.scheduler.queue.flush_backoff()
    assert waiting.where == "active"


def test_only_the_rejecting_plugins_are_asked(lab: Lab) -> None:
    big = [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "12"}}}]
    waiting = lab.fail(pod("big", containers=big))
    assert waiting.plugins == {"TaintToleration", "NodeResourcesFit"}
    # New labels on a worker: neither plugin could now pass there.
    lab.node(node("kit-worker", labels={"disktype": "ssd"}))
    lab.node(node("kit-worker", labels={"disktype": "hdd", "team": "blue"}))
    assert waiting.where == "unschedulable"
    lab.node(node("kit-worker", cpu="16"))                       # grew: it fits now
    assert waiting.where in ("active", "backoff")


def test_a_taint_gone_wakes_the_pod_the_taint_rejected(lab: Lab) -> None:
    big = [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "12"}}}]
    waiting = lab.fail(pod("big", containers=big))
    # TaintToleration answers for itself: the control plane lost the taint it was
    # rejected for, so the pod is tried again (and will fail on resources: a real retry).
    lab.node(node("kit-control-plane"))
    assert waiting.where in ("active", "backoff")


def test_a_new_node_it_fits_wakes_the_pod(lab: Lab) -> None:
    waiting = lab.fail(pod("picky", nodeSelector={"disktype": "ssd"}))
    lab.node(node("kit-worker2", taints=[{"key": "x", "effect": "NoSchedule"}],
                  labels={"disktype": "ssd"}))
    # NodeAffinity passes on the new node (TaintToleration does not, but one is enough).
    assert waiting.where in ("active", "backoff")


def test_after_five_minutes_the_pod_is_retried_anyway(lab: Lab) -> None:
    waiting = lab.fail(pod("picky", nodeSelector={"disktype": "ssd"}))
    queue = lab.scheduler.queue
    lab.clock.advance(299)
    queue.flush_unschedulable_leftover()
    assert waiting.where == "unschedulable"
    lab.clock.advance(2)
    queue.flush_unschedulable_leftover()
    assert waiting.where == "active"
    assert queue.pop_nowait() is waiting


def test_a_pending_pod_keeps_a_digest_that_only_scheduling_changes_move() -> None:
    first = pod("p", nodeSelector={"disktype": "ssd"})
    written = copy.deepcopy(first)
    written["status"] = {"conditions": [{"type": "PodScheduled", "status": "False"}]}
    written["metadata"]["resourceVersion"] = "2"
    relabelled = copy.deepcopy(first)
    relabelled["metadata"]["labels"] = {"app": "web"}
    reselected = copy.deepcopy(first)
    reselected["spec"]["nodeSelector"] = {"disktype": "hdd"}
    digests = [pod_info(p, keep_source=True).source for p in (first, written, relabelled,
                                                                reselected)]
    assert isinstance(digests[0], bytes) and len(digests[0]) == 16
    assert digests[0] == digests[1]
    assert len({digests[0], digests[2], digests[3]}) == 3
    assert pod_info(first).source is None
