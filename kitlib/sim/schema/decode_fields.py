"""Checking decoded data against the schema, as Go's typed decoding would.

Two families of faults, worded as the apiserver words them:

* strict-decoding problems (reported or not per ``fieldValidation``): fields the type does
  not have, ``unknown field "spec.containers[0].imagee"`` (list indices shown, paths
  from the object's root);
* type errors (always fatal; Go reports only the first): ``json: cannot unmarshal string
  into Go struct field DeploymentSpec.spec.replicas of type int32`` (no list indices,
  the innermost Go struct named first).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from kitlib.sim.schema import gotypes
from kitlib.sim.schema.types import (
    ArrayType, Field, MapType, ObjectType, RefType, ScalarType, Schema, TypeRef,
)

# --- unknown fields ---------------------------------------------------------------------


def unknown_fields(obj: Any, *, schema: Schema, type_name: str,
                   sorted_keys: bool = False) -> list[str]:
    """``unknown field "<path>"`` for every field the type does not define.

    ``sorted_keys`` visits keys in sorted order, as the server does for YAML bodies (it
    decodes the JSON that YAML became, whose keys Go sorted); JSON bodies keep their order.
    """
    return strict_problems(obj, schema=schema, type_name=type_name, sorted_keys=sorted_keys)


def strict_problems(obj: Any, *, schema: Schema, type_name: str,
                    duplicates: dict[int, list[str]] | None = None,
                    sorted_keys: bool = False) -> list[str]:
    """Unknown and (JSON) duplicate fields together, in the order the server finds them.

    ``duplicates`` is what ``decode.parse_json`` returned; a field both unknown and
    duplicated is reported once, as unknown, like the real decoder does.
    """
    out: list[str] = []
    root = schema.types.get(type_name)
    if root is not None:
        _walk_object(obj, root, "", schema, duplicates or {}, sorted_keys, out)
    return out


def _walk_object(data: Any, obj: ObjectType, path: str, schema: Schema,
                 duplicates: dict[int, list[str]], sorted_keys: bool, out: list[str]) -> None:
    if not isinstance(data, dict):
        return
    dupes = duplicates.get(id(data), ()) if duplicates else ()
    fields = obj.fields
    for key in (sorted(data) if sorted_keys else data):
        field = fields.get(key)
        if field is None:
            out.append(f'unknown field "{path}.{key}"' if path else f'unknown field "{key}"')
            continue
        value = data[key]
        if key in dupes or isinstance(value, (dict, list)):   # nothing below a scalar
            child = f"{path}.{key}" if path else key
            if key in dupes:
                out.append(f'duplicate field "{child}"')
            _walk_value(value, field.type, child, schema, duplicates, sorted_keys, out)


def _walk_value(value: Any, t: TypeRef, path: str, schema: Schema,
                duplicates: dict[int, list[str]], sorted_keys: bool, out: list[str]) -> None:
    if isinstance(t, RefType):
        target = schema.types.get(t.name)
        if target is not None:
            _walk_object(value, target, path, schema, duplicates, sorted_keys, out)
    elif isinstance(t, ArrayType) and isinstance(value, list):
        for i, item in enumerate(value):
            _walk_value(item, t.items, f"{path}[{i}]", schema, duplicates, sorted_keys, out)
    elif isinstance(t, MapType) and isinstance(value, dict):
        dupes = duplicates.get(id(value), ())
        for key in (sorted(value) if sorted_keys else value):
            child = f"{path}.{key}"
            if key in dupes:
                out.append(f'duplicate field "{child}"')
            _walk_value(value[key], t.values, child, schema, duplicates, sorted_keys, out)
    # scalars, and free-form values (RawExtension, FieldsV1): anything goes


def prune_unknown_fields(obj: Any, *, schema: Schema, type_name: str) -> None:
    """Drop, in place, every field the type does not define, and turn a null item of a list
    of structs into an empty object: what decoding into Go's types does to them."""
    root = schema.types.get(type_name)
    if root is not None:
        _prune_object(obj, root, schema)


def _prune_object(data: Any, obj: ObjectType, schema: Schema) -> None:
    if not isinstance(data, dict):
        return
    fields = obj.fields
    unknown = [k for k in data if k not in fields]
    for key in unknown:
        del data[key]
    for key, value in data.items():
        if isinstance(value, (dict, list)):            # nothing to prune in a scalar
            _prune_value(value, fields[key].type, schema)


def _prune_value(value: Any, t: TypeRef, schema: Schema) -> None:
    if isinstance(t, RefType):
        target = schema.types.get(t.name)
        if target is not None:
            _prune_object(value, target, schema)
    elif isinstance(t, ArrayType) and isinstance(value, list):
        struct = isinstance(t.items, RefType)
        for i, item in enumerate(value):
            if item is None and struct:
                value[i] = {}       # Go leaves the zero struct; validation judges it then
            else:
                _prune_value(item, t.items, schema)
    elif isinstance(t, MapType) and isinstance(value, dict):
        for item in value.values():
            _prune_value(item, t.values, schema)


# --- type errors ------------------------------------------------------------------------

_INT_RANGES = {"int32": (-(2 ** 31), 2 ** 31 - 1), "int64": (-(2 ** 63), 2 ** 63 - 1)}
QUANTITY_ERROR = ("quantities must match the regular expression "
                  "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_SUFFIXES = frozenset({"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G",
                       "T", "P", "E"})
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

#: Go's named string types where the client says only "str" (what "of type" prints).
NAMED_STRINGS: dict[tuple[str, str], str] = {
    (f"{gotypes.CORE}.{owner}", field): go_type
    for owner, field, go_type in (
        ("ContainerPort", "protocol", "v1.Protocol"),
        ("ServicePort", "protocol", "v1.Protocol"),
        ("EndpointPort", "protocol", "v1.Protocol"),
        ("Container", "imagePullPolicy", "v1.PullPolicy"),
        ("Container", "terminationMessagePolicy", "v1.TerminationMessagePolicy"),
        ("PodSpec", "restartPolicy", "v1.RestartPolicy"),
        ("PodSpec", "dnsPolicy", "v1.DNSPolicy"),
        ("PodStatus", "phase", "v1.PodPhase"),
        ("PodStatus", "qosClass", "v1.PodQOSClass"),
        ("PodCondition", "type", "v1.PodConditionType"),
        ("PodCondition", "status", "v1.ConditionStatus"),
        ("ServiceSpec", "type", "v1.ServiceType"),
        ("ServiceSpec", "sessionAffinity", "v1.ServiceAffinity"),
        ("NamespaceStatus", "phase", "v1.NamespacePhase"),
        ("NodeCondition", "type", "v1.NodeConditionType"),
        ("NodeCondition", "status", "v1.ConditionStatus"),
        ("Secret", "type", "v1.SecretType"),
        ("Toleration", "operator", "v1.TolerationOperator"),
        ("Toleration", "effect", "v1.TaintEffect"),
        ("Taint", "effect", "v1.TaintEffect"),
    )
} | {
    ("io.k8s.api.apps.v1.DeploymentStrategy", "type"): "v1.DeploymentStrategyType",
    (f"{gotypes.META}.ObjectMeta", "uid"): "types.UID",
    (f"{gotypes.META}.OwnerReference", "uid"): "types.UID",
}
_NAMED_MAPS = {(f"{gotypes.CORE}.{o}", f): "v1.ResourceList" for o, f in (
    ("ResourceRequirements", "limits"), ("ResourceRequirements", "requests"),
    ("VolumeResourceRequirements", "limits"), ("VolumeResourceRequirements", "requests"),
    ("NodeStatus", "capacity"), ("NodeStatus", "allocatable"), ("PodSpec", "overhead"),
    ("ContainerStatus", "allocatedResources"))}


def type_errors(obj: Any, *, schema: Schema, type_name: str,
                sorted_keys: bool = False) -> list[str]:
    """Values of the wrong JSON type, in the order Go's decoder meets them.

    The real server stops at the first (``Pod in version "v1" cannot be handled as a Pod:
    <first>``); all are returned here.
    """
    out: list[str] = []
    root = schema.types.get(type_name)
    if root is not None and isinstance(obj, dict):
        _check_object(obj, root, (), schema, sorted_keys, out)
    return out


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def go_type_name(t: TypeRef, owner: str = "", field: str = "") -> str:
    """How Go's reflect prints the field's type: ``int32``, ``[]v1.Container``, ..."""
    if (owner, field) in NAMED_STRINGS:
        return NAMED_STRINGS[(owner, field)]
    if (owner, field) in _NAMED_MAPS:
        return _NAMED_MAPS[(owner, field)]
    if isinstance(t, RefType):
        return "v1." + t.name.rsplit(".", 1)[1]
    if isinstance(t, ArrayType):
        return "[]" + go_type_name(t.items)
    if isinstance(t, MapType):
        return "map[string]" + go_type_name(t.values)
    if t.ref == gotypes.QUANTITY:
        return "resource.Quantity"
    if t.ref in (gotypes.TIME, gotypes.MICRO_TIME):
        return "v1." + t.ref.rsplit(".", 1)[1]
    return {"string": "string", "boolean": "bool", "number": "float64", "byte": "[]uint8",
            "integer": t.format or "int32", "object": "interface {}"}.get(t.name, "string")


# Every create and update is checked here, so the walk does little per value: the names
# an error needs (the Go struct, the field path) are only worked out for an error.

def _check_object(data: Any, obj: ObjectType, path: tuple[str, ...], schema: Schema,
                  sorted_keys: bool, out: list[str]) -> None:
    fields = obj.fields
    for key in (sorted(data) if sorted_keys else data):
        field = fields.get(key)
        if field is not None:
            value = data[key]
            if value is not None:                      # null leaves the zero value
                _check_value(value, field.type, obj, field.json_name, path, key, schema,
                             sorted_keys, out)


def _unmarshal(value_desc: str, owner: ObjectType, path: tuple[str, ...], key: str,
               go_type: str) -> str:
    struct = owner.name.rsplit(".", 1)[1]
    return (f"json: cannot unmarshal {value_desc} into Go struct field "
            f"{struct}.{'.'.join((*path, key))} of type {go_type}")


def _check_value(value: Any, t: TypeRef, owner: ObjectType, field: str,
                 path: tuple[str, ...], key: str, schema: Schema, sorted_keys: bool,
                 out: list[str]) -> None:
    """Check ``value`` of field ``field`` of ``owner``, at ``path`` + ``key`` (Go's paths
    name no list index or map key, so list items and map values share their field's)."""
    if value is None:
        return                                         # null leaves the zero value
    if isinstance(t, ScalarType):
        if t.ref:
            problem = _custom_unmarshal(value, t)
            if problem:
                out.append(problem)
            return
        if t.name == "string" and type(value) is str:
            return
        problem = _scalar_problem(value, _json_kind(value), t)
        if problem:
            out.append(_unmarshal(problem, owner, path, key,
                                  go_type_name(t, owner.name, field)))
        return
    if isinstance(t, RefType):
        if type(value) is dict or _json_kind(value) == "object":
            target = schema.types.get(t.name)
            if target is not None:
                _check_object(value, target, (*path, key), schema, sorted_keys, out)
        else:
            out.append(_unmarshal(_json_kind(value), owner, path, key,
                                  go_type_name(t, owner.name, field)))
        return
    if isinstance(t, ArrayType):
        if not isinstance(value, list):
            out.append(_unmarshal(_json_kind(value), owner, path, key,
                                  go_type_name(t, owner.name, field)))
            return
        items = t.items
        for item in value:
            if item is not None:
                _check_value(item, items, owner, field, path, key, schema, sorted_keys, out)
        return
    if isinstance(t, MapType):
        if not (type(value) is dict or _json_kind(value) == "object"):
            out.append(_unmarshal(_json_kind(value), owner, path, key,
                                  go_type_name(t, owner.name, field)))
            return
        values = t.values
        for name in (sorted(value) if sorted_keys else value):
            _check_value(value[name], values, owner, field, path, key, schema, sorted_keys,
                         out)
        return
    problem = _scalar_problem(value, _json_kind(value), t)
    if problem:
        out.append(_unmarshal(problem, owner, path, key, go_type_name(t, owner.name, field)))


def _scalar_problem(value: Any, kind: str, t: ScalarType) -> str:
    """The ``Value`` part of Go's UnmarshalTypeError, or "" when the value fits."""
    if t.name in ("string", "byte"):
        return "" if kind == "string" else kind
    if t.name == "boolean":
        return "" if kind == "bool" else kind
    if t.name == "integer":
        if kind != "number":
            return kind
        low, high = _INT_RANGES.get(t.format or "int32", _INT_RANGES["int64"])
        if isinstance(value, float) or not low <= value <= high:
            return f"number {_go_number(value)}"
        return ""
    if t.name == "number":
        return "" if kind == "number" else kind
    return ""


def _go_number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return f"{value:.1f}"
    return repr(value)


def _custom_unmarshal(value: Any, t: ScalarType) -> str:
    """Types with their own UnmarshalJSON: IntOrString, Quantity, Time, RawExtension."""
    kind = _json_kind(value)
    if t.ref == gotypes.INT_OR_STRING:
        if kind == "string":
            return ""
        if kind == "number" and isinstance(value, int) and -(2 ** 31) <= value < 2 ** 31:
            return ""
        shown = f"number {_go_number(value)}" if kind == "number" else kind
        return f"json: cannot unmarshal {shown} into Go value of type int32"
    if t.ref == gotypes.QUANTITY:
        text = value if kind == "string" else repr(value) if kind == "number" else ""
        return "" if _valid_quantity(text) else QUANTITY_ERROR
    if t.ref in (gotypes.TIME, gotypes.MICRO_TIME):
        if kind != "string":
            return f"json: cannot unmarshal {kind} into Go value of type string"
        return "" if _valid_time(value) else (
            f'parsing time "{value}" as "2006-01-02T15:04:05Z07:00": cannot parse '
            f'"{value}" as "2006"')
    return ""                                          # free-form JSON


def _valid_quantity(text: str) -> bool:
    text = text.strip()
    m = _QUANTITY.match(text)
    if not m or m.group(1).count(".") > 1 or m.group(1) in (".", "+.", "-.", "+", "-"):
        return False
    suffix = m.group(2)
    return suffix in _SUFFIXES or re.fullmatch(r"[eE][-+]?[0-9]+", suffix) is not None


def _valid_time(text: str) -> bool:
    if not _RFC3339.match(text):
        return False
    try:
        datetime.fromisoformat(text.replace("z", "Z").replace("t", "T").replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
