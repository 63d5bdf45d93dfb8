"""Build the ``Schema`` of the served types from the official client's model sources.

The ``kubernetes`` package's generated models carry each type's fields, JSON names,
Python types, required fields (the setters refuse ``None``) and field descriptions.
Importing them costs half a second (the package pulls in its whole client), so the model
files are read as text and parsed with a few regular expressions instead: nothing of the
package is imported or run.  Only the types reachable from the served kinds are read.
``gotypes`` and ``patchmeta`` add what the models lost; ``typedocs`` the descriptions the
client dropped.  The result is built once, on first use, and shared.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from pathlib import Path

from kitlib.sim.schema import gotypes, patchmeta, typedocs
from kitlib.sim.schema.types import (
    ArrayType, Field, MapType, ObjectType, RefType, ScalarType, Schema, TypeRef,
)

_lock = threading.Lock()
_schema: Schema | None = None


def load_schema() -> Schema:
    """The schema of every served type (built on first call; thread-safe)."""
    global _schema
    if _schema is None:
        with _lock:
            if _schema is None:
                _schema = build_schema(models_dir())
    return _schema


def models_dir() -> Path:
    spec = importlib.util.find_spec("kubernetes")   # finds, does not import
    if spec is None or spec.origin is None:
        raise RuntimeError("the kubernetes client package is not installed")
    return Path(spec.origin).parent / "client" / "models"


# --- reading one model file -------------------------------------------------------------

_IMPORT = re.compile(r"^from kubernetes\.client\.models\.(\w+) import (\w+)$", re.M)
_BLOCK = re.compile(r"\n    (openapi_types|attribute_map) = \{\n(.*?)\n    \}", re.S)
_PAIR = re.compile(r"'(\w+)': '([^']*)'")
_REQUIRED = re.compile(r"Invalid value for `(\w+)`, must not be `None`")
_GETTER = re.compile(
    r'    def (\w+)\(self\):\n        """Gets the \w+ of this \w+\.  # noqa: E501\n'
    r'\n(.*?)\n        :return:', re.S)
_NOQA = "  # noqa: E501"
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.S)
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'", "\n": ""}


def _unescape(text: str) -> str:
    """Undo the escapes of a Python string literal (the docstrings are source text)."""
    def one(m: re.Match[str]) -> str:
        code = m.group(1)
        if code.startswith("u") and len(code) == 5:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, "\\" + code)
    return _ESCAPE.sub(one, text) if "\\" in text else text


class ModelSource:
    """What one generated model file says about its type."""

    def __init__(self, text: str) -> None:
        blocks = {m.group(1): dict(_PAIR.findall(m.group(2))) for m in _BLOCK.finditer(text)}
        self.types: dict[str, str] = blocks.get("openapi_types", {})
        self.json_names: dict[str, str] = blocks.get("attribute_map", {})
        self.required: set[str] = set(_REQUIRED.findall(text))
        self.docs: dict[str, str] = {}
        for m in _GETTER.finditer(text):
            body = m.group(2).strip()
            if body.endswith(_NOQA):
                body = body[: -len(_NOQA)]
            self.docs[m.group(1)] = _unescape(body)


def read_model_index(directory: Path) -> dict[str, Path]:
    """Client class name -> its module file, from the models package's ``__init__``."""
    text = (directory / "__init__.py").read_text(encoding="utf-8")
    return {cls: directory / f"{module}.py" for module, cls in _IMPORT.findall(text)}


# --- naming -----------------------------------------------------------------------------

_CLASS = re.compile(r"^(?:([A-Z][a-z]+V\d+)(?=V\d|[A-Z]))?(V\d+(?:alpha\d+|beta\d+)?)(\w+)$")
_REFS = re.compile(r"[A-Z][A-Za-z0-9]+")


def definition_name(cls: str, package: str) -> str:
    """``V1Container`` in core/v1 -> ``io.k8s.api.core.v1.Container``."""
    for prefix, pkg in gotypes.CLASS_PREFIXES.items():
        if cls.startswith(prefix):
            return f"{pkg}.{cls[len(prefix):]}"
    if cls in gotypes.META_CLASSES:
        package = gotypes.META
    m = re.match(r"V\d+(?:alpha\d+|beta\d+)?", cls)
    return f"{package}.{cls[m.end():] if m else cls}"


def _roots() -> list[tuple[str, str, tuple[str, str, str]]]:
    """(client class, package, gvk) of every top-level type, core/v1 first."""
    from kitlib.sim.registry.catalog import RESOURCES   # registry imports no schema code

    roots: list[tuple[str, str, tuple[str, str, str]]] = []
    for res in sorted(RESOURCES, key=lambda r: r.group != ""):
        package = gotypes.PACKAGES[res.group]
        for kind in (res.kind, res.list_kind_name()):
            cls = gotypes.KIND_CLASSES.get((res.group, kind), f"V1{kind}")
            roots.append((cls, package, (res.group, res.version, kind)))
    for cls, group, kind in gotypes.EXTRA_KINDS:
        roots.append((cls, gotypes.PACKAGES.get(group, gotypes.META), (group, "v1", kind)))
    return roots


# --- building ---------------------------------------------------------------------------

def build_schema(directory: Path) -> Schema:
    index = read_model_index(directory)
    schema = Schema()
    names: dict[str, str] = {}                       # client class -> definition name
    pending: list[tuple[str, str]] = []
    gvks: dict[str, tuple[str, str, str]] = {}
    for cls, package, gvk in _roots():
        names.setdefault(cls, definition_name(cls, package))
        gvks[cls] = gvk
        pending.append((cls, package))
    sources: dict[str, ModelSource] = {}
    while pending:                                   # breadth first: core wins ties
        cls, package = pending.pop(0)
        if cls in sources:
            continue
        src = sources[cls] = ModelSource(index[cls].read_text(encoding="utf-8"))
        for type_string in src.types.values():
            for ref in _REFS.findall(type_string):
                if ref in index and ref not in sources:
                    names.setdefault(ref, definition_name(ref, names[cls].rsplit(".", 1)[0]))
                    pending.append((ref, package))
    for cls, src in sources.items():
        schema.add(_object_type(names[cls], src, names, gvks.get(cls)))
    return schema


def _object_type(name: str, src: ModelSource, names: dict[str, str],
                 gvk: tuple[str, str, str] | None) -> ObjectType:
    obj = ObjectType(name=name, description=typedocs.TYPES.get(name, ""), gvk=gvk,
                     map_type="atomic" if name in patchmeta.ATOMIC_STRUCTS else "")
    for attr, type_string in src.types.items():
        json_name = src.json_names[attr]
        meta = patchmeta.field_meta(name, json_name) or patchmeta.PatchMeta()
        description = src.docs.get(attr, "") or typedocs.FIELDS.get((name, json_name), "")
        obj.fields[json_name] = Field(
            json_name=json_name,
            type=_type_ref(type_string, name, json_name, names),
            description=description,
            required=attr in src.required,
            patch_strategy=meta.strategy,
            patch_merge_key=meta.merge_key,
            list_type=meta.list_type,
            list_map_keys=meta.list_map_keys,
            map_type=meta.map_type,
        )
    return obj


_STRING = ScalarType("string")
_BOOLEAN = ScalarType("boolean")
_INT32 = ScalarType("integer", "int32")
_INT64 = ScalarType("integer", "int64")
_BYTES = ScalarType("byte", "byte")
_QUANTITY = ScalarType("quantity", ref=gotypes.QUANTITY)
_INT_OR_STRING = ScalarType("int-or-string", "int-or-string", ref=gotypes.INT_OR_STRING)
_TIME = ScalarType("date-time", "date-time", ref=gotypes.TIME)
_MICRO_TIME = ScalarType("date-time", "date-time", ref=gotypes.MICRO_TIME)


def _type_ref(text: str, owner: str, field: str, names: dict[str, str]) -> TypeRef:
    if text.startswith("list["):
        return ArrayType(_type_ref(text[5:-1], owner, field, names))
    if text.startswith("dict(str, "):
        if (owner, field) in gotypes.BYTE_MAPS:
            return MapType(_BYTES)
        return MapType(_type_ref(text[10:-1], owner, field, names))
    if text == "str":
        return _QUANTITY if field in gotypes.QUANTITIES.get(owner, ()) else _STRING
    if text == "int":
        return _INT64 if field in gotypes.INT64.get(owner, ()) else _INT32
    if text == "bool":
        return _BOOLEAN
    if text == "float":
        return ScalarType("number", "double")
    if text == "datetime":
        return _MICRO_TIME if field in gotypes.MICRO_TIMES.get(owner, ()) else _TIME
    if text == "object":
        ref = gotypes.FREE_FORM.get((owner, field), gotypes.INT_OR_STRING)
        if ref == gotypes.INT_OR_STRING:
            return _INT_OR_STRING
        return ScalarType("object", ref=ref)
    if text in names:
        return RefType(names[text])
    raise ValueError(f"unknown client type {text!r} in {owner}.{field}")
