"""Helpers for the kubelet tests: pods on a chosen node, their events, the clock, kubectl.

Pods are made through the official client with ``spec.nodeName`` set, as a learner makes
a pod without a scheduler; the simulated clock is moved on in the cluster's own loop, in
steps of 10 s so that the kubelets' heartbeats keep up (as they would in real time).
"""

from __future__ import annotations

import subprocess
import time
from typing import Any, Callable

from kubernetes import client

WORKER = "kit-worker"
WORKER_IP = "172.18.0.3"
WORKER_CIDR_PREFIX = "10.244.1."


def wait_for(predicate: Callable[[], Any], *, timeout: float = 20.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.02)


def in_loop(sim: Any, function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a plain function in the cluster's event loop thread (the fleet's methods)."""
    async def call() -> Any:
        return function(*args, **kwargs)

    return sim.call(call())


def advance(sim: Any, seconds: float, *, step: float = 10.0) -> None:
    """Move the simulated clock on by ``seconds``, ``step`` at a time."""
    left = seconds
    while left > 0:
        chunk = min(step, left)
        in_loop(sim, sim.cluster.clock.advance, chunk)
        left -= chunk
        time.sleep(0.05)                    # let what fell due run before the next step


def kubectl(sim: Any, kubectl_path: str, *args: str, check: bool = True) -> str:
    result = subprocess.run([kubectl_path, "--kubeconfig", str(sim.kubeconfig_path), *args],
                            capture_output=True, text=True, timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result.stdout


def container(name: str = "main", image: str = "busybox", **fields: Any) -> dict[str, Any]:
    return {"name": name, "image": image, **{_camel(k): v for k, v in fields.items()}}


def make_pod(core: client.CoreV1Api, namespace: str, name: str,
             containers: list[dict[str, Any]], *, node: str = WORKER,
             annotations: dict[str, str] | None = None, **spec: Any) -> Any:
    """A pod on ``node``; extra spec fields in Python style (``restart_policy=...``)."""
    fields = {_camel(key): value for key, value in spec.items()}
    body = {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "annotations": annotations or {}},
            "spec": {"nodeName": node, "containers": containers, **fields}}
    return core.create_namespaced_pod(namespace, body)


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.capitalize() for part in rest)


def pod(core: client.CoreV1Api, namespace: str, name: str) -> Any:
    return core.read_namespaced_pod(name, namespace)


def status_of(core: client.CoreV1Api, namespace: str, name: str,
              container_name: str = "main", *, init: bool = False) -> Any:
    """The container's status, or None before the kubelet wrote one."""
    status = pod(core, namespace, name).status
    found = (status.init_container_statuses if init else status.container_statuses) or []
    return next((s for s in found if s.name == container_name), None)


def state_of(core: client.CoreV1Api, namespace: str, name: str,
             container_name: str = "main", *, init: bool = False) -> str:
    """``running``, ``waiting:Reason``, ``terminated:Reason``, or "" before any status."""
    status = status_of(core, namespace, name, container_name, init=init)
    state = status.state if status is not None else None
    if state is None:
        return ""
    if state.running is not None:
        return "running"
    if state.waiting is not None:
        return f"waiting:{state.waiting.reason}"
    if state.terminated is not None:
        return f"terminated:{state.terminated.reason}"
    return ""


def condition(core: client.CoreV1Api, namespace: str, name: str, kind: str) -> Any:
    conditions = pod(core, namespace, name).status.conditions or []
    return next((c for c in conditions if c.type == kind), None)


def is_ready(core: client.CoreV1Api, namespace: str, name: str) -> bool:
    ready = condition(core, namespace, name, "Ready")
    return ready is not None and ready.status == "True"


def events(core: client.CoreV1Api, namespace: str, name: str) -> list[Any]:
    """The pod's events, oldest first."""
    found = core.list_namespaced_event(namespace,
                                       field_selector=f"involvedObject.name={name}").items
    return sorted(found, key=lambda e: (e.first_timestamp or e.event_time, e.metadata.name))


def reasons(core: client.CoreV1Api, namespace: str, name: str) -> list[str]:
    return [e.reason for e in events(core, namespace, name)]


def messages(core: client.CoreV1Api, namespace: str, name: str, reason: str) -> list[str]:
    return [e.message for e in events(core, namespace, name) if e.reason == reason]


def get_row(sim: Any, kubectl_path: str, namespace: str, name: str) -> list[str]:
    """The pod's row of ``kubectl get pod``: NAME READY STATUS RESTARTS AGE."""
    out = kubectl(sim, kubectl_path, "get", "pod", name, "-n", namespace, "--no-headers")
    return out.split()
