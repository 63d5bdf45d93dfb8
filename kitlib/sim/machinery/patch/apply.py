"""Server-side apply: PATCH with ``application/apply-patch+yaml``.

The applied configuration is merged into the live object by the schema (keyed lists item
by item, sets by value, atomic lists and structs whole), fields this manager applied
last time but left out now are removed unless someone else still owns them, and the
fields it sets become its own.  Changing a field another manager owns is a *conflict*
(409, one cause per field) unless the request forces it.  This follows
sigs.k8s.io/structured-merge-diff's ``Updater.Apply`` and the layers k8s.io/apiserver's
field manager wraps around it: the version check, the ``before-first-apply`` owner for
objects without managedFields, stripping of name/uid/..., the timestamp, and kubectl's
upgrade from client-side apply (conflicts with ``kubectl-client-side-apply`` on fields
that still hold their last-applied value are forgiven, and the last-applied annotation is
kept in step).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from kitlib.sim.schema.types import Schema

from ..errors import JSON, BadRequest, Conflict, StatusError
from .fieldpath import (
    LIST, MAP, MISSING, SCALAR, STRUCT, FieldSet, Path, Shape, effective, ensure_named,
    field_set, go_json, item_element, iterate, path_string, recursive_difference, root_shape,
    tree, validate,
)
from .managedfields import (
    STRIPPED, Entry, Identity, Managed, ManagedFieldsError, cap_update_managers, compare,
    decode_managed, describe_manager, identity_json, record_update, reset_paths,
    store_managed, without_managed_fields, zero_fill,
)

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
ANNOTATIONS_SIZE_LIMIT = 256 * 1024


class ApplyConflict(Conflict):
    """409 ``Apply failed with N conflicts``: fields owned by other managers would change."""

    def __init__(self, conflicts: list[tuple[Identity, Path]]) -> None:
        self.conflicts = conflicts
        causes = [{"reason": "FieldManagerConflict",
                   "message": f"conflict with {describe_manager(identity)}",
                   "field": path_string(path)} for identity, path in conflicts]
        StatusError.__init__(self, _conflict_message(conflicts), details={"causes": causes})


def _conflict_message(conflicts: list[tuple[Identity, Path]]) -> str:
    if len(conflicts) == 1:
        identity, path = conflicts[0]
        return (f"Apply failed with 1 conflict: conflict with {describe_manager(identity)}: "
                f"{path_string(path)}")
    lines: list[str] = []
    by_manager: dict[Identity, list[Path]] = {}
    for identity, path in conflicts:
        by_manager.setdefault(identity, []).append(path)
    for identity in sorted(by_manager, key=identity_json):
        lines.append(f"conflicts with {describe_manager(identity)}:")
        lines.extend(f"- {path_string(path)}" for path in by_manager[identity])
    return f"Apply failed with {len(conflicts)} conflicts: " + "\n".join(lines)


class ApplyFailed(StatusError):
    """A plain Go error from the field manager: 500 with the text and no reason."""

    code = 500
    reason = ""

    def status(self) -> JSON:
        body = super().status()
        body.pop("reason", None)          # StatusReasonUnknown is "" and omitted
        return body


class _Conflicts(Exception):
    def __init__(self, by_manager: dict[Identity, FieldSet]) -> None:
        super().__init__("conflicts")
        self.by_manager = by_manager

    def listed(self, *, without: FieldSet = frozenset()) -> list[tuple[Identity, Path]]:
        return [(identity, path)
                for identity in sorted(self.by_manager, key=identity_json)
                for path in iterate(self.by_manager[identity]) if path not in without]


# --- merging the configuration into the live object (TypedValue.Merge) -----------------------

def merge(lhs: Any, rhs: Any, shape: Shape) -> Any:
    """``rhs`` applied onto ``lhs``: leaves and atomic values from ``rhs`` win."""
    if rhs is MISSING:
        return lhs
    if lhs is MISSING:
        return rhs
    kind, atomic = effective(shape, rhs)
    if not atomic and kind == LIST:
        left = lhs if isinstance(lhs, list) else None
        right = rhs if isinstance(rhs, list) else None
        if left or right:
            return _merge_items(left or [], right or [], shape)
    elif not atomic and kind in (STRUCT, MAP):
        left = lhs if isinstance(lhs, dict) else None
        right = rhs if isinstance(rhs, dict) else None
        if left or right:
            out: JSON = {}
            for key, value in (left or {}).items():
                other = right.get(key, MISSING) if right else MISSING
                out[key] = merge(value, other, shape.child(key)[0]) if other is not MISSING \
                    else value
            for key, value in (right or {}).items():
                if not left or key not in left:
                    out[key] = value
            return out
    return rhs


def _merge_items(left: list, right: list, shape: Shape) -> list:
    """Keyed items merged pairwise; shared items in the config's order, others kept in place."""
    item_shape = shape.item()
    lhs = [(pe, item) for i, item in enumerate(left)
           if not isinstance(pe := item_element(shape, item, i), str)]
    rhs: list[tuple[Any, Any]] = []
    right_items: dict = {}
    for i, item in enumerate(right):
        pe = item_element(shape, item, i)
        if not isinstance(pe, str) and pe not in right_items:
            right_items[pe] = item
            rhs.append((pe, item))
    left_items: dict = {}
    for pe, item in lhs:
        left_items.setdefault(pe, item)
    shared = [pe for pe, _ in rhs if pe in left_items]
    shared_at = 0
    next_shared = shared[0] if shared else None
    merged_right: set = set()
    out: list = []
    li = ri = 0
    while li < len(lhs) or ri < len(rhs):
        if li < len(lhs) and ri < len(rhs):
            pe = lhs[li][0]
            if pe == rhs[ri][0]:
                merged_right.add(pe)
                out.append(merge(left_items[pe], right_items[pe], item_shape))
                li += 1
                ri += 1
                shared_at += 1
                next_shared = shared[shared_at] if shared_at < len(shared) else None
                continue
            if pe in right_items and next_shared is not None and next_shared != pe:
                li += 1                   # shared, but its turn comes later
                continue
        if li < len(lhs):
            pe, item = lhs[li]
            if pe not in right_items:
                out.append(item)
                li += 1
                continue
            if pe in merged_right:
                li += 1
                continue
        if ri < len(rhs):
            pe, item = rhs[ri]
            merged_right.add(pe)
            out.append(merge(left_items.get(pe, MISSING), item, item_shape))
            ri += 1
            if next_shared is not None and next_shared == pe:
                shared_at += 1
                next_shared = shared[shared_at] if shared_at < len(shared) else None
    return out


# --- removing fields (TypedValue.RemoveItems) ---------------------------------------------

def remove_paths(value: Any, paths: FieldSet, shape: Shape) -> Any:
    """``value`` without the members of ``paths`` (and everything below them)."""
    return _remove(value, shape, tree(paths)) if paths else value


def _remove(value: Any, shape: Shape, node: dict) -> Any:
    kind, atomic = effective(shape, value)
    if atomic or kind == SCALAR:
        return value
    if kind == LIST:
        if not isinstance(value, list) or not value:
            return value
        items = []
        for i, item in enumerate(value):
            pe = item_element(shape, item, i)
            entry = None if isinstance(pe, str) else node.get(pe)
            if entry is None:
                items.append(item)
            elif not entry[0]:
                items.append(_remove(item, shape.item(), entry[1]))
        return items or None              # SMD leaves an emptied container null
    if not isinstance(value, dict) or not value:
        return value
    out: JSON = {}
    for key, child in value.items():
        entry = node.get(("f", key))
        if entry is None:
            out[key] = child
        elif not entry[0]:
            out[key] = _remove(child, shape.child(key)[0], entry[1])
    return out or None


def prune(merged: Any, managed: Managed, last: FieldSet | None, shape: Shape) -> Any:
    """Drop what the applier owned last time and no longer applies, unless others own it."""
    if not last:
        return merged
    last_named = ensure_named(last, shape)
    pruned = remove_paths(merged, last_named, shape)
    owned: FieldSet = set().union(*(entry.fields for entry in managed.values()))
    merged_set = field_set(merged, shape, named=True)
    pruned_set = field_set(pruned, shape, named=True)
    pruned = remove_paths(merged, merged_set - (pruned_set | ensure_named(owned, shape)), shape)
    pruned_set = field_set(pruned, shape, named=True)
    return remove_paths(merged, (merged_set - pruned_set) & last_named, shape)


# --- one apply (Updater.Apply, then stripMeta and the timestamp) -----------------------------

def _apply_once(managed: Managed, live: JSON, config: JSON, *, shape: Shape, me: Entry,
                force: bool, ignored: FieldSet, now: str) -> tuple[JSON | None, Managed]:
    identity = me.identity
    previous = managed.get(identity)
    merged = merge(live, config, shape)
    applied = field_set(config, shape)
    if ignored:
        applied = recursive_difference(applied, ignored)
    managed = dict(managed)
    managed[identity] = replace(me, fields=applied,
                                time=previous.time if previous is not None else None)
    merged = prune(merged, managed, previous.fields if previous is not None else None, shape)

    added, modified, removed = compare(live, merged, shape, zeros=True)
    changed_object = bool(added or modified or removed)
    if ignored:
        added = recursive_difference(added, ignored)
        modified = recursive_difference(modified, ignored)
        removed = recursive_difference(removed, ignored)
    changed = added | modified
    conflicts = {other: entry.fields & changed for other, entry in managed.items()
                 if other != identity and not entry.fields.isdisjoint(changed)}
    if conflicts and not force:
        raise _Conflicts(conflicts)
    out: Managed = {}
    for other, entry in managed.items():
        fields = entry.fields
        if other == identity:
            fields = fields - STRIPPED
        else:
            if other in conflicts:
                fields = fields - conflicts[other]
            if removed:
                fields = fields - removed
        if fields:
            out[other] = entry if fields is entry.fields else replace(entry, fields=fields)
    if changed_object and identity in out:
        out[identity] = replace(out[identity], time=now)
    return (merged if changed_object else None), out


def server_side_apply(*, live: JSON | None, applied: JSON, manager: str, force: bool,
                      schema: Schema, type_name: str, api_version: str, now: str,
                      subresource: str = "",
                      ignored: Iterable[Iterable[str]] | None = None) -> JSON:
    """The object after applying ``applied`` as ``manager`` (``live`` None: a create).

    Raises ``ApplyConflict`` (409), ``BadRequest`` for a configuration of the wrong kind or
    with managedFields, and ``ApplyFailed`` (500, no reason) for a configuration SMD cannot
    type, exactly as the real server words them.  The result carries the new
    ``metadata.managedFields``; when nothing changed it is a copy of ``live`` (with the
    entries updated), as the real server returns.  ``ignored``: see ``update_managed_fields``.
    """
    shape = root_shape(schema, type_name)
    live_obj = without_managed_fields(live) if live is not None else {}
    try:
        managed = decode_managed((live or {}).get("metadata", {}).get("managedFields"))
    except ManagedFieldsError as exc:
        raise ApplyFailed(f"failed to decode managed fields: {exc}") from None
    _check_config(applied, schema.types[type_name].gvk, shape)
    me = Entry(manager=manager or "unknown", operation="Apply", api_version=api_version,
               subresource=subresource, fields=set())
    ignore = reset_paths(shape, subresource, ignored)

    def attempt(forced: bool) -> tuple[JSON | None, Managed]:
        start = managed
        if not start:                 # existing fields go to "before-first-apply"
            start = cap_update_managers(record_update(
                {}, {}, live_obj, shape=shape, manager="before-first-apply",
                operation="Update", api_version=api_version, subresource=subresource,
                now=now, ignored=ignore))
        return _apply_once(start, live_obj, applied, shape=shape, me=me, force=forced,
                           ignored=ignore, now=now)

    try:
        result, entries = attempt(force)
    except _Conflicts as found:
        allowed = _forgiven_by_last_applied(live_obj, shape, api_version) \
            if manager == "kubectl" else None
        if allowed is None:
            raise ApplyConflict(found.listed()) from None
        remaining = found.listed(without=allowed)
        if remaining:
            raise ApplyConflict(remaining) from None
        result, entries = attempt(True)

    obj = _without_nulls(result, live_obj) if result is not None else _copy(live_obj)
    if manager == "kubectl" and _last_applied(obj):
        _set_last_applied(obj, _build_last_applied(applied))
    store_managed(obj, entries)
    return obj


# --- checks on the configuration --------------------------------------------------------------

def _gvk_string(group: str, version: str, kind: str) -> str:
    return f"{group}/{version}, Kind={kind}"


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    return "number" if isinstance(value, (int, float)) else "null"


def _config_gvk(config: JSON) -> tuple[str, str, str]:
    api_version = config.get("apiVersion")
    kind = config.get("kind")
    kind = kind if isinstance(kind, str) else ""
    if not isinstance(api_version, str) or api_version.count("/") > 1:
        return "", "", kind
    group, _, version = api_version.rpartition("/")
    return group, version, kind


def _check_config(config: JSON, gvk: tuple[str, str, str] | None, shape: Shape) -> None:
    if not isinstance(config, dict):
        raise BadRequest("error decoding YAML: error unmarshaling JSON: while decoding JSON: "
                         f"json: cannot unmarshal {_json_kind(config)} into Go value of type "
                         "map[string]interface {}")
    got = _config_gvk(config)
    if gvk is not None and got != gvk:
        raise BadRequest(f"invalid object type: {_gvk_string(*got)}")
    meta = config.get("metadata")
    if isinstance(meta, dict) and meta.get("managedFields") is not None:
        raise BadRequest("metadata.managedFields must be nil")
    errors = validate(config, shape)
    if errors:
        meta = meta if isinstance(meta, dict) else {}
        where = f"{meta.get('namespace') or ''}/{meta.get('name') or ''}; {_gvk_string(*got)}"
        text = errors[0] if len(errors) == 1 else "errors:\n  " + "\n  ".join(errors)
        raise ApplyFailed(f"failed to create typed patch object ({where}): {text}")


# --- kubectl's client-side apply annotation ----------------------------------------------

def _forgiven_by_last_applied(live: JSON, shape: Shape, api_version: str) -> FieldSet | None:
    """Fields whose live value is still what client-side apply last set (lastAppliedManager)."""
    text = _last_applied(live)
    if not text:
        return None
    try:
        last = json.loads(text)
    except ValueError:
        return None
    if not isinstance(last, dict) or last.get("apiVersion") != api_version:
        return None
    if validate(last, shape):
        return None
    added, modified, removed = compare(last, zero_fill(live, shape), shape)
    return field_set(last, shape) - modified - added - removed


def _last_applied(obj: JSON) -> str:
    annotations = (obj.get("metadata") or {}).get("annotations")
    value = annotations.get(LAST_APPLIED) if isinstance(annotations, dict) else None
    return value if isinstance(value, str) else ""


def _build_last_applied(config: JSON) -> str:
    """The applied configuration without the annotation, as Go encodes it (with a newline)."""
    obj = _copy(config)
    meta = obj.get("metadata")
    if isinstance(meta, dict) and "annotations" in meta:
        if isinstance(meta["annotations"], dict):
            meta["annotations"].pop(LAST_APPLIED, None)
        else:
            del meta["annotations"]
    return go_json(obj) + "\n"


def _set_last_applied(obj: JSON, value: str) -> None:
    annotations = obj.setdefault("metadata", {}).setdefault("annotations", {})
    annotations[LAST_APPLIED] = value
    if sum(len(k) + len(v) for k, v in annotations.items()) > ANNOTATIONS_SIZE_LIMIT:
        del annotations[LAST_APPLIED]


# --- copies --------------------------------------------------------------------------------

def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _without_nulls(value: Any, live: Any) -> Any:
    """A private copy of the result; nulls the apply introduced are dropped, as Go would."""
    if isinstance(value, dict):
        before = live if isinstance(live, dict) else {}
        out: JSON = {}
        for key, child in value.items():
            was = before.get(key, MISSING)
            if child is None and was is not None:
                continue
            out[key] = _without_nulls(child, was)
        return out
    if isinstance(value, list):
        same = isinstance(live, list) and len(live) == len(value)
        return [_without_nulls(child, live[i] if same else MISSING)
                for i, child in enumerate(value) if child is not None]
    return value
