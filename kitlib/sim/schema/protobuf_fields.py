"""The field-number table that says what each byte of a protobuf request body means.

Kubernetes' protobuf encoding numbers every field of every type (``generated.proto`` in
each API package); Go's ``encoding/json`` then decides what the decoded struct looks like
as JSON: the field's JSON name, ``omitempty``, whether Go holds it by pointer (absent means
``nil``) or by value (absent means the zero value), and embedded structs whose fields are
inlined.  ``data/protobuf_fields.json`` records both for every message reachable from the
kinds the simulator accepts; ``tools/gen_protobuf_fields.py`` generated it from a kubectl
1.32 binary.  This module loads it once and gives it types.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import orjson

TABLE_PATH = Path(__file__).with_name("data") / "protobuf_fields.json"

META = "k8s.io.apimachinery.pkg.apis.meta.v1"
TIME = f"{META}.Time"
MICRO_TIME = f"{META}.MicroTime"
FIELDS_V1 = f"{META}.FieldsV1"
QUANTITY = "k8s.io.apimachinery.pkg.api.resource.Quantity"
INT_OR_STRING = "k8s.io.apimachinery.pkg.util.intstr.IntOrString"
RAW_EXTENSION = "k8s.io.apimachinery.pkg.runtime.RawExtension"

#: Group versions whose schemes register meta/v1's option types besides the kinds' own.
META_VERSIONS = ("meta.k8s.io/v1", "meta.k8s.io/v1beta1")


@dataclass(frozen=True)
class FieldSpec:
    """One field of one message: its wire number and how Go's JSON shows it."""

    number: int
    json_name: str          # "" for inlined embedded structs and json:"-" fields
    shape: str              # "one", "list" or "map" (maps: string keys, ``type`` values)
    type: str               # "string", "bytes", "int32", "int64", "bool", "double", "message"
    ref: str                # the message name when ``type`` is "message"
    ptr: bool               # Go holds it by pointer: absent means nil, not the zero value
    omitempty: bool
    inline: bool            # embedded struct without a JSON name: its fields join the parent
    skip: bool              # json:"-": on the wire, never in JSON
    unwrap: bool            # the one field of a named slice's wrapper (type X []string):
                            # the message's JSON is this field's list

    @property
    def attr(self) -> str:
        """The attribute name of this field on the generated message class."""
        return f"f{self.number}"


@dataclass(frozen=True)
class MessageSpec:
    name: str                       # e.g. "k8s.io.api.apps.v1.DeploymentSpec"
    fields: tuple[FieldSpec, ...]   # in Go declaration order: the order JSON prints them


class FieldTable:
    """Every message by name, and the message each (apiVersion, kind) decodes into."""

    def __init__(self, data: dict[str, object]) -> None:
        raw_messages = data["messages"]
        assert isinstance(raw_messages, dict)
        self.messages: dict[str, MessageSpec] = {
            name: MessageSpec(name, tuple(_field(row) for row in rows))
            for name, rows in raw_messages.items()}
        self.envelope = str(data["envelope"])
        kinds = data["kinds"]
        assert isinstance(kinds, list)
        self.kinds: dict[tuple[str, str], str] = {(v, k): m for v, k, m in kinds}
        options = data["options"]
        assert isinstance(options, dict)
        self.options: dict[str, str] = dict(options)

    @cached_property
    def api_versions(self) -> frozenset[str]:
        return frozenset(v for v, _ in self.kinds) | frozenset(META_VERSIONS)

    def kind_message(self, api_version: str, kind: str) -> str | None:
        """The message a body of this kind holds, or None if no scheme registers it."""
        found = self.kinds.get((api_version, kind))
        if found is None and kind in self.options and api_version in self.api_versions:
            found = self.options[kind]
        return found


def _field(row: list[object]) -> FieldSpec:
    number, json_name, shape, type_, ref, flags = row
    assert isinstance(flags, list)
    return FieldSpec(number=int(str(number)), json_name=str(json_name), shape=str(shape),
                     type=str(type_), ref=str(ref), ptr="ptr" in flags,
                     omitempty="omitempty" in flags, inline="inline" in flags,
                     skip="skip" in flags, unwrap="unwrap" in flags)


_lock = threading.Lock()
_table: FieldTable | None = None


def field_table() -> FieldTable:
    """The table, read on first use and shared (thread-safe)."""
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                _table = FieldTable(orjson.loads(TABLE_PATH.read_bytes()))
    return _table
