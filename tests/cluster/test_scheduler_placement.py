"""Where pods land: spreading, selectors, affinity, tolerations, ports, freed resources.

On the three nodes of a kind cluster, plus "lab" nodes that only pods tolerating their
taint can use (so a test can fill, add or change them without disturbing the others).
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import pytest
from kubernetes import client

from tests.cluster.scheduler_lab import (kind_nodes, lab_node, lab_pod, plain_pod,
                                         wait_for, wait_scheduled, wait_unschedulable)

_labs = itertools.count(1)


@pytest.fixture(scope="module")
def core(sim: Any, api_client: Any) -> client.CoreV1Api:
    kind_nodes(sim, api_client)
    return client.CoreV1Api(api_client)


@pytest.fixture
def lab() -> str:
    return f"lab{next(_labs)}"


def required(*terms: dict[str, Any]) -> dict[str, Any]:
    return {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": list(terms)}}}


def test_replicas_spread_over_the_workers(api_client: Any, core: client.CoreV1Api,
                                          namespace: str) -> None:
    apps = client.AppsV1Api(api_client)
    apps.create_namespaced_deployment(namespace, {
        "metadata": {"name": "web"},
        "spec": {"replicas": 6, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}}}})

    def placed() -> Counter[str] | None:
        pods = core.list_namespaced_pod(namespace, label_selector="app=web").items
        nodes = Counter(p.spec.node_name for p in pods if p.spec.node_name)
        return nodes if sum(nodes.values()) == 6 else None

    nodes = wait_for(placed, what="six scheduled replicas")
    assert nodes == {"kit-worker": 3, "kit-worker2": 3}


def test_bare_pods_never_land_on_the_control_plane(core: client.CoreV1Api,
                                                   namespace: str) -> None:
    for i in range(6):
        core.create_namespaced_pod(namespace, plain_pod(f"p{i}"))
    nodes = {wait_scheduled(core, namespace, f"p{i}") for i in range(6)}
    assert nodes == {"kit-worker", "kit-worker2"}


def test_node_selector(core: client.CoreV1Api, namespace: str) -> None:
    core.create_namespaced_pod(namespace, plain_pod(
        "pinned", nodeSelector={"kubernetes.io/hostname": "kit-worker2"}))
    assert wait_scheduled(core, namespace, "pinned") == "kit-worker2"


def test_required_node_affinity(core: client.CoreV1Api, namespace: str) -> None:
    host = "kubernetes.io/hostname"
    cases = {
        "in": (required({"matchExpressions": [
            {"key": host, "operator": "In", "values": ["kit-worker"]}]}), "kit-worker"),
        "notin": (required({"matchExpressions": [
            {"key": host, "operator": "NotIn", "values": ["kit-worker"]}]}), "kit-worker2"),
        "fields": (required({"matchFields": [
            {"key": "metadata.name", "operator": "In", "values": ["kit-worker2"]}]}),
            "kit-worker2"),
        "ored": (required({"matchExpressions": [{"key": "nope", "operator": "Exists"}]},
                          {"matchExpressions": [
                              {"key": host, "operator": "In", "values": ["kit-worker"]}]}),
                 "kit-worker"),
    }
    for name, (affinity, _) in cases.items():
        core.create_namespaced_pod(namespace, plain_pod(name, affinity=affinity))
    for name, (_, expected) in cases.items():
        assert wait_scheduled(core, namespace, name) == expected, name


def test_gt_lt_and_does_not_exist(sim: Any, api_client: Any, core: client.CoreV1Api,
                                  namespace: str, lab: str) -> None:
    small = lab_node(sim, api_client, f"{lab}-small", lab=lab, labels={"cores": "4"})
    big = lab_node(sim, api_client, f"{lab}-big", lab=lab, labels={"cores": "32", "gpu": "x"})
    expression = {"gt": ("cores", "Gt", ["8"]), "lt": ("cores", "Lt", ["8"]),
                  "nogpu": ("gpu", "DoesNotExist", None), "gpu": ("gpu", "Exists", None)}
    for name, (key, operator, values) in expression.items():
        term: dict[str, Any] = {"key": key, "operator": operator}
        if values:
            term["values"] = values
        core.create_namespaced_pod(namespace, lab_pod(
            name, lab, affinity=required({"matchExpressions": [term]})))
    assert wait_scheduled(core, namespace, "gt") == big
    assert wait_scheduled(core, namespace, "lt") == small
    assert wait_scheduled(core, namespace, "nogpu") == small
    assert wait_scheduled(core, namespace, "gpu") == big


def test_a_toleration_opens_the_control_plane(core: client.CoreV1Api, namespace: str) -> None:
    selector = {"kubernetes.io/hostname": "kit-control-plane"}
    core.create_namespaced_pod(namespace, plain_pod("shy", nodeSelector=selector))
    wait_unschedulable(core, namespace, "shy")
    core.create_namespaced_pod(namespace, plain_pod("bold", nodeSelector=selector, tolerations=[
        {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists",
         "effect": "NoSchedule"}]))
    assert wait_scheduled(core, namespace, "bold") == "kit-control-plane"


def test_freed_cpu_lets_a_waiting_pod_in(sim: Any, api_client: Any, core: client.CoreV1Api,
                                         namespace: str, lab: str) -> None:
    node = lab_node(sim, api_client, f"{lab}-node", lab=lab, cpu="2")
    core.create_namespaced_pod(namespace, lab_pod("first", lab, cpu="1500m"))
    assert wait_scheduled(core, namespace, "first") == node
    core.create_namespaced_pod(namespace, lab_pod("second", lab, cpu="1"))
    message = wait_unschedulable(core, namespace, "second").message
    assert "1 Insufficient cpu" in message
    assert "1 No preemption victims found for incoming pod" in message
    core.delete_namespaced_pod("first", namespace, grace_period_seconds=0)
    assert wait_scheduled(core, namespace, "second") == node


def test_too_many_pods(sim: Any, api_client: Any, core: client.CoreV1Api, namespace: str,
                       lab: str) -> None:
    node = lab_node(sim, api_client, f"{lab}-node", lab=lab, pods="1")
    core.create_namespaced_pod(namespace, lab_pod("one", lab))
    assert wait_scheduled(core, namespace, "one") == node
    core.create_namespaced_pod(namespace, lab_pod("two", lab))
    assert "1 Too many pods" in wait_unschedulable(core, namespace, "two").message


def test_host_ports_conflict_until_freed(sim: Any, api_client: Any, core: client.CoreV1Api,
                                         namespace: str, lab: str) -> None:
    node = lab_node(sim, api_client, f"{lab}-node", lab=lab)
    core.create_namespaced_pod(namespace, lab_pod("a", lab, host_port=8080))
    assert wait_scheduled(core, namespace, "a") == node
    core.create_namespaced_pod(namespace, lab_pod("b", lab, host_port=8080))
    message = wait_unschedulable(core, namespace, "b").message
    assert "1 node(s) didn't have free ports for the requested pod ports" in message
    core.create_namespaced_pod(namespace, lab_pod("c", lab, host_port=8081))
    assert wait_scheduled(core, namespace, "c") == node
    core.delete_namespaced_pod("a", namespace, grace_period_seconds=0)
    assert wait_scheduled(core, namespace, "b") == node


def test_a_new_node_takes_a_waiting_pod(sim: Any, api_client: Any, core: client.CoreV1Api,
                                        namespace: str, lab: str) -> None:
    core.create_namespaced_pod(namespace, lab_pod("early", lab))
    total = len(core.list_node().items)
    message = wait_unschedulable(core, namespace, "early").message
    assert message.startswith(f"0/{total} nodes are available: ")
    node = lab_node(sim, api_client, f"{lab}-late", lab=lab)
    assert wait_scheduled(core, namespace, "early") == node
