"""Strategic merge patch application: golden cases from the Kubernetes docs and kubectl."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kitlib.sim.machinery.errors import BadRequest
from kitlib.sim.machinery.patch import apply_strategic_merge_patch
from kitlib.sim.machinery.patch.errors import PatchFailed, UnprocessablePatch

from .test_patch_schema import DEPLOYMENT, ITEM, POD, SCHEMA, SERVICE


def smp(original: dict[str, Any], patch: Any, type_name: str = ITEM) -> dict[str, Any]:
    return apply_strategic_merge_patch(original, patch, schema=SCHEMA, type_name=type_name)


def deployment() -> dict[str, Any]:
    """The ``patch-demo`` Deployment of the "kubectl patch" task page."""
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "patch-demo", "namespace": "default"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "nginx"}},
            "strategy": {"type": "RollingUpdate",
                         "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "template": {
                "metadata": {"labels": {"app": "nginx"}},
                "spec": {
                    "containers": [{"name": "patch-demo-ctr", "image": "nginx"}],
                    "tolerations": [{"effect": "NoSchedule", "key": "dedicated",
                                     "value": "test-team"}],
                },
            },
        },
    }


def pod_spec(result: dict[str, Any]) -> dict[str, Any]:
    return result["spec"]["template"]["spec"]


# --- the kubectl patch task page -------------------------------------------------------

def test_adding_a_container_merges_by_name_and_puts_the_new_one_first() -> None:
    patch = {"spec": {"template": {"spec": {"containers": [
        {"name": "patch-demo-ctr-2", "image": "redis"}]}}}}
    result = smp(deployment(), patch, DEPLOYMENT)
    assert pod_spec(result)["containers"] == [
        {"name": "patch-demo-ctr-2", "image": "redis"},
        {"name": "patch-demo-ctr", "image": "nginx"},
    ]
    assert result["spec"]["replicas"] == 2


def test_tolerations_have_no_merge_strategy_and_are_replaced() -> None:
    patch = {"spec": {"template": {"spec": {"tolerations": [
        {"effect": "NoSchedule", "key": "disktype", "value": "ssd"}]}}}}
    result = smp(deployment(), patch, DEPLOYMENT)
    assert pod_spec(result)["tolerations"] == [
        {"effect": "NoSchedule", "key": "disktype", "value": "ssd"}]
    assert pod_spec(result)["containers"] == [{"name": "patch-demo-ctr", "image": "nginx"}]


def test_changing_a_container_image_keeps_the_other_fields() -> None:
    original = deployment()
    pod_spec(original)["containers"][0]["ports"] = [{"containerPort": 80}]
    patch = {"spec": {"template": {"spec": {"containers": [
        {"name": "patch-demo-ctr", "image": "nginx:1.16"}]}}}}
    assert pod_spec(smp(original, patch, DEPLOYMENT))["containers"] == [
        {"name": "patch-demo-ctr", "image": "nginx:1.16", "ports": [{"containerPort": 80}]}]


def test_strategy_type_alone_merges_and_keeps_rolling_update() -> None:
    # The docs show this patch being refused by validation: rollingUpdate stays.
    result = smp(deployment(), {"spec": {"strategy": {"type": "Recreate"}}}, DEPLOYMENT)
    assert result["spec"]["strategy"] == {
        "type": "Recreate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}


def test_retain_keys_clears_the_fields_it_does_not_name() -> None:
    patch = {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate"}}}
    assert smp(deployment(), patch, DEPLOYMENT)["spec"]["strategy"] == {"type": "Recreate"}


def test_kubectl_set_image_patch() -> None:
    patch = {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "patch-demo-ctr"}],
        "containers": [{"image": "nginx:1.25", "name": "patch-demo-ctr"}]}}}}
    result = smp(deployment(), patch, DEPLOYMENT)
    assert pod_spec(result)["containers"] == [{"name": "patch-demo-ctr", "image": "nginx:1.25"}]
    assert "$setElementOrder/containers" not in pod_spec(result)


def test_kubectl_rollout_restart_and_pause_patches() -> None:
    restart = {"spec": {"template": {"metadata": {"annotations": {
        "kubectl.kubernetes.io/restartedAt": "2024-12-01T10:00:00Z"}}}}}
    result = smp(smp(deployment(), restart, DEPLOYMENT), {"spec": {"paused": True}}, DEPLOYMENT)
    assert result["spec"]["template"]["metadata"] == {
        "labels": {"app": "nginx"},
        "annotations": {"kubectl.kubernetes.io/restartedAt": "2024-12-01T10:00:00Z"}}
    assert result["spec"]["paused"] is True


# --- directives -------------------------------------------------------------------------

def test_patch_delete_in_a_list_removes_the_item() -> None:
    original = deployment()
    pod_spec(original)["containers"].append({"name": "sidecar", "image": "busybox"})
    patch = {"spec": {"template": {"spec": {"containers": [
        {"name": "patch-demo-ctr", "$patch": "delete"}]}}}}
    assert pod_spec(smp(original, patch, DEPLOYMENT))["containers"] == [
        {"name": "sidecar", "image": "busybox"}]


def test_patch_replace_in_a_list_takes_the_patch_items_only() -> None:
    original = {"mergingList": [{"name": "a", "value": "1"}, {"name": "b"}]}
    patch = {"mergingList": [{"name": "c", "other": "x"}, {"$patch": "replace"}]}
    assert smp(original, patch) == {"mergingList": [{"name": "c", "other": "x"}]}


def test_patch_replace_in_a_map_replaces_it() -> None:
    original = {"metadata": {"name": "p", "labels": {"a": "1", "b": "2"}}}
    patch = {"metadata": {"labels": {"$patch": "replace", "c": "3"}}}
    assert smp(original, patch, POD) == {"metadata": {"name": "p", "labels": {"c": "3"}}}


def test_patch_delete_in_a_map_empties_it() -> None:
    patch = {"spec": {"strategy": {"rollingUpdate": {"$patch": "delete"}}}}
    assert smp(deployment(), patch, DEPLOYMENT)["spec"]["strategy"] == {
        "type": "RollingUpdate", "rollingUpdate": {}}


def test_null_deletes_a_key_and_is_dropped_where_there_is_nothing() -> None:
    original = {"metadata": {"name": "p", "labels": {"a": "1", "b": "2"}}}
    patch = {"metadata": {"labels": {"a": None, "zzz": None}}, "spec": None}
    assert smp(original, patch, POD) == {"metadata": {"name": "p", "labels": {"b": "2"}}}


def test_nulls_inside_a_new_value_are_discarded() -> None:
    patch = {"spec": {"nodeSelector": {"disk": "ssd", "zone": None}}}
    assert smp({"spec": {}}, patch, POD) == {"spec": {"nodeSelector": {"disk": "ssd"}}}


def test_directive_maps_inside_a_new_value_are_removed() -> None:
    # Kubernetes 1.28+ strips them (a new map with $patch vanishes entirely).
    patch = {"metadata": {"labels": {"$patch": "replace", "a": "1"}},
             "spec": {"containers": [{"name": "c", "image": "x"},
                                     {"name": "d", "$patch": "delete"}]}}
    assert smp({}, patch, POD) == {"metadata": {}, "spec": {
        "containers": [{"name": "c", "image": "x"}]}}


def test_finalizers_are_a_set() -> None:
    original = {"metadata": {"finalizers": ["a", "b"]}}
    result = smp(original, {"metadata": {"finalizers": ["b", "c"]}}, POD)
    assert result == {"metadata": {"finalizers": ["a", "b", "c"]}}


def test_delete_from_primitive_list() -> None:
    original = {"metadata": {"finalizers": ["a", "b", "c", "b"]}}
    patch = {"metadata": {"$deleteFromPrimitiveList/finalizers": ["b", "zzz"]}}
    assert smp(original, patch, POD) == {"metadata": {"finalizers": ["a", "c"]}}


def test_delete_from_primitive_list_on_a_list_without_merge_strategy() -> None:
    patch = {"$deleteFromPrimitiveList/nonMergingIntList": [2]}
    assert smp({"nonMergingIntList": [1, 2, 3]}, patch) == {"nonMergingIntList": [1, 3]}


def test_set_element_order_reorders_containers() -> None:
    original = {"spec": {"containers": [{"name": "a", "image": "1"},
                                        {"name": "b", "image": "2"},
                                        {"name": "c", "image": "3"}]}}
    patch = {"spec": {"$setElementOrder/containers": [{"name": "c"}, {"name": "a"},
                                                      {"name": "b"}]}}
    assert [c["name"] for c in smp(original, patch, POD)["spec"]["containers"]] == [
        "c", "a", "b"]


def test_merge_keys_may_be_numbers() -> None:
    original = {"spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080},
                                   {"name": "https", "port": 443}]}}
    patch = {"spec": {"ports": [{"port": 80, "targetPort": "web"}]}}
    assert smp(original, patch, SERVICE)["spec"]["ports"] == [
        {"name": "http", "port": 80, "targetPort": "web"}, {"name": "https", "port": 443}]


def test_merge_key_values_compare_with_their_json_types() -> None:
    original = {"mergingList": [{"name": "1", "value": "string key"}]}
    result = smp(original, {"mergingList": [{"name": 1, "value": "number key"}]})
    assert result == {"mergingList": [{"name": 1, "value": "number key"},
                                      {"name": "1", "value": "string key"}]}


def test_a_value_of_another_type_replaces_the_old_one() -> None:
    result = smp({"spec": {"containers": [{"name": "c", "args": ["a"]}]}},
                 {"spec": {"containers": [{"name": "c", "args": "oops"}]}}, POD)
    assert result == {"spec": {"containers": [{"name": "c", "args": "oops"}]}}


def test_free_form_values_merge_like_json_merge_patch() -> None:
    original = {"freeForm": {"a": {"b": 1, "c": [1, 2]}, "d": 1}}
    patch = {"freeForm": {"a": {"c": [3], "e": None}, "d": None}}
    assert smp(original, patch) == {"freeForm": {"a": {"b": 1, "c": [3]}}}


def test_replace_strategy_takes_the_patch_value_whole() -> None:
    original = {"replacingItem": {"Some": "Generic", "Field": "Period"}}
    patch = {"replacingItem": {"Newly": "Modified"}}
    assert smp(original, patch) == {"replacingItem": {"Newly": "Modified"}}


def test_whole_object_directives() -> None:
    assert smp({"name": "a", "value": "b"}, {"$patch": "replace", "other": "c"}) == {
        "other": "c"}
    assert smp({"name": "a"}, {"$patch": "delete"}) == {}


def test_null_patch_changes_nothing() -> None:
    assert smp({"name": "a"}, None) == {"name": "a"}


def test_inputs_are_not_changed_and_results_share_nothing_with_them() -> None:
    original = deployment()
    patch = {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "x"}, {"name": "patch-demo-ctr"}],
        "containers": [{"name": "x", "image": "redis", "env": [{"name": "A"}]}]}}}}
    saved_original, saved_patch = copy.deepcopy(original), copy.deepcopy(patch)
    result = smp(original, patch, DEPLOYMENT)
    assert (original, patch) == (saved_original, saved_patch)
    pod_spec(result)["containers"][0]["env"].append({"name": "B"})
    result["spec"]["selector"]["matchLabels"]["x"] = "y"
    assert (original, patch) == (saved_original, saved_patch)


# --- errors, as the real server reports them --------------------------------------------

def status_of(original: dict[str, Any], patch: Any, type_name: str = ITEM) -> dict[str, Any]:
    with pytest.raises(Exception) as err:
        smp(original, patch, type_name)
    return err.value.status()     # type: ignore[attr-defined]


def test_missing_merge_key_is_a_bad_request_not_a_500() -> None:
    # A real server answers this with a reasonless 500; the simulator never answers 500 for
    # a client's mistake, so it is a 400 with the same message.
    patch = {"spec": {"template": {"spec": {"containers": [{"image": "nginx:1.16"}]}}}}
    status = status_of(deployment(), patch, DEPLOYMENT)
    assert status == {"kind": "Status", "apiVersion": "v1", "metadata": {},
                      "status": "Failure",
                      "message": "map: map[image:nginx:1.16] does not contain declared "
                                 "merge key: name",
                      "reason": "BadRequest", "code": 400}


def test_go_map_rendering_in_messages_sorts_keys_and_nests() -> None:
    patch = {"spec": {"volumes": [{"hostPath": {"path": "/var/lib/kubelet/pods"}}]}}
    assert status_of({"spec": {"volumes": [{"name": "v"}]}}, patch, POD)["message"] == (
        "map: map[hostPath:map[path:/var/lib/kubelet/pods]] does not contain declared "
        "merge key: name")


@pytest.mark.parametrize("patch, message", [
    ({"mergingList": [{"name": "a", "$patch": "merge"}]},
     "merging lists cannot yet be specified in the patch"),
    ({"mergingList": [{"name": "a", "$patch": "bogus"}]},
     "unknown patch type: bogus in map: map[$patch:bogus name:a]"),
    ({"simpleMap": {"$patch": "merge", "k": "v"}},
     "unknown patch type: merge in map: map[$patch:merge k:v]"),
    ({"simpleMap": {"$patch": 1}}, "unknown patch type: %!s(int64=1) in map: map[$patch:1]"),
    ({"mergingList": [{"$patch": "delete"}]},
     "map: map[$patch:delete] does not contain declared merge key: name"),
    ({"mergingList": ["a"]}, "list element types are not identical: "
                             "[[map[name:a]] [a]]"),
    ({"$setElementOrder/mergingList": "a"},
     "expected a []interface {}, but received a string"),
    ({"$setElementOrder/mergingList": [{"name": "b"}, {"name": "a"}],
      "mergingList": [{"name": "a"}, {"name": "b"}]},
     "The order in patch list:\n[map[name:a] map[name:b]]\n doesn't match $setElementOrder "
     "list:\n[map[name:b] map[name:a]]\n"),
    ({"$setElementOrder/nope": []},
     'unable to find api field in struct MergeItem for the json field "nope"'),
])
def test_go_errors(patch: dict[str, Any], message: str) -> None:
    original = {"mergingList": [{"name": "a"}], "simpleMap": {"k": "v"}}
    with pytest.raises(PatchFailed) as err:
        smp(original, patch)
    assert err.value.message == message
    assert err.value.code == 400   # a 500 on a real server; never here


@pytest.mark.parametrize("patch, message", [
    ({"retainKeysMap": {"$retainKeys": "name"}}, "invalid patch format of retainKeys"),
    ({"retainKeysMap": {"$retainKeys": ["name"], "value": "x"}},
     "invalid patch format of retainKeys"),
    ({"$deleteFromPrimitiveListX": [1]}, "invalid patch format of primitive list"),
    ({"$setElementOrder": [1]}, "invalid patch format of setElementOrder list"),
])
def test_malformed_directives_are_bad_requests(patch: dict[str, Any], message: str) -> None:
    with pytest.raises(BadRequest) as err:
        smp({"retainKeysMap": {"name": "a"}}, patch)
    assert err.value.status()["reason"] == "BadRequest"
    assert err.value.message == message


def test_lists_of_lists_are_a_generic_422() -> None:
    status = status_of({"mergingIntList": [[1]]}, {"mergingIntList": [[2]]})
    assert status["code"] == 422
    assert status["reason"] == "Invalid"
    assert status["message"] == ("the server rejected our request due to an error in our "
                                 "request")
    assert status["details"] == {}


def test_a_body_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(BadRequest, match="cannot unmarshal array into Go value of type "
                                         r"map\[string\]interface \{\}"):
        smp({}, [{"op": "add"}])


def test_errors_carry_the_unknown_reason_only_when_go_has_one() -> None:
    err = UnprocessablePatch("lists of lists are not supported")
    assert err.cause == "lists of lists are not supported"
    assert PatchFailed("x").status()["code"] == 400


def test_a_live_item_without_its_merge_key_breaks_merging_that_list() -> None:
    # kubernetes/kubernetes#98963: "imagePullSecrets: [{}]" got stored, then every
    # strategic patch touching the list fails.
    original = {"spec": {"imagePullSecrets": [{}], "containers": [{"name": "c"}]}}
    status = status_of(original, {"spec": {"imagePullSecrets": [{"name": "regcred"}]}}, POD)
    assert status["message"] == "map: map[] does not contain declared merge key: name"
    # Patches that leave the list alone still work.
    assert smp(original, {"spec": {"restartPolicy": "Never"}}, POD)["spec"] == {
        "imagePullSecrets": [{}], "containers": [{"name": "c"}], "restartPolicy": "Never"}
