"""The ``meta.k8s.io/v1`` Table: what kube-apiserver sends back to ``kubectl get``.

kubectl asks for ``Accept: application/json;as=Table;v=v1;g=meta.k8s.io`` and prints the
columns the *server* chose.  The server always generates every column (its printers run
with ``Wide: true``); kubectl itself drops the ``priority`` 1 columns unless ``-o wide``.

A :class:`Printer` is one kind's column list plus a function from an object to its
:class:`Row`.  This module holds the pieces every printer shares: the Name and Age
columns, and the assembly of the Table object with its ``object`` field (``None``,
``PartialObjectMetadata`` or the full object, as ``?includeObject=`` asks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

JSON = dict[str, Any]

# The descriptions of the Name and Age columns, written for the kit (shared by every printer).
NAME_DOC = (
    "The object's name (metadata.name): unique for its kind within its namespace, or within "
    "the cluster for cluster-scoped kinds, and fixed once the object is created."
)
CREATION_TIMESTAMP_DOC = (
    "When the object was created (metadata.creationTimestamp), a time the server sets and "
    "clients cannot change."
)
# Shared by the workload printers' wide columns.
CONTAINERS_DOC = "The names of the pod template's containers, comma-separated."
IMAGES_DOC = "The image of each of the pod template's containers, comma-separated, in order."


@dataclass(frozen=True)
class Column:
    """One ``TableColumnDefinition``; ``priority`` 1 columns show only with ``-o wide``."""

    name: str
    type: str = "string"
    description: str = ""
    format: str = ""
    priority: int = 0

    def definition(self) -> JSON:
        return {"name": self.name, "type": self.type, "format": self.format,
                "description": self.description, "priority": self.priority}


@dataclass
class Row:
    """The cells of one object (ints stay ints: they are JSON numbers on the wire)."""

    cells: list[Any]
    conditions: list[JSON] = field(default_factory=list)


RowFunction = Callable[[JSON, datetime], Row]


@dataclass(frozen=True)
class Printer:
    """A kind's columns and the function that fills them for one object."""

    columns: tuple[Column, ...]
    row: RowFunction


NAME = Column("Name", format="name", description=NAME_DOC)
AGE = Column("Age", description=CREATION_TIMESTAMP_DOC)

# ObjectMeta's fields in Go's struct order, the order the server serialises them in.
_OBJECT_META_ORDER = ("name", "generateName", "namespace", "selfLink", "uid",
                      "resourceVersion", "generation", "creationTimestamp",
                      "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
                      "annotations", "ownerReferences", "finalizers", "managedFields")


def _omitted(key: str, value: Any) -> bool:
    """Go's ``omitempty`` for ObjectMeta (creationTimestamp is a struct: never omitted)."""
    if key == "creationTimestamp":
        return False
    if key == "deletionGracePeriodSeconds":       # a pointer: 0 is still sent
        return value is None
    return value is None or value == "" or value == 0 or value == {} or value == []


def object_meta(metadata: JSON) -> JSON:
    """A copy of ``metadata`` laid out as Go serialises ``metav1.ObjectMeta``."""
    out: JSON = {}
    for key in _OBJECT_META_ORDER:
        value = metadata.get(key)
        if key == "creationTimestamp" or not _omitted(key, value):
            out[key] = value
    for key, value in metadata.items():     # nothing else is expected; keep it if present
        if key not in out and key not in _OBJECT_META_ORDER:
            out[key] = value
    return out


def partial_object_metadata(obj: JSON) -> JSON:
    """``meta.AsPartialObjectMetadata``: the whole ObjectMeta, managedFields included."""
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
            "metadata": object_meta(obj.get("metadata") or {})}


def row_object(obj: JSON, include_object: str) -> JSON | None:
    """What a row's ``object`` holds for ``?includeObject=`` (the server's default: Metadata)."""
    if include_object == "None":
        return None                 # RawExtension with nothing in it marshals as null
    if include_object == "Object":
        return obj
    return partial_object_metadata(obj)


def list_meta(*, resource_version: str, continue_token: str,
              remaining_item_count: int | None) -> JSON:
    """The Table's ``metadata``: a ListMeta, every field omitempty."""
    meta: JSON = {}
    if resource_version:
        meta["resourceVersion"] = resource_version
    if continue_token:
        meta["continue"] = continue_token
    if remaining_item_count is not None:
        meta["remainingItemCount"] = remaining_item_count
    return meta


def build_table(printer: Printer, objects: Iterable[JSON], *, now: datetime,
                resource_version: str, continue_token: str = "",
                remaining_item_count: int | None = None, include_object: str = "Metadata",
                no_headers: bool = False) -> JSON:
    """The Table for ``objects`` as the server encodes it (key order included)."""
    rows: list[JSON] = []
    for obj in objects:
        row = printer.row(obj, now)
        entry: JSON = {"cells": row.cells}
        if row.conditions:
            entry["conditions"] = row.conditions
        entry["object"] = row_object(obj, include_object)
        rows.append(entry)
    columns = None if no_headers else [column.definition() for column in printer.columns]
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": list_meta(resource_version=resource_version, continue_token=continue_token,
                              remaining_item_count=remaining_item_count),
        "columnDefinitions": columns,
        "rows": rows,
    }


def name_of(obj: JSON) -> str:
    return (obj.get("metadata") or {}).get("name", "")


def creation_of(obj: JSON) -> Any:
    return (obj.get("metadata") or {}).get("creationTimestamp")


def layout_containers(containers: list[JSON] | None) -> tuple[str, str]:
    """The CONTAINERS and IMAGES cells of a pod template: names and images, comma-joined."""
    containers = containers or []
    return (",".join(c.get("name", "") for c in containers),
            ",".join(c.get("image", "") for c in containers))
