"""JSON merge patch (RFC 7386, ``application/merge-patch+json``).

``kubectl patch --type=merge``, ``kubectl label``, ``kubectl annotate`` and ``kubectl
scale`` send these.  The real server applies them with evanphx/json-patch (v4), whose
few departures from the RFC are kept: nulls inside a value that replaces a non-object are
pruned (also inside objects within lists, though null list items stay), and a body that
is not an object is refused as it is when the server decodes with field validation (the
default).
"""

from __future__ import annotations

from typing import Any

from ..errors import BadRequest
from .golang import go_json_kind
from .values import deep_copy

__all__ = ["apply_merge_patch", "create_merge_patch"]

_MISSING = object()


def apply_merge_patch(target: Any, patch: Any) -> Any:
    """The result of merging ``patch`` into ``target``; neither input is changed."""
    if patch is None:
        raise BadRequest("Invalid JSON Patch")
    if not isinstance(patch, dict):
        raise BadRequest(f"error decoding patch: json: cannot unmarshal {go_json_kind(patch)}"
                         " into Go value of type map[string]interface {}")
    patch = deep_copy(patch)
    if not isinstance(target, dict):
        return _prune_nulls(patch)
    doc = deep_copy(target)
    _merge_into(doc, patch)
    return doc


def _merge_into(doc: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if value is None:
            doc.pop(key, None)
            continue
        current = doc.get(key, _MISSING)
        if current is _MISSING or current is None or not isinstance(current, dict):
            doc[key] = _prune_nulls(value)
        elif isinstance(value, dict):
            _merge_into(current, value)
        else:
            doc[key] = value        # an object replaced by a non-object: taken as is


def _prune_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if v is None]:
            del value[key]
        for item in value.values():
            _prune_nulls(item)
    elif isinstance(value, list):
        for item in value:
            if item is not None:
                _prune_nulls(item)
    return value


def create_merge_patch(original: dict[str, Any], modified: dict[str, Any]) -> dict[str, Any]:
    """The merge patch that turns ``original`` into ``modified`` (as kubectl computes it)."""
    return deep_copy(_diff(original, modified))


def _diff(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, new in b.items():
        if key not in a:
            out[key] = new
            continue
        old = a[key]
        if isinstance(old, dict) and isinstance(new, dict):
            sub = _diff(old, new)
            if sub:
                out[key] = sub
        elif not _equal(old, new):
            out[key] = new
    for key in a:
        if key not in b:
            out[key] = None
    return out


def _equal(a: Any, b: Any) -> bool:
    """Equality as encoding/json decodes: all numbers are float64, bools are not numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return bool(a == b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and all(k in b and _equal(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return bool(a == b)
