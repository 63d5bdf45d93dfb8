"""Properties of strategic merge patch: a computed patch turns the old object into the new."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kitlib.sim.machinery.patch import (apply_strategic_merge_patch,
                                        create_three_way_merge_patch,
                                        create_two_way_merge_patch)

from .test_patch_schema import ITEM, SCHEMA

WORDS = st.sampled_from(["a", "b", "c", "d"])


def _items(depth: int) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A merged list of MergeItems: unique names, in any order."""
    item = st.fixed_dictionaries({"name": WORDS}, optional=_fields(depth - 1))
    return st.lists(item, max_size=4, unique_by=lambda i: i["name"])


def _fields(depth: int) -> dict[str, st.SearchStrategy[Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {
        "value": WORDS, "other": WORDS,
        # Go compares a sorted copy of the old set with the new one, so an unsorted
        # old set that is merely reordered would not round-trip; keep old sets sorted.
        "mergingIntList": st.lists(st.integers(0, 5), unique=True, max_size=4).map(sorted),
        "nonMergingIntList": st.lists(st.integers(0, 5), max_size=3),
        "simpleMap": st.dictionaries(WORDS, WORDS, max_size=3),
    }
    if depth > 0:
        fields["mergingList"] = _items(depth)
        fields["nonMergingList"] = st.lists(st.fixed_dictionaries({"name": WORDS}),
                                            max_size=2)
        fields["retainKeysMap"] = st.fixed_dictionaries(
            {}, optional={"name": WORDS, "value": WORDS,
                          "simpleMap": st.dictionaries(WORDS, WORDS, max_size=2)})
        fields["retainKeysMergingList"] = _items(depth - 1)
    return fields


OBJECTS = st.fixed_dictionaries({}, optional=_fields(2))


def smp(original: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    return apply_strategic_merge_patch(original, patch, schema=SCHEMA, type_name=ITEM)


@settings(max_examples=150, deadline=None)
@given(OBJECTS, OBJECTS)
def test_two_way_patch_yields_the_modified_object(original: dict[str, Any],
                                                  modified: dict[str, Any]) -> None:
    patch = create_two_way_merge_patch(original, modified, schema=SCHEMA, type_name=ITEM)
    assert smp(original, patch) == modified


@settings(max_examples=100, deadline=None)
@given(OBJECTS, OBJECTS)
def test_three_way_patch_on_an_untouched_object_yields_the_modified_one(
        original: dict[str, Any], modified: dict[str, Any]) -> None:
    patch = create_three_way_merge_patch(original, modified, original, schema=SCHEMA,
                                         type_name=ITEM)
    assert smp(original, patch) == modified


@settings(max_examples=100, deadline=None)
@given(OBJECTS)
def test_an_object_patched_with_nothing_is_unchanged(obj: dict[str, Any]) -> None:
    assert create_two_way_merge_patch(obj, obj, schema=SCHEMA, type_name=ITEM) == {}
    assert smp(obj, {}) == obj
