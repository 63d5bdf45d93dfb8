"""``/openapi/v2`` as protobuf: the gnostic ``openapi.v2.Document`` kube-apiserver marshals.

client-go's discovery asks for the v2 document only as protobuf, and kubectl reads it to
validate a ``kind: List`` (and kubectl 1.27 and 1.28 for ``explain`` and client-side apply's patch
strategies).  kube-openapi makes those bytes by compiling the served JSON with gnostic
(``openapi_v2.ParseDocument``) and marshalling the result, so this module compiles the same
JSON by gnostic's rules:

* an object's fields go by their JSON names (``$ref`` is ``_ref``); a key the object does
  not know fails it, and so does a missing required key or a value outside an enum;
* ``x-`` keys become ``vendor_extension`` pairs whose ``Any.yaml`` is the value as
  gopkg.in/yaml.v3 prints it (kubectl parses that YAML back: ``x-kubernetes-patch-*``);
* maps (``definitions``, ``properties``, ``paths``, ``responses``...) become lists of
  ``Named*`` pairs in the document's key order;
* a oneof holder (``ParametersItem``, ``SchemaItem``, ``AdditionalPropertiesItem``...) takes
  the last alternative that compiles without error.

The message classes come from the descriptor kubectl itself embeds
(``data/openapi_v2_descriptor.json``, written by tools/gen_openapi_v2_descriptor.py).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Callable

import orjson
from google.protobuf import any_pb2, descriptor_pb2, descriptor_pool, json_format
from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

#: What clients may ask for (kube-openapi accepts both) and what the answer is labelled.
MEDIA_TYPE_DEPRECATED = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
MEDIA_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

PACKAGE = "openapi.v2"
_F = FieldDescriptor


class Mismatch(ValueError):
    """The JSON does not compile to the message gnostic was asked for."""


# --- gnostic's rules beyond the descriptor: required keys and enums -----------------------

_REQUIRED: dict[str, tuple[str, ...]] = {
    "Document": ("info", "paths", "swagger"), "Info": ("title", "version"),
    "License": ("name",), "ExternalDocs": ("url",), "Tag": ("name",),
    "Operation": ("responses",), "Response": ("description",), "Header": ("type",),
    "FileSchema": ("type",), "JsonReference": ("$ref",),
    "BodyParameter": ("in", "name", "schema"), "PathParameterSubSchema": ("required",),
    "ApiKeySecurity": ("in", "name", "type"), "BasicAuthenticationSecurity": ("type",),
    "Oauth2ImplicitSecurity": ("authorizationUrl", "flow", "type"),
    "Oauth2PasswordSecurity": ("flow", "tokenUrl", "type"),
    "Oauth2ApplicationSecurity": ("flow", "tokenUrl", "type"),
    "Oauth2AccessCodeSecurity": ("authorizationUrl", "flow", "tokenUrl", "type"),
}
_PRIMITIVE = frozenset({"string", "number", "integer", "boolean", "array"})
_COLLECTION = frozenset({"csv", "ssv", "tsv", "pipes"})
_SCHEMES = frozenset({"http", "https", "ws", "wss"})
_ENUMS: dict[tuple[str, str], frozenset[str]] = {
    ("Document", "swagger"): frozenset({"2.0"}),
    ("Document", "schemes"): _SCHEMES, ("Operation", "schemes"): _SCHEMES,
    ("BodyParameter", "in"): frozenset({"body"}),
    ("FileSchema", "type"): frozenset({"file"}),
    ("Header", "type"): _PRIMITIVE, ("Header", "collection_format"): _COLLECTION,
    ("PrimitivesItems", "type"): _PRIMITIVE, ("PrimitivesItems", "collection_format"): _COLLECTION,
    ("ApiKeySecurity", "type"): frozenset({"apiKey"}),
    ("ApiKeySecurity", "in"): frozenset({"header", "query"}),
    ("BasicAuthenticationSecurity", "type"): frozenset({"basic"}),
}
for _where, _formats, _types in (("header", _COLLECTION, _PRIMITIVE),
                                 ("formData", _COLLECTION | {"multi"}, _PRIMITIVE | {"file"}),
                                 ("query", _COLLECTION | {"multi"}, _PRIMITIVE),
                                 ("path", _COLLECTION, _PRIMITIVE)):
    _sub = f"{_where[0].upper()}{_where[1:]}ParameterSubSchema"
    _ENUMS[(_sub, "in")] = frozenset({_where})
    _ENUMS[(_sub, "type")] = _types
    _ENUMS[(_sub, "collection_format")] = _formats
for _flow in ("Implicit", "Password", "Application", "AccessCode"):
    _ENUMS[(f"Oauth2{_flow}Security", "type")] = frozenset({"oauth2"})
    _ENUMS[(f"Oauth2{_flow}Security", "flow")] = frozenset({_flow[0].lower() + _flow[1:]})

#: Maps whose keys must match a pattern; other keys may only be ``x-`` extensions.
_RESPONSE_CODE = re.compile(r"[0-9]{3}|default")      # gnostic: ^([0-9]{3})$|^(default)$
_PATTERNED: dict[str, tuple[str, Callable[[str], bool]]] = {
    "Paths": ("path", lambda key: key.startswith("/")),
    "Responses": ("response_code", lambda key: bool(_RESPONSE_CODE.fullmatch(key))),
}
_SPECIAL = ("Any", "TypeItem", "ItemsItem", "StringArray")


# --- the message classes and their compile plans ----------------------------------------

@cache
def _pool() -> descriptor_pool.DescriptorPool:
    data = json.loads(resources.files("kitlib.sim.schema").joinpath(
        "data/openapi_v2_descriptor.json").read_text())
    pool = descriptor_pool.DescriptorPool()
    any_file = descriptor_pb2.FileDescriptorProto()
    any_pb2.DESCRIPTOR.CopyToProto(any_file)
    pool.Add(any_file)
    pool.Add(json_format.ParseDict(data["descriptor"], descriptor_pb2.FileDescriptorProto()))
    return pool


def message_class(name: str) -> type[Message]:
    """The class of ``openapi.v2.<name>`` (``Document``, ``Schema``...)."""
    return message_factory.GetMessageClass(_pool().FindMessageTypeByName(f"{PACKAGE}.{name}"))


def _json_key(proto_name: str) -> str:
    if proto_name == "_ref":
        return "$ref"
    head, *rest = proto_name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@dataclass
class _Plan:
    name: str
    kind: str                                   # struct, map, patterned, oneof, or a special
    fields: dict[str, FieldDescriptor] = field(default_factory=dict)     # by JSON key
    required: tuple[str, ...] = ()
    extensions: bool = False                    # has vendor_extension
    checks_keys: bool = True                    # unknown keys fail the object


@cache
def _plan(descriptor: Descriptor) -> _Plan:
    name = descriptor.name
    fields = list(descriptor.fields)
    if name in _SPECIAL:
        return _Plan(name, name)
    if name in _PATTERNED:
        return _Plan(name, "patterned")
    if descriptor.oneofs:
        return _Plan(name, "oneof")
    if len(fields) == 1 and fields[0].name == "additional_properties":
        return _Plan(name, "map")
    return _Plan(name, "struct",
                 fields={_json_key(f.name): f for f in fields if f.name != "vendor_extension"},
                 required=_REQUIRED.get(name, ()),
                 extensions=any(f.name == "vendor_extension" for f in fields),
                 checks_keys=name != "JsonReference")


# --- scalars as gnostic reads them from yaml.v3 nodes -------------------------------------

def _string(value: Any) -> str | None:
    """StringForScalarNode: strings, integers (their text) and null ("")."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return "" if value is None else None


def _scalar(value: Any, kind: int) -> Any:
    if kind == _F.TYPE_STRING:
        return _string(value)
    if kind == _F.TYPE_BOOL:
        return value if isinstance(value, bool) else None
    if isinstance(value, bool):
        return None
    if kind == _F.TYPE_INT64:
        return value if isinstance(value, int) else None
    return float(value) if isinstance(value, (int, float)) else None      # TYPE_DOUBLE


def _node_text(value: Any) -> str:
    """A scalar node's text, as the JSON wrote it."""
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


# --- compiling ----------------------------------------------------------------------------

def _fill(value: Any, msg: Message, plan: _Plan) -> None:
    _KINDS[plan.kind](value, msg, plan)


def _struct(value: Any, msg: Message, plan: _Plan) -> None:
    msg.SetInParent()
    obj = value if isinstance(value, dict) else {}
    for key in plan.required:
        if key not in obj:
            raise Mismatch(f"{plan.name} is missing required property {key}")
    for key, item in obj.items():
        fdesc = plan.fields.get(key)
        if fdesc is not None:
            _field(item, msg, fdesc, plan.name)
        elif plan.extensions and key.startswith("x-"):
            extension = msg.vendor_extension.add()  # type: ignore[attr-defined]
            extension.name = key
            extension.value.yaml = to_yaml(item)
        elif plan.checks_keys:
            raise Mismatch(f"{plan.name} has invalid property {key}")


def _field(item: Any, msg: Message, fdesc: FieldDescriptor, owner: str) -> None:
    allowed = _ENUMS.get((owner, fdesc.name))
    if fdesc.type == _F.TYPE_MESSAGE:
        sub = _plan(fdesc.message_type)
        if not fdesc.is_repeated:
            _fill(item, getattr(msg, fdesc.name), sub)
        elif isinstance(item, list):            # gnostic skips a non-sequence silently
            target = getattr(msg, fdesc.name)
            for element in item:
                _fill(element, target.add(), sub)
        return
    if fdesc.is_repeated:        # repeated string
        if not isinstance(item, list):
            raise Mismatch(f"{owner}.{fdesc.name} is not a sequence")
        strings = [s for s in map(_string, item) if s is not None]
        if allowed is not None and not allowed.issuperset(strings):
            raise Mismatch(f"{owner}.{fdesc.name} has unexpected values {strings}")
        getattr(msg, fdesc.name).extend(strings)
        return
    scalar = _scalar(item, fdesc.type)
    if scalar is None or (allowed is not None and scalar not in allowed):
        raise Mismatch(f"{owner} has unexpected value for {fdesc.name}: {item!r}")
    setattr(msg, fdesc.name, scalar)


def _map(value: Any, msg: Message, plan: _Plan) -> None:
    msg.SetInParent()
    if not isinstance(value, dict):
        return
    (pairs_field,) = msg.DESCRIPTOR.fields
    _pairs(value.items(), getattr(msg, pairs_field.name), pairs_field)


def _pairs(items: Any, target: Any, pairs_field: FieldDescriptor) -> None:
    value_field = pairs_field.message_type.fields_by_name["value"]
    sub = _plan(value_field.message_type) if value_field.message_type else None
    for key, item in items:
        pair = target.add()
        pair.name = key
        if sub is None:                          # NamedString: a non-string is ""
            pair.value = _string(item) or ""
        else:
            _fill(item, pair.value, sub)


def _patterned(value: Any, msg: Message, plan: _Plan) -> None:
    msg.SetInParent()
    if not isinstance(value, dict):
        return
    field_name, matches = _PATTERNED[plan.name]
    named = []
    for key, item in value.items():
        if key.startswith("x-"):
            extension = msg.vendor_extension.add()  # type: ignore[attr-defined]
            extension.name = key
            extension.value.yaml = to_yaml(item)
        if matches(key):
            named.append((key, item))
        elif not key.startswith("x-"):
            raise Mismatch(f"{plan.name} has invalid property {key}")
    fdesc = msg.DESCRIPTOR.fields_by_name[field_name]
    _pairs(named, getattr(msg, field_name), fdesc)


def _oneof(value: Any, msg: Message, plan: _Plan) -> None:
    chosen: tuple[FieldDescriptor, Any] | None = None
    for fdesc in msg.DESCRIPTOR.fields:
        if fdesc.type == _F.TYPE_BOOL:
            if isinstance(value, bool):
                chosen = (fdesc, value)
            continue
        candidate = message_factory.GetMessageClass(fdesc.message_type)()
        try:
            _fill(value, candidate, _plan(fdesc.message_type))
        except Mismatch:
            continue
        chosen = (fdesc, candidate)
    if chosen is None:
        raise Mismatch(f"contains an invalid {plan.name}")
    fdesc, result = chosen
    if fdesc.type == _F.TYPE_BOOL:
        setattr(msg, fdesc.name, result)
    else:
        getattr(msg, fdesc.name).CopyFrom(result)


def _any(value: Any, msg: Message, plan: _Plan) -> None:
    msg.yaml = to_yaml(value)  # type: ignore[attr-defined]


def _type_item(value: Any, msg: Message, plan: _Plan) -> None:
    msg.SetInParent()
    values = value if isinstance(value, list) else [value]
    if isinstance(value, dict) or any(isinstance(v, (dict, list)) for v in values):
        raise Mismatch(f"TypeItem has unexpected value {value!r}")
    msg.value.extend(_node_text(v) for v in values)  # type: ignore[attr-defined]


def _items_item(value: Any, msg: Message, plan: _Plan) -> None:
    msg.SetInParent()
    schema = msg.schema.add()  # type: ignore[attr-defined]
    _fill(value, schema, _plan(schema.DESCRIPTOR))


def _string_array(value: Any, msg: Message, plan: _Plan) -> None:
    msg.SetInParent()
    items = value if isinstance(value, list) else []
    msg.value.extend(_string(item) or "" for item in items)  # type: ignore[attr-defined]


_KINDS: dict[str, Callable[[Any, Message, _Plan], None]] = {
    "struct": _struct, "map": _map, "patterned": _patterned, "oneof": _oneof,
    "Any": _any, "TypeItem": _type_item, "ItemsItem": _items_item,
    "StringArray": _string_array,
}


def compile_document(value: Any) -> Message:
    """The ``openapi.v2.Document`` gnostic compiles from a parsed Swagger 2.0 document."""
    doc = message_class("Document")()
    _fill(value, doc, _plan(doc.DESCRIPTOR))
    return doc


def encode(document: bytes) -> bytes:
    """kube-openapi's ToProtoBinary: the served JSON, compiled and marshalled."""
    return compile_document(orjson.loads(document)).SerializeToString()


_lock = threading.Lock()
_encoded: dict[str, bytes] = {}


def encoded(document: bytes, *, digest: str) -> bytes:
    """``encode``, once per process for each document (``digest`` names its content)."""
    data = _encoded.get(digest)
    if data is None:
        with _lock:
            data = _encoded.get(digest)
            if data is None:
                data = _encoded[digest] = encode(document)
    return data


# --- Any.yaml: yaml.v3's Marshal of the value's node, its styles cleared -------------------

_NOT_STRINGS = frozenset({"", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false",
                          "False", "FALSE", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                          "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<"})
_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|"
                     r"[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)")
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?")
_NOT_PLAIN_FIRST = frozenset("#,[]{}&*!|>'\"%@`")


def _quoted(text: str) -> str:
    """A string scalar as yaml.v3 emits it: plain when it reads back as the same string,
    double-quoted when plain would read as another type, single-quoted otherwise."""
    if (text in _NOT_STRINGS or _TIMESTAMP.fullmatch(text)
            or (text[0] in "+-.0123456789" and _NUMBER.fullmatch(text.replace("_", "")))):
        return json.dumps(text, ensure_ascii=False)
    if not text.isprintable():              # control characters, line breaks: escapes
        return json.dumps(text, ensure_ascii=False)
    if (text[0] in _NOT_PLAIN_FIRST or text[0] == " " or text[-1] in " :"
            or text.startswith(("---", "...")) or ": " in text or " #" in text
            or (text[0] in "-?:" and (len(text) == 1 or text[1] == " "))):
        return "'" + text.replace("'", "''") + "'"
    return text


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _node_text(value)


def _yaml_lines(value: Any, indent: int) -> list[str]:
    """A non-empty block collection at ``indent``: mappings nest at the next multiple of
    four, and a collection in a sequence item starts after its ``- ``."""
    lines: list[str] = []
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{_quoted(key)}:")
                lines += _yaml_lines(item, 4 * ((indent + 4) // 4))
            else:
                lines.append(f"{pad}{_quoted(key)}: {_yaml_scalar(item)}")
        return lines
    for item in value:
        if isinstance(item, (dict, list)) and item:
            nested = _yaml_lines(item, indent + 2)
            nested[0] = f"{pad}- {nested[0][indent + 2:]}"
            lines += nested
        else:
            lines.append(f"{pad}- {_yaml_scalar(item)}")
    return lines


def to_yaml(value: Any) -> str:
    """What gnostic's ``compiler.Marshal`` writes for a JSON value (``NewAny``)."""
    if isinstance(value, (dict, list)) and value:
        return "\n".join(_yaml_lines(value, 0)) + "\n"
    return _yaml_scalar(value) + "\n"
