"""A thousand replicas, and the same placements from the same seed."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest
from kubernetes import client

from tests.cluster.scheduler_lab import LAB_KEY, lab_node, wait_for


@pytest.mark.slow
def test_a_thousand_replicas_on_ten_nodes(sim: Any, api_client: Any, namespace: str) -> None:
    nodes = [lab_node(sim, api_client, f"scale-{i}", lab="scale", pods="250")
             for i in range(10)]
    client.AppsV1Api(api_client).create_namespaced_replica_set(namespace, {
        "metadata": {"name": "many"},
        "spec": {"replicas": 1000, "selector": {"matchLabels": {"app": "many"}},
                 "template": {"metadata": {"labels": {"app": "many"}}, "spec": {
                     "containers": [{"name": "c", "image": "nginx:1.25"}],
                     "nodeSelector": {LAB_KEY: "scale"},
                     "tolerations": [{"key": LAB_KEY, "operator": "Exists"}]}}}})
    core = client.CoreV1Api(api_client)

    def all_bound() -> bool:
        # Cheap to ask: one pending pod at most, by field selector.
        pending = core.list_namespaced_pod(namespace, label_selector="app=many",
                                           field_selector="spec.nodeName=", limit=1)
        if pending.items:
            return False
        total = core.list_namespaced_pod(namespace, label_selector="app=many", limit=1)
        return (total.metadata.remaining_item_count or 0) + len(total.items) == 1000

    wait_for(all_bound, timeout=120, what="a thousand scheduled replicas")
    pods = core.list_namespaced_pod(namespace, label_selector="app=many").items
    count = Counter(p.spec.node_name for p in pods)
    assert set(count) == set(nodes)
    assert max(count.values()) - min(count.values()) <= 1


def _placements(seed: int) -> list[str]:
    """Start a cluster, give it nodes and pods in a fixed order, return where they went."""
    from kitlib.sim.cluster import SimConfig, ThreadedCluster

    async def scenario(cluster: Any) -> list[str]:
        local = cluster.context.client("test")
        for i in range(4):
            name = f"n{i}"
            await local.create("nodes", {"apiVersion": "v1", "kind": "Node", "metadata": {
                "name": name, "labels": {"kubernetes.io/hostname": name, "det": "yes"}}})

            def status(node: dict[str, Any]) -> None:
                node["status"] = {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"}}
            await local.mutate("nodes", name=name, change=status, subresource="status")
        placed: list[str] = []
        for i in range(24):
            await local.create("pods", {"apiVersion": "v1", "kind": "Pod",
                                        "metadata": {"name": f"p{i}"},
                                        "spec": {"containers": [{"name": "c", "image": "x"}],
                                                 # Only these nodes, whatever else exists
                                                 # (the kubelets' nodes come and go).
                                                 "nodeSelector": {"det": "yes"}}},
                               namespace="default")
            for _ in range(2000):               # wait for it to be bound before the next
                record = cluster.store.get("pods", "default", f"p{i}")
                if record.fields.get("spec.nodeName"):
                    placed.append(record.fields["spec.nodeName"])
                    break
                await asyncio.sleep(0.005)
        return placed

    with ThreadedCluster(SimConfig(seed=seed)) as sim:
        return sim.call(scenario(sim.cluster), timeout=60)


def test_same_seed_same_nodes() -> None:
    first = _placements(7)
    assert len(first) == 24 and len(set(first)) == 4
    assert _placements(7) == first
