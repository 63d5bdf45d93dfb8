"""A clean restart (SIGTERM, then ``kit serve`` again on the same state file) changes nothing.

Every object comes back byte for byte, the resourceVersion sequence goes on, and the
kubeconfig written before the restart still works: same token, same CA, so notebooks and
kubectl sessions open before a restart need nothing new.
"""

from __future__ import annotations

import time

from typing import Any

import pytest
import requests

from tests.reliability.conftest import Kubeconfig, ServedCluster, ensure_namespace

pytestmark = pytest.mark.slow

NS = "keep"
OBJECTS: dict[str, dict[str, Any]] = {
    f"/api/v1/namespaces/{NS}/configmaps": {"metadata": {"name": "cm", "labels": {"a": "b"}},
                                            "data": {"k": "v", "u": "ünïcödé ✓"}},
    f"/api/v1/namespaces/{NS}/secrets": {"metadata": {"name": "sec"},
                                         "stringData": {"password": "hunter2"}},
    f"/api/v1/namespaces/{NS}/pods": {"metadata": {"name": "pod"}, "spec": {
        "containers": [{"name": "c", "image": "nginx:1.25"}]}},
    f"/api/v1/namespaces/{NS}/services": {"metadata": {"name": "svc"}, "spec": {
        "selector": {"app": "web"}, "ports": [{"port": 80}]}},
    f"/apis/apps/v1/namespaces/{NS}/deployments": {"metadata": {"name": "deploy"}, "spec": {
        "replicas": 2, "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}},
}


def settled_snapshot(config: Kubeconfig, *, timeout: float = 15.0) -> dict[str, Any]:
    """A snapshot once the cluster has stopped changing the objects (pods started, the
    Deployment's status written): two looks a little apart that agree."""
    deadline = time.monotonic() + timeout
    previous = snapshot(config)
    while True:
        time.sleep(0.3)
        current = snapshot(config)
        if current == previous or time.monotonic() > deadline:
            return current
        previous = current


def snapshot(config: Kubeconfig) -> dict[str, Any]:
    """Every object the tests made, and the cluster's namespaces, as stored."""
    session = config.session()
    out: dict[str, Any] = {}
    for base in OBJECTS:
        for item in session.get(config.url + base, timeout=10).json()["items"]:
            out[f"{base}/{item['metadata']['name']}"] = item
    for item in session.get(config.url + "/api/v1/namespaces", timeout=10).json()["items"]:
        out[f"/api/v1/namespaces/{item['metadata']['name']}"] = item
    return out


def highest_rv(objects: dict[str, Any]) -> int:
    return max(int(o["metadata"]["resourceVersion"]) for o in objects.values())


def test_clean_restart_keeps_objects_sequence_and_credentials(served: ServedCluster) -> None:
    config = served.start()
    ensure_namespace(config, NS)
    session = config.session()
    for base, body in OBJECTS.items():
        response = session.post(config.url + base, json=body, timeout=10)
        assert response.status_code == 201, response.text
    # A few updates, so stored versions are not all creation versions.
    cm = session.get(f"{config.url}/api/v1/namespaces/{NS}/configmaps/cm", timeout=10).json()
    cm["data"]["k"] = "v2"
    assert session.put(f"{config.url}/api/v1/namespaces/{NS}/configmaps/cm", json=cm,
                       timeout=10).status_code == 200
    before = settled_snapshot(config)
    kubeconfig_text = served.kubeconfig_path.read_text()
    last_rv = int(session.get(f"{config.url}/api/v1/namespaces/{NS}/configmaps",
                              timeout=10).json()["metadata"]["resourceVersion"])
    assert last_rv >= highest_rv(before)

    assert served.terminate() == 0
    with pytest.raises(requests.ConnectionError):
        session.get(f"{config.url}/readyz", timeout=2)
    served.start(port=served.port)

    # The kubeconfig from before the restart, unchanged and still good.
    assert served.kubeconfig_path.read_text() == kubeconfig_text
    old = config.session()
    assert old.get(f"{config.url}/readyz", timeout=10).text == "ok"
    after = settled_snapshot(config)
    assert after == before
    listed_rv = int(old.get(f"{config.url}/api/v1/namespaces/{NS}/configmaps",
                            timeout=10).json()["metadata"]["resourceVersion"])
    assert listed_rv >= last_rv
    made = old.post(f"{config.url}/api/v1/namespaces/{NS}/configmaps",
                    json={"metadata": {"name": "after"}}, timeout=10)
    assert made.status_code == 201
    assert int(made.json()["metadata"]["resourceVersion"]) > last_rv
    # Updates keep working on restored objects, with their stored versions.
    cm = after[f"/api/v1/namespaces/{NS}/configmaps/cm"]
    cm["data"]["k"] = "v3"
    assert old.put(f"{config.url}/api/v1/namespaces/{NS}/configmaps/cm", json=cm,
                   timeout=10).status_code == 200
    # Shared pools come back too: a new Service does not get a ClusterIP already in use.
    svc = old.post(f"{config.url}/api/v1/namespaces/{NS}/services", json={
        "metadata": {"name": "svc2"}, "spec": {"ports": [{"port": 81}]}}, timeout=10).json()
    taken = {o["spec"].get("clusterIP") for o in after.values()
             if o.get("kind") == "Service"} | {
        s["spec"].get("clusterIP") for s in old.get(f"{config.url}/api/v1/services",
                                                    timeout=10).json()["items"]
        if s["metadata"]["name"] != "svc2" or s["metadata"]["namespace"] != NS}
    assert svc["spec"]["clusterIP"] not in taken
    assert served.terminate() == 0

    # On another port the kubeconfig gets the new URL, with the same token and CA.
    again = served.start()
    assert again.url != config.url
    assert again.token == config.token and again.ca_pem == config.ca_pem
    assert snapshot(again)[f"/api/v1/namespaces/{NS}/configmaps/after"]["metadata"][
        "name"] == "after"
    assert served.terminate() == 0


def test_wrong_token_still_refused_after_restart(served: ServedCluster) -> None:
    config = served.start()
    assert served.terminate() == 0
    served.start(port=served.port)
    session = config.session()
    session.headers["Authorization"] = "Bearer not-the-token"
    response = session.get(f"{config.url}/api/v1/namespaces", timeout=10)
    assert response.status_code == 401 and response.json()["reason"] == "Unauthorized"
    served.terminate()


ALL_LISTS = ("/api/v1/namespaces", "/api/v1/nodes", "/api/v1/configmaps", "/api/v1/secrets",
             "/api/v1/serviceaccounts", "/api/v1/services", "/api/v1/endpoints",
             "/api/v1/pods", "/apis/coordination.k8s.io/v1/leases",
             "/apis/discovery.k8s.io/v1/endpointslices")


def all_uids(config: Kubeconfig) -> list[str]:
    session = config.session()
    return [item["metadata"]["uid"] for path in ALL_LISTS
            for item in session.get(config.url + path, timeout=10).json()["items"]]


def test_seeded_restart_does_not_reuse_uids(served: ServedCluster) -> None:
    config = served.start(seed=7)
    ensure_namespace(config, NS)
    assert served.terminate() == 0
    config = served.start(seed=7)
    base = f"{config.url}/api/v1/namespaces/{NS}/configmaps"
    for i in range(5):
        assert config.session().post(base, json={"metadata": {"name": f"b{i}"}},
                                     timeout=10).status_code == 201
    uids = all_uids(config)
    served.terminate()
    assert len(uids) == len(set(uids)), "a UID was given to two objects"
