"""Pod anti-affinity and topology spread constraints on a three-node kind cluster."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from kubernetes import client

from tests.cluster.scheduler_lab import kind_nodes, wait_for, wait_unschedulable

HOST = "kubernetes.io/hostname"


@pytest.fixture(scope="module")
def apis(sim: Any, api_client: Any) -> tuple[client.CoreV1Api, client.AppsV1Api]:
    kind_nodes(sim, api_client)
    return client.CoreV1Api(api_client), client.AppsV1Api(api_client)


def deployment(name: str, replicas: int, **spec: Any) -> dict[str, Any]:
    labels = {"app": name}
    return {"metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels}, "spec": {
                         "containers": [{"name": "c", "image": "nginx:1.25"}], **spec}}}}


def placement(core: client.CoreV1Api, namespace: str, app: str) -> tuple[Counter[str], list[str]]:
    pods = core.list_namespaced_pod(namespace, label_selector=f"app={app}").items
    return (Counter(p.spec.node_name for p in pods if p.spec.node_name),
            [p.metadata.name for p in pods if not p.spec.node_name])


def test_one_replica_per_node(apis: Any, namespace: str) -> None:
    core, apps = apis
    apps.create_namespaced_deployment(namespace, deployment("solo", 3, affinity={
        "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
            {"labelSelector": {"matchLabels": {"app": "solo"}}, "topologyKey": HOST}]}}))

    def settled() -> Any:
        nodes, pending = placement(core, namespace, "solo")
        return (nodes, pending) if sum(nodes.values()) == 2 and len(pending) == 1 else None

    nodes, (pending,) = wait_for(settled, what="two replicas placed, one pending")
    assert nodes == {"kit-worker": 1, "kit-worker2": 1}
    assert wait_unschedulable(core, namespace, pending).message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod anti-affinity "
        "rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for "
        "scheduling, 2 No preemption victims found for incoming pod.")


def test_spread_constraint_with_max_skew(apis: Any, namespace: str) -> None:
    core, apps = apis
    apps.create_namespaced_deployment(namespace, deployment("even", 5, topologySpreadConstraints=[
        {"maxSkew": 1, "topologyKey": HOST, "whenUnsatisfiable": "DoNotSchedule",
         "labelSelector": {"matchLabels": {"app": "even"}}}]))

    # A classic surprise: the tainted control plane is still a domain (nodeTaintsPolicy
    # defaults to Ignore) and holds none, so each worker may hold only maxSkew = 1.
    def settled() -> Any:
        nodes, pending = placement(core, namespace, "even")
        return (nodes, pending) if sum(nodes.values()) == 2 and len(pending) == 3 else None

    nodes, pending = wait_for(settled, what="two placed, three waiting")
    assert nodes == {"kit-worker": 1, "kit-worker2": 1}
    assert wait_unschedulable(core, namespace, pending[0]).message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod topology spread "
        "constraints. preemption: 0/3 nodes are available: 1 Preemption is not helpful for "
        "scheduling, 2 No preemption victims found for incoming pod.")
