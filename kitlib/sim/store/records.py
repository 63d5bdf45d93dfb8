"""What the store keeps: one immutable record per version of an object.

An object is kept as its serialised JSON (``raw``), which is what GET and watch send, so a
read costs no re-encoding; once nobody has needed it for a while the store packs it
(``packing``: a tenth to a twentieth of the size, unpacked in microseconds on read), so
10,000 pods fit in a few megabytes.  Labels and the kind's selectable fields are kept
beside it, parsed, for selectors.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from kitlib.sim.store.packing import Codec

JSON = dict[str, Any]


class Record:
    """One version of one object: immutable; its JSON packed once it went cold."""

    __slots__ = ("namespace", "name", "rv", "labels", "fields", "size", "_raw", "_packed",
                 "_codec")

    namespace: str            # "" for cluster-scoped objects
    name: str
    rv: int
    labels: dict[str, str]
    fields: Mapping[str, str]   # the kind's selectable fields, plus metadata.name/namespace
    size: int                 # of the JSON, unpacked

    def __init__(self, *, namespace: str, name: str, rv: int, raw: bytes,
                 labels: dict[str, str], fields: Mapping[str, str]) -> None:
        _set(self, "namespace", namespace)
        _set(self, "name", name)
        _set(self, "rv", rv)
        _set(self, "labels", labels)
        _set(self, "fields", fields)
        _set(self, "size", len(raw))
        _set(self, "_raw", raw)
        _set(self, "_packed", None)
        _set(self, "_codec", None)

    @property
    def raw(self) -> bytes:
        """The object's JSON, as GET and watch send it."""
        raw = self._raw
        if raw is None:
            raw = self._codec.unpack(self._packed)      # type: ignore[union-attr]
        return raw

    def object(self) -> JSON:
        """A fresh, mutable copy of the object."""
        return orjson.loads(self.raw)

    @property
    def packed(self) -> bool:
        return self._raw is None

    def pack_with(self, codec: Codec) -> None:
        """Keep the JSON packed with ``codec`` from now on (see ``packing``)."""
        raw = self._raw
        if raw is None:
            return
        packed = codec.pack(raw)
        if len(packed) < len(raw):
            _set(self, "_codec", codec)
            _set(self, "_packed", packed)
            _set(self, "_raw", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Record is immutable (tried to set {name})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return (self.rv, self.namespace, self.name, self.labels, self.fields, self.raw) == \
            (other.rv, other.namespace, other.name, other.labels, other.fields, other.raw)

    __hash__ = None     # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"Record(namespace={self.namespace!r}, name={self.name!r}, rv={self.rv}, "
                f"size={self.size}{', packed' if self.packed else ''})")


_set = object.__setattr__


class Fields(Mapping[str, str]):
    """A record's selectable fields: the values only, beside keys shared by every record
    of the kind (a dict of 13 fields per event, for 40,000 events, is 25 MB)."""

    __slots__ = ("_index", "_values")

    _indexes: dict[tuple[str, ...], dict[str, int]] = {}

    def __init__(self, index: dict[str, int], values: tuple[str, ...]) -> None:
        self._index = index
        self._values = values

    @classmethod
    def of(cls, values: Mapping[str, str]) -> Fields:
        keys = tuple(values)
        index = cls._indexes.get(keys)
        if index is None:
            index = cls._indexes.setdefault(keys, {key: i for i, key in enumerate(keys)})
        return cls(index, tuple(values.values()))

    def __getitem__(self, key: str) -> str:
        return self._values[self._index[key]]

    def get(self, key: str, default: Any = None) -> Any:
        i = self._index.get(key)
        return default if i is None else self._values[i]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Fields) and self._index is other._index:
            return self._values == other._values
        if isinstance(other, Mapping):
            return dict(self) == dict(other)
        return NotImplemented

    __hash__ = None     # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Fields({dict(self)!r})"


@dataclass(frozen=True, slots=True)
class Event:
    """One change, as watchers see it: ADDED, MODIFIED or DELETED."""

    rv: int
    type: str
    resource: str             # the store key: "pods", "deployments.apps"
    record: Record
    prev: Record | None       # the version before this change (for selector transitions)
    at: float = 0.0           # when it happened (simulated seconds), to age the watch window


def make_record(obj: JSON, *, rv: int, fields: dict[str, str],
                prev: Record | None = None) -> Record:
    """The record of ``obj`` at ``rv``; ``prev``, its previous version, lends its labels and
    fields when they did not change (most writes change neither), so versions share them."""
    meta = obj["metadata"]
    meta["resourceVersion"] = str(rv)
    namespace = _intern(meta.get("namespace", ""))
    name = meta["name"]
    all_fields = {"metadata.name": name, "metadata.namespace": namespace}
    for key, value in fields.items():
        all_fields[key] = _intern(value)
    compact: Mapping[str, str] = Fields.of(all_fields)
    found = meta.get("labels")
    labels = {_intern(k): _intern(v) for k, v in found.items()} \
        if isinstance(found, dict) and found else _NO_LABELS
    if prev is not None:
        if labels == prev.labels:
            labels = prev.labels
        if compact == prev.fields:
            compact = prev.fields
    return Record(namespace=namespace, name=name, rv=rv, raw=dumps(obj),
                  labels=labels, fields=compact)


def dumps(obj: Any) -> bytes:
    """``orjson.dumps``, in a bytes object of the JSON's own size.

    orjson writes into a buffer of at least 4 kB and hands that buffer over as the bytes
    object: a 400-byte event kept as it comes holds 4 kB of memory (8 kB for a pod
    status) until it is freed.  What is kept is copied out; the buffer is reused by the
    next ``dumps``."""
    return memoryview(orjson.dumps(obj)).tobytes()


def _intern(value: str) -> str:
    """One copy of each short string: label keys and values, namespaces, phases and node
    names repeat across thousands of objects (the records' labels and fields are the
    largest part of the store after the objects' JSON)."""
    if isinstance(value, str) and len(value) <= _INTERN_MAX:
        return sys.intern(value)
    return value


_INTERN_MAX = 64
#: The labels of every record without any (events, most system objects): one shared dict,
#: never changed.
_NO_LABELS: dict[str, str] = {}


def with_rv(record: Record, rv: int) -> Record:
    """The same object stamped with another resourceVersion (for DELETED events)."""
    obj = record.object()
    obj["metadata"]["resourceVersion"] = str(rv)
    return Record(namespace=record.namespace, name=record.name, rv=rv,
                  raw=dumps(obj), labels=record.labels, fields=record.fields)
