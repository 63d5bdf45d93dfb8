"""What the store keeps: one immutable record per version of an object.

An object is kept as its serialised JSON (``raw``), which is what GET and watch send, so a
read costs no re-encoding and 10,000 pods fit in tens of megabytes rather than hundreds.
Labels and the kind's selectable fields are kept beside it, parsed, for selectors.
"""

from __future__ import annotations

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


def make_record(obj: JSON, *, rv: int, fields: dict[str, str]) -> Record:
    meta = obj["metadata"]
    meta["resourceVersion"] = str(rv)
    namespace = meta.get("namespace", "")
    name = meta["name"]
    all_fields = {"metadata.name": name, "metadata.namespace": namespace}
    all_fields.update(fields)
    return Record(namespace=namespace, name=name, rv=rv, raw=orjson.dumps(obj),
                  labels=dict(meta.get("labels") or {}), fields=all_fields)


def with_rv(record: Record, rv: int) -> Record:
    """The same object stamped with another resourceVersion (for DELETED events)."""
    obj = record.object()
    obj["metadata"]["resourceVersion"] = str(rv)
    return Record(namespace=record.namespace, name=record.name, rv=rv,
                  raw=orjson.dumps(obj), labels=record.labels, fields=record.fields)
