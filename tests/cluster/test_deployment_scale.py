"""Scale: a Deployment taken from 0 to 1,000 replicas, every pod Ready (fast profile).

The benchmark the simulator is held to: the whole cluster (deployment and ReplicaSet
controllers, scheduler, kubelets) brings 1,000 pods to Ready within a few seconds.
A node takes 110 pods, as on kind, so this module's cluster has ten workers.
The time is printed (``-s`` shows it); the test itself only waits with a deadline.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from kubernetes import client

from tests.conftest import write_kubeconfig

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A cluster with a control-plane node and ten workers (room for 1,100 pods)."""
    from kitlib.sim.cluster import SimConfig, ThreadedCluster

    with ThreadedCluster(SimConfig(seed=1, nodes=11)) as cluster:
        folder: Path = tmp_path_factory.mktemp("kube")
        cluster.kubeconfig_path = write_kubeconfig(  # type: ignore[attr-defined]
            cluster, folder / "config")
        cluster.ca_path = folder / "ca.crt"  # type: ignore[attr-defined]
        cluster.ca_path.write_bytes(cluster.ca_pem)  # type: ignore[attr-defined]
        yield cluster


def test_zero_to_a_thousand_ready(api_client: Any, namespace: str) -> None:
    apps = client.AppsV1Api(api_client)
    labels = {"app": "big"}
    apps.create_namespaced_deployment(namespace, {
        "metadata": {"name": "big"},
        "spec": {"replicas": 0, "selector": {"matchLabels": labels},
                 "template": {"metadata": {"labels": labels},
                              "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}}})
    started = time.monotonic()
    apps.patch_namespaced_deployment_scale("big", namespace, {"spec": {"replicas": 1000}})
    deadline = started + 120
    while True:
        status = apps.read_namespaced_deployment_status("big", namespace).status
        if status.ready_replicas == 1000 and status.available_replicas == 1000 \
                and status.updated_replicas == 1000:
            break
        assert time.monotonic() < deadline, f"not all Ready: {status}"
        time.sleep(0.02)
    elapsed = time.monotonic() - started
    print(f"\n0 -> 1000 Ready in {elapsed:.2f} s")
    (rs,) = apps.list_namespaced_replica_set(namespace).items
    assert rs.spec.replicas == 1000 and rs.status.ready_replicas == 1000
    events = client.CoreV1Api(api_client).list_namespaced_event(
        namespace, field_selector="involvedObject.kind=Deployment").items
    assert [e.message for e in events] == [
        f"Scaled up replica set {rs.metadata.name} from 0 to 1000"]
