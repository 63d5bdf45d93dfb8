"""Nodes and pods for the scheduler tests, made through the API as a learner would.

``kind_nodes`` gives the three nodes of a ``kit`` cluster -- ``kit-control-plane`` (tainted
NoSchedule), ``kit-worker`` and ``kit-worker2``: the kubelets' own when they run, else
hand-made Node objects shaped like theirs (with a Ready condition and a fresh Lease, so the
node lifecycle controller leaves them alone for the length of a test module).
``lab_node`` makes extra nodes with a label and a taint of their own, so that a test can
send pods there without disturbing the others.
"""

from __future__ import annotations

import subprocess
import time
from typing import Any, Callable

from kubernetes import client

KIND_NODES = ("kit-control-plane", "kit-worker", "kit-worker2")
CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
#: What a kind node offers (the kubelets' CAPACITY).
ALLOCATABLE = {"cpu": "8", "ephemeral-storage": "102626232Ki", "memory": "16318284Ki",
               "pods": "110"}
LAB_KEY = "kit.test/lab"


def wait_for(predicate: Callable[[], Any], *, timeout: float = 20.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.05)


def kubectl(sim: Any, kubectl_path: str, *args: str) -> str:
    result = subprocess.run([kubectl_path, "--kubeconfig", str(sim.kubeconfig_path), *args],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def kubelets_run(sim: Any) -> bool:
    return any("kubelet" in type(c).__name__.lower() for c in sim.cluster.components)


def _make_node(core: client.CoreV1Api, api: client.ApiClient, sim: Any, name: str, *,
               labels: dict[str, str], taints: list[dict[str, Any]],
               allocatable: dict[str, str]) -> None:
    core.create_node({"metadata": {"name": name,
                                   "labels": {"kubernetes.io/hostname": name,
                                              "kubernetes.io/os": "linux", **labels}},
                      "spec": {"taints": taints}})
    now = sim.cluster.clock.timestamp()
    core.patch_node_status(name, {"status": {
        "capacity": allocatable, "allocatable": allocatable,
        "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                        "message": "kubelet is posting ready status",
                        "lastHeartbeatTime": now, "lastTransitionTime": now}]}})
    client.CoordinationV1Api(api).create_namespaced_lease("kube-node-lease", {
        "metadata": {"name": name},
        "spec": {"holderIdentity": name, "leaseDurationSeconds": 40,
                 "renewTime": sim.cluster.clock.micro_timestamp()}})


def _ready(node: Any) -> bool:
    conditions = (node.status.conditions if node.status else None) or []
    healthy = any(c.type == "Ready" and c.status == "True" for c in conditions)
    taints = {t.key for t in node.spec.taints or []}
    return healthy and not taints & {"node.kubernetes.io/not-ready",
                                     "node.kubernetes.io/unreachable"}


def kind_nodes(sim: Any, api: client.ApiClient) -> tuple[str, ...]:
    """The three nodes of a kind cluster, Ready."""
    core = client.CoreV1Api(api)
    if kubelets_run(sim):
        def all_ready() -> bool:
            nodes = {n.metadata.name: n for n in core.list_node().items}
            return all(name in nodes and _ready(nodes[name]) for name in KIND_NODES)
        wait_for(all_ready, what="the kubelets' nodes to be Ready")
        return KIND_NODES
    existing = {n.metadata.name for n in core.list_node().items}
    for name in KIND_NODES:
        if name in existing:
            continue
        control_plane = name.endswith("control-plane")
        labels = ({"node-role.kubernetes.io/control-plane": "",
                   "node.kubernetes.io/exclude-from-external-load-balancers": ""}
                  if control_plane else {})
        _make_node(core, api, sim, name, labels=labels,
                   taints=[CONTROL_PLANE_TAINT] if control_plane else [],
                   allocatable=ALLOCATABLE)
    return KIND_NODES


def lab_node(sim: Any, api: client.ApiClient, name: str, *, lab: str,
             labels: dict[str, str] | None = None, cpu: str = "2", memory: str = "4Gi",
             pods: str = "110") -> str:
    """A node only pods tolerating ``kit.test/lab=<lab>`` go to (no kubelet runs there)."""
    _make_node(client.CoreV1Api(api), api, sim, name, labels={LAB_KEY: lab, **(labels or {})},
               taints=[{"key": LAB_KEY, "value": lab, "effect": "NoSchedule"}],
               allocatable={"cpu": cpu, "memory": memory, "pods": pods})
    return name


def lab_pod(name: str, lab: str, *, cpu: str = "", host_port: int = 0,
            **spec: Any) -> dict[str, Any]:
    """A pod for the ``lab`` nodes: it tolerates their taint and selects their label."""
    container: dict[str, Any] = {"name": "main", "image": "nginx:1.25"}
    if cpu:
        container["resources"] = {"requests": {"cpu": cpu}}
    if host_port:
        container["ports"] = [{"containerPort": 80, "hostPort": host_port}]
    selector = {LAB_KEY: lab, **spec.pop("nodeSelector", {})}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [container], "nodeSelector": selector,
                     "tolerations": [{"key": LAB_KEY, "operator": "Equal", "value": lab,
                                      "effect": "NoSchedule"}], **spec}}


def plain_pod(name: str, **spec: Any) -> dict[str, Any]:
    containers = spec.pop("containers", [{"name": "main", "image": "nginx:1.25"}])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": containers, **spec}}


def node_of(core: client.CoreV1Api, namespace: str, name: str) -> str:
    return core.read_namespaced_pod(name, namespace).spec.node_name or ""


def wait_scheduled(core: client.CoreV1Api, namespace: str, name: str,
                   timeout: float = 20.0) -> str:
    return wait_for(lambda: node_of(core, namespace, name), timeout=timeout,
                    what=f"{namespace}/{name} to be scheduled")


def scheduled_condition(core: client.CoreV1Api, namespace: str, name: str) -> Any:
    pod = core.read_namespaced_pod(name, namespace)
    return next((c for c in pod.status.conditions or [] if c.type == "PodScheduled"), None)


def wait_unschedulable(core: client.CoreV1Api, namespace: str, name: str,
                       timeout: float = 20.0) -> Any:
    """The PodScheduled=False/Unschedulable condition, once the scheduler has written it."""
    def written() -> Any:
        condition = scheduled_condition(core, namespace, name)
        return condition if condition is not None and condition.reason == "Unschedulable" \
            else None
    return wait_for(written, timeout=timeout, what=f"{namespace}/{name} to be Unschedulable")


def scheduler_events(core: client.CoreV1Api, namespace: str, name: str,
                     reason: str) -> list[Any]:
    return core.list_namespaced_event(
        namespace, field_selector=f"involvedObject.name={name},reason={reason}").items
