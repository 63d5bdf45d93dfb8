"""Where merged list items end up: patch order, ``$setElementOrder`` and server-only items.

The expected lists are what k8s.io/apimachinery (Kubernetes 1.32) produces for the same
inputs; the odd-looking ones are consequences of its algorithm that kubectl users see.
"""

from __future__ import annotations

from typing import Any

import pytest

from kitlib.sim.machinery.patch import apply_strategic_merge_patch
from kitlib.sim.machinery.patch.strategic_order import (Positions, go_stable_sort,
                                                         sort_by_order)

from .test_patch_schema import ITEM, SCHEMA


def names(*keys: Any) -> list[dict[str, Any]]:
    return [{"name": k} for k in keys]


def smp(original: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    return apply_strategic_merge_patch(original, patch, schema=SCHEMA, type_name=ITEM)


CASES: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    ("the patch's order wins for the items it names",
     {"mergingList": [{"name": 1}, {"name": 2, "value": "b"}, {"name": 3}]},
     {"mergingList": [{"name": 3, "value": "c"}, {"name": 1, "value": "a"},
                      {"name": 2, "other": "x"}]},
     {"mergingList": [{"name": 3, "value": "c"}, {"name": 1, "value": "a"},
                      {"name": 2, "value": "b", "other": "x"}]}),
    ("server-only items keep their place before later patch items",
     {"mergingList": [{"name": 1}, {"name": 2, "value": "b"}, {"name": 3}]},
     {"mergingList": [{"name": 3, "value": "c"}, {"name": 1, "value": "a"}]},
     {"mergingList": [{"name": 2, "value": "b"}, {"name": 3, "value": "c"},
                      {"name": 1, "value": "a"}]}),
    ("scalars follow the same rule",
     {"mergingIntList": [1, 2, 3]}, {"mergingIntList": [3, 1]},
     {"mergingIntList": [2, 3, 1]}),
    ("set element order with an item the list lacks",
     {"mergingList": names(1, 3)},
     {"$setElementOrder/mergingList": names(3, 2, 1),
      "mergingList": [{"name": 3, "value": 3}, {"name": 1, "value": 1}]},
     {"mergingList": [{"name": 3, "value": 3}, {"name": 1, "value": 1}]}),
    ("set element order for scalars alone",
     {"mergingIntList": [1, 3]}, {"$setElementOrder/mergingIntList": [3, 2, 1]},
     {"mergingIntList": [3, 1]}),
    ("new items go where the order says, server-only ones stay near their neighbours",
     {"mergingList": [{"name": 1, "other": "a"}, {"name": 2, "value": 2, "other": "b"}]},
     {"$setElementOrder/mergingList": names(1, 4, 2, 3),
      "mergingList": [{"name": 4, "value": 4}, {"name": 3, "value": 3}]},
     {"mergingList": [{"name": 1, "other": "a"}, {"name": 4, "value": 4},
                      {"name": 2, "value": 2, "other": "b"}, {"name": 3, "value": 3}]}),
    ("reorder with server-only items in the middle",
     {"mergingList": [{"name": 1, "other": "a"}, {"name": 2, "value": 2}, {"name": 7},
                      {"name": 9}, {"name": 8}, {"name": 3, "value": 3},
                      {"name": 4, "value": 4}]},
     {"$setElementOrder/mergingList": names(2, 1, 4, 3)},
     {"mergingList": [{"name": 2, "value": 2}, {"name": 1, "other": "a"}, {"name": 7},
                      {"name": 9}, {"name": 8}, {"name": 4, "value": 4},
                      {"name": 3, "value": 3}]}),
    ("reorder scalars with server-only items",
     {"mergingIntList": [1, 2, 7, 9, 8, 3, 4]},
     {"$setElementOrder/mergingIntList": [2, 1, 4, 3]},
     {"mergingIntList": [2, 1, 7, 9, 8, 4, 3]}),
    # Go deletes in place, in the array the live list still points at; the shifted
    # live list then decides where the server-only item 4 goes.
    ("add and delete with a server-only item",
     {"mergingList": [{"name": 1}, {"name": 2, "other": "b"}, {"name": 4, "other": "c"}]},
     {"$setElementOrder/mergingList": names(2, 3),
      "mergingList": [{"name": 3}, {"name": 1, "$patch": "delete"}]},
     {"mergingList": [{"name": 2, "other": "b"}, {"name": 4, "other": "c"}, {"name": 3}]}),
    ("add and delete when the live list has drifted",
     {"mergingList": [{"name": 1, "other": "a"}, {"name": 4, "other": "c"}]},
     {"$setElementOrder/mergingList": names(2, 3),
      "mergingList": [{"name": 2}, {"name": 3}, {"name": 1, "$patch": "delete"}]},
     {"mergingList": [{"name": 4, "other": "c"}, {"name": 2}, {"name": 3}]}),
    ("duplicates of a merge key gather at the first one's place",
     {"mergingList": [{"name": 1}, {"name": 2, "value": "dup1"}, {"name": 3},
                      {"name": 2, "value": "dup2"}, {"name": 4}]},
     {"$setElementOrder/mergingList": names(2, 1, 4, 3, 2)},
     {"mergingList": [{"name": 2, "value": "dup1"}, {"name": 2, "value": "dup2"},
                      {"name": 1}, {"name": 4}, {"name": 3}]}),
    ("duplicate scalars too",
     {"mergingIntList": [1, 2, 3, 2, 4]},
     {"$setElementOrder/mergingIntList": [2, 1, 4, 3, 2]},
     {"mergingIntList": [2, 2, 1, 4, 3]}),
    ("deleting one merge key deletes all its duplicates",
     {"mergingList": [{"name": 1}, {"name": 1}, {"name": 2, "value": "a"}, {"name": 3},
                      {"name": 3}]},
     {"mergingList": [{"name": 1, "$patch": "delete"}, {"name": 3, "$patch": "delete"}]},
     {"mergingList": [{"name": 2, "value": "a"}]}),
    ("reorder in one list, delete in another",
     {"mergingList": [{"name": "a", "value": "a"}, {"name": "b", "value": "b"}],
      "retainKeysMergingList": [{"name": "c"}, {"name": "d"}]},
     {"$setElementOrder/mergingList": names("b"),
      "$setElementOrder/retainKeysMergingList": names("d", "c"),
      "mergingList": [{"$patch": "delete", "name": "a"}]},
     {"mergingList": [{"name": "b", "value": "b"}],
      "retainKeysMergingList": [{"name": "d"}, {"name": "c"}]}),
    ("a set order for a list that only the patch has",
     {}, {"$setElementOrder/mergingList": names("c", "a", "b"),
          "mergingList": [{"name": "c", "value": None}, {"name": "b"}]},
     {"mergingList": [{"name": "c", "value": None}, {"name": "b"}]}),
]


@pytest.mark.parametrize("original, patch, expected",
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_merged_list_order(original: dict[str, Any], patch: dict[str, Any],
                           expected: dict[str, Any]) -> None:
    assert smp(original, patch) == expected


def test_go_stable_sort_matches_a_stable_sort_on_consistent_orders() -> None:
    data = [(i * 7919) % 53 for i in range(100)]
    expected = sorted(data)

    def less(i: int, j: int) -> bool:
        return data[i] < data[j]

    def swap(i: int, j: int) -> None:
        data[i], data[j] = data[j], data[i]

    go_stable_sort(len(data), less, swap)
    assert data == expected


def test_items_missing_from_the_order_sort_as_go_sorts_them() -> None:
    # Go's "less" says yes whenever an item is unknown; its insertion sort then
    # reverses a run of unknown items.  A patch list reordered by an empty set order
    # shows it: the patch items all fall into the "server-only" group.
    positions = Positions([], "name", True)
    assert sort_by_order(names("a", "b", "c"), positions) == names("c", "b", "a")
    original: dict[str, Any] = {}
    patch = {"$setElementOrder/mergingList": [],
             "mergingList": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}
    assert smp(original, patch) == {"mergingList": names("c", "b", "a")}
