"""Helpers for the Service, Endpoints and node lifecycle tests: hand-made nodes and pods.

These tests play the kubelet themselves, through the API, on nodes no kubelet runs: a
"lab" node is created with a ``NoSchedule`` taint (so the scheduler sends nothing there),
pods are bound to it by ``spec.nodeName``, and their IPs and readiness are written through
the status subresource, as a kubelet would write them.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import time
from datetime import datetime, timezone
from typing import Any, Callable

from kubernetes import client

LAB_TAINT = {"key": "kit.test/no-kubelet", "effect": "NoSchedule"}
_addresses = itertools.count(10)


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


def sim_now(sim: Any) -> str:
    return sim.cluster.clock.timestamp()


def sim_micro_now(sim: Any) -> str:
    return sim.cluster.clock.micro_timestamp()


def make_node(core: client.CoreV1Api, sim: Any, name: str, *, zone: str = "",
              ready: bool | None = True, taints: list[dict[str, Any]] | None = None) -> None:
    """A node with no kubelet; ``ready`` None leaves its status empty (never reported)."""
    labels = {"kubernetes.io/hostname": name}
    if zone:
        labels["topology.kubernetes.io/zone"] = zone
    core.create_node({"metadata": {"name": name, "labels": labels},
                      "spec": {"taints": taints if taints is not None else [LAB_TAINT]}})
    if ready is not None:
        post_node_status(core, sim, name, ready=ready)


def post_node_status(core: client.CoreV1Api, sim: Any, name: str, *, ready: bool) -> None:
    """What a kubelet posts: conditions with a fresh heartbeat."""
    now = sim_now(sim)
    node = core.read_node(name)
    old = {c.type: c for c in (node.status.conditions if node.status else None) or []}

    def entry(kind: str, status: str, reason: str, message: str) -> dict[str, Any]:
        before = old.get(kind)
        moved = before is None or before.status != status
        return {"type": kind, "status": status, "lastHeartbeatTime": now,
                "lastTransitionTime": now if moved else before.last_transition_time.strftime(
                    "%Y-%m-%dT%H:%M:%SZ"),
                "reason": reason, "message": message}

    conditions = [
        entry("MemoryPressure", "False", "KubeletHasSufficientMemory",
              "kubelet has sufficient memory available"),
        entry("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        entry("PIDPressure", "False", "KubeletHasSufficientPID",
              "kubelet has sufficient PID available"),
        entry("Ready", "True" if ready else "False",
              "KubeletReady" if ready else "KubeletNotReady",
              "kubelet is posting ready status" if ready else "container runtime is down"),
    ]
    core.patch_node_status(name, {"status": {"conditions": conditions}})


def make_lease(api: client.ApiClient, sim: Any, name: str) -> None:
    coordination = client.CoordinationV1Api(api)
    coordination.create_namespaced_lease("kube-node-lease", {
        "metadata": {"name": name},
        "spec": {"holderIdentity": name, "leaseDurationSeconds": 40,
                 "renewTime": sim_micro_now(sim)}})


async def _renew(cluster: Any, names: list[str]) -> None:
    """Renew leases from inside the cluster's loop (as kubelets do, on its clock)."""
    from kitlib.sim.client import LocalClient

    local = LocalClient(cluster.registry, manager="kubelet")
    stamp = cluster.clock.micro_timestamp()
    for name in names:
        def renew(lease: dict[str, Any]) -> None:
            lease["spec"]["renewTime"] = stamp

        await local.mutate("leases.coordination.k8s.io", namespace="kube-node-lease",
                           name=name, change=renew)


def advance(sim: Any, seconds: float, *, renew: list[str] = ()) -> None:
    """Move the simulated clock on, renewing the given leases at the same instant (so the
    node controller never sees those nodes silent)."""
    async def step() -> None:
        sim.cluster.clock.advance(seconds)
        await _renew(sim.cluster, list(renew))

    sim.call(step())


def advance_until(sim: Any, predicate: Callable[[], Any], *, step: float = 5.0,
                  renew: list[str] = (), tries: int = 8, what: str = "") -> Any:
    """Move the clock on ``step`` seconds at a time until ``predicate`` holds.

    A controller busy when the clock moves only starts its next wait afterwards, so one
    step may not be enough to bring its next pass; a few more always are."""
    for _ in range(tries):
        advance(sim, step, renew=renew)
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(0.02)
    raise AssertionError(f"still waiting for {what or predicate} after {tries} steps")


def renew(sim: Any, names: list[str]) -> None:
    sim.call(_renew(sim.cluster, names))


def pod_body(name: str, node: str, labels: dict[str, str], *,
             ports: list[dict[str, Any]] | None = None,
             tolerations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "app", "image": "nginx:1.25"}
    if ports:
        container["ports"] = ports
    spec: dict[str, Any] = {"nodeName": node, "containers": [container]}
    if tolerations:
        spec["tolerations"] = tolerations
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": labels}, "spec": spec}


def run_pod(core: client.CoreV1Api, sim: Any, namespace: str, name: str, node: str,
            labels: dict[str, str], *, ready: bool = True,
            ports: list[dict[str, Any]] | None = None,
            tolerations: list[dict[str, Any]] | None = None) -> str:
    """Create a pod on ``node`` and report it running; returns its IP."""
    core.create_namespaced_pod(namespace, pod_body(name, node, labels, ports=ports,
                                                   tolerations=tolerations))
    n = next(_addresses)
    ip = f"10.244.{n // 250}.{n % 250 + 2}"
    set_pod_status(core, sim, namespace, name, ip=ip, ready=ready)
    return ip


def set_pod_status(core: client.CoreV1Api, sim: Any, namespace: str, name: str, *,
                   ready: bool, ip: str | None = None) -> None:
    now = sim_now(sim)
    status: dict[str, Any] = {"phase": "Running",
                              "conditions": [{"type": "Ready",
                                              "status": "True" if ready else "False",
                                              "lastProbeTime": None,
                                              "lastTransitionTime": now}]}
    if ip:
        status.update({"podIP": ip, "podIPs": [{"ip": ip}], "hostIP": "172.18.0.9",
                       "hostIPs": [{"ip": "172.18.0.9"}]})
    core.patch_namespaced_pod_status(name, namespace, {"status": status})


def endpoints_of(core: client.CoreV1Api, namespace: str, name: str) -> dict[str, Any] | None:
    try:
        return core.api_client.sanitize_for_serialization(
            core.read_namespaced_endpoints(name, namespace))
    except client.ApiException as exc:
        if exc.status == 404:
            return None
        raise


def addresses(endpoints: dict[str, Any] | None, field: str = "addresses") -> list[str]:
    if not endpoints:
        return []
    return sorted(a["ip"] for s in endpoints.get("subsets") or [] for a in s.get(field) or [])


def slices_of(api: client.ApiClient, namespace: str, service: str) -> list[dict[str, Any]]:
    """The Service's slices as JSON.  Not as models: like a real cluster, the simulator
    serves an empty slice with ``endpoints: null``, which the official client's model
    rejects (kubernetes-client/python#2423)."""
    response = client.DiscoveryV1Api(api).list_namespaced_endpoint_slice(
        namespace, label_selector=f"kubernetes.io/service-name={service}",
        _preload_content=False)
    return list(json.loads(response.data)["items"])


def parse_time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(timezone.utc)

