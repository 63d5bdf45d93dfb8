"""Wire-level checks for server behaviours that the kubectl suite (tests/kubectl) found wrong.

Each was a difference kubectl showed: ``kubectl patch --type json`` refused, ``kubectl
delete namespace`` hanging, ``kubectl delete namespace default`` obeyed, the indentation of
``kubectl get --raw /version``, the wording of a ``-l '!app=x'`` error, and a traceback
logged whenever ``kubectl get -w`` ended.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from tests.conftest import Http, assert_status, pod_manifest


def test_json_patch_body_is_a_list(http: Http, namespace: str) -> None:
    path = f"/api/v1/namespaces/{namespace}/pods"
    http.post(path, pod_manifest("jp", app="jp"))
    patched = http.patch(f"{path}/jp", [
        {"op": "add", "path": "/metadata/labels/tier", "value": "front"},
        {"op": "test", "path": "/metadata/labels/app", "value": "jp"}],
        "application/json-patch+json")
    assert patched.status_code == 200, patched.text
    assert patched.json()["metadata"]["labels"] == {"app": "jp", "tier": "front"}
    # kubectl apply --server-side migrates managedFields with such a patch (on a ConfigMap:
    # no kubelet writes to it between the read and the patch's "test").
    cms = f"/api/v1/namespaces/{namespace}/configmaps"
    http.post(cms, {"metadata": {"name": "jp"}, "data": {"a": "1"}})
    live = http.get(f"{cms}/jp").json()
    migrated = http.patch(f"{cms}/jp", [
        {"op": "test", "path": "/metadata/resourceVersion",
         "value": live["metadata"]["resourceVersion"]},
        {"op": "replace", "path": "/metadata/managedFields",
         "value": live["metadata"]["managedFields"]}], "application/json-patch+json")
    assert migrated.status_code == 200, migrated.text


@pytest.mark.parametrize(("body", "message"), [
    ('{"op": "add"}', "json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
    ('[{"op": "add"', "unexpected end of JSON input"),
    ("[x]", "invalid character 'x' looking for beginning of value"),
])
def test_json_patch_body_faults(http: Http, namespace: str, body: str, message: str) -> None:
    path = f"/api/v1/namespaces/{namespace}/pods"
    http.post(path, pod_manifest("jpf"))
    answer = assert_status(http.patch(f"{path}/jpf", body, "application/json-patch+json"),
                           400, "BadRequest")
    assert answer["message"] == message


def test_namespace_deletion_completes(http: Http) -> None:
    http.post("/api/v1/namespaces", {"metadata": {"name": "finished"}})
    http.post("/api/v1/namespaces/finished/configmaps", {"metadata": {"name": "inside"}})
    assert http.delete("/api/v1/namespaces/finished").json()["status"]["phase"] == \
        "Terminating"
    deadline = time.monotonic() + 10
    while http.get("/api/v1/namespaces/finished").status_code != 404:
        assert time.monotonic() < deadline, "the namespace was never finalized"
        time.sleep(0.02)
    assert http.get("/api/v1/namespaces/finished/configmaps/inside").status_code == 404


def test_finalize_subresource_writes_spec_finalizers(http: Http) -> None:
    http.post("/api/v1/namespaces", {"metadata": {"name": "held"}})
    live = http.get("/api/v1/namespaces/held").json()
    live["spec"]["finalizers"] = ["kubernetes", "example.com/hold"]
    written = http.put("/api/v1/namespaces/held/finalize", live)
    assert written.status_code == 200, written.text
    assert written.json()["spec"]["finalizers"] == ["kubernetes", "example.com/hold"]
    # A plain update may not change them.
    live = written.json()
    live["spec"]["finalizers"] = []
    assert http.put("/api/v1/namespaces/held", live).json()["spec"]["finalizers"] == \
        ["kubernetes", "example.com/hold"]
    live["spec"]["finalizers"] = ["nonsense"]
    answer = assert_status(http.put("/api/v1/namespaces/held/finalize", live), 422, "Invalid")
    assert answer["message"] == (
        'Namespace "held" is invalid: spec.finalizers: Invalid value: "nonsense": name is '
        "neither a standard finalizer name nor is it fully qualified")


@pytest.mark.parametrize("name", ["default", "kube-system", "kube-public"])
def test_system_namespaces_may_not_be_deleted(http: Http, name: str) -> None:
    answer = assert_status(http.delete(f"/api/v1/namespaces/{name}"), 403, "Forbidden")
    assert answer["message"] == f'namespaces "{name}" is forbidden: this namespace may not ' \
                                f'be deleted'
    assert answer["details"] == {"name": name, "kind": "namespaces"}
    assert http.get(f"/api/v1/namespaces/{name}").json()["status"]["phase"] == "Active"


@pytest.mark.parametrize(("selector", "message"), [
    # "!key" ends its requirement: what follows is the selector's fault, not the requirement's.
    ("!app=x", "found '=', expected: ',' or 'end of string'"),
    ("!app x", "found 'x', expected: ',' or 'end of string'"),
    ("app x", "unable to parse requirement: found 'x', expected: '=', '!=', '==', 'in', "
              "notin'"),
])
def test_label_selector_errors_after_does_not_exist(http: Http, namespace: str, selector: str,
                                                    message: str) -> None:
    answer = assert_status(http.get(f"/api/v1/namespaces/{namespace}/pods",
                                    params={"labelSelector": selector}), 400, "BadRequest")
    assert answer["message"] == message


def test_version_is_indented(http: Http) -> None:
    text = http.get("/version").text
    assert text.startswith('{\n  "major": "1",\n  "minor": "32",\n')
    assert text.endswith('\n  "platform": "linux/amd64"\n}')


def test_a_watcher_hanging_up_logs_nothing(sim: Any, namespace: str, http: Http,
                                           caplog: pytest.LogCaptureFixture) -> None:
    import requests

    caplog.set_level(logging.ERROR)
    path = f"/api/v1/namespaces/{namespace}/configmaps"
    http.post(path, {"metadata": {"name": "before"}})
    with requests.Session() as session:
        session.trust_env = False
        stream = session.get(sim.url + path + "?watch=true", stream=True, timeout=10,
                             headers={"Authorization": f"Bearer {sim.token}"},
                             verify=str(sim.ca_path))
        assert next(stream.iter_lines())        # the ADDED event of "before"
        stream.close()
    time.sleep(0.2)
    for i in range(3):                          # events the server can no longer send
        http.post(path, {"metadata": {"name": f"after-{i}"}})
    time.sleep(0.3)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
