"""``metadata.managedFields``: who set which field, kept up to date on every write.

A real kube-apiserver runs every create, update and patch through
k8s.io/apiserver's field manager: it compares the stored object with the new one, gives
the fields that were added or changed to the writing *manager* (taking them away from
everyone else), and drops fields that disappeared from every manager's set.  The result
is stored as one entry per (manager, operation, apiVersion, subresource), which
``kubectl get -o yaml --show-managed-fields`` shows and server-side apply uses to detect
conflicts.  This module is that bookkeeping (``update_managed_fields``), plus the pieces
``apply`` shares: decoding and encoding the entries, and SMD's object comparison.

The comparison works on objects as Go would see them: a typed Go object always carries
its non-pointer structs and non-``omitempty`` fields (``spec: {}``, ``template.metadata.
creationTimestamp: null``, ``containers: null``, a container's ``resources: {}``).  Those
zero values decide whether a map shows up as owned itself (``".": {}``), so
``zero_fill`` puts them back before comparing; the stored objects are never changed.

Every tracked write (a pod's status, a binding, a lease renewal) goes through here, so the
bookkeeping is kept cheap: subtrees equal on both sides are skipped whole, zero values
are filled in only where the comparison goes, and a ``fieldsV1`` document this module has
decoded or encoded before is not parsed or built again (``_FieldsCache``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

import orjson

from kitlib.sim.schema.types import ArrayType, MapType, Schema

from .fieldpath import (
    DEDUCED, LIST, MAP, MISSING, SCALAR, STRUCT, FieldSet, FieldsV1Error, Path, Shape, effective,
    from_fields_v1, go_json, item_element, recursive_difference, root_shape, to_fields_v1,
)

JSON = dict[str, Any]
Identity = tuple[str, str, str, str]      # manager, operation, apiVersion ("" for Apply), subresource

#: Managers beyond this many Update entries are merged, oldest first, into "ancient-changes".
MAX_UPDATE_MANAGERS = 10

#: What the field manager never records (k8s.io/apimachinery's stripMetaManager).
STRIPPED: FieldSet = {
    (("f", "apiVersion"),), (("f", "kind"),), (("f", "metadata"),),
    *((("f", "metadata"), ("f", name)) for name in (
        "name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName",
        "generation", "managedFields", "resourceVersion")),
}

#: Fields the Go types always serialise although objects on the wire may leave them out:
#: non-pointer structs (``{}``) and pointers or slices without ``omitempty`` (``None``).
ZERO_FIELDS: dict[str, dict[str, Any]] = {
    "ObjectMeta": {"creationTimestamp": None},
    "PodTemplate": {"template": {}},
    "PodTemplateSpec": {"metadata": {}, "spec": {}},
    "JobTemplateSpec": {"metadata": {}, "spec": {}},
    "DeploymentSpec": {"selector": None, "template": {}, "strategy": {}},
    "ReplicaSetSpec": {"selector": None, "template": {}},
    "StatefulSetSpec": {"selector": None, "template": {}, "updateStrategy": {}},
    "DaemonSetSpec": {"selector": None, "template": {}, "updateStrategy": {}},
    "JobSpec": {"template": {}},
    "CronJobSpec": {"jobTemplate": {}},
    "Container": {"resources": {}},
    "EphemeralContainer": {"resources": {}},
    "PersistentVolumeClaimSpec": {"resources": {}},
    "ServiceStatus": {"loadBalancer": {}},
    "NetworkPolicySpec": {"podSelector": {}},
}


class ManagedFieldsError(ValueError):
    """Stored or submitted ``managedFields`` that the field manager cannot decode."""


@dataclass(frozen=True)
class Entry:
    """One managedFields entry, decoded: its fields as a set of paths."""

    manager: str
    operation: str
    api_version: str
    subresource: str
    fields: FieldSet
    time: str | None = None
    #: The decoded ``fieldsV1`` document and the set it was decoded to, when the document
    #: is exactly what ``to_fields_v1`` would write for that set: written again as it is
    #: while ``fields`` is still that set (a ``replace`` with other fields drops it).
    source: tuple[FieldSet, JSON] | None = field(default=None, compare=False, repr=False)

    @property
    def identity(self) -> Identity:
        # Appliers keep one entry whatever apiVersion they apply with.
        version = "" if self.operation == "Apply" else self.api_version
        return (self.manager, self.operation, version, self.subresource)


Managed = dict[Identity, Entry]


def identity_json(identity: Identity) -> str:
    """The manager identifier SMD keys its sets by (BuildManagerIdentifier)."""
    parts = [f'"{key}":{go_json(value)}' for key, value in
             zip(("manager", "operation", "apiVersion", "subresource"), identity) if value]
    return "{" + ",".join(parts) + "}"


def describe_manager(identity: Identity) -> str:
    """How conflict messages name a manager: ``"kubectl-edit" using apps/v1``."""
    manager, operation, version, subresource = identity
    text = go_json(manager)
    if subresource:
        text += f" with subresource {go_json(subresource)}"
    if operation == "Update":
        text += f" using {version}"
    return text


# --- decoding and encoding entries ------------------------------------------------------

def decode_managed(entries: Any) -> Managed:
    """The entries of ``metadata.managedFields``, or ManagedFieldsError (DecodeManagedFields)."""
    managed: Managed = {}
    if entries is None:
        return managed
    if not isinstance(entries, list):
        raise ManagedFieldsError("managedFields must be a list")
    for i, raw in enumerate(entries):
        if not isinstance(raw, dict):
            raise ManagedFieldsError(f"managed fields entry {i} is not an object")
        operation = raw.get("operation") or ""
        if operation not in ("Apply", "Update"):
            raise ManagedFieldsError("operation must be `Apply` or `Update`")
        api_version = raw.get("apiVersion") or ""
        if not api_version:
            raise ManagedFieldsError("apiVersion must not be empty")
        fields_type = raw.get("fieldsType") or ""
        if fields_type != "FieldsV1":
            raise ManagedFieldsError(f"missing fieldsType in managed fields entry {i}"
                                     if not fields_type else
                                     f"invalid fieldsType {go_json(fields_type)} in managed "
                                     f"fields entry {i}")
        doc = raw.get("fieldsV1")
        try:
            fields, canonical = _FIELDS.decode(doc)
        except FieldsV1Error as exc:
            raise ManagedFieldsError(f"error decoding set: {exc}") from None
        entry = Entry(manager=str(raw.get("manager") or ""), operation=operation,
                      api_version=str(api_version), subresource=str(raw.get("subresource") or ""),
                      fields=fields, time=_normal_time(raw.get("time")),
                      source=(fields, doc) if canonical else None)
        managed[entry.identity] = entry
    return managed


def encode_managed(managed: Managed) -> list[JSON]:
    """The ``managedFields`` list, sorted as the server sorts it."""
    entries = sorted(managed.values(), key=lambda e: (
        e.operation, _seconds(e.time), e.manager, e.api_version, e.subresource))
    out: list[JSON] = []
    for e in entries:
        item: JSON = {}
        if e.manager:
            item["manager"] = e.manager
        item["operation"] = e.operation
        item["apiVersion"] = e.api_version
        if e.time is not None:
            item["time"] = e.time
        item["fieldsType"] = "FieldsV1"
        source = e.source
        item["fieldsV1"] = source[1] if source is not None and source[0] is e.fields \
            else _FIELDS.encode(e.fields)
        if e.subresource:
            item["subresource"] = e.subresource
        out.append(item)
    return out


def store_managed(obj: JSON, managed: Managed) -> None:
    """Write the entries into ``obj`` (no key at all when there are none, as Go omits it)."""
    meta = obj.setdefault("metadata", {})
    if managed:
        meta["managedFields"] = encode_managed(managed)
    else:
        meta.pop("managedFields", None)


class _FieldsCache:
    """``fieldsV1`` documents seen lately (by their bytes) and the sets they stand for.

    A pod's entries are decoded and encoded again on each of its writes (status, binding,
    ...) although they rarely change: the set is looked up by the document's compact JSON
    instead, and whether the document is canonical (what ``to_fields_v1`` writes for its
    set, so it can be written back untouched) is worked out once.  Least recently used
    documents are forgotten beyond ``limit``.
    """

    def __init__(self, limit: int = 512) -> None:
        self.limit = limit
        self._sets: dict[bytes, tuple[frozenset[Path], bool]] = {}
        self._docs: dict[frozenset[Path], bytes] = {}       # set -> its canonical document

    def decode(self, doc: Any) -> tuple[frozenset[Path], bool]:
        """The set ``doc`` describes, and whether ``doc`` is its canonical encoding."""
        try:
            key: bytes | None = orjson.dumps(doc)
        except TypeError:                       # not plain JSON: decode it the long way
            key = None
        if key is not None:
            hit = self._sets.pop(key, None)
            if hit is not None:
                self._sets[key] = hit           # most recently used goes last
                return hit
        fields = frozenset(from_fields_v1(doc))
        if key is None:
            return fields, False
        canonical = orjson.dumps(to_fields_v1(fields)) == key
        self._remember(key, (fields, canonical))
        return fields, canonical

    def encode(self, fields: FieldSet) -> JSON:
        """``to_fields_v1(fields)`` (a fresh copy), remembered both ways."""
        frozen = fields if isinstance(fields, frozenset) else frozenset(fields)
        known = self._docs.pop(frozen, None)
        if known is not None:
            self._docs[frozen] = known
            return orjson.loads(known)
        doc = to_fields_v1(frozen)
        key = orjson.dumps(doc)
        self._docs[frozen] = key
        if len(self._docs) > self.limit:
            del self._docs[next(iter(self._docs))]
        self._remember(key, (frozen, True))
        return doc

    def _remember(self, key: bytes, value: tuple[frozenset[Path], bool]) -> None:
        self._sets.pop(key, None)
        self._sets[key] = value
        if len(self._sets) > self.limit:
            del self._sets[next(iter(self._sets))]


_FIELDS = _FieldsCache()

#: Timestamps already normalised (managedFields carry a handful of distinct seconds).
_TIMES: dict[Any, str | None] = {}
_SECONDS: dict[str, float] = {}


def _normal_time(value: Any) -> str | None:
    if type(value) is str:
        known = _TIMES.get(value)
        if known is not None:
            return known
        normal = _parse_time(value)
        if len(_TIMES) > 1024:
            _TIMES.clear()
        _TIMES[value] = normal
        return normal
    return _parse_time(value)


def _parse_time(value: Any) -> str | None:
    if value is None or value == "":
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ManagedFieldsError(f"invalid time {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _seconds(value: str | None) -> float:
    if value is None:
        return 0
    known = _SECONDS.get(value)
    if known is None:
        known = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        if len(_SECONDS) > 1024:
            _SECONDS.clear()
        _SECONDS[value] = known
    return known


def is_reset(entries: Any) -> bool:
    """``managedFields: []`` or ``[{}]`` in a request: the client asks to clear them."""
    if entries is None or not isinstance(entries, list):
        return False
    return len(entries) == 0 or (len(entries) == 1 and entries[0] == {})


def without_managed_fields(obj: JSON) -> JSON:
    """A shallow copy of ``obj`` whose metadata has no managedFields."""
    meta = obj.get("metadata")
    if not isinstance(meta, dict) or "managedFields" not in meta:
        return obj
    meta = {k: v for k, v in meta.items() if k != "managedFields"}
    return {**obj, "metadata": meta}


# --- comparing objects (TypedValue.Compare) ------------------------------------------------

def json_equal(a: Any, b: Any) -> bool:
    """SMD's value equality: numbers by value, but ``true`` is not ``1``."""
    if a is b:
        return True
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if ta is dict and tb is dict:
        return len(a) == len(b) and all(k in b and json_equal(v, b[k]) for k, v in a.items())
    if ta is list and tb is list:
        return len(a) == len(b) and all(map(json_equal, a, b))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    return a == b


def compare(lhs: Any, rhs: Any, shape: Shape, *,
            zeros: bool = False) -> tuple[FieldSet, FieldSet, FieldSet]:
    """(added, modified, removed): the paths ``rhs`` adds, changes and drops from ``lhs``.

    With ``zeros`` both sides are compared as ``zero_fill`` would complete them, filling
    in only the parts the comparison visits.
    """
    added: FieldSet = set()
    modified: FieldSet = set()
    removed: FieldSet = set()
    _diff(lhs, rhs, shape, (), added, modified, removed, zeros)
    return added, modified, removed


def _identical(lhs: Any, rhs: Any) -> bool:
    """True when two JSON containers are equal in SMD's sense down to their types.

    Python's ``==`` (in C) settles most cases; as it takes ``true`` for ``1``, equal
    containers are also compared as serialised, which tells those apart.  A False answer
    only means "look closer".
    """
    if lhs != rhs:
        return False
    try:
        return orjson.dumps(lhs) == orjson.dumps(rhs)
    except TypeError:
        return False


def _diff(lhs: Any, rhs: Any, shape: Shape, path: Path, added: FieldSet, modified: FieldSet,
          removed: FieldSet, zeros: bool) -> None:
    if lhs is MISSING:
        _one_side(rhs, shape, path, added, zeros)
        return
    if rhs is MISSING:
        _one_side(lhs, shape, path, removed, zeros)
        return
    container = type(lhs)
    if (container is dict or container is list) and type(rhs) is container \
            and _identical(lhs, rhs):
        return          # the same on both sides (zero values included): nothing to record
    if zeros:
        lhs = _level_zeros(lhs, shape)
        rhs = _level_zeros(rhs, shape)
    kind, atomic = effective(shape, rhs)
    leaf = True
    if not atomic and kind == LIST:
        left = lhs if isinstance(lhs, list) else None
        right = rhs if isinstance(rhs, list) else None
        if left or right:                    # both empty or null: a leaf, as in SMD
            leaf = False
            _diff_items(left or (), right or (), shape, path, added, modified, removed, zeros)
    elif not atomic and kind in (STRUCT, MAP):
        left = lhs if isinstance(lhs, dict) else None
        right = rhs if isinstance(rhs, dict) else None
        if left or right:
            leaf = False
            for key, value in (left or {}).items():
                child_shape = shape.child(key)[0]
                other = right.get(key, MISSING) if right else MISSING
                _diff(value, other, child_shape, path + (("f", key),), added, modified,
                      removed, zeros)
            for key, value in (right or {}).items():
                if not left or key not in left:
                    _diff(MISSING, value, shape.child(key)[0], path + (("f", key),),
                          added, modified, removed, zeros)
    if leaf and not json_equal(lhs, rhs):
        modified.add(path)


def _one_side(value: Any, shape: Shape, path: Path, out: FieldSet, zeros: bool) -> None:
    """What ``_diff`` records when one side is missing: ``value``'s path and all below."""
    out.add(path)
    if not isinstance(value, (dict, list)):
        return          # a leaf, whatever the shape says (every create walks many)
    if zeros:
        value = _level_zeros(value, shape)
    kind, atomic = effective(shape, value)
    if atomic:
        return
    if kind == LIST:
        if isinstance(value, list) and value:
            item_shape = shape.item()
            seen: set = set()
            for i, item in enumerate(value):
                if zeros:
                    item = _level_zeros(item, item_shape)
                pe = item_element(shape, item, i)
                if isinstance(pe, str) or pe in seen:
                    continue            # unkeyable, or a duplicate: its first copy counts
                seen.add(pe)
                _one_side(item, item_shape, path + (pe,), out, zeros)
    elif kind in (STRUCT, MAP):
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(child, (dict, list)):
                    _one_side(child, shape.child(key)[0], path + (("f", key),), out, zeros)
                else:
                    out.add(path + (("f", key),))


def _diff_items(left: Any, right: Any, shape: Shape, path: Path, added: FieldSet,
                modified: FieldSet, removed: FieldSet, zeros: bool) -> None:
    item_shape = shape.item()
    before: dict = {}
    for i, item in enumerate(left):
        if zeros:
            item = _level_zeros(item, item_shape)
        pe = item_element(shape, item, i)
        if not isinstance(pe, str) and pe not in before:
            before[pe] = item
    seen: set = set()
    for i, item in enumerate(right):
        if zeros:
            item = _level_zeros(item, item_shape)
        pe = item_element(shape, item, i)
        if isinstance(pe, str) or pe in seen:
            continue
        seen.add(pe)
        _diff(before.get(pe, MISSING), item, item_shape, path + (pe,), added, modified,
              removed, zeros)
    for pe, item in before.items():
        if pe not in seen:
            _diff(item, MISSING, item_shape, path + (pe,), added, modified, removed, zeros)


# --- Go's zero values ----------------------------------------------------------------

def zero_fill(value: Any, shape: Shape) -> Any:
    """``value`` with the fields a typed Go object would always have (shares unchanged parts)."""
    kind = shape.kind
    if shape.atomic or kind in (SCALAR, DEDUCED):
        return value
    if kind == LIST:
        if not isinstance(value, list):
            return value
        item_shape = shape.item()
        if item_shape.kind != STRUCT:
            return value
        filled = [zero_fill(item, item_shape) for item in value]
        return filled if any(a is not b for a, b in zip(filled, value)) else value
    if not isinstance(value, dict):
        return value
    out: JSON | None = None
    for key, child in value.items():
        if isinstance(child, (dict, list)):
            new = zero_fill(child, shape.child(key)[0])
            if new is not child:
                out = out if out is not None else dict(value)
                out[key] = new
    if kind == STRUCT:
        for key, zero in _zeros(shape).items():
            if key not in value:
                out = out if out is not None else dict(value)
                out[key] = zero
    return out if out is not None else value


def _level_zeros(value: Any, shape: Shape) -> Any:
    """``value`` with the zero values of its own struct level (what ``zero_fill`` adds
    there; the levels below are completed as ``compare`` reaches them)."""
    if shape.kind != STRUCT or shape.atomic or not isinstance(value, dict):
        return value
    out: JSON | None = None
    for key, zero in _zeros(shape).items():
        if key not in value:
            out = out if out is not None else dict(value)
            out[key] = zero
    return out if out is not None else value


def _zeros(shape: Shape) -> dict[str, Any]:
    if shape.zeros is not None:
        return shape.zeros
    obj = shape.obj
    assert obj is not None
    shape.zeros = {}                          # guards recursive types while expanding
    zeros: dict[str, Any] = {}
    if obj.gvk is not None:
        for name in ("metadata", "spec", "status"):
            if name in obj.fields and shape.child(name)[0].kind == STRUCT:
                zeros[name] = {}
    for name, field in obj.fields.items():
        if field.required and isinstance(field.type, (ArrayType, MapType)):
            zeros[name] = None
    for name, zero in ZERO_FIELDS.get(shape.type_name, {}).items():
        if name in obj.fields:
            zeros[name] = zero
    for name, zero in zeros.items():
        if zero == {}:
            child = shape.child(name)[0]
            zeros[name] = zero_fill({}, child) if child.kind == STRUCT else {}
    shape.zeros = zeros
    return zeros


# --- recording a write (the Update path of the field manager) ----------------------------------

def reset_paths(shape: Shape, subresource: str,
                ignored: Iterable[Iterable[str]] | None) -> FieldSet:
    """The fields a write through this endpoint does not own (the strategy's reset fields)."""
    if ignored is not None:
        return {tuple(("f", name) for name in path) for path in ignored}
    names = shape.obj.fields if shape.obj is not None else {}
    if subresource == "":
        return {(("f", "status"),)} if "status" in names else set()
    if subresource == "status":
        return {(("f", name),) for name in names
                if name not in ("status", "metadata", "apiVersion", "kind")}
    return set()


def record_update(managed: Managed, live: Any, new: Any, *, shape: Shape, manager: str,
                  operation: str, api_version: str, subresource: str, now: str,
                  ignored: FieldSet) -> Managed:
    """The entries after a non-apply write from ``live`` to ``new`` (SMD's Updater.Update)."""
    added, modified, removed = compare(live, new, shape, zeros=True)
    if ignored:
        added = recursive_difference(added, ignored)
        modified = recursive_difference(modified, ignored)
        removed = recursive_difference(removed, ignored)
    changed = added | modified
    out: Managed = {}
    for identity, entry in managed.items():
        fields = entry.fields
        if changed and not fields.isdisjoint(changed):
            fields = fields - changed
        if removed and not fields.isdisjoint(removed):
            fields = fields - removed
        if fields:
            out[identity] = entry if fields is entry.fields else replace(entry, fields=fields)
    own = (changed - removed) - STRIPPED
    if own:
        entry = Entry(manager=manager or "unknown", operation=operation,
                      api_version=api_version, subresource=subresource, fields=own, time=now)
        previous = out.get(entry.identity)
        if previous is not None:
            # The same identity, so the same manager, operation, version and subresource:
            # keep its set (and its encoding) when this write adds nothing to it.
            entry = replace(previous, time=now) if own <= previous.fields else \
                replace(entry, fields=own | previous.fields)
        out[entry.identity] = entry
    return out


def cap_update_managers(managed: Managed, limit: int = MAX_UPDATE_MANAGERS) -> Managed:
    """Merge the oldest Update entries into "ancient-changes" buckets beyond ``limit``."""
    updaters = [i for i, e in managed.items() if e.operation != "Apply"]
    if len(updaters) <= limit:
        return managed
    updaters.sort(key=lambda i: (_seconds(managed[i].time), identity_json(i)))
    out = dict(managed)
    first_of_version: dict[str, Identity] = {}
    remaining = len(updaters)
    for identity in updaters:
        if remaining <= limit:
            break
        entry = out[identity]
        version = entry.api_version
        bucket = ("ancient-changes", "Update", version, "")
        first = first_of_version.get(version)
        if first is None:
            first_of_version[version] = identity
            continue
        if bucket not in out:
            out[bucket] = replace(out.pop(first), manager="ancient-changes", subresource="")
        merged = out[bucket].fields | entry.fields
        out[bucket] = replace(out[bucket], fields=merged, time=entry.time)
        del out[identity]
        remaining -= 1
    return out


def update_managed_fields(*, old: JSON | None, new: JSON, manager: str,
                          operation: str = "Update", schema: Schema, type_name: str,
                          api_version: str, now: str, subresource: str = "",
                          ignored: Iterable[Iterable[str]] | None = None) -> None:
    """Record in ``new["metadata"]["managedFields"]`` what this write set or changed.

    Call it for every create (``old=None``), update and non-apply patch, with ``new`` the
    object about to be stored (defaulted, before the strategy resets status and allocates
    server-side fields) and ``old`` the stored one.  Like the real server it honours a
    client's own managedFields when they decode, clears them on ``[]`` or ``[{}]``, and
    stops tracking an existing object that has none.  ``ignored`` lists top-level field
    paths the endpoint does not own (default: status on the main resource, everything but
    status and metadata on ``status``).
    """
    meta = new.get("metadata")
    if not isinstance(meta, dict):
        return
    managed = _live_or_new(old, meta.get("managedFields"), subresource)
    meta.pop("managedFields", None)
    if not managed and old is not None:
        return                # an object without managedFields is not tracked until applied
    shape = root_shape(schema, type_name)
    live = without_managed_fields(old) if old is not None else {}
    managed = record_update(managed, live, new, shape=shape, manager=manager,
                            operation=operation, api_version=api_version,
                            subresource=subresource, now=now,
                            ignored=reset_paths(shape, subresource, ignored))
    store_managed(new, cap_update_managers(managed))


def _live_or_new(old: JSON | None, submitted: Any, subresource: str) -> Managed:
    """The entries to start from (decodeLiveOrNew): the request's, else the stored ones."""
    stored = (old or {}).get("metadata", {}).get("managedFields")
    if not subresource:
        if is_reset(submitted):
            return {}
        try:
            managed = decode_managed(submitted)
        except ManagedFieldsError:
            managed = {}
        if managed:
            return managed
    try:
        return decode_managed(stored)
    except ManagedFieldsError:
        return {}


# --- the manager name of a request without ?fieldManager ----------------------------------

FIELD_MANAGER_MAX_LENGTH = 128


def default_manager(user_agent: str) -> str:
    """The manager of a write without ``fieldManager``: the User-Agent up to its first ``/``.

    Non-printable characters are dropped and the result is cut to 128 bytes, as
    k8s.io/apiserver's ``prefixFromUserAgent`` does (``OpenAPI-Generator/32.0.1/python``
    becomes ``OpenAPI-Generator``).
    """
    out: list[str] = []
    size = 0
    for ch in user_agent.split("/", 1)[0]:
        if not ch.isprintable():
            continue
        width = len(ch.encode("utf-8", "surrogatepass"))
        if size + width > FIELD_MANAGER_MAX_LENGTH:
            break
        out.append(ch)
        size += width
    return "".join(out)
