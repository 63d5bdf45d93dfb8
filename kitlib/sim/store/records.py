"""What the store keeps: one immutable record per version of an object.

An object is kept as its serialised JSON (``raw``), which is what GET and watch send, so a
read costs no re-encoding and 10,000 pods fit in tens of megabytes rather than hundreds.
Labels and the kind's selectable fields are kept beside it, parsed, for selectors.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

import orjson

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Record:
    namespace: str            # "" for cluster-scoped objects
    name: str
    rv: int
    raw: bytes
    labels: dict[str, str]
    fields: dict[str, str]    # the kind's selectable fields, plus metadata.name/namespace

    def object(self) -> JSON:
        """A fresh, mutable copy of the object."""
        return orjson.loads(self.raw)


@dataclass(frozen=True, slots=True)
class Event:
    """One change, as watchers see it: ADDED, MODIFIED or DELETED."""

    rv: int
    type: str
    resource: str             # the store key: "pods", "deployments.apps"
    record: Record
    prev: Record | None       # the version before this change (for selector transitions)
    at: float = 0.0           # when it happened (simulated seconds), to age the watch window


def make_record(obj: JSON, *, rv: int, fields: dict[str, str],
                prev: Record | None = None) -> Record:
    """The record of ``obj`` at ``rv``; ``prev``, its previous version, lends its labels and
    fields when they did not change (most writes change neither), so versions share them."""
    meta = obj["metadata"]
    meta["resourceVersion"] = str(rv)
    namespace = _intern(meta.get("namespace", ""))
    name = meta["name"]
    all_fields = {"metadata.name": name, "metadata.namespace": namespace}
    for key, value in fields.items():
        all_fields[key] = _intern(value)
    labels = {_intern(k): _intern(v) for k, v in (meta.get("labels") or {}).items()}
    if prev is not None:
        if labels == prev.labels:
            labels = prev.labels
        if all_fields == prev.fields:
            all_fields = prev.fields
    return Record(namespace=namespace, name=name, rv=rv, raw=orjson.dumps(obj),
                  labels=labels, fields=all_fields)


def _intern(value: str) -> str:
    """One copy of each short string: label keys and values, namespaces, phases and node
    names repeat across thousands of objects (the records' labels and fields are the
    largest part of the store after the objects' JSON)."""
    if isinstance(value, str) and len(value) <= _INTERN_MAX:
        return sys.intern(value)
    return value


_INTERN_MAX = 64


def with_rv(record: Record, rv: int) -> Record:
    """The same object stamped with another resourceVersion (for DELETED events)."""
    obj = record.object()
    obj["metadata"]["resourceVersion"] = str(rv)
    return Record(namespace=record.namespace, name=record.name, rv=rv,
                  raw=orjson.dumps(obj), labels=record.labels, fields=record.fields)
