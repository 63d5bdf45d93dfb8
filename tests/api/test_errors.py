"""Every failure is a v1 Status with the real reason, code and message shape."""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from tests.conftest import Http, assert_status, pod_manifest


def test_not_found_has_the_real_message(http: Http) -> None:
    body = assert_status(http.get("/api/v1/namespaces/default/pods/nope"), 404, "NotFound")
    assert body["message"] == 'pods "nope" not found'
    assert body["details"] == {"name": "nope", "kind": "pods"}
    body = assert_status(http.get("/apis/apps/v1/namespaces/default/deployments/nope"),
                         404, "NotFound")
    assert body["message"] == 'deployments.apps "nope" not found'
    assert body["details"] == {"name": "nope", "group": "apps", "kind": "deployments"}


def test_official_client_sees_reasons(api_client: Any, namespace: str) -> None:
    core = client.CoreV1Api(api_client)
    with pytest.raises(ApiException) as info:
        core.read_namespaced_pod("missing", namespace)
    assert info.value.status == 404 and info.value.reason == "Not Found"
    core.create_namespaced_pod(namespace, pod_manifest("twin"))
    with pytest.raises(ApiException) as info:
        core.create_namespaced_pod(namespace, pod_manifest("twin"))
    assert info.value.status == 409
    assert '"reason":"AlreadyExists"' in info.value.body.replace(" ", "")
    assert 'pods \\"twin\\" already exists' in info.value.body


def test_unknown_path_and_method(http: Http) -> None:
    body = assert_status(http.get("/api/v1/namespaces/default/widgets"), 404, "NotFound")
    assert body["message"] == "the server could not find the requested resource"
    assert_status(http.get("/nothing/here"), 404, "NotFound")
    assert_status(http.request("PUT", "/api/v1/namespaces/default/pods"), 405,
                  "MethodNotAllowed")


def test_missing_or_wrong_token_is_401(sim: Any) -> None:
    anonymous = Http(sim.url, "", sim.ca_path)
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer wrong"},
                    {"Authorization": sim.token}):
        response = anonymous.get("/api/v1/pods", headers=headers)
        body = assert_status(response, 401, "Unauthorized")
        assert body["message"] == "Unauthorized"
    assert anonymous.get("/version", headers={"Authorization": ""}).status_code == 401


def test_body_over_3_mib_is_413(http: Http, namespace: str) -> None:
    big = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
           "data": {"blob": "x" * (3 * 1024 * 1024 + 10)}}
    body = assert_status(http.post(f"/api/v1/namespaces/{namespace}/configmaps", big),
                         413, "RequestEntityTooLarge")
    assert body["message"] == "Request entity too large: limit is 3145728"
    # Nothing was stored.
    assert http.get(f"/api/v1/namespaces/{namespace}/configmaps/big").status_code == 404


def test_malformed_json_is_400(http: Http, namespace: str) -> None:
    response = http.post(f"/api/v1/namespaces/{namespace}/pods", data=b'{"kind": "Pod",',
                         headers={"Content-Type": "application/json"})
    body = assert_status(response, 400, "BadRequest")
    assert "Traceback" not in response.text
    assert body["message"]


def test_create_with_resource_version_is_rejected(http: Http, namespace: str) -> None:
    manifest = pod_manifest("versioned")
    manifest["metadata"]["resourceVersion"] = "12"
    body = assert_status(http.post(f"/api/v1/namespaces/{namespace}/pods", manifest), 400,
                         "BadRequest")
    assert body["message"] == "resourceVersion can not be set for Create requests"


def test_stale_update_is_409_conflict(http: Http, namespace: str) -> None:
    created = http.post(f"/api/v1/namespaces/{namespace}/configmaps",
                        {"metadata": {"name": "cm"}, "data": {"a": "1"}}).json()
    first = dict(created, data={"a": "2"})
    assert http.put(f"/api/v1/namespaces/{namespace}/configmaps/cm", first).status_code == 200
    stale = dict(created, data={"a": "3"})
    body = assert_status(http.put(f"/api/v1/namespaces/{namespace}/configmaps/cm", stale),
                         409, "Conflict")
    assert body["message"] == (
        'Operation cannot be fulfilled on configmaps "cm": the object has been modified; '
        "please apply your changes to the latest version and try again")


def test_create_in_missing_namespace(http: Http) -> None:
    body = assert_status(http.post("/api/v1/namespaces/ghost/pods", pod_manifest("p")), 404,
                         "NotFound")
    assert body["message"] == 'namespaces "ghost" not found'


def test_invalid_object_names_its_fields(http: Http, namespace: str) -> None:
    bad = pod_manifest("Bad_Name")
    bad["spec"]["containers"][0].pop("image")
    body = assert_status(http.post(f"/api/v1/namespaces/{namespace}/pods", bad), 422,
                         "Invalid")
    assert body["message"].startswith('Pod "Bad_Name" is invalid: [')
    fields = {cause["field"] for cause in body["details"]["causes"]}
    assert {"metadata.name", "spec.containers[0].image"} <= fields
    assert body["details"]["kind"] == "Pod" and body["details"]["name"] == "Bad_Name"


def test_boolean_parameters_are_read_as_go_reads_them(http: Http) -> None:
    # The official client's watch.Watch().stream sends watch=True.
    response = http.get("/api/v1/namespaces?watch=True&timeoutSeconds=1", stream=True)
    first = next(response.iter_lines())
    assert b'"type":"ADDED"' in first
    body = assert_status(http.get("/api/v1/namespaces?watch=maybe"), 400, "BadRequest")
    assert body["message"] == 'strconv.ParseBool: parsing "maybe": invalid syntax'
