"""Shared fixtures: a simulated cluster per test module, and clients for it.

Tests speak to the simulator the way users do: over HTTP, with the official ``kubernetes``
client, or with ``kubectl``.  One cluster is shared per module where tests don't interfere
(each test works in a namespace of its own).
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pytest
import yaml
from hypothesis import settings

if TYPE_CHECKING:
    from kitlib.sim.cluster import ThreadedCluster

# Property tests draw the same examples on every run, so the suite's verdict does not
# depend on luck; HYPOTHESIS_PROFILE=explore draws new ones (and more) to hunt for bugs.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = SHARED / "conformance" / "k8s-docs-examples"


def write_kubeconfig(cluster: ThreadedCluster, path: Path) -> Path:
    assert cluster.cluster is not None
    path.write_text(yaml.safe_dump(cluster.cluster.kubeconfig()))
    path.chmod(0o600)
    return path


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedCluster]:
    """An ephemeral simulated cluster for the whole test module."""
    from kitlib.sim.cluster import SimConfig, ThreadedCluster

    with ThreadedCluster(SimConfig(seed=1)) as cluster:
        folder = tmp_path_factory.mktemp("kube")
        cluster.kubeconfig_path = write_kubeconfig(  # type: ignore[attr-defined]
            cluster, folder / "config")
        cluster.ca_path = folder / "ca.crt"  # type: ignore[attr-defined]
        cluster.ca_path.write_bytes(cluster.ca_pem)  # type: ignore[attr-defined]
        yield cluster


@pytest.fixture(scope="module")
def api_client(sim: ThreadedCluster) -> Iterator[Any]:
    """The official client's ApiClient, configured for the module's cluster."""
    from kubernetes import client

    config = client.Configuration()
    config.host = sim.url
    config.api_key = {"authorization": f"Bearer {sim.token}"}
    config.ssl_ca_cert = str(sim.ca_path)  # type: ignore[attr-defined]
    with client.ApiClient(config) as api:
        yield api


_names = itertools.count(1)


@pytest.fixture
def namespace(sim: ThreadedCluster, api_client: Any) -> str:
    """A fresh namespace for one test."""
    from kubernetes import client

    name = f"test-{next(_names)}"
    client.CoreV1Api(api_client).create_namespace({"metadata": {"name": name}})
    return name


@pytest.fixture(scope="session")
def kubectl_path() -> str:
    path = os.environ.get("KUBECTL", shutil.which("kubectl") or "")
    if not path:
        pytest.skip("kubectl is not installed (set KUBECTL or put kubectl on PATH)")
    return path


def example(relative: str) -> Path:
    """A manifest from ../shared/conformance/k8s-docs-examples; skips when absent."""
    path = EXAMPLES / relative
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not part of a user's clone)")
    return path


class Http:
    """Raw HTTP against the simulator, for what the official client hides."""

    def __init__(self, url: str, token: str, ca_path: Path) -> None:
        import requests

        self.url = url
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.verify = str(ca_path)
        self.session.trust_env = False      # REQUESTS_CA_BUNDLE would override verify

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.session.request(method, self.url + path, timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        if body is not None and "data" not in kwargs:
            kwargs["json"] = body
        return self.request("POST", path, **kwargs)

    def put(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self.request("PUT", path, json=body, **kwargs)

    def patch(self, path: str, body: Any, content_type: str, **kwargs: Any) -> Any:
        import json

        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return self.request("PATCH", path, data=data,
                            headers={"Content-Type": content_type}, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture(scope="module")
def http(sim: ThreadedCluster) -> Http:
    return Http(sim.url, sim.token, sim.ca_path)  # type: ignore[attr-defined]


def pod_manifest(name: str, *, image: str = "nginx:1.25", **labels: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "labels": dict(labels)},
            "spec": {"containers": [{"name": "main", "image": image}]}}


def assert_status(response: Any, code: int, reason: str) -> dict[str, Any]:
    """The response is a v1 Status with this code and reason; returns its body."""
    assert response.status_code == code, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["kind"] == "Status" and body["apiVersion"] == "v1", body
    assert body["status"] == "Failure"
    assert body["code"] == code
    assert body["reason"] == reason, body
    return body
