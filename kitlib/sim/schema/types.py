"""The shape of the API's types, as the server needs to know it.

One small model serves four jobs: strict decoding (unknown and duplicate fields, wrong
types), strategic merge patch (merge keys and patch strategies), server-side apply (list
types and map keys), and the OpenAPI documents kubectl reads for ``explain`` and
client-side patching.  It is built once from the official ``kubernetes`` client's models
(see ``builder``), plus the patch metadata those models do not carry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# Scalars as OpenAPI names them; "int-or-string" and "quantity" are Kubernetes' own.
Scalar = Literal["string", "integer", "number", "boolean", "date-time", "int-or-string",
                 "quantity", "byte", "object"]   # "object": free-form JSON (RawExtension)


@dataclass(frozen=True)
class ScalarType:
    name: Scalar
    format: str = ""          # "int32", "int64", "double", "date-time", "byte" (OpenAPI format)
    # The OpenAPI definition that stands for this scalar, where Kubernetes names one:
    # "io.k8s.apimachinery.pkg.apis.meta.v1.Time", "...api.resource.Quantity", ...
    ref: str = ""


@dataclass(frozen=True)
class ArrayType:
    items: TypeRef


@dataclass(frozen=True)
class MapType:
    values: TypeRef


@dataclass(frozen=True)
class RefType:
    """A named object type, e.g. ``io.k8s.api.core.v1.Container``."""

    name: str


TypeRef = ScalarType | ArrayType | MapType | RefType


@dataclass(frozen=True)
class Field:
    json_name: str
    type: TypeRef
    description: str = ""
    required: bool = False
    # Strategic merge patch: "merge", "retainKeys", "merge,retainKeys", "replace" or "".
    patch_strategy: str = ""
    patch_merge_key: str = ""
    # Server-side apply: "atomic", "set", "map" or "" (granular by default for objects).
    list_type: str = ""
    list_map_keys: tuple[str, ...] = ()
    map_type: str = ""        # "atomic" or "granular" for objects and maps


@dataclass
class ObjectType:
    name: str                            # the OpenAPI definition name
    description: str = ""
    fields: dict[str, Field] = field(default_factory=dict)   # by json name
    # Set for top-level kinds: (group, version, kind).
    gvk: tuple[str, str, str] | None = None
    map_type: str = ""                   # "atomic" for types replaced as a whole


class Schema:
    """All object types by name, and the top-level kinds by (group, version, kind)."""

    def __init__(self) -> None:
        self.types: dict[str, ObjectType] = {}
        self.kinds: dict[tuple[str, str, str], str] = {}

    def add(self, obj: ObjectType) -> None:
        self.types[obj.name] = obj
        if obj.gvk is not None:
            self.kinds[obj.gvk] = obj.name

    def kind(self, group: str, version: str, kind: str) -> ObjectType:
        return self.types[self.kinds[(group, version, kind)]]

    def resolve(self, ref: TypeRef) -> ObjectType | None:
        return self.types.get(ref.name) if isinstance(ref, RefType) else None
