"""Helpers for the control API tests: waiting, and moving the clock through the API itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from typing import Any, Callable

from tests.conftest import Http


def wait_for(predicate: Callable[[], Any], *, timeout: float = 20.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.02)


def advance(http: Http, seconds: float, *, step: float = 10.0) -> None:
    """POST /kit/v1/clock {"advance": ...}, ``step`` at a time, as heartbeats would keep up."""
    left = seconds
    while left > 0:
        chunk = min(step, left)
        response = http.post("/kit/v1/clock", {"advance": f"{chunk:g}s"})
        assert response.status_code == 200, response.text
        left -= chunk
        time.sleep(0.05)                # let what fell due run before the next step


def advance_until(http: Http, predicate: Callable[[], Any], *, step: float = 5.0,
                  limit: float = 600.0, what: str = "") -> float:
    """Advance ``step`` by ``step`` until ``predicate`` holds; the simulated seconds taken."""
    taken = 0.0
    while not predicate():
        if taken >= limit:
            raise AssertionError(f"{what or predicate} not seen within {limit:g}s")
        advance(http, step, step=step)
        taken += step
    return taken


def pod(http: Http, namespace: str, name: str) -> dict[str, Any]:
    response = http.get(f"/api/v1/namespaces/{namespace}/pods/{name}")
    assert response.status_code == 200, response.text
    return response.json()


def container_status(http: Http, namespace: str, name: str,
                     container: str = "main") -> dict[str, Any]:
    statuses = pod(http, namespace, name).get("status", {}).get("containerStatuses") or []
    return next((s for s in statuses if s["name"] == container), {})


def running(http: Http, namespace: str, name: str, container: str = "main") -> bool:
    status = container_status(http, namespace, name, container)
    return bool(status.get("ready")) and "running" in status.get("state", {})


def make_pod(http: Http, namespace: str, name: str, *, image: str = "nginx:1.25",
             node: str | None = "kit-worker", **spec: Any) -> dict[str, Any]:
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "main", "image": image}], **spec}}
    if node is not None:
        body["spec"]["nodeName"] = node
    response = http.post(f"/api/v1/namespaces/{namespace}/pods", body)
    assert response.status_code == 201, response.text
    return response.json()


def kubectl(kubeconfig: Any, *args: str) -> str | None:
    """kubectl's output, or None when kubectl is not installed."""
    path = os.environ.get("KUBECTL") or shutil.which("kubectl")
    if not path:
        return None
    result = subprocess.run([path, "--kubeconfig", str(kubeconfig), *args],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout
