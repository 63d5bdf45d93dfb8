"""Server-side apply: merging, pruning, ownership, conflicts and errors (hand-built schema).

Expected entries and messages are what structured-merge-diff and k8s.io/apiserver's field
manager produce for the same sequence of requests.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kitlib.sim.machinery.errors import BadRequest, Conflict
from kitlib.sim.machinery.patch.apply import ApplyConflict, ApplyFailed, merge, server_side_apply
from kitlib.sim.machinery.patch.fieldpath import root_shape
from kitlib.sim.machinery.patch.managedfields import update_managed_fields

from .test_managedfields_fieldpath import CONFIGMAP, DEPLOYMENT, SCHEMA
from .test_managedfields_update import T0, T1, T2, entry

NGINX = 'k:{"name":"nginx"}'


def config(**spec: Any) -> dict:
    body = {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
                         {"name": "nginx", "image": "nginx:1.25",
                          "ports": [{"containerPort": 80}], "env": [{"name": "A", "value": "1"}]}]}}}}
    body["spec"].update(spec)
    return body


APPLIED = {
    "f:metadata": {"f:labels": {"f:app": {}}},
    "f:spec": {"f:replicas": {}, "f:selector": {}, "f:template": {
        "f:metadata": {"f:labels": {"f:app": {}}},
        "f:spec": {"f:containers": {NGINX: {
            ".": {}, "f:env": {'k:{"name":"A"}': {".": {}, "f:name": {}, "f:value": {}}},
            "f:image": {}, "f:name": {},
            "f:ports": {'k:{"containerPort":80,"protocol":"TCP"}': {".": {}, "f:containerPort": {}}},
        }}}}},
}


def apply(live: dict | None, body: dict, manager: str = "kubectl", now: str = T0, *,
          force: bool = False, type_name: str = DEPLOYMENT, api_version: str = "apps/v1",
          **kw: Any) -> dict:
    return server_side_apply(live=live, applied=body, manager=manager, force=force,
                             schema=SCHEMA, type_name=type_name, api_version=api_version,
                             now=now, **kw)


def stored(obj: dict) -> dict:
    """What the registry would store: a few server-set fields on top of the result."""
    obj = copy.deepcopy(obj)
    obj["metadata"].update(uid="u-1", resourceVersion="7", creationTimestamp=T0)
    return obj


def edit(obj: dict, change: Any, manager: str, now: str = T1) -> dict:
    new = copy.deepcopy(obj)
    change(new)
    update_managed_fields(old=obj, new=new, manager=manager, schema=SCHEMA,
                          type_name=DEPLOYMENT, api_version="apps/v1", now=now)
    return new


def without_managed(obj: dict) -> dict:
    obj = copy.deepcopy(obj)
    obj["metadata"].pop("managedFields", None)
    return obj


# --- create, re-apply, and applying less ------------------------------------------------

def test_create_owns_exactly_the_applied_fields() -> None:
    obj = apply(None, config())
    assert obj["metadata"]["managedFields"] == [entry("kubectl", APPLIED, op="Apply",
                                                      api="apps/v1")]
    assert without_managed(obj) == config()        # defaulting is the registry's job


def test_applying_the_same_config_again_changes_nothing() -> None:
    live = stored(apply(None, config()))
    again = apply(live, config(), now=T1)
    assert again == live                             # time stays: the object did not change


def test_fields_left_out_of_the_next_apply_are_removed() -> None:
    live = stored(apply(None, config()))
    body = config()
    del body["metadata"]["labels"]
    del body["spec"]["template"]["spec"]["containers"][0]["env"]
    obj = apply(live, body, now=T1)
    assert "labels" not in obj["metadata"]
    assert "env" not in obj["spec"]["template"]["spec"]["containers"][0]
    assert obj["metadata"]["uid"] == "u-1"           # never owned, never pruned
    fields = copy.deepcopy(APPLIED)
    del fields["f:metadata"]
    del fields["f:spec"]["f:template"]["f:spec"]["f:containers"][NGINX]["f:env"]
    assert obj["metadata"]["managedFields"] == [entry("kubectl", fields, T1, op="Apply",
                                                      api="apps/v1")]


def test_a_field_another_manager_owns_survives_being_left_out() -> None:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"},
            "data": {"x": "1", "y": "1"}}
    live = apply(None, body, "a", type_name=CONFIGMAP, api_version="v1")
    shared = apply(live, {**body, "data": {"x": "1"}}, "b", T1, type_name=CONFIGMAP,
                   api_version="v1")
    assert shared["metadata"]["managedFields"] == [
        # a co-owner that changed nothing gets no time, and so sorts first
        entry("b", {"f:data": {"f:x": {}}}, None, op="Apply"),
        entry("a", {"f:data": {"f:x": {}, "f:y": {}}}, op="Apply"),
    ]
    out = apply(shared, {**body, "data": {"y": "1"}}, "a", T2, type_name=CONFIGMAP,
                api_version="v1")
    assert out["data"] == {"x": "1", "y": "1"}


def test_an_item_left_out_goes_with_everything_in_it() -> None:
    body = config()
    body["spec"]["template"]["spec"]["containers"].append({"name": "sidecar", "image": "busybox"})
    live = stored(apply(None, body))
    live["spec"]["template"]["spec"]["containers"][1]["imagePullPolicy"] = "Always"  # defaulted
    obj = apply(live, config(), now=T1)
    assert [c["name"] for c in obj["spec"]["template"]["spec"]["containers"]] == ["nginx"]
    assert obj["metadata"]["managedFields"] == [entry("kubectl", APPLIED, T1, op="Apply",
                                                      api="apps/v1")]


def test_nulls_in_the_config_unset_fields_but_are_owned() -> None:
    live = stored(apply(None, config()))
    obj = apply(live, config(replicas=None), now=T1)
    assert "replicas" not in obj["spec"]
    assert "f:replicas" in obj["metadata"]["managedFields"][0]["fieldsV1"]["f:spec"]


def test_the_result_shares_nothing_with_the_inputs() -> None:
    live = stored(apply(None, config()))
    body = config(replicas=3)
    obj = apply(live, body, now=T1)
    obj["spec"]["template"]["spec"]["containers"][0]["ports"].append({"containerPort": 1})
    obj["metadata"]["labels"]["x"] = "y"
    assert live == stored(apply(None, config())) and body == config(replicas=3)


# --- conflicts and force ------------------------------------------------------------------

def test_changing_a_field_someone_else_changed_is_a_conflict() -> None:
    live = stored(apply(None, config()))
    scaled = edit(live, lambda o: o["spec"].update(replicas=5), "kubectl-edit")
    with pytest.raises(ApplyConflict) as caught:
        apply(scaled, config(), now=T2)
    err = caught.value
    assert isinstance(err, Conflict)
    assert err.status() == {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: '
                   ".spec.replicas",
        "reason": "Conflict",
        "details": {"causes": [{"reason": "FieldManagerConflict",
                                "message": 'conflict with "kubectl-edit" using apps/v1',
                                "field": ".spec.replicas"}]},
        "code": 409,
    }


def test_force_takes_the_field_over() -> None:
    live = stored(apply(None, config()))
    scaled = edit(live, lambda o: o["spec"].update(replicas=5), "kubectl-edit")
    obj = apply(scaled, config(), now=T2, force=True)
    assert obj["spec"]["replicas"] == 2
    assert obj["metadata"]["managedFields"] == [entry("kubectl", APPLIED, T2, op="Apply",
                                                      api="apps/v1")]


def test_conflicts_with_several_managers_are_grouped_by_manager() -> None:
    live = stored(apply(None, config()))
    one = edit(live, lambda o: o["spec"].update(replicas=5), "kubectl-edit")
    two = edit(one, lambda o: o["spec"]["template"]["spec"]["containers"][0].update(image="x"),
               "kubectl-set", T2)
    with pytest.raises(ApplyConflict) as caught:
        apply(two, config(), now=T2)
    assert caught.value.message == (
        'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n'
        "- .spec.replicas\n"
        'conflicts with "kubectl-set" using apps/v1:\n'
        '- .spec.template.spec.containers[name="nginx"].image')
    assert [c["field"] for c in caught.value.details["causes"]] == [
        ".spec.replicas", '.spec.template.spec.containers[name="nginx"].image']


def test_conflicts_with_one_manager_list_each_field() -> None:
    live = stored(apply(None, config()))

    def change(o: dict) -> None:
        o["spec"]["replicas"] = 5
        o["spec"]["template"]["spec"]["containers"][0]["image"] = "x"
    edited = edit(live, change, "kubectl-edit")
    with pytest.raises(ApplyConflict) as caught:
        apply(edited, config(), now=T2)
    assert caught.value.message == (
        'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n'
        "- .spec.replicas\n"
        '- .spec.template.spec.containers[name="nginx"].image')


def test_a_subresource_writer_is_named_with_its_subresource() -> None:
    live = stored(apply(None, config()))
    scaled = copy.deepcopy(live)
    scaled["spec"]["replicas"] = 5
    update_managed_fields(old=live, new=scaled, manager="kubectl", schema=SCHEMA,
                          type_name=DEPLOYMENT, api_version="apps/v1", now=T1,
                          subresource="scale")
    with pytest.raises(ApplyConflict) as caught:
        apply(scaled, config(), "kubectl", T2)
    assert caught.value.message == ('Apply failed with 1 conflict: conflict with "kubectl" with '
                                    'subresource "scale" using apps/v1: .spec.replicas')


def test_appliers_share_equal_values_and_conflict_on_different_ones() -> None:
    live = stored(apply(None, config(), "a"))
    both = apply(live, config(), "b", T1)
    with pytest.raises(ApplyConflict) as caught:
        apply(both, config(replicas=4), "a", T2)
    assert caught.value.message == ('Apply failed with 1 conflict: conflict with "b": '
                                    ".spec.replicas")


def test_an_object_without_managed_fields_is_owned_by_before_first_apply() -> None:
    live = without_managed(stored(apply(None, config(replicas=3))))
    with pytest.raises(ApplyConflict) as caught:
        apply(live, config(), "mine", T1)
    assert caught.value.message == ('Apply failed with 1 conflict: conflict with '
                                    '"before-first-apply" using apps/v1: .spec.replicas')


# --- how lists, sets, maps and status merge ---------------------------------------------------

@pytest.mark.parametrize(("live", "applied", "merged"), [
    ("abc", "ca", "bca"),            # shared items take the config's order
    ("ab", "bxa", "bxa"),
    ("azb", "ba", "zba"),            # the others stay where they were
    ("ab", "c", "abc"),
])
def test_keyed_list_order(live: str, applied: str, merged: str) -> None:
    shape = root_shape(SCHEMA, f"{SCHEMA.types[DEPLOYMENT].name}")
    containers = shape.child("spec")[0].child("template")[0].child("spec")[0] \
        .child("containers")[0]
    out = merge([{"name": n} for n in live], [{"name": n} for n in applied], containers)
    assert "".join(c["name"] for c in out) == merged


def test_sets_merge_by_value_and_atomics_are_replaced_whole() -> None:
    live = stored(apply(None, {**config(), "metadata": {
        "name": "web", "finalizers": ["a"]}}, "one"))
    body = config()
    body["metadata"] = {"name": "web", "finalizers": ["b"]}
    body["spec"]["selector"] = {"matchExpressions": [{"key": "app", "operator": "Exists"}]}
    body["spec"]["template"]["spec"]["nodeSelector"] = {"disk": "ssd"}
    obj = apply(live, body, "two", T1, force=True)
    assert obj["metadata"]["finalizers"] == ["a", "b"]
    assert obj["spec"]["selector"] == {"matchExpressions": [{"key": "app", "operator": "Exists"}]}
    two = obj["metadata"]["managedFields"][1]["fieldsV1"]
    assert two["f:metadata"] == {"f:finalizers": {'v:"b"': {}}}
    assert two["f:spec"]["f:selector"] == {}
    assert two["f:spec"]["f:template"]["f:spec"]["f:nodeSelector"] == {}


def test_status_on_the_main_resource_is_not_owned() -> None:
    obj = apply(None, {**config(), "status": {"replicas": 3}})
    assert "f:status" not in obj["metadata"]["managedFields"][0]["fieldsV1"]


def test_status_subresource_apply_owns_status_only() -> None:
    live = stored(apply(None, config()))
    body = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 9}, "status": {"readyReplicas": 1}}
    obj = apply(live, body, "ctrl", T1, subresource="status")
    assert obj["metadata"]["managedFields"][1] == entry(
        "ctrl", {"f:status": {"f:readyReplicas": {}}}, T1, op="Apply", api="apps/v1",
        sub="status")


# --- requests the server refuses ----------------------------------------------------------

@pytest.mark.parametrize(("change", "message"), [
    ({"kind": "Deploymen"}, "invalid object type: apps/v1, Kind=Deploymen"),
    ({"apiVersion": None}, "invalid object type: /, Kind=Deployment"),
    ({"apiVersion": "v1"}, "invalid object type: /v1, Kind=Deployment"),
])
def test_a_config_of_another_kind_is_a_bad_request(change: dict, message: str) -> None:
    body = {**config(), **change}
    with pytest.raises(BadRequest) as caught:
        apply(None, body)
    assert caught.value.status()["message"] == message and caught.value.code == 400


def test_a_config_that_is_not_an_object_is_a_bad_request() -> None:
    with pytest.raises(BadRequest, match="cannot unmarshal array into Go value"):
        apply(None, [config()])  # type: ignore[arg-type]


def test_managed_fields_in_the_config_are_a_bad_request() -> None:
    body = config()
    body["metadata"]["managedFields"] = []
    with pytest.raises(BadRequest, match="metadata.managedFields must be nil"):
        apply(None, body)


def test_untyped_configs_fail_with_smd_text_and_no_reason() -> None:
    with pytest.raises(ApplyFailed) as caught:
        apply(None, config(replicas="three"))
    assert caught.value.status() == {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": "failed to create typed patch object (default/web; apps/v1, Kind=Deployment):"
                   " .spec.replicas: expected numeric (int or float), got string",
        "code": 500,
    }
    body = config(replicas="three")
    body["spec"]["template"]["spec"]["containers"].append({"name": "nginx"})
    with pytest.raises(ApplyFailed) as caught:
        apply(None, body)
    assert caught.value.message.endswith(
        "Kind=Deployment): errors:\n  .spec.replicas: expected numeric (int or float), got "
        'string\n  .spec.template.spec.containers: duplicate entries for key [name="nginx"]')
