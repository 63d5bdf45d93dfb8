"""Computing strategic merge patches, as kubectl does for ``apply``, ``edit`` and ``set``.

kubectl builds its PATCH bodies with k8s.io/apimachinery's ``CreateTwoWayMergePatch``
(``edit``, ``set image``: old object -> new object) and ``CreateThreeWayMergePatch``
(client-side ``apply``: last-applied configuration, new configuration, live object).
The server needs the same answers to tell whether such a request changes anything, and
the tests need them to produce the exact bodies kubectl sends: ``$setElementOrder``
lists, ``$patch: delete`` items, ``$deleteFromPrimitiveList`` and ``$retainKeys``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ...schema.types import Schema
from .errors import PatchFailed, bad_arg_type, no_merge_key
from .errors import MAP
from .golang import go_value
from .strategic import MergeOptions, merge_map
from .strategic_lists import element_is_map
from .strategic_meta import Node, Walker, split_strategies, walker
from .strategic_order import normalize_slice_order
from .values import deep_copy, json_equal

__all__ = ["create_two_way_merge_patch", "create_three_way_merge_patch"]


class DiffOptions(NamedTuple):
    set_element_order: bool = False
    ignore_changes_and_additions: bool = False
    ignore_deletions: bool = False
    build_retain_keys: bool = False      # add $retainKeys to this level's patch


def create_two_way_merge_patch(original: dict[str, Any] | None,
                               modified: dict[str, Any] | None, *,
                               schema: Schema, type_name: str) -> dict[str, Any]:
    """The patch that turns ``original`` into ``modified`` (``CreateTwoWayMergePatch``)."""
    walk = walker(schema)
    root = walk.root(type_name)
    patch = _diff_maps(original or {}, modified or {}, root, walk,
                       DiffOptions(set_element_order=True))
    return deep_copy(patch)


def create_three_way_merge_patch(original: dict[str, Any] | None,
                                 modified: dict[str, Any] | None,
                                 current: dict[str, Any] | None, *,
                                 schema: Schema, type_name: str) -> dict[str, Any]:
    """kubectl apply's patch (``CreateThreeWayMergePatch``, with overwrite).

    ``original`` is the last-applied configuration, ``modified`` the new configuration
    and ``current`` the live object: the patch holds the changes from live to new
    (without deletions) plus the deletions from last-applied to new.
    """
    walk = walker(schema)
    root = walk.root(type_name)
    original, modified, current = original or {}, modified or {}, current or {}
    delta = _diff_maps(current, modified, root, walk,
                       DiffOptions(set_element_order=True, ignore_deletions=True))
    deletions = _diff_maps(original, modified, root, walk,
                           DiffOptions(set_element_order=True,
                                       ignore_changes_and_additions=True))
    return merge_map(deep_copy(deletions), deep_copy(delta), root, walk,
                     MergeOptions(merge_parallel_list=False, ignore_unmatched_nulls=False))


def _diff_maps(original: dict[str, Any], modified: dict[str, Any], node: Node,
               walk: Walker, opts: DiffOptions) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    retained: list[str] = []
    for key, new in modified.items():
        if opts.build_retain_keys and new is not None:
            retained.append(key)
        if key not in original:
            if not opts.ignore_changes_and_additions:
                patch[key] = new
            continue
        old = original[key]
        if key == "$patch":
            if not isinstance(old, str) or not isinstance(new, str):
                raise PatchFailed("invalid value for special key: $patch")
            if old != new:
                patch[key] = new
            continue
        if type(old) is not type(new):
            if not opts.ignore_changes_and_additions:
                patch[key] = new
        elif isinstance(old, dict):
            _map_diff(key, old, new, patch, node, walk, opts)
        elif isinstance(old, list):
            _list_diff(key, old, new, patch, node, walk, opts)
        elif not opts.ignore_changes_and_additions and not json_equal(old, new):
            patch[key] = new
    if not opts.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    if retained and (patch or any(v is not None and k not in modified
                                  for k, v in original.items())):
        patch["$retainKeys"] = sorted(retained, key=go_value)
    return patch


def _map_diff(key: str, old: dict[str, Any], new: dict[str, Any], patch: dict[str, Any],
              node: Node, walk: Walker, opts: DiffOptions) -> None:
    sub, meta = walk.field(node, key)
    retain, strategy = split_strategies(meta.strategies)
    if strategy == "replace":
        if not opts.ignore_changes_and_additions:
            patch[key] = new
        return
    sub_patch = _diff_maps(old, new, sub, walk, opts._replace(build_retain_keys=retain))
    if sub_patch:
        patch[key] = sub_patch


def _list_diff(key: str, old: list[Any], new: list[Any], patch: dict[str, Any],
               node: Node, walk: Walker, opts: DiffOptions) -> None:
    try:
        sub, meta = walk.items(node, key)
    except PatchFailed:
        if json_equal(old, new):
            return
        raise
    retain, strategy = split_strategies(meta.strategies)
    if strategy != "merge":
        if not opts.ignore_changes_and_additions and not json_equal(old, new):
            patch[key] = new
        return
    added, deleted, order = _diff_lists(old, new, sub, meta.merge_key, walk,
                                        opts._replace(build_retain_keys=retain))
    if added:
        patch[key] = added
    if deleted:
        patch[f"$deleteFromPrimitiveList/{key}"] = deleted
    if order:
        patch[f"$setElementOrder/{key}"] = order


def _diff_lists(old: list[Any], new: list[Any], node: Node, merge_key: str, walk: Walker,
                opts: DiffOptions) -> tuple[list[Any], list[Any], list[Any]]:
    """(patch items, values to delete, the new order) for a merged list (``diffLists``)."""
    if not old:
        if not new or opts.ignore_changes_and_additions:
            return [], [], []
        return new, [], []
    order: list[Any] = []
    if element_is_map(old, new):
        items, deletions = _diff_lists_of_maps(old, new, node, merge_key, walk, opts)
        items = normalize_slice_order(items, new, merge_key, True)
        order_same = _same_order(old, new, merge_key)
        items += deletions
        changed = not opts.ignore_changes_and_additions and (items or not order_same)
        deleting = not opts.ignore_deletions and items
        if opts.set_element_order and (changed or deleting):
            order = [{merge_key: item.get(merge_key)} for item in new]
        return items, [], order
    added, deleted = _diff_lists_of_scalars(old, new, opts)
    added = normalize_slice_order(added, new, merge_key, False)
    # Go sorts the old list in place while diffing, so the order check sees it sorted.
    moved = not json_equal(sorted(old, key=go_value), new)
    if opts.set_element_order and ((not opts.ignore_deletions and deleted)
                                   or (not opts.ignore_changes_and_additions and moved)):
        order = new
    return added, deleted, order


def _diff_lists_of_scalars(old: list[Any], new: list[Any],
                           opts: DiffOptions) -> tuple[list[Any], list[Any]]:
    olds = sorted(old, key=go_value)
    news = sorted(new, key=go_value)
    added: list[Any] = []
    deleted: list[Any] = []
    i = j = 0
    while i < len(olds) or j < len(news):
        o = go_value(olds[i]) if i < len(olds) else None
        n = go_value(news[j]) if j < len(news) else None
        if o is not None and n is not None and o == n:
            i += 1
            j += 1
        elif o is None or (n is not None and o > n):
            if not opts.ignore_changes_and_additions:
                added.append(news[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                deleted.append(olds[i])
            i += 1
    unique: list[Any] = []
    for value in deleted:
        if not any(type(value) is type(u) and value == u for u in unique):
            unique.append(value)
    return added, unique


def _diff_lists_of_maps(old: list[Any], new: list[Any], node: Node, merge_key: str,
                        walk: Walker, opts: DiffOptions) -> tuple[list[Any], list[Any]]:
    olds = sorted(old, key=lambda m: go_value(m.get(merge_key)))
    news = sorted(new, key=lambda m: go_value(m.get(merge_key)))
    items: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(olds) or j < len(news):
        o = _key_string(olds[i], merge_key) if i < len(olds) else None
        n = _key_string(news[j], merge_key) if j < len(news) else None
        if o is not None and n is not None and o == n:
            sub_patch = _diff_maps(olds[i], news[j], node, walk, opts)
            if sub_patch:
                sub_patch[merge_key] = news[j][merge_key]
                items.append(sub_patch)
            i += 1
            j += 1
        elif o is None or (n is not None and o > n):
            if not opts.ignore_changes_and_additions:
                items.append(news[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                deletions.append({merge_key: olds[i][merge_key], "$patch": "delete"})
            i += 1
    return items, deletions


def _key_string(item: Any, merge_key: str) -> str:
    if not isinstance(item, dict):
        raise bad_arg_type(MAP, item)
    if merge_key not in item:
        raise no_merge_key(item, merge_key)
    return go_value(item[merge_key])


def _same_order(old: list[Any], new: list[Any], merge_key: str) -> bool:
    if len(old) != len(new):
        return False
    for a, b in zip(old, new):
        for side in (a, b):
            if merge_key not in side:
                raise no_merge_key(side, merge_key)
        if not (type(a[merge_key]) is type(b[merge_key]) and a[merge_key] == b[merge_key]):
            return False
    return True
