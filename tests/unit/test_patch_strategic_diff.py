"""Two- and three-way strategic merge patches, as kubectl edit/set/apply compute them."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kitlib.sim.machinery.patch import (apply_strategic_merge_patch,
                                        create_three_way_merge_patch,
                                        create_two_way_merge_patch)

from .test_patch_schema import DEPLOYMENT, ITEM, POD, SCHEMA


def two_way(original: Any, modified: Any, type_name: str = ITEM) -> dict[str, Any]:
    return create_two_way_merge_patch(original, modified, schema=SCHEMA, type_name=type_name)


def three_way(original: Any, modified: Any, current: Any,
              type_name: str = ITEM) -> dict[str, Any]:
    return create_three_way_merge_patch(original, modified, current, schema=SCHEMA,
                                        type_name=type_name)


def smp(original: dict[str, Any], patch: dict[str, Any],
        type_name: str = ITEM) -> dict[str, Any]:
    return apply_strategic_merge_patch(original, patch, schema=SCHEMA, type_name=type_name)


def order(*keys: Any) -> list[dict[str, Any]]:
    return [{"name": k} for k in keys]


# (description, original, modified, current, two-way patch, three-way patch, result)
CASES: list[tuple[str, Any, Any, Any, Any, Any, Any]] = [
    ("no change", {"name": 1}, {"name": 1}, {"name": 1}, {}, {}, {"name": 1}),
    ("a field the live object changed is set back",
     {"name": 1}, {"name": 1, "value": 1}, {"name": "a", "other": "a"},
     {"value": 1}, {"name": 1, "value": 1}, {"name": 1, "value": 1, "other": "a"}),
    ("deletions come from the last-applied configuration only",
     {"name": 1, "value": 1}, {"other": "a"}, {"name": 1, "value": 1, "other": "b"},
     {"name": None, "value": None, "other": "a"}, {"name": None, "value": None, "other": "a"},
     {"other": "a"}),
    ("deleting from a nested map",
     {"simpleMap": {"key1": 1, "key2": 1}}, {"simpleMap": {"key1": 1}},
     {"simpleMap": {"key1": "a", "key2": 1, "other": "a"}},
     {"simpleMap": {"key2": None}}, {"simpleMap": {"key1": 1, "key2": None}},
     {"simpleMap": {"key1": 1, "other": "a"}}),
    ("deleting scalars from a merged list",
     {"mergingIntList": [1, 2, 3]}, {"mergingIntList": [1, 2, 4]},
     {"mergingIntList": [1, 2, 3, 4]},
     {"$setElementOrder/mergingIntList": [1, 2, 4],
      "$deleteFromPrimitiveList/mergingIntList": [3], "mergingIntList": [4]},
     {"$setElementOrder/mergingIntList": [1, 2, 4],
      "$deleteFromPrimitiveList/mergingIntList": [3]},
     {"mergingIntList": [1, 2, 4]}),
    ("merging lists of maps",
     {"mergingList": [{"name": 1}, {"name": 2, "value": 2}]},
     {"mergingList": [{"name": 1}, {"name": 2, "value": 2}, {"name": 3, "value": 3}]},
     {"mergingList": [{"name": 1, "other": "a"}, {"name": 2, "value": 3, "other": "b"}]},
     {"$setElementOrder/mergingList": order(1, 2, 3),
      "mergingList": [{"name": 3, "value": 3}]},
     {"$setElementOrder/mergingList": order(1, 2, 3),
      "mergingList": [{"name": 2, "value": 2}, {"name": 3, "value": 3}]},
     {"mergingList": [{"name": 1, "other": "a"}, {"name": 2, "value": 2, "other": "b"},
                      {"name": 3, "value": 3}]}),
    ("an item deleted in the last-applied configuration but gone from the live list",
     {"mergingList": order(1, 2)}, {"mergingList": order(2)},
     {"mergingList": [{"name": 3, "other": "a"}]},
     {"$setElementOrder/mergingList": order(2),
      "mergingList": [{"name": 1, "$patch": "delete"}]},
     {"$setElementOrder/mergingList": order(2),
      "mergingList": [{"name": 2}, {"name": 1, "$patch": "delete"}]},
     {"mergingList": [{"name": 2}, {"name": 3, "other": "a"}]}),
    ("nested merged lists carry their own order",
     {"mergingList": [{"name": 1, "mergingList": [{"name": 1}, {"name": 2, "value": 2}]},
                      {"name": 2}]},
     {"mergingList": [{"name": 1, "mergingList": [{"name": 2, "value": 2},
                                                  {"name": 1, "value": 1}]},
                      {"name": 2}]},
     {"mergingList": [{"name": 1, "other": "a",
                       "mergingList": [{"name": 2, "value": 2, "other": "d"}]},
                      {"name": 2, "other": "b"}]},
     {"$setElementOrder/mergingList": order(1, 2),
      "mergingList": [{"$setElementOrder/mergingList": order(2, 1), "name": 1,
                       "mergingList": [{"name": 1, "value": 1}]}]},
     {"$setElementOrder/mergingList": order(1, 2),
      "mergingList": [{"$setElementOrder/mergingList": order(2, 1), "name": 1,
                       "mergingList": [{"name": 1, "value": 1}]}]},
     {"mergingList": [{"name": 1, "other": "a",
                       "mergingList": [{"name": 2, "value": 2, "other": "d"},
                                       {"name": 1, "value": 1}]},
                      {"name": 2, "other": "b"}]}),
    ("retainKeys clears a union member set on the server",
     {}, {"retainKeysMap": {"name": "type2", "other": "bar"}},
     {"retainKeysMap": {"name": "type1", "value": "foo"}},
     {"retainKeysMap": {"name": "type2", "other": "bar"}},
     {"retainKeysMap": {"$retainKeys": ["name", "other"], "name": "type2",
                        "other": "bar"}},
     {"retainKeysMap": {"name": "type2", "other": "bar"}}),
    ("retainKeys with an unchanged merged list still orders it",
     {"retainKeysMap": {"name": "foo", "mergingIntList": [1, 2]}},
     {"retainKeysMap": {"name": "foo", "value": "bar", "mergingIntList": [1, 2]}},
     {"retainKeysMap": {"name": "foo", "mergingIntList": [1, 2, 3]}},
     {"retainKeysMap": {"$retainKeys": ["mergingIntList", "name", "value"],
                        "value": "bar"}},
     {"retainKeysMap": {"$retainKeys": ["mergingIntList", "name", "value"],
                        "$setElementOrder/mergingIntList": [1, 2], "value": "bar"}},
     {"retainKeysMap": {"name": "foo", "value": "bar", "mergingIntList": [1, 2, 3]}}),
    ("retainKeys on the items of a merged list",
     {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo", "value": "a"}]},
     {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo"}]},
     {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo", "value": "a",
                                                  "other": "x"}]},
     {"$setElementOrder/retainKeysMergingList": order("bar", "foo"),
      "retainKeysMergingList": [{"$retainKeys": ["name"], "name": "foo", "value": None}]},
     {"$setElementOrder/retainKeysMergingList": order("bar", "foo"),
      "retainKeysMergingList": [{"$retainKeys": ["name"], "name": "foo", "value": None}]},
     {"retainKeysMergingList": [{"name": "bar"}, {"name": "foo"}]}),
    ("a replaced free-form value is sent whole",
     {"replacingItem": {"Some": "Generic"}, "mergingList": order(1)},
     {"replacingItem": {"Newly": "Modified"}, "mergingList": order(1, 2)},
     {"replacingItem": {"Some": "Generic"}, "mergingList": order(1, 3)},
     {"$setElementOrder/mergingList": order(1, 2), "mergingList": order(2),
      "replacingItem": {"Newly": "Modified"}},
     {"$setElementOrder/mergingList": order(1, 2), "mergingList": order(2),
      "replacingItem": {"Newly": "Modified"}},
     {"replacingItem": {"Newly": "Modified"}, "mergingList": order(1, 2, 3)}),
]


@pytest.mark.parametrize("original, modified, current, two, three, result",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_patches_and_their_results(original: Any, modified: Any, current: Any, two: Any,
                                   three: Any, result: Any) -> None:
    assert two_way(original, modified) == two
    assert smp(original, two) == modified
    assert three_way(original, modified, current) == three
    assert smp(current, three) == result


def test_reordering_scalars_alone_sets_the_order() -> None:
    assert two_way({"mergingIntList": [1, 2, 3]}, {"mergingIntList": [3, 1, 2]}) == {
        "$setElementOrder/mergingIntList": [3, 1, 2]}


def test_scalar_order_check_compares_the_sorted_old_list() -> None:
    # Go sorts the old list in place before checking whether the order changed.
    assert two_way({"mergingIntList": [2, 1]}, {"mergingIntList": [1, 2]}) == {}


def test_kubectl_set_image_body() -> None:
    old = {"spec": {"containers": [{"name": "web", "image": "nginx:1.14"},
                                   {"name": "log", "image": "busybox"}]}}
    new = copy.deepcopy(old)
    new["spec"]["containers"][0]["image"] = "nginx:1.16"
    assert two_way(old, new, POD) == {"spec": {
        "$setElementOrder/containers": [{"name": "web"}, {"name": "log"}],
        "containers": [{"image": "nginx:1.16", "name": "web"}]}}


def test_kubectl_apply_switching_a_volume_source() -> None:
    last = {"spec": {"template": {"spec": {
        "containers": [{"name": "app", "image": "app:1"}],
        "volumes": [{"name": "conf", "configMap": {"name": "app-config"}}]}}}}
    new = {"spec": {"template": {"spec": {
        "containers": [{"name": "app", "image": "app:1"}],
        "volumes": [{"name": "conf", "secret": {"secretName": "app-secret"}}]}}}}
    live = copy.deepcopy(last)
    live["spec"]["replicas"] = 1
    patch = three_way(last, new, live, DEPLOYMENT)
    assert patch == {"spec": {"template": {"spec": {
        "$setElementOrder/volumes": [{"name": "conf"}],
        "volumes": [{"$retainKeys": ["name", "secret"], "configMap": None, "name": "conf",
                     "secret": {"secretName": "app-secret"}}]}}}}
    result = smp(live, patch, DEPLOYMENT)
    assert result["spec"]["template"]["spec"]["volumes"] == [
        {"name": "conf", "secret": {"secretName": "app-secret"}}]
    assert result["spec"]["replicas"] == 1


def test_kubectl_apply_removing_a_container_and_a_label() -> None:
    last = {"metadata": {"labels": {"app": "web", "tier": "fe"}},
            "spec": {"containers": [{"name": "web", "image": "nginx"},
                                    {"name": "log", "image": "busybox"}]}}
    new = {"metadata": {"labels": {"app": "web"}},
           "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
    live = copy.deepcopy(last)
    live["metadata"]["labels"]["added-by-hand"] = "yes"
    patch = three_way(last, new, live, POD)
    assert patch == {"metadata": {"labels": {"tier": None}}, "spec": {
        "$setElementOrder/containers": [{"name": "web"}],
        "containers": [{"name": "log", "$patch": "delete"}]}}
    assert smp(live, patch, POD) == {
        "metadata": {"labels": {"app": "web", "added-by-hand": "yes"}},
        "spec": {"containers": [{"name": "web", "image": "nginx"}]}}


def test_inputs_are_left_alone() -> None:
    original = {"mergingList": [{"name": 1, "value": 1}], "simpleMap": {"a": "b"}}
    modified = {"mergingList": [{"name": 1, "value": 2}, {"name": 2}]}
    current = copy.deepcopy(original)
    saved = copy.deepcopy((original, modified, current))
    patch = three_way(original, modified, current)
    patch["mergingList"].append("x")
    assert (original, modified, current) == saved
