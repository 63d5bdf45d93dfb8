"""The objects the traffic benchmarks need inside a running ``kit serve``, made over HTTP.

The service-proxy and exec benchmarks talk to pods, so the pods must exist and be Ready
first: a Deployment of ``traefik/whoami`` behind a Service (ten ready endpoints), and one
``busybox`` pod that sleeps, to exec into.  Everything is created as a learner would (JSON
over HTTPS with the bearer token) and waited for with a deadline.
"""

from __future__ import annotations

import time
from typing import Any

import requests

from bench.procs import Server

WHOAMI = "traefik/whoami:v1.10"
BUSYBOX = "busybox:1.36"


def session(server: Server) -> requests.Session:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {server.token}"
    http.verify = str(server.ca_file)
    http.trust_env = False          # REQUESTS_CA_BUNDLE would override verify
    return http


def create(http: requests.Session, url: str, body: dict[str, Any]) -> None:
    response = http.post(url, json=body, timeout=30)
    if response.status_code not in (201, 409):
        raise RuntimeError(f"creating at {url}: {response.status_code} {response.text[:500]}")


def whoami_service(server: Server, *, namespace: str, name: str = "whoami",
                   replicas: int = 10) -> None:
    """A Deployment of ``replicas`` whoami pods and a Service on port 80 in front of them."""
    http = session(server)
    base = f"{server.url}/api/v1"
    create(http, f"{base}/namespaces", {"metadata": {"name": namespace}})
    labels = {"app": name}
    create(http, f"{server.url}/apis/apps/v1/namespaces/{namespace}/deployments", {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels}, "spec": {"containers": [{
                     "name": "whoami", "image": WHOAMI,
                     "ports": [{"containerPort": 80, "name": "http"}]}]}}}})
    create(http, f"{base}/namespaces/{namespace}/services", {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
        "spec": {"selector": labels, "ports": [{"port": 80, "targetPort": 80,
                                                  "name": "http"}]}})

    def ready_endpoints() -> int:
        response = http.get(f"{base}/namespaces/{namespace}/endpoints/{name}", timeout=30)
        if response.status_code != 200:
            return 0
        return sum(len(subset.get("addresses") or [])
                   for subset in response.json().get("subsets") or [])

    wait(lambda: ready_endpoints() >= replicas, what=f"{replicas} ready endpoints of {name}")


def sleeping_pod(server: Server, *, namespace: str, name: str = "shell") -> None:
    """A busybox pod running ``sleep``, Running and Ready."""
    http = session(server)
    base = f"{server.url}/api/v1"
    create(http, f"{base}/namespaces", {"metadata": {"name": namespace}})
    create(http, f"{base}/namespaces/{namespace}/pods", {
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
        "spec": {"containers": [{"name": "shell", "image": BUSYBOX,
                                 "command": ["sleep", "36000"]}]}})

    def ready() -> bool:
        response = http.get(f"{base}/namespaces/{namespace}/pods/{name}", timeout=30)
        conditions = (response.json().get("status") or {}).get("conditions") or []
        return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)

    wait(ready, what=f"pod {name} Ready")


def wait(check: Any, *, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.1)
