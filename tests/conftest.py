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

if TYPE_CHECKING:
    from kitlib.sim.cluster import ThreadedCluster


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
        cluster.kubeconfig_path = write_kubeconfig(  # type: ignore[attr-defined]
            cluster, tmp_path_factory.mktemp("kube") / "config")
        yield cluster


@pytest.fixture(scope="module")
def api_client(sim: ThreadedCluster) -> Iterator[Any]:
    """The official client's ApiClient, configured for the module's cluster."""
    from kubernetes import client

    config = client.Configuration()
    config.host = sim.url
    config.api_key = {"authorization": f"Bearer {sim.token}"}
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
