"""ResourceQuotas, LimitRanges, the read-only CustomResourceDefinitions, TokenRequests and
the kubelet's endpoints behind nodes/NAME/proxy: with the official client and raw HTTP."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from tests.conftest import Http, assert_status

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io"


def _claims(token: str) -> dict[str, Any]:
    parts = token.split(".")
    assert len(parts) == 3 and all(parts), token
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    return json.loads(base64.urlsafe_b64decode(payload))


# --- resourcequotas and limitranges -------------------------------------------------------

def test_resource_quota_is_stored_with_canonical_quantities(api_client: Any,
                                                            namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    core.create_namespaced_resource_quota(namespace, {
        "metadata": {"name": "compute"},
        "spec": {"hard": {"pods": "10", "requests.cpu": "1000m", "limits.memory": "1Gi"}},
        "status": {"hard": {"pods": "99"}}})
    got = core.read_namespaced_resource_quota("compute", namespace)
    assert got.spec.hard == {"pods": "10", "requests.cpu": "1", "limits.memory": "1Gi"}
    assert got.status is None or not got.status.hard       # status is not the client's
    names = [q.metadata.name for q in core.list_namespaced_resource_quota(namespace).items]
    assert names == ["compute"]
    core.delete_namespaced_resource_quota("compute", namespace)
    assert core.list_namespaced_resource_quota(namespace).items == []


def test_resource_quota_validation(http: Http, namespace: str) -> None:
    path = f"/api/v1/namespaces/{namespace}/resourcequotas"
    body = assert_status(http.post(path, {"apiVersion": "v1", "kind": "ResourceQuota",
                                          "metadata": {"name": "bad"},
                                          "spec": {"hard": {"pods": "-1", "widgets": "3",
                                                            "services": "1500m"}}}),
                         422, "Invalid")
    causes = {c["field"]: c["message"] for c in body["details"]["causes"]}
    assert causes["spec.hard[pods]"] == 'Invalid value: "-1": must be greater than or equal to 0'
    assert causes["spec.hard[widgets]"] == ('Invalid value: "widgets": must be a standard '
                                            'resource for quota')
    assert causes["spec.hard[services]"].endswith(": must be an integer")


def test_resource_quota_table_columns(http: Http, namespace: str) -> None:
    path = f"/api/v1/namespaces/{namespace}/resourcequotas"
    http.post(path, {"apiVersion": "v1", "kind": "ResourceQuota", "metadata": {"name": "q"},
                     "spec": {"hard": {"pods": "2"}}})
    # The quota controller's part, written through the status subresource.
    http.patch(f"{path}/q/status", {"status": {"hard": {"pods": "2", "limits.cpu": "2"},
                                               "used": {"pods": "1"}}},
               "application/merge-patch+json")
    table = http.get(path, headers={"Accept": TABLE}).json()
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Age", "Request", "Limit"]
    name, _age, request, limit = table["rows"][0]["cells"]
    assert (name, request, limit) == ("q", "pods: 1/2", "limits.cpu: 0/2")


def test_limit_range_validation_and_table(http: Http, namespace: str) -> None:
    path = f"/api/v1/namespaces/{namespace}/limitranges"
    bad = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "bad"},
           "spec": {"limits": [{"type": "Container", "min": {"cpu": "2"}, "max": {"cpu": "1"}},
                               {"type": "Pod", "default": {"cpu": "1"}}]}}
    body = assert_status(http.post(path, bad), 422, "Invalid")
    causes = {c["field"]: c["message"] for c in body["details"]["causes"]}
    assert causes["spec.limits[0].min[cpu]"].endswith(": min value 2 is greater than max value 1")
    assert causes["spec.limits[1].default"] == "Forbidden: may not be specified when `type` is 'Pod'"
    good = {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr"},
            "spec": {"limits": [{"type": "Container", "default": {"cpu": "0.5"},
                                 "defaultRequest": {"cpu": "250m"}}]}}
    created = http.post(path, good)
    assert created.status_code == 201, created.text
    assert created.json()["spec"]["limits"][0]["default"] == {"cpu": "500m"}
    table = http.get(path, headers={"Accept": TABLE}).json()
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Created At"]
    assert table["rows"][0]["cells"][0] == "lr"


# --- customresourcedefinitions ---------------------------------------------------------------

CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"


def test_crds_are_listed_empty_and_cannot_be_created(api_client: Any, http: Http) -> None:
    ext = client.ApiextensionsV1Api(api_client)
    assert ext.list_custom_resource_definition().items == []
    with pytest.raises(ApiException) as info:
        ext.read_custom_resource_definition("widgets.example.com")
    assert info.value.status == 404
    crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
           "metadata": {"name": "widgets.example.com"}}
    assert_status(http.post(CRDS, crd), 405, "MethodNotAllowed")
    assert http.get(CRDS).json()["items"] == []


def test_apiextensions_group_in_discovery(http: Http) -> None:
    groups = {g["name"]: g for g in http.get("/apis").json()["groups"]}
    assert groups["apiextensions.k8s.io"]["preferredVersion"]["groupVersion"] == \
        "apiextensions.k8s.io/v1"
    listed = {r["name"]: r for r in http.get("/apis/apiextensions.k8s.io/v1").json()["resources"]}
    crd = listed["customresourcedefinitions"]
    assert (crd["namespaced"], crd["kind"], crd["shortNames"]) == \
        (False, "CustomResourceDefinition", ["crd", "crds"])
    aggregated = http.get("/apis", headers={
        "Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"}).json()
    names = [item["metadata"]["name"] for item in aggregated["items"]]
    assert "apiextensions.k8s.io" in names


# --- serviceaccounts/NAME/token ------------------------------------------------------------

def _wait_for_default_account(core: Any, namespace: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if core.list_namespaced_service_account(namespace).items:
            return
        time.sleep(0.05)
    raise AssertionError("no default service account")


def test_token_request(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    _wait_for_default_account(core, namespace)
    answer = core.create_namespaced_service_account_token("default", namespace, {
        "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": {}})
    assert answer.spec.expiration_seconds == 3600
    assert answer.spec.audiences == ["https://kubernetes.default.svc.cluster.local"]
    assert (answer.metadata.name, answer.metadata.namespace) == ("default", namespace)
    claims = _claims(answer.status.token)
    assert claims["sub"] == f"system:serviceaccount:{namespace}:default"
    assert claims["iss"] == "https://kubernetes.default.svc.cluster.local"
    assert claims["aud"] == ["https://kubernetes.default.svc.cluster.local"]
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["kubernetes.io"]["serviceaccount"]["name"] == "default"
    assert int(answer.status.expiration_timestamp.timestamp()) == claims["exp"]


def test_token_request_errors(http: Http, namespace: str, api_client: Any) -> None:
    _wait_for_default_account(client.CoreV1Api(api_client), namespace)
    base = f"/api/v1/namespaces/{namespace}/serviceaccounts"
    request = {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
               "spec": {"expirationSeconds": 60, "audiences": ["vault"]}}
    body = assert_status(http.post(f"{base}/default/token", request), 422, "Invalid")
    assert body["message"] == ('TokenRequest.authentication.k8s.io "" is invalid: '
                               'spec.expirationSeconds: Invalid value: 60: may not specify a '
                               'duration less than 10 minutes')
    body = assert_status(http.post(f"{base}/nobody/token", request), 404, "NotFound")
    assert body["message"] == 'serviceaccounts "nobody" not found'
    request["spec"]["expirationSeconds"] = 600
    answer = http.post(f"{base}/default/token", request)
    assert answer.status_code == 201, answer.text
    assert _claims(answer.json()["status"]["token"])["aud"] == ["vault"]


# --- nodes/NAME/proxy: the kubelet ------------------------------------------------------------

def _a_node(http: Http) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for node in http.get("/api/v1/nodes").json()["items"]:
            if any(c["type"] == "Ready" and c["status"] == "True"
                   for c in node.get("status", {}).get("conditions", [])):
                return str(node["metadata"]["name"])
        time.sleep(0.05)
    pytest.skip("no node became Ready")


def test_kubelet_healthz_configz_and_404(http: Http) -> None:
    node = _a_node(http)
    healthz = http.get(f"/api/v1/nodes/{node}/proxy/healthz")
    assert (healthz.status_code, healthz.text) == (200, "ok")
    config = http.get(f"/api/v1/nodes/{node}/proxy/configz").json()["kubeletconfig"]
    assert (config["maxPods"], config["clusterDNS"]) == (110, ["10.96.0.10"])
    missing = http.get(f"/api/v1/nodes/{node}/proxy/no/such/path")
    assert (missing.status_code, missing.text) == (404, "404 page not found\n")
    assert_status(http.get("/api/v1/nodes/no-such-node/proxy/healthz"), 404, "NotFound")


def test_kubelet_pods_are_the_nodes_own(http: Http, namespace: str) -> None:
    node = _a_node(http)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "here"},
           "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx:1.25"}]}}
    assert http.post(f"/api/v1/namespaces/{namespace}/pods", pod).status_code == 201
    listed = http.get(f"/api/v1/nodes/{node}/proxy/pods").json()
    assert listed["kind"] == "PodList"
    assert {p["spec"]["nodeName"] for p in listed["items"]} == {node}
    assert (namespace, "here") in {(p["metadata"]["namespace"], p["metadata"]["name"])
                                   for p in listed["items"]}
