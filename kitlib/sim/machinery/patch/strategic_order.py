"""The order of a merged list, as strategic merge patch decides it.

After merging, k8s.io/apimachinery splits a list into the items the patch names and the
items only the server had, sorts the first group by the patch's order (or by
``$setElementOrder``) and the second by their old order, then interleaves them: a
server-only item goes before a patch item only when both were in the old list and it
came first.  So new items land at the front (the kubectl docs show an added container
listed before the old one), and a patch can reorder what it names.

The sort is Go's ``sort.SliceStable`` with a "less" that is not a strict order when an
item is missing from the ordering list (it then says "less" either way).  Such inputs are
rare but legal, so the exact Go algorithm (insertion sort in blocks of 20, then
SymMerge) is reproduced for them; ordinary inputs take Python's equivalent stable sort.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import MAP, PatchFailed, bad_arg_type, no_merge_key
from .values import identity, json_equal

Less = Callable[[int, int], bool]


class Positions:
    """First index of each item in an ordering list (Go's ``index``), by merge key value."""

    __slots__ = ("_first", "_loose", "_key", "_is_map")

    def __init__(self, order: list[Any] | None, merge_key: str, is_map: bool) -> None:
        self._key, self._is_map = merge_key, is_map
        self._first: dict[Any, int] = {}
        self._loose: list[tuple[Any, int]] = []     # unhashable values, compared slowly
        for i, item in enumerate(order or ()):
            value = self._value(item)
            ident = identity(value)
            if ident is None:
                self._loose.append((value, i))
            else:
                self._first.setdefault(ident, i)

    def _value(self, item: Any) -> Any:
        if self._is_map:
            return item.get(self._key) if isinstance(item, dict) else None
        return item

    def __call__(self, item: Any) -> int:
        value = self._value(item)
        ident = identity(value)
        if ident is not None:
            return self._first.get(ident, -1)
        return next((i for other, i in self._loose if json_equal(value, other)), -1)


class KeyIndex:
    """Go's ``findMapInSliceBasedOnKeyValue`` over a fixed list, answered in O(1)."""

    __slots__ = ("_first", "_bad", "_items", "_key")

    def __init__(self, items: list[Any], key: str) -> None:
        self._items, self._key = items, key
        self._first: dict[Any, int] = {}
        self._bad = len(items)          # the first item that is not a map stops a scan
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                self._bad = i
                break
            if key in item and (ident := identity(item[key])) is not None:
                self._first.setdefault(ident, i)

    def find(self, value: Any) -> int:
        ident = identity(value)
        if ident is not None:
            at = self._first.get(ident, len(self._items))
        else:
            at = next((i for i, item in enumerate(self._items[:self._bad])
                       if self._key in item and json_equal(item[self._key], value)),
                      len(self._items))
        if at < self._bad:
            return at
        if self._bad < len(self._items):
            raise PatchFailed(f"value for key {self._bad} is not a map.")
        return -1


def go_stable_sort(n: int, less: Less, swap: Callable[[int, int], None]) -> None:
    """Go's ``sort.Stable``: insertion sort in blocks of 20, then SymMerge passes."""
    block = 20
    start = 0
    while start + block <= n:
        _insertion_sort(start, start + block, less, swap)
        start += block
    _insertion_sort(start, n, less, swap)
    while block < n:
        start = 0
        while start + 2 * block <= n:
            _sym_merge(start, start + block, start + 2 * block, less, swap)
            start += 2 * block
        if start + block < n:
            _sym_merge(start, start + block, n, less, swap)
        block *= 2


def _insertion_sort(a: int, b: int, less: Less, swap: Callable[[int, int], None]) -> None:
    for i in range(a + 1, b):
        j = i
        while j > a and less(j, j - 1):
            swap(j, j - 1)
            j -= 1


def _sym_merge(a: int, m: int, b: int, less: Less, swap: Callable[[int, int], None]) -> None:
    if m - a == 1:                  # one item on the left: binary-search its place
        lo, hi = m, b
        while lo < hi:
            h = (lo + hi) // 2
            if less(h, a):
                lo = h + 1
            else:
                hi = h
        for k in range(a, lo - 1):
            swap(k, k + 1)
        return
    if b - m == 1:                  # one item on the right
        lo, hi = a, m
        while lo < hi:
            h = (lo + hi) // 2
            if not less(m, h):
                lo = h + 1
            else:
                hi = h
        for k in range(m, lo, -1):
            swap(k, k - 1)
        return
    mid = (a + b) // 2
    total = mid + m
    if m > mid:
        lo, hi = total - b, mid
    else:
        lo, hi = a, m
    last = total - 1
    while lo < hi:
        c = (lo + hi) // 2
        if not less(last - c, c):
            lo = c + 1
        else:
            hi = c
    end = total - lo
    if lo < m < end:
        _rotate(lo, m, end, swap)
    if a < lo < mid:
        _sym_merge(a, lo, mid, less, swap)
    if mid < end < b:
        _sym_merge(mid, end, b, less, swap)


def _rotate(a: int, m: int, b: int, swap: Callable[[int, int], None]) -> None:
    i, j = m - a, b - m
    while i != j:
        if i > j:
            _swap_range(m - i, m, j, swap)
            i -= j
        else:
            _swap_range(m - i, m + j - i, i, swap)
            j -= i
    _swap_range(m - i, m, i, swap)


def _swap_range(a: int, b: int, n: int, swap: Callable[[int, int], None]) -> None:
    for i in range(n):
        swap(a + i, b + i)


def sort_by_order(items: list[Any], positions: Positions) -> list[Any]:
    """Stable-sort ``items`` by their place in an ordering list, exactly as Go does."""
    keyed = [(positions(item), item) for item in items]
    if all(p >= 0 for p, _ in keyed):
        return [item for _, item in sorted(keyed, key=lambda pair: pair[0])]

    def less(i: int, j: int) -> bool:
        pi, pj = keyed[i][0], keyed[j][0]
        return pi < pj if pi >= 0 and pj >= 0 else True

    def swap(i: int, j: int) -> None:
        keyed[i], keyed[j] = keyed[j], keyed[i]

    go_stable_sort(len(keyed), less, swap)
    return [item for _, item in keyed]


def check_merge_keys(merge_key: str, *lists: list[Any] | None) -> None:
    """Every item is a map carrying the merge key (``validateMergeKeyInLists``)."""
    for items in lists:
        for item in items or ():
            if not isinstance(item, dict):
                raise bad_arg_type(MAP, item)
            if merge_key not in item:
                raise no_merge_key(item, merge_key)


def split_deletions(items: list[Any]) -> tuple[list[Any], list[Any]]:
    """Items kept, and items carrying ``$patch: delete`` (``extractToDeleteItems``)."""
    kept: list[Any] = []
    deleted: list[Any] = []
    for item in items:
        if not isinstance(item, dict):
            raise bad_arg_type(MAP, item)
        (deleted if item.get("$patch") == "delete" else kept).append(item)
    return kept, deleted


def normalize_slice_order(items: list[Any], order: list[Any] | None, merge_key: str,
                          is_map: bool) -> list[Any]:
    """``items`` sorted by ``order``; items that delete go last."""
    deleted: list[Any] = []
    if is_map:
        check_merge_keys(merge_key, items, order)
        items, deleted = split_deletions(items)
    return sort_by_order(items, Positions(order, merge_key, is_map)) + deleted


def normalize_element_order(patch_items: list[Any], server_only: list[Any],
                            patch_order: list[Any] | None, server_order: list[Any] | None,
                            merge_key: str, is_map: bool) -> list[Any]:
    """The final list: each group sorted by its own order, then interleaved."""
    patch_items = normalize_slice_order(patch_items, patch_order, merge_key, is_map)
    server_only = normalize_slice_order(server_only, server_order, merge_key, is_map)
    return merge_sorted(server_only, patch_items, Positions(server_order, merge_key, is_map))


def merge_sorted(left: list[Any], right: list[Any], positions: Positions) -> list[Any]:
    """Interleave server-only items (left) into patch items (right) (``mergeSortedSlice``)."""
    out: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i >= len(left):
            out.append(right[j])
            j += 1
        elif j >= len(right):
            out.append(left[i])
            i += 1
        else:
            li, ri = positions(left[i]), positions(right[j])
            if li >= 0 and ri >= 0 and li < ri:
                out.append(left[i])
                i += 1
            else:
                out.append(right[j])
                j += 1
    return out


def partition_scalars(merged: list[Any], by: list[Any]) -> tuple[list[Any], list[Any]]:
    """(items present in ``by``, the rest), for lists of scalars."""
    present = Positions(by, "", False)
    inside = [v for v in merged if present(v) >= 0]
    return inside, [v for v in merged if present(v) < 0]


def partition_maps(merged: list[Any], by: list[Any],
                   merge_key: str) -> tuple[list[Any], list[Any]]:
    """(items whose merge key value appears in ``by``, the rest), for lists of maps."""
    index = KeyIndex(by, merge_key)
    inside: list[Any] = []
    outside: list[Any] = []
    for item in merged:
        if not isinstance(item, dict):
            raise bad_arg_type(MAP, item)
        if merge_key not in item:
            raise no_merge_key(item, merge_key)
        (inside if index.find(item[merge_key]) >= 0 else outside).append(item)
    return inside, outside
