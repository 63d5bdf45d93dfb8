"""Merging one list of a strategic merge patch: by merge key, as a set, or in a set order.

Lists of maps marked ``patchStrategy: merge`` are merged item by item on their merge key
(``containers`` by ``name``, ``ports`` by ``containerPort``); an item with ``$patch:
delete`` removes every item with its key, one with ``$patch: replace`` makes the list be
exactly the patch's items.  Lists of scalars with that strategy are sets: the patch's
values are added, ``$deleteFromPrimitiveList/<list>`` removes values.  A list that comes
with ``$setElementOrder/<list>`` is merged first and then put in that order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import MAP, NO_LIST_OF_LISTS, SLICE, PatchFailed, UnprocessablePatch
from .errors import bad_arg_type, bad_patch_type, no_merge_key
from .golang import go_value
from .strategic_meta import Node, Walker, node_kind
from .strategic_order import normalize_element_order, partition_maps, partition_scalars
from .strategic_order import split_deletions
from .values import identity, json_equal

if TYPE_CHECKING:
    from .strategic import MergeOptions


def merge_slice(original: list[Any], patch: list[Any], node: Node, merge_key: str,
                walk: Walker, opts: MergeOptions, *, delete_list: bool = False,
                view: SliceView | None = None) -> list[Any]:
    """A merged list (``mergeSlice``); ``original`` itself is left as it was.

    ``view``, if given, receives the in-place edits Go makes to the caller's slice.
    """
    if not original and not patch:
        return original
    is_map = element_is_map(original, patch)
    if not is_map:
        if opts.merge_parallel_list and delete_list:
            doomed = {identity(v) for v in patch}
            return [v for v in original if identity(v) not in doomed]
        merged = _dedupe(original + patch)
    else:
        if not merge_key:
            raise PatchFailed(f"cannot merge lists without merge key for {node_kind(node)}")
        original, patch, replaced = _special_items(original, patch, merge_key, view)
        merged = _merge_items(list(original), patch, merge_key, node, walk, opts,
                              None if replaced else view)
    if merge_key:
        inside, outside = partition_maps(merged, patch, merge_key)
    else:
        inside, outside = partition_scalars(merged, patch)
    return normalize_element_order(inside, outside, patch, original, merge_key, is_map)


class SliceView:
    """What the caller's Go slice shows after ``mergeSlice`` edited its backing array.

    Go deletes list items with ``append(s[:k], s[k+1:]...)`` and then appends new ones,
    both in the array the caller's slice still points at; when ``$setElementOrder`` is
    applied afterwards, that slice (now shifted) decides where server-only items go.
    """

    __slots__ = ("items", "length")

    def __init__(self, items: list[Any]) -> None:
        self.items = list(items)
        self.length = len(items)          # the length of the slice being edited

    def delete(self, k: int) -> None:
        self.items[k:self.length - 1] = self.items[k + 1:self.length]
        self.length -= 1

    def append(self, item: Any) -> None:
        if self.length < len(self.items):
            self.items[self.length] = item
        self.length += 1


def merge_ordered(original: dict[str, Any], patch: dict[str, Any], key: str,
                  order: list[Any], node: Node, walk: Walker, opts: MergeOptions) -> None:
    """Merge ``patch[key]`` into ``original[key]`` and apply ``$setElementOrder/key``."""
    found_original, found_patch = key in original, key in patch
    current, incoming = original.get(key), patch.get(key)
    if found_original and not isinstance(current, list):
        raise bad_arg_type(SLICE, current)
    if found_patch and not isinstance(incoming, list):
        raise bad_arg_type(SLICE, incoming)
    sub, meta = walk.items(node, key, strict=True)
    strategy, merge_key = meta.strategy, meta.merge_key
    _check_order(incoming if found_patch else None, order, merge_key)
    server_order = current
    if found_original and found_patch:
        if strategy == "merge":
            view = SliceView(current)
            merged = merge_slice(current, incoming, sub, merge_key, walk, opts, view=view)
            server_order = view.items
        else:
            merged = incoming
    elif found_original:
        merged = current
    elif found_patch:
        merged = remove_directives(incoming)[0]
    else:
        return
    if merge_key:
        inside, outside = partition_maps(merged, order, merge_key)
    else:
        inside, outside = partition_scalars(merged, order)
    is_map = element_is_map(current or [], incoming or [])
    original[key] = normalize_element_order(inside, outside, order, server_order, merge_key,
                                            is_map)
    patch.pop(key, None)


def element_is_map(*lists: list[Any]) -> bool:
    """Whether the items (all of one type, as Go requires) are maps (``sliceElementType``)."""
    kind: type | None = None
    for items in lists:
        for item in items:
            if kind is None:
                kind = type(item)
                if kind is list:
                    raise UnprocessablePatch(NO_LIST_OF_LISTS)
            elif type(item) is not kind:
                raise PatchFailed("list element types are not identical: "
                                  + go_value(list(lists)))
    if kind is None:
        raise PatchFailed("no elements in any of the given slices")
    return kind is dict


def _equal(a: Any, b: Any) -> bool:
    if identity(a) is not None:
        return type(a) is type(b) and a == b
    return json_equal(a, b)


def _dedupe(values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    out: list[Any] = []
    for value in values:
        ident = identity(value)
        if ident is None:
            if not any(_equal(value, v) for v in out):
                out.append(value)
        elif ident not in seen:
            seen.add(ident)
            out.append(value)
    return out


def _special_items(original: list[Any], patch: list[Any], merge_key: str,
                   view: SliceView | None) -> tuple[list[Any], list[Any], bool]:
    """Apply the items with ``$patch`` (``mergeSliceWithSpecialElements``).

    Returns the remaining original items, the plain patch items, and whether the patch
    replaced the list (the plain items then stand for the original).
    """
    original = list(original)
    plain: list[Any] = []
    replace = False
    for item in patch:
        if "$patch" not in item:
            plain.append(item)
            continue
        directive = item["$patch"]
        if directive == "delete":
            if merge_key not in item:
                raise no_merge_key(item, merge_key)
            doomed = item[merge_key]
            while (k := next((i for i, o in enumerate(original)
                              if merge_key in o and _equal(o[merge_key], doomed)), -1)) >= 0:
                del original[k]
                if view is not None:
                    view.delete(k)
        elif directive == "replace":
            replace = True
        elif directive == "merge":
            raise PatchFailed("merging lists cannot yet be specified in the patch")
        else:
            raise bad_patch_type(directive, item)
    if replace:
        return plain, [], True
    return original, plain, False


def _merge_items(original: list[Any], patch: list[Any], merge_key: str, node: Node,
                 walk: Walker, opts: MergeOptions, view: SliceView | None) -> list[Any]:
    """Merge each patch item into the item with its key, or append it."""
    from .strategic import merge_map    # the two modules recurse into each other

    def index_of(items: list[Any]) -> dict[Any, int]:
        found: dict[Any, int] = {}
        for i, item in enumerate(items):
            if merge_key in item and (ident := identity(item[merge_key])) is not None:
                found.setdefault(ident, i)
        return found

    index = index_of(original)
    for item in patch:
        if merge_key not in item:
            raise no_merge_key(item, merge_key)
        value = item[merge_key]
        ident = identity(value)
        if ident is None:
            at = next((i for i, o in enumerate(original)
                       if merge_key in o and json_equal(o[merge_key], value)), None)
        else:
            at = index.get(ident)
        if at is None:
            original.append(item)
            if view is not None:
                view.append(item)
            if ident is not None:
                index.setdefault(ident, len(original) - 1)
            continue
        merged = merge_map(original[at], item, node, walk, opts)
        original[at] = merged
        if not (isinstance(merged, dict) and merge_key in merged
                and _equal(merged[merge_key], value)):
            index = index_of(original)      # the item lost its key: look again
    return original


def _check_order(patch_list: list[Any] | None, order: list[Any], merge_key: str) -> None:
    """The patch list must follow ``$setElementOrder`` (``validatePatchWithSetOrderList``)."""
    if not order or not patch_list:
        return
    items = split_deletions(patch_list)[0] if merge_key else patch_list
    pi = oi = 0
    while pi < len(items) and oi < len(order):
        item = items[pi]
        if isinstance(item, dict) and "$patch" in item:
            pi += 1
            continue
        if _same_key(item, order[oi], merge_key):
            pi += 1
        oi += 1
    if pi < len(items) and oi >= len(order):
        raise PatchFailed(f"The order in patch list:\n{go_value(patch_list)}\n doesn't "
                          f"match $setElementOrder list:\n{go_value(order)}\n")


def _same_key(left: Any, right: Any, merge_key: str) -> bool:
    if not merge_key:
        return _equal(left, right)
    for side in (left, right):
        if not isinstance(side, dict):
            raise bad_arg_type(MAP, side)
    for side in (left, right):
        if merge_key not in side:
            raise no_merge_key(side, merge_key)
    return _equal(left[merge_key], right[merge_key])


def remove_directives(value: Any) -> tuple[Any, bool]:
    """Drop the maps holding ``$patch`` from a value taken whole (``removeDirectives``).

    Returns the value and whether to keep it at all (not if it is such a map itself).
    """
    if isinstance(value, dict):
        if "$patch" in value:
            return None, False
        for key, item in list(value.items()):
            item, keep = remove_directives(item)
            if keep:
                value[key] = item
            else:
                del value[key]
        return value, True
    if isinstance(value, list):
        kept = []
        for item in value:
            item, keep = remove_directives(item)
            if keep:
                kept.append(item)
        return kept, True
    return value, True
