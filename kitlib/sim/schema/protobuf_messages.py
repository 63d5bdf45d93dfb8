"""Message classes for the wire format, built at run time from the field-number table.

The ``protobuf`` package (its upb core) does the byte-level work: varints, lengths,
nested messages, unknown fields.  It needs descriptors, so this module turns the table into
one ``FileDescriptorProto`` and asks the library for classes.  Names are flattened
(``k8s.io.api.apps.v1.Deployment`` becomes ``k8s_io_api_apps_v1_Deployment``) and fields are
called ``f<number>``: only numbers and types matter on the wire.

Two choices keep the decoding faithful to Go's gogo-protobuf:

- Go ``string`` fields are declared ``bytes``: Go does not check UTF-8 when it unmarshals,
  so neither may the parser; the JSON layer replaces bad bytes as ``encoding/json`` does.
- Maps are declared as repeated key/value entry messages, which is what they are on the
  wire, instead of proto maps (whose keys may not be ``bytes``); later entries win, as in Go.
"""

from __future__ import annotations

import threading
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from kitlib.sim.schema.protobuf_fields import FieldSpec, FieldTable, field_table

PACKAGE = "kitlib.k8s"
_FD = descriptor_pb2.FieldDescriptorProto
_TYPES = {"string": _FD.TYPE_BYTES, "bytes": _FD.TYPE_BYTES, "int32": _FD.TYPE_INT32,
          "int64": _FD.TYPE_INT64, "bool": _FD.TYPE_BOOL, "double": _FD.TYPE_DOUBLE,
          "message": _FD.TYPE_MESSAGE}


def flat_name(message: str) -> str:
    return message.replace(".", "_")


def entry_name(message: str, spec: FieldSpec) -> str:
    """The entry message of a map field."""
    return f"{flat_name(message)}__{spec.attr}Entry"


def build_file(table: FieldTable) -> descriptor_pb2.FileDescriptorProto:
    """One proto2 file holding every message of the table (and each map's entry type)."""
    fdp = descriptor_pb2.FileDescriptorProto(name="kitlib/k8s.proto", package=PACKAGE,
                                             syntax="proto2")
    for name, spec in table.messages.items():
        msg = fdp.message_type.add(name=flat_name(name))
        for fs in spec.fields:
            field = msg.field.add(name=fs.attr, number=fs.number)
            if fs.shape == "map":
                entry = fdp.message_type.add(name=entry_name(name, fs))
                _declare(entry.field.add(name="f1", number=1), "string", "", _FD.LABEL_OPTIONAL)
                _declare(entry.field.add(name="f2", number=2), fs.type, fs.ref,
                         _FD.LABEL_OPTIONAL)
                field.label = _FD.LABEL_REPEATED
                field.type = _FD.TYPE_MESSAGE
                field.type_name = f".{PACKAGE}.{entry.name}"
            else:
                _declare(field, fs.type, fs.ref,
                         _FD.LABEL_REPEATED if fs.shape == "list" else _FD.LABEL_OPTIONAL)
    return fdp


def _declare(field: Any, type_: str, ref: str, label: int) -> None:
    field.label = label
    field.type = _TYPES[type_]
    if type_ == "message":
        field.type_name = f".{PACKAGE}.{flat_name(ref)}"


class MessageClasses:
    """Generated classes by table message name; built once from the table."""

    def __init__(self, table: FieldTable) -> None:
        pool = descriptor_pool.DescriptorPool()
        fdp = build_file(table)
        by_flat = message_factory.GetMessages([fdp], pool=pool)
        self._classes: dict[str, Any] = {
            name: by_flat[f"{PACKAGE}.{flat_name(name)}"] for name in table.messages}

    def __getitem__(self, message: str) -> Any:
        return self._classes[message]


_lock = threading.Lock()
_classes: MessageClasses | None = None


def message_classes() -> MessageClasses:
    """The classes for the shared table (built on first call; thread-safe)."""
    global _classes
    if _classes is None:
        with _lock:
            if _classes is None:
                _classes = MessageClasses(field_table())
    return _classes
