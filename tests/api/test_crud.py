"""The verbs, with the official client and raw HTTP: what a real API server does."""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from tests.conftest import Http, pod_manifest


def deployment(name: str, *, replicas: int = 2, image: str = "nginx:1.25") -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}},
                                  "spec": {"containers": [{"name": "web", "image": image}]}}}}


def test_system_namespaces_exist_at_start(api_client: Any) -> None:
    names = {ns.metadata.name for ns in client.CoreV1Api(api_client).list_namespace().items}
    assert {"default", "kube-system", "kube-public", "kube-node-lease"} <= names


def test_every_namespace_gets_a_default_service_account(api_client: Any, namespace: str,
                                                       sim: Any) -> None:
    import time

    core = client.CoreV1Api(api_client)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        accounts = [sa.metadata.name for sa in
                    core.list_namespaced_service_account(namespace).items]
        if accounts:
            break
        time.sleep(0.02)
    assert accounts == ["default"]


def test_create_get_list_delete_pod(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    created = core.create_namespaced_pod(namespace, pod_manifest("web", app="web"))
    assert created.metadata.uid and created.metadata.creation_timestamp
    assert created.metadata.resource_version
    assert created.status.phase == "Pending"
    got = core.read_namespaced_pod("web", namespace)
    assert got.metadata.uid == created.metadata.uid
    listed = core.list_namespaced_pod(namespace)
    assert [p.metadata.name for p in listed.items] == ["web"]
    assert int(listed.metadata.resource_version) >= int(created.metadata.resource_version)
    everywhere = core.list_pod_for_all_namespaces()
    assert "web" in {p.metadata.name for p in everywhere.items}
    core.delete_namespaced_pod("web", namespace, grace_period_seconds=0)
    with pytest.raises(ApiException) as info:
        core.read_namespaced_pod("web", namespace)
    assert info.value.status == 404


def test_resource_version_is_one_global_counter(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    a = core.create_namespaced_config_map(namespace, {"metadata": {"name": "a"}})
    b = core.create_namespaced_secret(namespace, {"metadata": {"name": "b"}})
    c = core.create_namespaced_config_map(namespace, {"metadata": {"name": "c"}})
    versions = [int(x.metadata.resource_version) for x in (a, b, c)]
    assert versions == sorted(versions) and len(set(versions)) == 3


def test_generate_name(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    made = core.create_namespaced_pod(namespace, {
        "metadata": {"generateName": "worker-"},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]}})
    assert made.metadata.name.startswith("worker-")
    assert len(made.metadata.name) == len("worker-") + 5


def test_generation_counts_spec_changes_only(api_client: Any, namespace: str) -> None:
    apps = client.AppsV1Api(api_client)
    made = apps.create_namespaced_deployment(namespace, deployment("gen"))
    assert made.metadata.generation == 1
    labelled = apps.patch_namespaced_deployment("gen", namespace,
                                                {"metadata": {"labels": {"x": "y"}}})
    assert labelled.metadata.generation == 1
    scaled = apps.patch_namespaced_deployment("gen", namespace, {"spec": {"replicas": 5}})
    assert scaled.metadata.generation == 2


def test_dry_run_stores_nothing(http: Http, namespace: str) -> None:
    response = http.post(f"/api/v1/namespaces/{namespace}/pods?dryRun=All",
                         pod_manifest("dry"))
    assert response.status_code == 201
    assert response.json()["metadata"]["name"] == "dry"
    assert http.get(f"/api/v1/namespaces/{namespace}/pods/dry").status_code == 404


def test_update_keeps_status_and_system_fields(http: Http, namespace: str) -> None:
    # A Service: its status is nobody's to write here (no cloud load balancer).
    path = f"/api/v1/namespaces/{namespace}/services"
    made = http.post(path, {"metadata": {"name": "keep"},
                            "spec": {"selector": {"app": "keep"}, "ports": [{"port": 80}]}}).json()
    changed = dict(made)
    changed["status"] = {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}
    changed["metadata"] = dict(made["metadata"], creationTimestamp="2001-01-01T00:00:00Z")
    changed["metadata"]["labels"] = {"tier": "web"}
    updated = http.put(f"{path}/keep", changed).json()
    assert updated["metadata"]["creationTimestamp"] == made["metadata"]["creationTimestamp"]
    assert updated["metadata"]["labels"] == {"tier": "web"}
    assert updated["status"] == {"loadBalancer": {}}
    assert updated["spec"]["clusterIP"] == made["spec"]["clusterIP"]
    # A no-op update does not bump the resourceVersion.
    again = http.put(f"{path}/keep", updated).json()
    assert again["metadata"]["resourceVersion"] == updated["metadata"]["resourceVersion"]


def test_status_subresource_writes_only_status(http: Http, namespace: str) -> None:
    path = f"/api/v1/namespaces/{namespace}/services"
    made = http.post(path, {"metadata": {"name": "stat"},
                            "spec": {"selector": {"app": "stat"}, "ports": [{"port": 80}]}}).json()
    made["status"] = {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}}
    made["spec"]["selector"] = {"app": "other"}
    written = http.put(f"{path}/stat/status", made).json()
    assert written["status"]["loadBalancer"]["ingress"] == [{"ip": "1.2.3.4"}]
    assert written["spec"]["selector"] == {"app": "stat"}


def test_scale_subresource(api_client: Any, namespace: str) -> None:
    apps = client.AppsV1Api(api_client)
    apps.create_namespaced_deployment(namespace, deployment("sc", replicas=1))
    scale = apps.read_namespaced_deployment_scale("sc", namespace)
    assert scale.spec.replicas == 1 and scale.status.selector == "app=sc"
    apps.patch_namespaced_deployment_scale("sc", namespace, {"spec": {"replicas": 4}})
    assert apps.read_namespaced_deployment("sc", namespace).spec.replicas == 4
    core = client.CoreV1Api(api_client)
    core.create_namespaced_replication_controller(namespace, {
        "metadata": {"name": "rc"},
        "spec": {"replicas": 1, "selector": {"app": "rc"},
                 "template": {"metadata": {"labels": {"app": "rc"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}})
    core.replace_namespaced_replication_controller_scale(
        "rc", namespace, {"metadata": {"name": "rc"}, "spec": {"replicas": 3}})
    assert core.read_namespaced_replication_controller("rc", namespace).spec.replicas == 3


def test_binding_assigns_a_node(http: Http, namespace: str) -> None:
    manifest = pod_manifest("bindme")
    manifest["spec"]["schedulerName"] = "by-hand"     # the default scheduler leaves it alone
    http.post(f"/api/v1/namespaces/{namespace}/pods", manifest)
    response = http.post(f"/api/v1/namespaces/{namespace}/pods/bindme/binding", {
        "apiVersion": "v1", "kind": "Binding", "metadata": {"name": "bindme"},
        "target": {"apiVersion": "v1", "kind": "Node", "name": "kit-worker"}})
    assert response.status_code == 201
    assert response.json()["status"] == "Success"
    pod = http.get(f"/api/v1/namespaces/{namespace}/pods/bindme").json()
    assert pod["spec"]["nodeName"] == "kit-worker"
    scheduled = [c for c in pod["status"]["conditions"] if c["type"] == "PodScheduled"]
    assert scheduled and scheduled[0]["status"] == "True"
    again = http.post(f"/api/v1/namespaces/{namespace}/pods/bindme/binding", {
        "target": {"kind": "Node", "name": "kit-worker2"}})
    assert again.status_code == 409


def test_delete_collection_with_selector(http: Http, namespace: str) -> None:
    for name, tier in (("a", "front"), ("b", "front"), ("c", "back")):
        http.post(f"/api/v1/namespaces/{namespace}/configmaps",
                  {"metadata": {"name": name, "labels": {"tier": tier}}})
    response = http.delete(f"/api/v1/namespaces/{namespace}/configmaps?labelSelector=tier%3Dfront")
    assert response.status_code == 200
    assert sorted(i["metadata"]["name"] for i in response.json()["items"]) == ["a", "b"]
    left = http.get(f"/api/v1/namespaces/{namespace}/configmaps").json()["items"]
    assert [i["metadata"]["name"] for i in left] == ["c"]


def test_owner_references_and_propagation_policy(http: Http, namespace: str) -> None:
    owner = http.post(f"/api/v1/namespaces/{namespace}/configmaps",
                      {"metadata": {"name": "owner"}}).json()
    ref = {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner",
           "uid": owner["metadata"]["uid"], "controller": True}
    child = http.post(f"/api/v1/namespaces/{namespace}/configmaps",
                      {"metadata": {"name": "child", "ownerReferences": [ref]}}).json()
    assert child["metadata"]["ownerReferences"][0]["uid"] == owner["metadata"]["uid"]
    held = http.delete(f"/api/v1/namespaces/{namespace}/configmaps/owner",
                       json={"propagationPolicy": "Orphan"}).json()
    assert "orphan" in held["metadata"]["finalizers"]
    assert held["metadata"]["deletionTimestamp"]


def test_list_pagination(http: Http, namespace: str) -> None:
    for i in range(7):
        http.post(f"/api/v1/namespaces/{namespace}/configmaps", {"metadata": {"name": f"p{i}"}})
    seen, token = [], ""
    pages = 0
    while True:
        page = http.get(f"/api/v1/namespaces/{namespace}/configmaps",
                        params={"limit": 3, "continue": token}).json()
        seen += [i["metadata"]["name"] for i in page["items"]]
        pages += 1
        token = page["metadata"].get("continue", "")
        if not token:
            break
        assert page["metadata"]["remainingItemCount"] > 0
    assert pages == 3
    assert sorted(seen) == seen and [s for s in seen if s.startswith("p")] == \
        [f"p{i}" for i in range(7)]
