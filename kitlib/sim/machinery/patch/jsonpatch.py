"""JSON Patch (RFC 6902, ``application/json-patch+json``), answered as the real server does.

The operations themselves come from the ``jsonpatch`` library; this wrapper only gives
its failures the real server's shapes.  kube-apiserver decodes the body into a list of
operations (a body that is not one is a 400 with Go's decoding error), refuses more than
10000 operations (413), and reports any operation that does not apply — a missing path,
a failed ``test``, an unknown ``op`` — as a bare 422 "the server rejected our request due
to an error in our request", which is what ``kubectl patch --type=json`` shows.
As in evanphx/json-patch, a missing ``value`` means null and ``test`` compares values
with their JSON types (``1`` is not ``1.0``).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

import jsonpatch as _jsonpatch
import jsonpointer as _jsonpointer

from ..errors import BadRequest
from .errors import TooManyOperations, UnprocessablePatch
from .golang import go_json_kind
from .values import deep_copy, json_equal

__all__ = ["apply_json_patch", "MAX_OPERATIONS"]

MAX_OPERATIONS = 10000    # maxJSONPatchOperations in k8s.io/apiserver


class _StrictTest(_jsonpatch.TestOperation):
    """``test`` as evanphx/json-patch does it: values compare with their JSON types
    (Python would say ``True == 1``), and null matches a missing object member."""

    def apply(self, obj: Any) -> Any:
        expected = self.operation.get("value")
        try:
            subobj, part = self.pointer.to_last(obj)
            if part is None:
                value = subobj
            elif isinstance(subobj, dict) and part not in subobj:
                value = None
            else:
                value = self.pointer.walk(subobj, part)
        except _jsonpointer.JsonPointerException as exc:
            raise _jsonpatch.JsonPatchTestFailed(str(exc)) from None
        if not json_equal(value, expected):
            raise _jsonpatch.JsonPatchTestFailed(f"testing value {self.location} failed")
        return obj


class _Patch(_jsonpatch.JsonPatch):
    operations = MappingProxyType({**_jsonpatch.JsonPatch.operations, "test": _StrictTest})


def apply_json_patch(obj: Any, patch: Any) -> Any:
    """Apply the decoded JSON Patch body ``patch`` to a copy of ``obj`` and return it."""
    if patch is None:
        return deep_copy(obj)                  # "null" decodes to an empty patch
    if not isinstance(patch, list):
        raise BadRequest(f"json: cannot unmarshal {go_json_kind(patch)} "
                         "into Go value of type jsonpatch.Patch")
    for op in patch:
        if op is not None and not isinstance(op, dict):
            raise BadRequest(f"json: cannot unmarshal {go_json_kind(op)} "
                             "into Go value of type jsonpatch.Operation")
    if len(patch) > MAX_OPERATIONS:
        raise TooManyOperations(MAX_OPERATIONS, len(patch))
    operations = []
    for op in deep_copy(patch):
        if op is None:
            raise UnprocessablePatch("Unexpected kind: unknown")
        if op.get("op") in ("add", "replace", "test"):
            op.setdefault("value", None)
        operations.append(op)
    try:
        return _Patch(operations).apply(deep_copy(obj), in_place=True)
    except (_jsonpatch.JsonPatchException, _jsonpointer.JsonPointerException,
            KeyError, IndexError, TypeError, ValueError) as exc:
        raise UnprocessablePatch(str(exc)) from None
