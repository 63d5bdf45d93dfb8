"""A high-priority pod that does not fit evicts a lower-priority one, and takes its place."""

from __future__ import annotations

from typing import Any

from kubernetes import client

from tests.cluster.scheduler_lab import (kind_nodes, plain_pod, scheduler_events, wait_for,
                                         wait_scheduled)


def hungry(name: str, **spec: Any) -> dict[str, Any]:
    return plain_pod(name, nodeSelector={"kubernetes.io/hostname": "kit-worker"},
                     terminationGracePeriodSeconds=0, containers=[
                         {"name": "main", "image": "nginx:1.25",
                          "resources": {"requests": {"cpu": "7"}}}], **spec)


def test_preemption(sim: Any, api_client: Any, namespace: str) -> None:
    kind_nodes(sim, api_client)
    core = client.CoreV1Api(api_client)
    core.create_namespaced_pod(namespace, hungry("low"))
    assert wait_scheduled(core, namespace, "low") == "kit-worker"
    low_uid = core.read_namespaced_pod("low", namespace).metadata.uid
    core.create_namespaced_pod(namespace, hungry("high",
                                                 priorityClassName="system-cluster-critical"))
    high = core.read_namespaced_pod("high", namespace)
    (preempted,) = wait_for(lambda: scheduler_events(core, namespace, "low", "Preempted"),
                            what="the Preempted event")
    assert preempted.message == f"Preempted by pod {high.metadata.uid} on node kit-worker"
    assert preempted.involved_object.uid == low_uid
    assert preempted.action == "Preempting" and preempted.related.name == "high"
    (failed, *_) = scheduler_events(core, namespace, "high", "FailedScheduling")
    assert "preemption:" not in failed.message           # preemption found a way
    assert wait_scheduled(core, namespace, "high", timeout=60) == "kit-worker"
    names = [p.metadata.name for p in core.list_namespaced_pod(namespace).items]
    assert "low" not in names
