"""JSON merge patch (RFC 7386) as kube-apiserver applies it (evanphx/json-patch v4)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kitlib.sim.machinery.errors import BadRequest
from kitlib.sim.machinery.patch import apply_merge_patch, create_merge_patch

# RFC 7386, appendix A (the cases whose patch is an object).
RFC_EXAMPLES = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize("target, patch, expected", RFC_EXAMPLES)
def test_rfc7386_examples(target: Any, patch: Any, expected: Any) -> None:
    assert apply_merge_patch(target, patch) == expected


def test_kubectl_scale_and_label_bodies() -> None:
    deploy = {"metadata": {"name": "d", "labels": {"app": "web"}},
              "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "c"}]}}}}
    scaled = apply_merge_patch(deploy, {"spec": {"replicas": 3}})
    assert scaled["spec"] == {"replicas": 3, "template": {"spec": {"containers": [{"name": "c"}]}}}
    labelled = apply_merge_patch(scaled, {"metadata": {"labels": {"app": None, "tier": "fe"}}})
    assert labelled["metadata"] == {"name": "d", "labels": {"tier": "fe"}}


def test_lists_are_replaced_not_merged() -> None:
    pod = {"spec": {"containers": [{"name": "a"}, {"name": "b"}]}}
    assert apply_merge_patch(pod, {"spec": {"containers": [{"name": "c"}]}}) == {
        "spec": {"containers": [{"name": "c"}]}}


def test_null_pruning_follows_evanphx() -> None:
    # A value replacing a non-object loses its nulls, also in objects inside lists;
    # null list items stay.
    assert apply_merge_patch({"a": "s"}, {"a": [{"x": None, "y": 1}, None]}) == {
        "a": [{"y": 1}, None]}
    # ... but a non-object replacing an object is taken as it is.
    assert apply_merge_patch({"a": {"b": 1}}, {"a": [{"x": None}]}) == {"a": [{"x": None}]}


def test_inputs_are_not_changed_and_results_are_independent() -> None:
    target = {"a": {"b": [1, 2]}, "c": {"d": 1}}
    patch = {"a": {"e": {"f": 1}}, "c": None}
    saved = copy.deepcopy((target, patch))
    result = apply_merge_patch(target, patch)
    result["a"]["b"].append(3)
    result["a"]["e"]["g"] = 2
    assert (target, patch) == saved


@pytest.mark.parametrize("patch, message", [
    (None, "Invalid JSON Patch"),
    ([{"op": "add"}], "error decoding patch: json: cannot unmarshal array into Go value "
                      "of type map[string]interface {}"),
    ("x", "error decoding patch: json: cannot unmarshal string into Go value of type "
          "map[string]interface {}"),
    (3, "error decoding patch: json: cannot unmarshal number into Go value of type "
        "map[string]interface {}"),
])
def test_bodies_that_are_not_objects(patch: Any, message: str) -> None:
    with pytest.raises(BadRequest) as err:
        apply_merge_patch({"a": 1}, patch)
    assert err.value.message == message
    assert err.value.status()["code"] == 400


@pytest.mark.parametrize("original, modified, expected", [
    ({"a": 1}, {"a": 1}, {}),
    ({"a": 1}, {"a": 1.0}, {}),
    ({"a": 1}, {"a": True}, {"a": True}),
    ({"a": {"b": 1, "c": 2}}, {"a": {"b": 1}}, {"a": {"c": None}}),
    ({"a": [1, 2]}, {"a": [1, 2, 3]}, {"a": [1, 2, 3]}),
    ({"a": {"b": 1}}, {"a": "x"}, {"a": "x"}),
    ({"metadata": {"labels": {"app": "web"}}},
     {"metadata": {"labels": {"app": "web", "tier": "fe"}}},
     {"metadata": {"labels": {"tier": "fe"}}}),
])
def test_create_merge_patch(original: Any, modified: Any, expected: Any) -> None:
    patch = create_merge_patch(original, modified)
    assert patch == expected
    assert apply_merge_patch(original, patch) == modified
