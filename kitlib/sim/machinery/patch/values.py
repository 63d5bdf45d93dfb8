"""Copying and comparing decoded JSON the way the Go patch code sees it.

The patch engines work in place on private copies, as the Go code does on freshly
decoded maps, so every public entry point first copies its inputs: callers keep their
objects, and the result shares nothing with them.  Comparisons follow Go's interface
equality, where ``1`` (int64), ``1.0`` (float64) and ``true`` are three different values,
unlike in Python.
"""

from __future__ import annotations

from typing import Any

import orjson


def deep_copy(value: Any) -> Any:
    """An independent copy of a JSON value (orjson round trip, with a slow fallback)."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    try:
        return orjson.loads(orjson.dumps(value))
    except (TypeError, orjson.JSONEncodeError):
        return _copy(value)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy(v) for v in value]
    return value


def same(a: Any, b: Any) -> bool:
    """Go's ``==`` on two decoded scalars: same type and same value."""
    return type(a) is type(b) and a == b


def json_equal(a: Any, b: Any) -> bool:
    """``reflect.DeepEqual`` on two decoded JSON values."""
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is dict:
        return len(a) == len(b) and all(k in b and json_equal(v, b[k]) for k, v in a.items())
    if kind is list:
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    return bool(a == b)


def identity(value: Any) -> Any:
    """A hashable stand-in for a scalar under Go equality; None if it has none."""
    try:
        hash(value)
    except TypeError:
        return None
    return (type(value), value)
