"""Strategic merge patch (``application/strategic-merge-patch+json``), applied.

This is the default patch type of ``kubectl patch`` and what ``kubectl apply``, ``edit``
and ``set image`` send for built-in kinds.  It is JSON merge patch plus the schema's
patch metadata: lists marked ``patchStrategy: merge`` are merged item by item (by their
merge key, or as sets of scalars) instead of being replaced, and the patch may carry
directives: ``$patch: replace|delete`` in maps and list items, ``$retainKeys``,
``$setElementOrder/<list>`` and ``$deleteFromPrimitiveList/<list>``.

The walk follows k8s.io/apimachinery/pkg/util/strategicpatch (Kubernetes 1.32)
closely, quirks included, because kubectl users see its exact results and messages:
see ``strategic_order`` for how merged lists are ordered, and ``errors`` for how the
failures are reported.  Like the Go code it works in place, on copies of the inputs.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ...schema.types import Schema
from ..errors import BadRequest
from . import strategic_lists as lists
from .errors import BAD_PRIMITIVE_LIST, BAD_RETAIN_KEYS, BAD_SET_ELEMENT_ORDER, SLICE
from .errors import PatchFailed, bad_arg_type, bad_patch_type
from .golang import go_json_kind, go_value
from .strategic_lists import remove_directives
from .strategic_meta import Node, Walker, walker
from .values import deep_copy, identity, json_equal

__all__ = ["apply_strategic_merge_patch", "MergeOptions", "merge_map"]

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER = "$setElementOrder"


class MergeOptions(NamedTuple):
    # The server merges the parallel lists ($deleteFromPrimitiveList, $setElementOrder)
    # and drops nulls the original lacks; kubectl's three-way diff does neither.
    merge_parallel_list: bool = True
    ignore_unmatched_nulls: bool = True


SERVER = MergeOptions()


def apply_strategic_merge_patch(original: dict[str, Any], patch: dict[str, Any] | None, *,
                                schema: Schema, type_name: str) -> dict[str, Any]:
    """Apply ``patch`` to ``original`` (an object of ``type_name``) and return the result.

    Neither input is changed.  Raises ``BadRequest``, ``PatchFailed`` (500, as the real
    server's unclassified errors) or ``UnprocessablePatch`` (422) like kube-apiserver.
    """
    walk = walker(schema)
    root = walk.root(type_name)
    if patch is None:                       # "null" decodes to an empty patch
        return deep_copy(original)
    if not isinstance(patch, dict):
        raise BadRequest(f"json: cannot unmarshal {go_json_kind(patch)} "
                         "into Go value of type map[string]interface {}")
    return merge_map(deep_copy(original), deep_copy(patch), root, walk, SERVER)


def merge_map(original: dict[str, Any] | None, patch: dict[str, Any], node: Node,
              walk: Walker, opts: MergeOptions) -> dict[str, Any]:
    """Merge ``patch`` into ``original`` in place (``mergeMap``); both are consumed."""
    if DIRECTIVE in patch:
        return _map_directive(patch)
    if original is None:
        original = {}
    _apply_retain_keys(original, patch, opts)
    _merge_ordered_lists(original, patch, node, walk, opts)

    for key, value in list(patch.items()):
        delete_list = False
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            if not opts.merge_parallel_list:
                original[key] = value       # kept for the server to process
                continue
            key = _list_key(key, DELETE_FROM_PRIMITIVE_LIST, BAD_PRIMITIVE_LIST)
            delete_list = True
        if value is None:
            original.pop(key, None)
            if opts.ignore_unmatched_nulls:
                continue
        if key not in original or type(original[key]) is not type(value):
            if not delete_list:
                _take(original, key, value, opts)
            continue
        current = original[key]
        if isinstance(current, dict):
            sub, meta = walk.field(node, key)
            if meta.strategy == "replace":
                original[key] = value
            else:
                original[key] = merge_map(current, value, sub, walk, opts)
        elif isinstance(current, list):
            sub, meta = walk.items(node, key)
            if meta.strategy == "merge" or delete_list:
                original[key] = lists.merge_slice(current, value, sub, meta.merge_key,
                                                  walk, opts, delete_list=delete_list)
            else:
                original[key] = value
        else:
            _take(original, key, value, opts, prune=False)
    return original


def _take(original: dict[str, Any], key: str, value: Any, opts: MergeOptions, *,
          prune: bool = True) -> None:
    """Use the patch's value where there is nothing to merge with."""
    if prune and opts.ignore_unmatched_nulls:
        _discard_nulls(value)
    value, keep = remove_directives(value)
    if keep:
        original[key] = value
    else:
        original.pop(key, None)


def _map_directive(patch: dict[str, Any]) -> dict[str, Any]:
    directive = patch[DIRECTIVE]
    if directive == "replace":
        del patch[DIRECTIVE]
        return patch
    if directive == "delete":
        return {}
    raise bad_patch_type(directive, patch)


def _apply_retain_keys(original: dict[str, Any], patch: dict[str, Any],
                       opts: MergeOptions) -> None:
    """``$retainKeys``: clear every field of ``original`` the list does not name."""
    if RETAIN_KEYS not in patch:
        return
    retained = patch.pop(RETAIN_KEYS)
    if not opts.merge_parallel_list:        # merging two patches: keep the directive
        if RETAIN_KEYS in original:
            if not json_equal(original[RETAIN_KEYS], retained):
                raise PatchFailed(f"{go_value(original[RETAIN_KEYS])} and "
                                  f"{go_value(retained)} are not deep equal: this may "
                                  "happen when calculating the 3-way diff patch")
        else:
            original[RETAIN_KEYS] = retained
        return
    if not isinstance(retained, list):
        raise BadRequest(BAD_RETAIN_KEYS)
    names = {identity(v) for v in retained} - {None}
    for key, value in patch.items():
        if value is None or key.startswith((DELETE_FROM_PRIMITIVE_LIST, SET_ELEMENT_ORDER)):
            continue
        if (str, key) not in names:
            raise BadRequest(BAD_RETAIN_KEYS)
    for key in [k for k in original if (str, k) not in names]:
        del original[key]


def _merge_ordered_lists(original: dict[str, Any], patch: dict[str, Any], node: Node,
                         walk: Walker, opts: MergeOptions) -> None:
    """Merge each list that comes with ``$setElementOrder/<list>``, then order it."""
    for key in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        order = patch.pop(key)
        if not opts.merge_parallel_list:
            if key in original:
                if not json_equal(original[key], order):
                    raise BadRequest(BAD_SET_ELEMENT_ORDER)
            else:
                original[key] = order
        if not isinstance(order, list):
            raise bad_arg_type(SLICE, order)
        list_key = _list_key(key, SET_ELEMENT_ORDER, BAD_SET_ELEMENT_ORDER)
        lists.merge_ordered(original, patch, list_key, order, node, walk, opts)


def _list_key(key: str, prefix: str, problem: str) -> str:
    head, sep, rest = key.partition("/")
    if not sep or head != prefix:
        raise BadRequest(problem)
    return rest


def _discard_nulls(value: Any) -> None:
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if v is None]:
            del value[key]
        for item in value.values():
            _discard_nulls(item)
    elif isinstance(value, list):
        for item in value:
            _discard_nulls(item)
