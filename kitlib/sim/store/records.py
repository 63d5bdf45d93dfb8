"""What the store keeps: one immutable record per version of an object.

An object is kept as its serialised JSON (``raw``), which is what GET and watch send, so a
read costs no re-encoding; once nobody has needed it for a while the store packs it
(``packing``: a tenth to a twentieth of the size, unpacked in microseconds on read), so
10,000 pods fit in a few megabytes.  Labels and the kind's selectable fields are kept
beside it, parsed, for selectors.

A big cluster's store is mostly records (every event, every pod, and the versions in
the watch windows), so a record is kept to two small objects besides its JSON: the
``Record`` and its ``Fields``, one tuple that also carries the name and namespace; its
size, needed only while it is in a watch window, is kept there (``Event.size``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, KeysView, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import orjson

from kitlib.sim.store.packing import Codec

JSON = dict[str, Any]


class Record:
    """One version of one object: immutable; its JSON packed once it went cold.

    Its name and namespace are the first two of its ``fields`` (selectable fields of
    every kind), not kept twice."""

    __slots__ = ("rv", "labels", "fields", "_data", "_codec")

    rv: int
    labels: dict[str, str]
    fields: Fields            # the kind's selectable fields, plus metadata.name/namespace

    def __init__(self, *, rv: int, raw: bytes, labels: dict[str, str], fields: Fields) -> None:
        _set(self, "rv", rv)
        _set(self, "labels", labels)
        _set(self, "fields", fields)
        _set(self, "_data", raw)           # the JSON, or packed by ``_codec`` when there is one
        _set(self, "_codec", None)

    @property
    def namespace(self) -> str:
        """"" for cluster-scoped objects."""
        return _item(self.fields, 1)

    @property
    def name(self) -> str:
        return _item(self.fields, 0)

    @property
    def raw(self) -> bytes:
        """The object's JSON, as GET and watch send it."""
        codec = self._codec
        return self._data if codec is None else codec.unpack(self._data)

    @property
    def size(self) -> int:
        """The size of the JSON, unpacked (unpacks a packed record: the store keeps the
        sizes it needs beside its events)."""
        return len(self.raw)

    def object(self) -> JSON:
        """A fresh, mutable copy of the object."""
        return orjson.loads(self.raw)

    @property
    def packed(self) -> bool:
        return self._codec is not None

    def pack_with(self, codec: Codec) -> None:
        """Keep the JSON packed with ``codec`` from now on (see ``packing``)."""
        if self._codec is not None:
            return
        raw = self._data
        packed = codec.pack(raw)
        if len(packed) < len(raw):
            _set(self, "_data", packed)
            _set(self, "_codec", codec)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Record is immutable (tried to set {name})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return (self.rv, self.labels, self.fields, self.raw) == \
            (other.rv, other.labels, other.fields, other.raw)

    __hash__ = None     # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"Record(namespace={self.namespace!r}, name={self.name!r}, rv={self.rv}"
                f"{', packed' if self.packed else ''})")


_set = object.__setattr__
_item = tuple.__getitem__


class Fields(tuple):        # type: ignore[type-arg]
    """A record's selectable fields, as a read-only mapping: a tuple of the values alone,
    ``metadata.name`` and ``metadata.namespace`` first, then the kind's own.

    The keys live in the class: one subclass per set of keys (so one per kind), made on
    first use and shared by every record of the kind.  A record's fields are thus a single
    tuple (a dict of 13 fields per event, for 40,000 events, would be 25 MB; a tuple
    beside a shared key index, two objects, is a third of the store's per-record objects).
    """

    __slots__ = ()

    _index: ClassVar[dict[str, int]] = {"metadata.name": 0, "metadata.namespace": 1}
    _kinds: ClassVar[dict[tuple[str, ...], type[Fields]]] = {}

    @classmethod
    def of(cls, name: str, namespace: str, values: Mapping[str, str]) -> Fields:
        """The fields of the object ``namespace``/``name`` whose kind's own are ``values``
        (a ``metadata.name`` or ``metadata.namespace`` among them is the object's own)."""
        keys = tuple(values)
        kind = cls._kinds.get(keys)
        if kind is None:
            index = dict(cls._index)
            for key in keys:
                index.setdefault(key, len(index))
            kind = cls._kinds.setdefault(
                keys, type("Fields", (Fields,), {"__slots__": (), "_index": index}))
        if len(kind._index) == 2 + len(keys):
            return kind((name, namespace, *values.values()))
        own = {key: value for key, value in values.items() if key not in cls._index}
        return kind((name, namespace, *own.values()))

    def __getitem__(self, key: str) -> str:      # type: ignore[override]
        return _item(self, self._index[key])

    def get(self, key: str, default: Any = None) -> Any:
        i = self._index.get(key)
        return default if i is None else _item(self, i)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def keys(self) -> KeysView[str]:
        return self._index.keys()

    def values(self) -> Iterator[str]:
        return tuple.__iter__(self)

    def items(self) -> Iterator[tuple[str, str]]:
        return zip(self._index, tuple.__iter__(self))

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return tuple.__eq__(self, other)
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None     # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Fields({dict(self.items())!r})"


Mapping.register(Fields)


@dataclass(frozen=True, slots=True)
class Event:
    """One change, as watchers see it: ADDED, MODIFIED or DELETED."""

    rv: int
    type: str
    resource: str             # the store key: "pods", "deployments.apps"
    record: Record
    prev: Record | None       # the version before this change (for selector transitions)
    at: float = 0.0           # when it happened (simulated seconds), to age the watch window
    size: int = 0             # of the record's JSON, unpacked, to bound the watch window


def make_record(obj: JSON, *, rv: int, fields: dict[str, str],
                prev: Record | None = None) -> Record:
    """The record of ``obj`` at ``rv``; ``prev``, its previous version, lends its labels and
    fields when they did not change (most writes change neither), so versions share them."""
    meta = obj["metadata"]
    meta["resourceVersion"] = str(rv)
    namespace = _intern(meta.get("namespace", ""))
    compact = Fields.of(meta["name"], namespace,
                        {key: _intern(value) for key, value in fields.items()})
    found = meta.get("labels")
    labels = {_intern(k): _intern(v) for k, v in found.items()} \
        if isinstance(found, dict) and found else _NO_LABELS
    if prev is not None:
        if labels == prev.labels:
            labels = prev.labels
        if compact == prev.fields:
            compact = prev.fields
    return Record(rv=rv, raw=dumps(obj), labels=labels, fields=compact)


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
    return Record(rv=rv, raw=dumps(obj), labels=record.labels, fields=record.fields)
