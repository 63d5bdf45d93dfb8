"""Render the ``Schema``'s types as OpenAPI schema objects, in v3 or v2 (Swagger) style.

The two styles differ in small ways that clients notice: v3 puts a ``$ref`` that has
siblings (description, default) inside ``allOf``, refers to ``#/components/schemas/``,
and carries defaults; v2 puts the siblings next to the ``$ref`` under ``#/definitions/``.
Both carry the ``x-kubernetes-*`` extensions that kubectl reads for explain and for
client-side strategic merge patch.
"""

from __future__ import annotations

from typing import Any

from kitlib.sim.schema import gotypes
from kitlib.sim.schema.types import (
    ArrayType, Field, MapType, ObjectType, RefType, ScalarType, Schema, TypeRef,
)

JSON = dict[str, Any]

# The definitions that stand for scalars; each renders as its own schema.
_SCALAR_DOCS: dict[str, str] = {
    gotypes.TIME: "Time is a wrapper around time.Time which supports correct marshaling to "
                  "YAML and JSON.  Wrappers are provided for many of the factory methods "
                  "that the time package offers.",
    gotypes.MICRO_TIME: "MicroTime is version of Time with microsecond level precision.",
    gotypes.QUANTITY: (
        "Quantity is a fixed-point representation of a number. It provides convenient "
        "marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() "
        "accessors.\n\nThe serialization format is:\n\n``` <quantity>        ::= "
        "<signedNumber><suffix>\n\n\t(Note that <suffix> may be empty, from the \"\" case "
        "in <decimalSI>.)\n\n<digit>           ::= 0 | 1 | ... | 9 <digits>          ::= "
        "<digit> | <digit><digits> <number>          ::= <digits> | <digits>.<digits> | "
        "<digits>. | .<digits> <sign>            ::= \"+\" | \"-\" <signedNumber>    ::= "
        "<number> | <sign><number> <suffix>          ::= <binarySI> | <decimalExponent> | "
        "<decimalSI> <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei\n\n\t(International "
        "System of units; See: http://physics.nist.gov/cuu/Units/binary.html)\n\n"
        "<decimalSI>       ::= m | \"\" | k | M | G | T | P | E\n\n\t(Note that 1024 = 1Ki "
        "but 1000 = 1k; I didn't choose the capitalization.)\n\n<decimalExponent> ::= \"e\" "
        "<signedNumber> | \"E\" <signedNumber> ```\n\nNo matter which of the three exponent "
        "forms is used, no quantity may represent a number greater than 2^63-1 in magnitude, "
        "nor may it have more than 3 decimal places. Numbers larger or more precise will be "
        "capped or rounded up. (E.g.: 0.1m will rounded up to 1m.) This may be extended in "
        "the future if we require larger or smaller quantities.\n\nWhen a Quantity is parsed "
        "from a string, it will remember the type of suffix it had, and will use the same "
        "type again when it is serialized.\n\nBefore serializing, Quantity will be put in "
        "\"canonical form\". This means that Exponent/suffix will be adjusted up or down "
        "(with a corresponding increase or decrease in Mantissa) such that:\n\n- No precision "
        "is lost - No fractional digits will be emitted - The exponent (or suffix) is as "
        "large as possible.\n\nThe sign will be omitted unless the number is negative.\n\n"
        "Examples:\n\n- 1.5 will be serialized as \"1500m\" - 1.5Gi will be serialized as "
        "\"1536Mi\"\n\nNote that the quantity will NEVER be internally represented by a "
        "floating point number. That is the whole point of this exercise.\n\nNon-canonical "
        "values will still parse as long as they are well formed, but will be re-emitted in "
        "their canonical form. (So always use canonical form, or don't use kubectl.)\n\n"
        "This format is intended to make it difficult to use these numbers without writing "
        "some sort of special handling code in the hopes that that will cause implementors "
        "to also use a fixed point implementation."),
    gotypes.INT_OR_STRING: "IntOrString is a type that can hold an int32 or a string.  When "
                           "used in JSON or YAML marshalling and unmarshalling, it produces or "
                           "consumes the inner type.  This allows you to have, for example, a "
                           "JSON field that can accept a name or number.",
    gotypes.RAW_EXTENSION: (
        "RawExtension is used to hold extensions in external versions.\n\nTo use this, make "
        "a field which has RawExtension as its type in your external, versioned struct, and "
        "Object in your internal struct. You also need to register your various plugin "
        "types.\n\n// Internal package:\n\n\ttype MyAPIObject struct {\n\t\truntime.TypeMeta "
        "`json:\",inline\"`\n\t\tMyPlugin runtime.Object `json:\"myPlugin\"`\n\t}\n\n\ttype "
        "PluginA struct {\n\t\tAOption string `json:\"aOption\"`\n\t}\n\n// External package:"
        "\n\n\ttype MyAPIObject struct {\n\t\truntime.TypeMeta `json:\",inline\"`\n\t\t"
        "MyPlugin runtime.RawExtension `json:\"myPlugin\"`\n\t}\n\n\ttype PluginA struct {\n"
        "\t\tAOption string `json:\"aOption\"`\n\t}\n\n// On the wire, the JSON will look "
        "something like this:\n\n\t{\n\t\t\"kind\":\"MyAPIObject\",\n\t\t\"apiVersion\":"
        "\"v1\",\n\t\t\"myPlugin\": {\n\t\t\t\"kind\":\"PluginA\",\n\t\t\t\"aOption\":\"foo"
        "\",\n\t\t},\n\t}\n\nSo what happens? Decode first uses json or yaml to unmarshal "
        "the serialized data into your external MyAPIObject. That causes the raw JSON to be "
        "stored, but not unpacked. The next step is to copy (using pkg/conversion) into the "
        "internal struct. The runtime package's DefaultScheme has conversion functions "
        "installed which will unpack the JSON stored in RawExtension, turning it into the "
        "correct object type, and storing it in the Object. (TODO: In the case where the "
        "object is of an unknown type, a runtime.Unknown object will be created and stored.)"),
    gotypes.FIELDS_V1: (
        "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\n"
        "Each key is either a '.' representing the field itself, and will always map to an "
        "empty set, or a string representing a sub-field or item. The string will follow "
        "one of these four formats: 'f:<name>', where <name> is the name of a field in a "
        "struct, or key in a map 'v:<value>', where <value> is the exact json formatted "
        "value of a list item 'i:<index>', where <index> is position of a item in a list "
        "'k:<keys>', where <keys> is a map of  a list item's key fields to their unique "
        "values If a key maps to an empty Fields value, the field that key represents is "
        "part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff"),
    "io.k8s.apimachinery.pkg.apis.meta.v1.Patch": "Patch is provided to give a concrete "
                                                  "name and type to the Kubernetes PATCH "
                                                  "request body.",
}


def scalar_definition(name: str, *, v3: bool) -> JSON:
    """The schema of one of the scalar-like definitions (Time, Quantity, ...)."""
    body: JSON = {"description": _SCALAR_DOCS[name]}
    if name in (gotypes.TIME, gotypes.MICRO_TIME):
        body.update(type="string", format="date-time")
    elif name == gotypes.QUANTITY:
        if v3:
            body["oneOf"] = [{"type": "string"}, {"type": "number"}]
        else:
            body["type"] = "string"
    elif name == gotypes.INT_OR_STRING:
        body["format"] = "int-or-string"
        if v3:
            body["oneOf"] = [{"type": "integer"}, {"type": "string"}]
        else:
            body["type"] = "string"
    else:
        body["type"] = "object"
    return body


class Renderer:
    """Turns object types into schema objects and collects what they refer to."""

    def __init__(self, schema: Schema, *, v3: bool) -> None:
        self.schema = schema
        self.v3 = v3
        self.prefix = "#/components/schemas/" if v3 else "#/definitions/"

    def ref(self, name: str) -> JSON:
        return {"$ref": self.prefix + name}

    def definitions(self, roots: list[str]) -> dict[str, JSON]:
        """Every definition reachable from ``roots``, rendered, by name."""
        out: dict[str, JSON] = {}
        pending = list(roots)
        while pending:
            name = pending.pop()
            if name in out:
                continue
            obj = self.schema.types.get(name)
            if obj is None:
                out[name] = scalar_definition(name, v3=self.v3)
                continue
            out[name] = self.object_schema(obj)
            pending.extend(referenced(obj))
        return out

    def object_schema(self, obj: ObjectType) -> JSON:
        body: JSON = {}
        if obj.description:
            body["description"] = obj.description
        body["properties"] = {f.json_name: self.field_schema(obj, f)
                              for f in obj.fields.values()}
        required = [f.json_name for f in obj.fields.values() if f.required]
        if required:
            body["required"] = required
        body["type"] = "object"
        if obj.gvk is not None:
            group, version, kind = obj.gvk
            body["x-kubernetes-group-version-kind"] = [
                {"group": group, "kind": kind, "version": version}]
        if obj.map_type:
            body["x-kubernetes-map-type"] = obj.map_type
        return body

    def field_schema(self, owner: ObjectType, f: Field) -> JSON:
        default = self.default(owner, f) if self.v3 else gotypes.DEFAULTS.get(
            (owner.name, f.json_name), _NO_DEFAULT)
        body = self.type_schema(f.type, description=f.description, default=default)
        if f.list_type:
            if f.list_map_keys:
                body["x-kubernetes-list-map-keys"] = list(f.list_map_keys)
            body["x-kubernetes-list-type"] = f.list_type
        if f.map_type and isinstance(f.type, MapType):
            body["x-kubernetes-map-type"] = f.map_type
        if f.patch_merge_key:
            body["x-kubernetes-patch-merge-key"] = f.patch_merge_key
        if f.patch_strategy:
            body["x-kubernetes-patch-strategy"] = f.patch_strategy
        return body

    def type_schema(self, t: TypeRef, *, description: str = "",
                    default: Any = None) -> JSON:
        body: JSON
        target = t.name if isinstance(t, RefType) else (
            t.ref if isinstance(t, ScalarType) else "")
        if target:
            has_siblings = bool(description) or default is not _NO_DEFAULT
            if not has_siblings:
                return self.ref(target)
            body = {"allOf": [self.ref(target)]} if self.v3 else dict(self.ref(target))
        elif isinstance(t, ArrayType):
            body = {"items": self.type_schema(t.items, default=self.item_default(t.items)),
                    "type": "array"}
        elif isinstance(t, MapType):
            body = {"additionalProperties": self.type_schema(
                t.values, default=self.item_default(t.values)), "type": "object"}
        else:
            assert isinstance(t, ScalarType)
            body = _scalar(t)
        if default is not _NO_DEFAULT:
            body["default"] = default
        if description:
            body["description"] = description
        return body

    def item_default(self, t: TypeRef) -> Any:
        """Elements of Go slices and maps are values: v3 gives them their zero default."""
        if not self.v3:
            return _NO_DEFAULT
        if isinstance(t, RefType):
            return {}
        if isinstance(t, ScalarType) and not t.ref and t.name == "string" and not t.format:
            return ""
        return _NO_DEFAULT

    def default(self, owner: ObjectType, f: Field) -> Any:
        key = (owner.name, f.json_name)
        if key in gotypes.DEFAULTS:
            return gotypes.DEFAULTS[key]
        if f.json_name == "name" and owner.name in gotypes.INLINES_LOCAL_REFERENCE:
            return ""
        t = f.type
        if isinstance(t, RefType):
            if f.json_name == "metadata" or key in gotypes.VALUE_STRUCTS:
                return {}
            return _NO_DEFAULT
        if f.required and isinstance(t, ScalarType) and not t.ref:
            return _ZERO.get(t.name, _NO_DEFAULT)
        return _NO_DEFAULT


_NO_DEFAULT: Any = object()
_ZERO: dict[str, Any] = {"string": "", "integer": 0, "boolean": False, "number": 0}


def _scalar(t: ScalarType) -> JSON:
    if t.name == "byte":
        return {"format": "byte", "type": "string"}
    if t.name in ("integer", "number"):
        return {"format": t.format, "type": t.name} if t.format else {"type": t.name}
    if t.name == "object":
        return {"type": "object"}
    return {"type": t.name}


def referenced(obj: ObjectType) -> list[str]:
    """The definitions an object type's fields refer to."""
    out: list[str] = []
    for f in obj.fields.values():
        t: TypeRef = f.type
        while isinstance(t, (ArrayType, MapType)):
            t = t.items if isinstance(t, ArrayType) else t.values
        if isinstance(t, RefType):
            out.append(t.name)
        elif isinstance(t, ScalarType) and t.ref:
            out.append(t.ref)
    return out
