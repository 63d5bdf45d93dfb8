"""Where a strategic merge patch learns how to merge a field: the schema's patch metadata.

k8s.io/apimachinery reads ``patchStrategy``/``patchMergeKey`` from Go struct tags while it
walks the patch (``LookupPatchMetadataForStruct``/``...ForSlice``); here the same walk
goes through ``schema.types``.  A position in the walk is a :data:`Node`: an object type,
a map (``additionalProperties``: its values have no metadata), an array, or ``None`` for
free-form JSON, where maps merge and lists are replaced, as in a JSON merge patch.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass

from ...schema.types import ArrayType, MapType, ObjectType, RefType, ScalarType, Schema, TypeRef
from .errors import PatchFailed

Node = ObjectType | MapType | ArrayType | ScalarType | None


@dataclass(frozen=True, slots=True)
class PatchMeta:
    strategies: tuple[str, ...] = ()
    merge_key: str = ""

    @property
    def retain_keys(self) -> bool:
        return split_strategies(self.strategies)[0]

    @property
    def strategy(self) -> str:
        """The strategy besides ``retainKeys``: "merge", "replace" or ""."""
        return split_strategies(self.strategies)[1]


NO_META = PatchMeta()


def split_strategies(strategies: tuple[str, ...]) -> tuple[bool, str]:
    """(has retainKeys, the other strategy), as ``extractRetainKeysPatchStrategy``."""
    if not strategies:
        return False, ""
    if len(strategies) == 1:
        return (True, "") if strategies[0] == "retainKeys" else (False, strategies[0])
    if len(strategies) == 2 and "retainKeys" in strategies:
        return True, strategies[1] if strategies[0] == "retainKeys" else strategies[0]
    raise PatchFailed(f"unexpected patch strategy: [{' '.join(strategies)}]")


class Walker:
    """Looks up fields along a schema, caching the answers (they never change)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        # (id of the object type, field) -> (that type, its field's node and metadata);
        # the type is kept so that a recycled id cannot return another type's answer.
        self._cache: dict[tuple[int, str], tuple[ObjectType, Node, PatchMeta]] = {}

    def resolve(self, ref: TypeRef | None) -> Node:
        if isinstance(ref, RefType):
            return self.schema.types.get(ref.name)
        if isinstance(ref, ScalarType) and ref.name == "object":
            return None                                  # free-form JSON
        return ref

    def root(self, type_name: str) -> ObjectType:
        try:
            return self.schema.types[type_name]
        except KeyError:
            raise ValueError(f"no type {type_name!r} in the schema") from None

    def field(self, node: Node, key: str, *, strict: bool = False) -> tuple[Node, PatchMeta]:
        """The node under ``key`` and its patch metadata (Go's ``...ForStruct``)."""
        if isinstance(node, MapType):
            return self.resolve(node.values), NO_META
        if not isinstance(node, ObjectType):
            return None, NO_META
        cached = self._cache.get((id(node), key))
        if cached is not None and cached[0] is node:
            return cached[1], cached[2]
        spec = node.fields.get(key)
        if spec is None:
            if strict and node.fields:
                raise PatchFailed(f"unable to find api field in struct {go_name(node.name)} "
                                  f"for the json field {json.dumps(key, ensure_ascii=False)}")
            return None, NO_META
        strategies = tuple(s for s in spec.patch_strategy.split(",") if s)
        sub, meta = self.resolve(spec.type), PatchMeta(strategies, spec.patch_merge_key)
        self._cache[(id(node), key)] = (node, sub, meta)
        return sub, meta

    def items(self, node: Node, key: str, *, strict: bool = False) -> tuple[Node, PatchMeta]:
        """The item node of the list under ``key`` and its metadata (``...ForSlice``)."""
        sub, meta = self.field(node, key, strict=strict)
        if isinstance(sub, ArrayType):
            return self.resolve(sub.items), meta
        if sub is None:
            return None, meta
        kind = "map" if isinstance(node, MapType) else "struct"
        raise PatchFailed(f"expected slice or array type, but got: {kind}")


_walkers: weakref.WeakKeyDictionary[Schema, Walker] = weakref.WeakKeyDictionary()


def walker(schema: Schema) -> Walker:
    """The (cached) walker for ``schema``."""
    found = _walkers.get(schema)
    if found is None:
        found = _walkers[schema] = Walker(schema)
    return found


def go_name(definition: str) -> str:
    """``io.k8s.api.core.v1.PodSpec`` -> ``PodSpec``, the Go type's name."""
    return definition.rsplit(".", 1)[-1]


def node_kind(node: Node) -> str:
    """What Go's ``reflect.Kind`` would call the node ("struct", "map", "string")."""
    if isinstance(node, ObjectType):
        return "struct"
    if isinstance(node, MapType):
        return "map"
    if isinstance(node, ArrayType):
        return "slice"
    if isinstance(node, ScalarType):
        return {"integer": "int64", "number": "float64", "boolean": "bool"}.get(node.name,
                                                                               "string")
    return "interface"
