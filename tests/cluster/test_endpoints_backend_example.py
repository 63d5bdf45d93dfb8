"""The docs' "connect a frontend to a backend" example: targetPort ``http`` becomes 80.

service/access/backend-deployment.yaml runs 3 pods naming their port ``http``;
backend-service.yaml targets that name.  With the Deployment, ReplicaSet, scheduler and
kubelets all at work, the Service ends up with 3 ready endpoints on port 80, and the
EndpointSlice lists the same 3 addresses.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import yaml
from kubernetes import client, utils

from tests.cluster.netlab import addresses, endpoints_of, kubectl, slices_of, wait_for
from tests.conftest import example


def kubelets_running(core: client.CoreV1Api, *, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for node in core.list_node().items:
            ready = {c.type: c.status for c in (node.status.conditions or [])}
            if node.metadata.name.startswith("kit-") and ready.get("Ready") == "True":
                return True
        time.sleep(0.2)
    return False


def test_backend_service_resolves_named_target_port(api_client: Any, sim: Any, namespace: str,
                                                    kubectl_path: str) -> None:
    core = client.CoreV1Api(api_client)
    if not kubelets_running(core):
        pytest.skip("no kubelet has registered a Ready node (kitlib/sim/kubelet)")
    for manifest in ("service/access/backend-deployment.yaml",
                     "service/access/backend-service.yaml"):
        for doc in yaml.safe_load_all(example(manifest).read_text()):
            if doc:
                utils.create_from_dict(api_client, doc, namespace=namespace)

    def three_ready() -> Any:
        found = endpoints_of(core, namespace, "hello")
        return found if len(addresses(found)) == 3 else None

    found = wait_for(three_ready, timeout=60, what="3 ready endpoints behind hello")
    assert [s["ports"] for s in found["subsets"]] == [[{"port": 80, "protocol": "TCP"}]]
    pods = core.list_namespaced_pod(namespace, label_selector="tier=backend").items
    assert sorted(addresses(found)) == sorted(p.status.pod_ip for p in pods
                                              if not p.metadata.deletion_timestamp)
    slices = wait_for(lambda: [s for s in slices_of(api_client, namespace, "hello")
                               if len(s.get("endpoints") or []) == 3], timeout=30,
                      what="a slice with 3 endpoints")
    assert sorted(e["addresses"][0] for e in slices[0]["endpoints"]) == addresses(found)
    assert slices[0]["ports"] == [{"name": "", "port": 80, "protocol": "TCP"}]
    described = kubectl(sim, kubectl_path, "describe", "service", "hello", "-n", namespace)
    assert re.search(r"^TargetPort:\s+http/TCP$", described, re.MULTILINE)
    line = next(x for x in described.splitlines() if x.startswith("Endpoints:"))
    assert sorted(line.split()[1].split(",")) == sorted(f"{ip}:80" for ip in addresses(found))
