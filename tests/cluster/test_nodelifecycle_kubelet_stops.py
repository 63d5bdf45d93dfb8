"""The course's failure drill: a worker's kubelet dies under a Deployment behind a Service.

Within the grace period nothing happens; then the node turns NotReady and its pods drop
out of the Service's ready endpoints; 300 s later they are evicted (and stay Terminating,
since no kubelet is there to finish), the ReplicaSet replaces them on the other worker,
and the Service is back to three ready endpoints.  When the kubelet returns, the node is
Ready and untainted again and the kubelet finishes off the evicted pods.
"""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes import client

from tests.cluster.netlab import addresses, advance, advance_until, endpoints_of, wait_for

UNREACHABLE = "node.kubernetes.io/unreachable"


def fleet_call(sim: Any, method: str, node: str) -> None:
    async def call() -> None:
        getattr(sim.cluster.fleet, method)(node)

    sim.call(call())


def test_pods_of_a_dead_kubelet_are_replaced(api_client: Any, sim: Any, namespace: str) -> None:
    if getattr(sim.cluster, "fleet", None) is None:
        pytest.skip("the kubelet fleet is not part of this cluster")
    core, apps = client.CoreV1Api(api_client), client.AppsV1Api(api_client)
    workers = [k for k in sim.cluster.fleet.kubelets if "worker" in k]
    if len(workers) < 2:
        pytest.skip("needs two workers")
    labels = {"app": "drill"}
    apps.create_namespaced_deployment(namespace, {
        "metadata": {"name": "drill"},
        "spec": {"replicas": 3, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}}})
    core.create_namespaced_service(namespace, {"metadata": {"name": "drill"}, "spec": {
        "selector": labels, "ports": [{"port": 80}]}})

    def pods() -> list[Any]:
        return core.list_namespaced_pod(namespace, label_selector="app=drill").items

    wait_for(lambda: len(addresses(endpoints_of(core, namespace, "drill"))) == 3, timeout=60,
             what="3 ready endpoints")
    victim = next(p.spec.node_name for p in pods() if p.spec.node_name in workers)
    lost = {p.metadata.name for p in pods() if p.spec.node_name == victim}
    fleet_call(sim, "stop_kubelet", victim)

    def ready(node: str) -> str:
        return next(c.status for c in core.read_node(node).status.conditions if c.type == "Ready")

    advance(sim, 60)
    advance_until(sim, lambda: ready(victim) == "Unknown", step=1, what="NotReady")
    assert all(ready(n) == "True" for n in sim.cluster.fleet.kubelets if n != victim)
    wait_for(lambda: len(addresses(endpoints_of(core, namespace, "drill"),
                                   "notReadyAddresses")) == len(lost), what="lost not ready")
    advance_until(sim, lambda: any(t.key == UNREACHABLE and t.effect == "NoExecute"
                                   for t in core.read_node(victim).spec.taints or []),
                  what="NoExecute taint")
    advance(sim, 300)

    def replaced() -> bool:
        current = pods()
        gone = {p.metadata.name for p in current if p.metadata.deletion_timestamp}
        ready_ips = addresses(endpoints_of(core, namespace, "drill"))
        live = [p for p in current if not p.metadata.deletion_timestamp]
        return (gone == lost and len(ready_ips) == 3
                and all(p.spec.node_name != victim for p in live))

    wait_for(replaced, timeout=60, what="replacements on the other nodes")
    assert all(ready(n) == "True" for n in sim.cluster.fleet.kubelets if n != victim)
    fleet_call(sim, "start_kubelet", victim)
    advance_until(sim, lambda: ready(victim) == "True" and not any(
        t.key == UNREACHABLE for t in core.read_node(victim).spec.taints or []),
        what="the node back, untainted")
    wait_for(lambda: not ({p.metadata.name for p in pods()} & lost), timeout=60,
             what="the kubelet to finish the evicted pods")


def test_an_instructors_two_jumps_are_enough(api_client: Any, sim: Any, namespace: str) -> None:
    """``kit node stop``, ``kit clock advance 60s``, ``kit clock advance 300s``: the node is
    tainted soon after the first jump (NoExecute one monitor period, 5 s, after it was
    marked Unknown, as in kube-controller-manager) and its pods evicted at the second,
    with no steps between (the clock is not moved again while waiting)."""
    if getattr(sim.cluster, "fleet", None) is None:
        pytest.skip("the kubelet fleet is not part of this cluster")
    core = client.CoreV1Api(api_client)
    workers = [k for k in sim.cluster.fleet.kubelets if "worker" in k]
    victim = workers[-1]
    core.create_namespaced_pod(namespace, {
        "metadata": {"name": "stranded"},
        "spec": {"nodeName": victim, "containers": [{"name": "web", "image": "nginx:1.25"}]}})
    wait_for(lambda: core.read_namespaced_pod("stranded", namespace).status.phase == "Running",
             what="the pod running")
    fleet_call(sim, "stop_kubelet", victim)
    try:
        advance(sim, 60)
        wait_for(lambda: any(t.key == UNREACHABLE and t.effect == "NoExecute"
                             for t in core.read_node(victim).spec.taints or []),
                 timeout=10, what="the NoExecute taint after one jump")
        advance(sim, 300)
        wait_for(lambda: core.read_namespaced_pod("stranded", namespace).metadata
                 .deletion_timestamp is not None, timeout=10, what="the pod evicted")
    finally:
        fleet_call(sim, "start_kubelet", victim)
        advance_until(sim, lambda: not any(
            t.key == UNREACHABLE for t in core.read_node(victim).spec.taints or []),
            what="the node back, untainted")
