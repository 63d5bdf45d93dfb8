"""JSON Patch (RFC 6902) with the failures kube-apiserver reports for it."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kitlib.sim.machinery.errors import BadRequest
from kitlib.sim.machinery.patch import apply_json_patch
from kitlib.sim.machinery.patch.errors import TooManyOperations, UnprocessablePatch
from kitlib.sim.machinery.patch.jsonpatch import MAX_OPERATIONS


def deployment() -> dict[str, Any]:
    return {"metadata": {"name": "d", "labels": {"app": "web"}},
            "spec": {"replicas": 1,
                     "template": {"spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}


def test_kubectl_json_patches_apply() -> None:
    patch = [
        {"op": "replace", "path": "/spec/replicas", "value": 3},
        {"op": "add", "path": "/metadata/labels/tier", "value": "fe"},
        {"op": "add", "path": "/spec/template/spec/containers/-",
         "value": {"name": "log", "image": "busybox"}},
        {"op": "remove", "path": "/metadata/labels/app"},
        {"op": "test", "path": "/spec/template/spec/containers/0/name", "value": "c"},
        {"op": "copy", "from": "/spec/replicas", "path": "/spec/minReadySeconds"},
        {"op": "move", "from": "/metadata/labels", "path": "/metadata/annotations"},
    ]
    assert apply_json_patch(deployment(), patch) == {
        "metadata": {"name": "d", "annotations": {"tier": "fe"}},
        "spec": {"replicas": 3, "minReadySeconds": 3, "template": {"spec": {"containers": [
            {"name": "c", "image": "nginx"}, {"name": "log", "image": "busybox"}]}}}}


def test_a_missing_value_adds_null_as_go_does() -> None:
    assert apply_json_patch({"a": 1}, [{"op": "add", "path": "/b"}]) == {"a": 1, "b": None}


def test_testing_for_null_passes_on_a_missing_member() -> None:
    patch = [{"op": "test", "path": "/spec/paused", "value": None},
             {"op": "test", "path": "/spec/replicas", "value": 1}]
    assert apply_json_patch(deployment(), patch) == deployment()


def test_null_patch_is_empty() -> None:
    assert apply_json_patch({"a": 1}, None) == {"a": 1}


def test_inputs_are_not_changed() -> None:
    doc, patch = deployment(), [{"op": "add", "path": "/spec/x", "value": {"y": [1]}}]
    saved = copy.deepcopy((doc, patch))
    result = apply_json_patch(doc, patch)
    result["spec"]["x"]["y"].append(2)
    assert (doc, patch) == saved


@pytest.mark.parametrize("patch", [
    [{"op": "remove", "path": "/spec/nothing"}],
    [{"op": "replace", "path": "/spec/nothing", "value": 1}],
    [{"op": "add", "path": "/no/such/parent", "value": 1}],
    [{"op": "test", "path": "/spec/replicas", "value": 2}],
    [{"op": "test", "path": "/spec/replicas", "value": 1.0}],
    [{"op": "test", "path": "/spec/paused", "value": False}],
    [{"op": "test", "path": "/no/parent", "value": None}],
    [{"op": "frobnicate", "path": "/spec"}],
    [{"path": "/spec"}],
    [{"op": "add", "value": 1}],
    [None],
])
def test_operations_that_do_not_apply_are_a_generic_422(patch: list[Any]) -> None:
    with pytest.raises(UnprocessablePatch) as err:
        apply_json_patch(deployment(), patch)
    assert err.value.status() == {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": "the server rejected our request due to an error in our request",
        "reason": "Invalid", "details": {}, "code": 422}


@pytest.mark.parametrize("patch, message", [
    ({"op": "add", "path": "/a", "value": 1},
     "json: cannot unmarshal object into Go value of type jsonpatch.Patch"),
    ("[]", "json: cannot unmarshal string into Go value of type jsonpatch.Patch"),
    (["add"], "json: cannot unmarshal string into Go value of type jsonpatch.Operation"),
    ([[1]], "json: cannot unmarshal array into Go value of type jsonpatch.Operation"),
])
def test_bodies_that_are_not_operation_lists(patch: Any, message: str) -> None:
    with pytest.raises(BadRequest) as err:
        apply_json_patch({"a": 1}, patch)
    assert err.value.message == message


def test_too_many_operations() -> None:
    patch = [{"op": "test", "path": "/a", "value": 1}] * (MAX_OPERATIONS + 1)
    with pytest.raises(TooManyOperations) as err:
        apply_json_patch({"a": 1}, patch)
    assert err.value.status()["code"] == 413
    assert err.value.status()["reason"] == "RequestEntityTooLarge"
    assert err.value.message == ("Request entity too large: The allowed maximum operations "
                                 "in a JSON patch is 10000, got 10001")
