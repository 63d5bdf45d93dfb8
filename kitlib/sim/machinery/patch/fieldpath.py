"""Field sets: which fields of an object a manager owns, and their ``fieldsV1`` encoding.

Server-side apply (sigs.k8s.io/structured-merge-diff) describes ownership as a set of
*paths*.  A path is a tuple of path elements, each one of::

    ("f", "spec")                            a field of a struct or a key of a map
    ("k", (("name", "nginx"),))              an item of a list keyed by its map keys
    ("v", "finalizer.example.com")           an item of a set (a list of scalars)
    ("i", 3)                                 an index (never produced for typed objects)

Values inside elements are *frozen* (see ``freeze``) so that elements hash, and so that
``true`` is not mistaken for ``1`` as Python would.  A set is a plain Python ``set`` of
member paths, which makes union, difference and intersection the fast C operations; the
tree form is only built to serialise (``to_fields_v1``), to iterate in SMD's order, and to
walk alongside an object (``tree``).

The ``fieldsV1`` encoding is SMD's: ``"f:<name>"``, ``"k:<compact JSON of the key fields,
sorted by name>"``, ``"v:<JSON value>"``, ``"i:<index>"``; ``{}`` for a leaf member, and
``"."`` (written first) when a node is both a member and has members below it.  Keys are
written in SMD's element order, not string order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from kitlib.sim.schema.types import ArrayType, Field, MapType, ObjectType, RefType, Schema, TypeRef

PathElement = tuple[str, Any]
Path = tuple[PathElement, ...]
FieldSet = set[Path]
Tree = dict[PathElement, list]          # element -> [is_member, subtree]


class FieldsV1Error(ValueError):
    """A ``fieldsV1`` document that SMD could not read."""


MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
"""Stands for an absent field or item (SMD's nil ``Value``), as opposed to JSON null."""


# --- Go's encoding/json, for keys and values written into fieldsV1 and annotations -------

_PLAIN = re.compile(r'[^"\\<>&\x00-\x1f\u2028\u2029]*\Z')


def go_json(value: Any) -> str:
    """``json.Marshal``: compact, map keys sorted, ``<>&`` escaped, Go's float format."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _go_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, dict):
        return "{" + ",".join(_go_string(k) + ":" + go_json(value[k])
                              for k in sorted(value)) + "}"
    return "[" + ",".join(go_json(v) for v in value) + "]"


def _go_string(text: str) -> str:
    if _PLAIN.match(text):
        return '"' + text + '"'
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or ch in "<>&" or code in (0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _go_float(value: float) -> str:
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = repr(value)               # shortest digits, exponent form
        return re.sub(r"e-0(\d)$", r"e-\1", text)
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# --- frozen values -------------------------------------------------------------------

def freeze(value: Any) -> Any:
    """A hashable stand-in for a JSON value; booleans and containers are tagged."""
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, dict):
        return ("m", tuple(sorted((k, freeze(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("l", tuple(freeze(v) for v in value))
    return value


def thaw(value: Any) -> Any:
    """The JSON value ``freeze`` stood for."""
    if isinstance(value, tuple):
        tag, body = value
        if tag == "b":
            return body
        if tag == "m":
            return {k: thaw(v) for k, v in body}
        return [thaw(v) for v in body]
    return value


def _value_order(value: Any) -> tuple:
    """SMD's total order on values: numbers, strings, booleans, lists, maps, null."""
    if value is None:
        return (5,)
    if isinstance(value, tuple):
        tag, body = value
        if tag == "b":
            return (2, body)
        if tag == "l":
            return (3, tuple(_value_order(v) for v in body))
        return (4, tuple((k, _value_order(v)) for k, v in body))
    if isinstance(value, str):
        return (1, value)
    return (0, value)


def element_order(pe: PathElement) -> tuple:
    """Sort key for path elements: fields, then keys, then values, then indices."""
    kind, body = pe
    if kind == "f":
        return (0, body)
    if kind == "k":
        return (1, tuple((name, _value_order(v)) for name, v in body))
    if kind == "v":
        return (2, _value_order(body))
    return (3, body)


# --- serialisation of single elements ------------------------------------------------

def serialize_element(pe: PathElement) -> str:
    kind, body = pe
    if kind == "f":
        return "f:" + body
    if kind == "k":
        return "k:{" + ",".join(go_json(name) + ":" + go_json(thaw(v)) for name, v in body) + "}"
    if kind == "v":
        return "v:" + go_json(thaw(body))
    return f"i:{body}"


def parse_element(text: str) -> PathElement | None:
    """The element a ``fieldsV1`` key names; None for a type this version does not know."""
    if len(text) < 2:
        raise FieldsV1Error("key must be 2 characters long:")
    if text[1] != ":":
        raise FieldsV1Error(f"missing colon: {text}")
    kind, rest = text[0], text[2:]
    try:
        if kind == "f":
            return ("f", rest)
        if kind == "k":
            fields = json.loads(rest)
            if not isinstance(fields, dict):
                raise FieldsV1Error(f"expected an object in {text}")
            return ("k", tuple(sorted((k, freeze(v)) for k, v in fields.items())))
        if kind == "v":
            return ("v", freeze(json.loads(rest)))
        if kind == "i":
            return ("i", int(rest))
    except ValueError as exc:
        raise FieldsV1Error(f"parsing key as path element: {exc}") from None
    return None


# --- human-readable paths (conflict and validation messages) ----------------------------

def _go_quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def value_string(value: Any) -> str:
    """SMD's ``value.ToString``: Go's ``%q`` for strings, ``%v`` for the rest."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _go_quote(value)
    if isinstance(value, float):
        return go_json(value)
    if isinstance(value, list):
        return "[" + ",".join(value_string(v) for v in value) + "]"
    if isinstance(value, dict):
        return "".join(f"{k}={value_string(v)}" for k, v in value.items())
    return str(value)


def element_string(pe: PathElement) -> str:
    kind, body = pe
    if kind == "f":
        return "." + body
    if kind == "k":
        return "[" + ",".join(f"{name}={value_string(thaw(v))}" for name, v in body) + "]"
    if kind == "v":
        return f"[={value_string(thaw(body))}]"
    return f"[{body}]"


def path_string(path: Path) -> str:
    """``.spec.template.spec.containers[name="nginx"].image``."""
    return "".join(element_string(pe) for pe in path)


# --- set algebra beyond Python's --------------------------------------------------------

def recursive_difference(paths: FieldSet, remove: FieldSet) -> FieldSet:
    """Paths not in ``remove`` and not below any path in ``remove``."""
    if not remove:
        return set(paths)
    # Only prefixes as long as a path of ``remove`` can be in it (usually just length 1).
    lengths = sorted({len(r) for r in remove})
    return {p for p in paths if not any(p[:n] in remove for n in lengths if n <= len(p))}


def tree(paths: Iterable[Path]) -> Tree:
    """The nested form of a set: element -> [is member, subtree]."""
    root: Tree = {}
    for path in paths:
        node = root
        last = len(path) - 1
        for i, pe in enumerate(path):
            entry = node.get(pe)
            if entry is None:
                entry = node[pe] = [False, {}]
            if i == last:
                entry[0] = True
            node = entry[1]
    return root


def iterate(paths: Iterable[Path]) -> Iterator[Path]:
    """Members in SMD's order: a node's members first, then each child's, depth first."""
    def walk(node: Tree, prefix: Path) -> Iterator[Path]:
        ordered = sorted(node, key=element_order)
        for pe in ordered:
            if node[pe][0]:
                yield prefix + (pe,)
        for pe in ordered:
            if node[pe][1]:
                yield from walk(node[pe][1], prefix + (pe,))
    return walk(tree(paths), ())


# --- fieldsV1 -----------------------------------------------------------------------

def to_fields_v1(paths: Iterable[Path]) -> dict[str, Any]:
    """The ``fieldsV1`` object for a set of paths."""
    def emit(node: Tree, member: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if member and node:
            out["."] = {}
        for pe in sorted(node, key=element_order):
            child_member, sub = node[pe]
            out[serialize_element(pe)] = emit(sub, child_member) if sub else {}
        return out
    return emit(tree(paths), False)


def from_fields_v1(doc: Any) -> FieldSet:
    """The set a ``fieldsV1`` object describes (SMD's reader, unknown elements ignored)."""
    out: FieldSet = set()
    if doc is None:
        return out
    _read(doc, (), out)
    return out


def _read(node: Any, prefix: Path, out: FieldSet) -> tuple[bool, bool]:
    """(is this node a member, does it have anything below it)."""
    if not isinstance(node, dict):
        raise FieldsV1Error(f"expected an object at {path_string(prefix) or 'the root'}")
    member = False
    below = False
    for key, sub in node.items():
        if key == ".":
            member = True
            continue
        pe = parse_element(key)
        if pe is None:
            continue
        child = prefix + (pe,)
        child_member, child_below = _read(sub, child, out)
        if child_member:
            out.add(child)
        below = below or child_member or child_below
    return member or not below, below


# --- shapes: the schema as SMD sees it ------------------------------------------------

SCALAR, STRUCT, MAP, LIST, DEDUCED = "scalar", "struct", "map", "list", "deduced"

#: Defaults of list-map key fields (``+default`` in the Go types), which SMD puts into the
#: key when an applied item leaves them out: ``k:{"containerPort":80,"protocol":"TCP"}``.
KEY_DEFAULTS: dict[str, dict[str, Any]] = {
    "ContainerPort": {"protocol": "TCP"},
    "ServicePort": {"protocol": "TCP"},
}


class Shape:
    """One node of the schema: a scalar, a struct, a granular map, a list, or untyped.

    Built lazily from ``schema.types`` (schemas are recursive), the way
    k8s.io/kube-openapi's schemaconv turns OpenAPI into SMD atoms: lists are atomic unless
    they say ``x-kubernetes-list-type`` or carry a merge patch strategy (keyed by the merge
    key, else a set); structs and maps are granular unless marked atomic.
    """

    __slots__ = ("kind", "atomic", "keys", "is_set", "scalar", "obj", "schema",
                 "_item_ref", "_item", "_fields", "zeros")

    def __init__(self, kind: str, *, atomic: bool = False, keys: tuple[str, ...] = (),
                 is_set: bool = False, scalar: str = "", obj: ObjectType | None = None,
                 schema: Schema | None = None, item: TypeRef | None = None) -> None:
        self.kind = kind
        self.atomic = atomic
        self.keys = keys
        self.is_set = is_set
        self.scalar = scalar
        self.obj = obj
        self.schema = schema
        self._item_ref = item
        self._item: Shape | None = None
        self._fields: dict[str, Shape] = {}
        self.zeros: dict[str, Any] | None = None      # cache for managedfields.zero_fill

    @property
    def type_name(self) -> str:
        """The definition's short name (``ContainerPort``), or "" for other shapes."""
        return self.obj.name.rsplit(".", 1)[-1] if self.obj is not None else ""

    def child(self, name: str) -> tuple[Shape, bool]:
        """The shape of a field or map value, and whether the struct declares it."""
        if self.kind == STRUCT:
            cached = self._fields.get(name)
            if cached is not None:
                return cached, True
            assert self.obj is not None and self.schema is not None
            declared = self.obj.fields.get(name)
            if declared is None:
                return UNTYPED, False
            shape = self._fields[name] = shape_of(self.schema, declared.type, declared)
            return shape, True
        if self.kind == MAP:
            return self.item(), False
        return UNTYPED, False

    def item(self) -> Shape:
        """The shape of a list's items or a map's values."""
        if self._item is None:
            if self._item_ref is None or self.schema is None:
                self._item = UNTYPED
            else:
                self._item = shape_of(self.schema, self._item_ref, None)
        return self._item


UNTYPED = Shape(DEDUCED)
_LEAF = Shape(SCALAR)


def shape_of(schema: Schema, ref: TypeRef, field: Field | None) -> Shape:
    if isinstance(ref, ArrayType):
        return _list_shape(schema, ref, field)
    if isinstance(ref, MapType):
        atomic = field is not None and field.map_type == "atomic"
        return Shape(MAP, atomic=atomic, schema=schema, item=ref.values)
    if isinstance(ref, RefType):
        obj = schema.types.get(ref.name)
        if obj is None or not obj.fields:
            return UNTYPED
        atomic = obj.map_type == "atomic" or (field is not None and field.map_type == "atomic")
        return Shape(STRUCT, atomic=atomic, obj=obj, schema=schema)
    if ref.name == "object":
        return UNTYPED
    return Shape(SCALAR, scalar=ref.name) if ref.name in _CHECKED_SCALARS else _LEAF


def _list_shape(schema: Schema, ref: ArrayType, field: Field | None) -> Shape:
    list_type = field.list_type if field is not None else ""
    merge_key = field.patch_merge_key if field is not None else ""
    keys: tuple[str, ...] = ()
    if list_type == "map":
        keys = (field.list_map_keys if field is not None else ()) or \
            ((merge_key,) if merge_key else ())
    elif list_type == "":
        strategy = field.patch_strategy.split(",") if field is not None else []
        if "merge" not in strategy:
            list_type = "atomic"
        elif merge_key:
            keys = (merge_key,)
        else:
            list_type = "set"
    if keys:
        return Shape(LIST, keys=keys, schema=schema, item=ref.items)
    if list_type == "set" and not isinstance(ref.items, (RefType, ArrayType, MapType)):
        return Shape(LIST, is_set=True, schema=schema, item=ref.items)
    return Shape(LIST, atomic=True, schema=schema, item=ref.items)


_ROOTS: dict[tuple[int, str], tuple[Schema, Shape]] = {}


def root_shape(schema: Schema, type_name: str) -> Shape:
    """The shape of a top-level type (cached per schema)."""
    key = (id(schema), type_name)
    hit = _ROOTS.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    if type_name not in schema.types:
        raise KeyError(f"unknown type {type_name}")
    shape = shape_of(schema, RefType(type_name), None)
    _ROOTS[key] = (schema, shape)
    return shape


def effective(shape: Shape, value: Any) -> tuple[str, bool]:
    """(kind, atomic) for a value: untyped values are maps if objects, atomic lists, leaves."""
    if shape.kind != DEDUCED:
        return shape.kind, shape.atomic
    if isinstance(value, dict):
        return MAP, False
    if isinstance(value, list):
        return LIST, True
    return SCALAR, False


def item_element(shape: Shape, item: Any, index: int) -> PathElement | str:
    """The path element of a list item, or SMD's complaint about it."""
    if shape.keys:
        if item is None:
            return "associative list with keys may not have a null element"
        if not isinstance(item, dict):
            return "associative list with keys may not have non-map elements"
        fields = []
        for name in shape.keys:
            if name in item:
                fields.append((name, freeze(item[name])))
                continue
            default = KEY_DEFAULTS.get(shape.item().type_name, {}).get(name, MISSING)
            if default is MISSING:
                return (f"associative list with keys has an element that omits key field "
                        f"{_go_quote(name)} (and doesn't have default value)")
            fields.append((name, freeze(default)))
        fields.sort(key=lambda pair: pair[0])
        return ("k", tuple(fields))
    if shape.is_set:
        if isinstance(item, dict):
            return "associative list without keys has an element that's a map type"
        if isinstance(item, list):
            return "not supported: associative list with lists as elements"
        if item is None:
            return "associative list without keys has an element that's an explicit null"
        return ("v", freeze(item))
    return ("i", index)


# --- the set of fields a value mentions (TypedValue.ToFieldSet) ------------------------

def field_set(value: Any, shape: Shape, *, named: bool = False) -> FieldSet:
    """Every leaf and list item ``value`` sets, as SMD's ``ToFieldSet``.

    Struct fields are members only when they are leaves, null or ``{}``; with ``named`` they
    are also members when something below them is, as ``EnsureNamedFieldsAreMembers`` adds.
    """
    out: FieldSet = set()
    _collect(value, shape, (), out, named)
    return out


def _collect(value: Any, shape: Shape, path: Path, out: FieldSet, named: bool) -> None:
    kind, atomic = effective(shape, value)
    if kind == SCALAR or atomic:
        out.add(path)
        return
    if kind == LIST:
        if not isinstance(value, list):
            return
        item_shape = shape.item()
        for i, item in enumerate(value):
            pe = item_element(shape, item, i)
            if isinstance(pe, str):
                continue
            child = path + (pe,)
            _collect(item, item_shape, child, out, named)
            out.add(child)
        return
    if not isinstance(value, dict):
        return
    for key, val in value.items():
        child_shape, declared = shape.child(key)
        child = path + (("f", key),)
        before = len(out)
        _collect(val, child_shape, child, out, named)
        # Map keys are always members; struct fields when null or {} (SMD since #184), or
        # with ``named`` when something below them is.
        if not declared or val is None or val == {} or (named and len(out) > before):
            out.add(child)


def ensure_named(paths: FieldSet, shape: Shape) -> FieldSet:
    """``EnsureNamedFieldsAreMembers``: declared struct fields with members below join."""
    out = set(paths)
    _name_fields(tree(paths), shape, (), out)
    return out


def _name_fields(node: Tree, shape: Shape, prefix: Path, out: FieldSet) -> None:
    for pe, (_member, sub) in node.items():
        if not sub:
            continue
        path = prefix + (pe,)
        if pe[0] == "f":
            child_shape, declared = shape.child(pe[1])
            if declared:
                out.add(path)
        else:
            child_shape = shape.item() if shape.kind == LIST else UNTYPED
        _name_fields(sub, child_shape, path, out)


# --- validation of an applied configuration (TypedValue.Validate) -------------------------

_CHECKED_SCALARS = {"string", "integer", "number", "boolean", "date-time", "byte"}


def validate(value: Any, shape: Shape) -> list[str]:
    """SMD's complaints about an applied object, each as ``<path>: <message>``."""
    errors: list[str] = []
    _check(value, shape, (), errors)
    return errors


def _complain(errors: list[str], path: Path, message: str) -> None:
    where = path_string(path)
    errors.append(f"{where}: {message}" if where else message)


def _check(value: Any, shape: Shape, path: Path, errors: list[str]) -> None:
    if value is None:
        return
    kind, _atomic = effective(shape, value)
    if kind == SCALAR:
        problem = _scalar_problem(shape.scalar, value)
        if problem:
            _complain(errors, path, problem)
        return
    if kind == LIST:
        if not isinstance(value, list):
            _complain(errors, path, f"expected list, got &{{{_go_v(value)}}}")
            return
        seen: set[PathElement] = set()
        item_shape = shape.item()
        for i, item in enumerate(value):
            pe = item_element(shape, item, i)
            if isinstance(pe, str):
                _complain(errors, path, f"element {i}: {pe}")
                return
            if pe[0] != "i":
                if pe in seen:
                    _complain(errors, path, f"duplicate entries for key {element_string(pe)}")
                seen.add(pe)
            _check(item, item_shape, path + (pe,), errors)
        return
    if not isinstance(value, dict):
        _complain(errors, path, f"expected map, got &{{{_go_v(value)}}}")
        return
    for key, val in value.items():
        child_shape, declared = shape.child(key)
        if not declared and shape.kind == STRUCT:
            _complain(errors, path + (("f", key),), "field not declared in schema")
            return
        _check(val, child_shape, path + (("f", key),), errors)


def _scalar_problem(scalar: str, value: Any) -> str:
    if scalar in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected numeric (int or float), got {_go_type(value)}"
    elif scalar == "boolean":
        if not isinstance(value, bool):
            return f"expected boolean, got &{{{_go_v(value)}}}"
    elif scalar in ("string", "date-time", "byte"):
        if not isinstance(value, str):
            return f"expected string, got &value.valueUnstructured{{Value:{_go_sharp_v(value)}}}"
    return ""


def _go_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    return "float64" if isinstance(value, float) else "int64"


def _go_v(value: Any) -> str:
    """Go's ``%v`` of a decoded value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{_go_v(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(_go_v(v) for v in value) + "]"
    return "<nil>" if value is None else str(value)


def _go_sharp_v(value: Any) -> str:
    """Go's ``%#v`` of a decoded value."""
    if isinstance(value, str):
        return _go_quote(value)
    if isinstance(value, dict):
        return "map[string]interface {}{" + ", ".join(
            f"{_go_quote(k)}:{_go_sharp_v(value[k])}" for k in sorted(value)) + "}"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(_go_sharp_v(v) for v in value) + "}"
    return _go_v(value)
