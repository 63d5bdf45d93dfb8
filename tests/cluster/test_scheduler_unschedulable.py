"""Pods no node can take: the FailedScheduling text, the PodScheduled condition, and retries.

The module's cluster has exactly the three nodes of a kind cluster (kit-control-plane,
tainted, and two workers), so the messages can be compared word for word with what
kube-scheduler 1.32 prints.  Tests that cordon or label a node put it back afterwards.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from kubernetes import client

from tests.cluster.scheduler_lab import (kind_nodes, kubectl, node_of, plain_pod,
                                         scheduled_condition, scheduler_events, wait_for,
                                         wait_scheduled, wait_unschedulable)
from tests.conftest import example

TAINTED_CONTROL_PLANE = ("1 node(s) had untolerated taint "
                         "{node-role.kubernetes.io/control-plane: }")
SELECTOR_MESSAGE = (f"0/3 nodes are available: {TAINTED_CONTROL_PLANE}, 2 node(s) didn't "
                    "match Pod's node affinity/selector. preemption: 0/3 nodes are available: "
                    "3 Preemption is not helpful for scheduling.")
CPU_MESSAGE = (f"0/3 nodes are available: {TAINTED_CONTROL_PLANE}, 2 Insufficient cpu. "
               "preemption: 0/3 nodes are available: 1 Preemption is not helpful for "
               "scheduling, 2 No preemption victims found for incoming pod.")
BIG = [{"name": "main", "image": "nginx:1.25", "resources": {"requests": {"cpu": "100"}}}]


@pytest.fixture(scope="module")
def core(sim: Any, api_client: Any) -> client.CoreV1Api:
    kind_nodes(sim, api_client)
    return client.CoreV1Api(api_client)


def describe_events(sim: Any, kubectl_path: str, namespace: str, name: str) -> list[str]:
    out = kubectl(sim, kubectl_path, "describe", "pod", name, "-n", namespace)
    return out.split("Events:", 1)[1].splitlines()


def nudge(core: client.CoreV1Api, namespace: str, name: str) -> None:
    """Run a small pod and delete it: a pod leaving a node is a cluster event the queue
    answers by retrying pods that lacked resources."""
    core.create_namespaced_pod(namespace, plain_pod(name))
    wait_scheduled(core, namespace, name)
    core.delete_namespaced_pod(name, namespace, grace_period_seconds=0)


def test_node_selector_nobody_matches(sim: Any, core: client.CoreV1Api, namespace: str,
                                      kubectl_path: str) -> None:
    core.create_namespaced_pod(namespace, plain_pod("picky", nodeSelector={"disktype": "ssd"}))
    condition = wait_unschedulable(core, namespace, "picky")
    assert condition.status == "False"
    assert condition.message == SELECTOR_MESSAGE
    assert node_of(core, namespace, "picky") == ""
    (event,) = wait_for(lambda: scheduler_events(core, namespace, "picky", "FailedScheduling"))
    assert event.type == "Warning" and event.message == SELECTOR_MESSAGE
    assert event.reporting_component == "default-scheduler"
    assert event.reporting_instance == "default-scheduler-kit-control-plane"
    assert event.action == "Scheduling" and event.event_time is not None
    lines = describe_events(sim, kubectl_path, namespace, "picky")
    assert any(re.match(r"\s+Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+"
                        + re.escape(SELECTOR_MESSAGE) + "$", line) for line in lines), lines
    table = kubectl(sim, kubectl_path, "get", "pod", "picky", "-n", namespace)
    assert re.search(r"picky\s+0/1\s+Pending", table)


def test_insufficient_cpu(sim: Any, core: client.CoreV1Api, namespace: str,
                          kubectl_path: str) -> None:
    core.create_namespaced_pod(namespace, plain_pod("big", containers=BIG))
    assert wait_unschedulable(core, namespace, "big").message == CPU_MESSAGE
    out = kubectl(sim, kubectl_path, "describe", "pod", "big", "-n", namespace)
    assert "PodScheduled   False" in out
    assert CPU_MESSAGE in out


def test_repeated_failures_become_a_series(sim: Any, core: client.CoreV1Api, namespace: str,
                                           kubectl_path: str) -> None:
    core.create_namespaced_pod(namespace, plain_pod("big", containers=BIG))
    wait_unschedulable(core, namespace, "big")
    # Each retry fails the same way.  The first event is about the pod as first seen; the
    # scheduler's condition update gave it a new resourceVersion, so the second attempt
    # records a second event, and the third becomes that event's series.
    nudge(core, namespace, "nudge-1")
    wait_for(lambda: len(scheduler_events(core, namespace, "big", "FailedScheduling")) == 2,
             what="a second FailedScheduling event")
    nudge(core, namespace, "nudge-2")

    def series() -> Any:
        found = [e for e in scheduler_events(core, namespace, "big", "FailedScheduling")
                 if e.series is not None]
        return found[0] if found else None

    assert wait_for(series, what="a series").series.count == 2
    assert len(scheduler_events(core, namespace, "big", "FailedScheduling")) == 2
    lines = describe_events(sim, kubectl_path, namespace, "big")
    assert any("(x2 over" in line and "FailedScheduling" in line for line in lines), lines


def test_cordon_then_uncordon(sim: Any, core: client.CoreV1Api, namespace: str,
                              kubectl_path: str) -> None:
    kubectl(sim, kubectl_path, "cordon", "kit-worker")
    kubectl(sim, kubectl_path, "cordon", "kit-worker2")
    try:
        assert core.read_node("kit-worker").spec.unschedulable is True
        core.create_namespaced_pod(namespace, plain_pod("waiting"))
        condition = wait_unschedulable(core, namespace, "waiting")
        assert condition.message == (
            f"0/3 nodes are available: {TAINTED_CONTROL_PLANE}, 2 node(s) were unschedulable. "
            "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
        kubectl(sim, kubectl_path, "uncordon", "kit-worker2")
        assert wait_scheduled(core, namespace, "waiting") == "kit-worker2"
        assert scheduled_condition(core, namespace, "waiting").status == "True"
    finally:
        kubectl(sim, kubectl_path, "uncordon", "kit-worker")
        kubectl(sim, kubectl_path, "uncordon", "kit-worker2")


def test_pod_waits_for_a_label(sim: Any, core: client.CoreV1Api, namespace: str,
                               kubectl_path: str) -> None:
    # The docs' example: a pod for nodes with disktype=ssd, then a node labelled so.
    kubectl(sim, kubectl_path, "apply", "-n", namespace, "-f", str(example("pods/pod-nginx.yaml")))
    assert wait_unschedulable(core, namespace, "nginx").message == SELECTOR_MESSAGE
    kubectl(sim, kubectl_path, "label", "nodes", "kit-worker", "disktype=ssd")
    try:
        assert wait_scheduled(core, namespace, "nginx") == "kit-worker"
        (event,) = wait_for(lambda: scheduler_events(core, namespace, "nginx", "Scheduled"))
        assert event.type == "Normal" and event.action == "Binding"
        assert event.message == f"Successfully assigned {namespace}/nginx to kit-worker"
        lines = describe_events(sim, kubectl_path, namespace, "nginx")
        assert any(re.match(r"\s+Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully "
                            rf"assigned {namespace}/nginx to kit-worker$", line)
                   for line in lines), lines
        assert scheduled_condition(core, namespace, "nginx").status == "True"
    finally:
        kubectl(sim, kubectl_path, "label", "nodes", "kit-worker", "disktype-")
