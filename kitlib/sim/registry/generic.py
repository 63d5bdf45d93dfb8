"""The generic registry: create, update, delete for any kind, driven by its strategy.

This is the simulator's counterpart of apiserver/pkg/registry/generic/registry/store.go.
Both the HTTP handlers and the simulator's own components (scheduler, kubelets,
controllers) write through it, so every write, whoever makes it, is defaulted, validated,
versioned and announced to watchers in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator

from kitlib.sim.clock import Clock
from kitlib.sim.machinery import errors
from kitlib.sim.machinery.errors import FieldError
from kitlib.sim.machinery.validation import validate_metadata_for
from kitlib.sim.registry.base import ResourceType, Transaction
from kitlib.sim.registry.options import DeleteOptions, WriteOptions
from kitlib.sim.store.expiry import Expiry
from kitlib.sim.store.records import Record, make_record
from kitlib.sim.store.store import Store

JSON = dict[str, Any]
Transform = Callable[[JSON | None], JSON]

# The characters of generated name suffixes (k8s.io/apimachinery/pkg/util/rand: no vowels,
# no ambiguous characters), and their length.
_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_SUFFIX_LENGTH = 5
# Namespaces the NamespaceLifecycle admission plugin refuses to delete.
IMMORTAL_NAMESPACES = frozenset({"default", "kube-system", "kube-public"})
#: kube-apiserver's --event-ttl: an Event is deleted an hour after it was last written.
EVENT_TTL = 3600.0
#: Store keys whose objects live for a limited time after their last write (seconds).
DEFAULT_TTLS = {"events": EVENT_TTL}

# Hooks set by the assembly: managed-fields bookkeeping and metadata validation live in
# other layers of machinery; the registry only calls them.
ManagedFieldsHook = Callable[..., None]


@dataclass(kw_only=True)
class Hooks:
    validate_meta_update: Callable[..., list[FieldError]]
    update_managed_fields: ManagedFieldsHook | None = None


class Registry:
    """One ``ResourceStore`` per resource, sharing the store, the clock and the hooks."""

    def __init__(self, *, store: Store, clock: Clock, resources: tuple[ResourceType, ...],
                 hooks: Hooks, ttls: dict[str, float] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.hooks = hooks
        self._by_key = {res.key: ResourceStore(self, res) for res in resources}
        if store.clock is None:
            store.clock = clock         # the watch windows age on the simulated clock
        self.ttls = dict(DEFAULT_TTLS if ttls is None else ttls)
        self.expiry = Expiry()
        self._leases_restored = False

    def __getitem__(self, key: str) -> ResourceStore:
        return self._by_key[key]

    def get(self, key: str) -> ResourceStore | None:
        return self._by_key.get(key)

    def values(self) -> list[ResourceStore]:
        return list(self._by_key.values())

    def fields_for(self, key: str, obj: JSON) -> dict[str, str]:
        res = self._by_key.get(key)
        return res.resource.strategy.field_values(obj) if res else {}

    # --- time to live (etcd leases) ---------------------------------------------------------

    def written(self, key: str, record: Record | None) -> None:
        """After every write: lease the written object if its kind has a time to live,
        and delete the objects whose lease ran out, as etcd does when it expires."""
        if not self.ttls:
            return
        if not self._leases_restored:
            self._restore_leases()
        now = self.clock.time()
        ttl = self.ttls.get(key)
        if ttl is not None and record is not None:
            self.expiry.grant_key(key, record.fields, record.rv, deadline=now + ttl)
        deadline = self.expiry.next_deadline()
        if deadline is not None and deadline <= now:
            self.expire(now)

    def expire(self, now: float) -> int:
        """Delete every object whose lease ran out by ``now`` (finalizers or not, as etcd
        deletes the key); returns how many."""
        count = 0
        for lease in self.expiry.due(now):
            record = self.store.get(lease.resource, lease.namespace, lease.name)
            if record is None or record.rv != lease.rv:
                continue                # written again since (a newer lease), or gone
            final = self.store.delete(lease.resource, record)
            owner = self._by_key.get(lease.resource)
            if owner is not None and _releases(owner.strategy):
                owner.strategy.deleted(final.object())
            count += 1
        return count

    def _restore_leases(self) -> None:
        """Leases for the objects read back at start-up, from the time each was last
        written (its newest timestamp): etcd keeps its leases across restarts."""
        self._leases_restored = True
        for key, ttl in self.ttls.items():
            leases = []
            for record in self.store.list(key):
                written = _last_written(record.object())
                if written is not None:
                    leases.append((written + ttl, record.rv, record))
            leases.sort(key=lambda lease: lease[:2])    # granted in order: no insertions
            for deadline, rv, record in leases:
                self.expiry.grant_key(key, record.fields, rv, deadline=deadline)

    def namespace_phase(self, name: str) -> str | None:
        """The phase of a namespace, or None when it does not exist."""
        record = self.store.get("namespaces", "", name)
        if record is None:
            return None
        phase = record.fields.get("status.phase")      # a selectable field: no parsing
        if phase:
            return phase
        return (record.object().get("status") or {}).get("phase", "Active")


class ResourceStore:
    def __init__(self, registry: Registry, resource: ResourceType) -> None:
        self.registry = registry
        self.resource = resource
        self.strategy = resource.strategy
        self.key = resource.key
        # Where the objects live: another resource's store for views (events.k8s.io Events
        # are the core Events, shown in another shape).
        self.store_key = resource.store_key
        self.presenter = resource.presenter

    # --- helpers ------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        return self.registry.store

    def not_found(self, name: str) -> errors.NotFound:
        return errors.NotFound(resource=self.resource.plural, group=self.resource.group,
                               name=name)

    def invalid(self, name: str, problems: list[FieldError]) -> errors.Invalid:
        return errors.Invalid(kind=self.resource.kind, group=self.resource.group, name=name,
                              errors=problems)

    def conflict(self, name: str, detail: str = errors.STALE_OBJECT) -> errors.Conflict:
        return errors.Conflict(resource=self.resource.plural, group=self.resource.group,
                               name=name, detail=detail)

    def _ns(self, namespace: str | None) -> str:
        return namespace or "" if self.resource.namespaced else ""

    def _record(self, obj: JSON, *, rv: int) -> Record:
        return make_record(obj, rv=rv, fields=self.strategy.field_values(obj))

    # --- reads --------------------------------------------------------------------------

    def get(self, *, namespace: str | None, name: str) -> Record:
        record = self.store.get(self.store_key, self._ns(namespace), name)
        if record is None:
            raise self.not_found(name)
        return self.present(record)

    def find(self, *, namespace: str | None, name: str) -> Record | None:
        record = self.store.get(self.store_key, self._ns(namespace), name)
        return None if record is None else self.present(record)

    def list(self, namespace: str | None = None) -> Iterator[Record]:
        """Every stored object (of one namespace), as clients of this resource see it."""
        for record in self.store.list(self.store_key, namespace):
            yield self.present(record)

    def present(self, record: Record) -> Record:
        """A stored record as this resource shows it (itself, unless this is a view)."""
        if self.presenter is None:
            return record
        obj = self.presenter.to_view(record.object())
        return make_record(obj, rv=record.rv, fields=self.strategy.field_values(obj))

    def _stored(self, obj: JSON) -> tuple[JSON, dict[str, str]]:
        """What to store for an object of this resource's shape, and its fields."""
        if self.presenter is None:
            return obj, self.strategy.field_values(obj)
        stored = self.presenter.from_view(obj)
        return stored, self.registry.fields_for(self.store_key, stored)

    # --- create -------------------------------------------------------------------------

    def _check_namespace(self, namespace: str, name: str) -> None:
        if not self.resource.namespaced:
            return
        phase = self.registry.namespace_phase(namespace)
        if phase is None:
            raise errors.NotFound(resource="namespaces", name=namespace)
        if phase == "Terminating":
            raise errors.Forbidden(
                f'{self.resource.plural} "{name}" is forbidden: unable to create new content in '
                f"namespace {namespace} because it is being terminated",
                details={"name": name, "kind": self.resource.plural,
                         "causes": [{"reason": "NamespaceTerminating",
                                     "message": f"namespace {namespace} is being terminated",
                                     "field": "metadata.namespace"}]})

    def prepare_create(self, obj: JSON, *, namespace: str | None,
                       options: WriteOptions | None = None,
                       operation: str = "Update") -> tuple[JSON, Transaction | None]:
        """Defaults, system fields and validation of a new object; raises on any problem.

        Returns the object and what it took from shared pools (a Service's ClusterIP),
        which the caller commits once the object is stored, or reverts.
        """
        res = self.resource
        meta = obj.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise errors.BadRequest("metadata must be an object")
        obj["apiVersion"] = res.api_version
        obj["kind"] = res.kind
        if res.namespaced:
            body_ns = meta.get("namespace")
            if body_ns and namespace and body_ns != namespace:
                raise errors.BadRequest("the namespace of the provided object does not match "
                                        "the namespace sent on the request")
            meta["namespace"] = namespace or body_ns or "default"
        else:
            meta.pop("namespace", None)
        if meta.get("resourceVersion"):
            raise errors.BadRequest("resourceVersion can not be set for Create requests")
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = self._generate_name(meta["generateName"], meta.get("namespace", ""))
        if not meta.get("name") or not isinstance(meta["name"], str):
            raise self.invalid("", [errors.required("metadata.name",
                                                    "name or generateName is required")])
        self.strategy.default(obj)
        # Fields are credited to the writer as sent and defaulted, before the strategy
        # resets status or allocates (a ClusterIP belongs to no client).
        self._track_fields(None, obj, options or WriteOptions(), operation=operation)
        txn = self.strategy.begin_create(obj)
        try:
            self.strategy.prepare_for_create(obj)
            meta["uid"] = self.registry.clock.uid()
            meta["creationTimestamp"] = self.registry.clock.timestamp()
            for system in ("deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"):
                meta.pop(system, None)
            if self.strategy.has_generation:
                meta["generation"] = 1
            else:
                meta.pop("generation", None)
            problems = validate_metadata_for(self.strategy, obj, namespaced=res.namespaced)
            problems += self.strategy.validate(obj)
            if problems:
                raise self.invalid(meta.get("name", ""), problems)
        except BaseException:
            if txn is not None:
                txn.revert()
            raise
        return obj, txn

    def _generate_name(self, prefix: str, namespace: str) -> str:
        rand = self.registry.clock.random
        base = prefix[:63 - _SUFFIX_LENGTH] if len(prefix) > 63 - _SUFFIX_LENGTH else prefix
        for _ in range(10):
            name = base + "".join(rand.choice(_SUFFIX_ALPHABET) for _ in range(_SUFFIX_LENGTH))
            if self.store.get(self.store_key, namespace, name) is None:
                return name
        return name

    async def create(self, obj: JSON, *, namespace: str | None = None,
                     options: WriteOptions | None = None, operation: str = "Update") -> Record:
        options = options or WriteOptions()
        obj, txn = self.prepare_create(obj, namespace=namespace, options=options,
                                       operation=operation)
        try:
            meta = obj["metadata"]
            name, ns = meta["name"], self._ns(meta.get("namespace"))
            self._check_namespace(ns, name)
            if self.store.get(self.store_key, ns, name) is not None:
                raise errors.AlreadyExists(resource=self.resource.plural,
                                           group=self.resource.group, name=name)
            if options.dry_run:
                raise _DryRun(make_record(obj, rv=0, fields=self.strategy.field_values(obj)))
            stored, fields = self._stored(obj)
            record = self.present(self.store.create(self.store_key, stored, fields=fields))
        except _DryRun as dry:
            _finish(txn, keep=False)
            return dry.record
        except BaseException:
            _finish(txn, keep=False)
            raise
        _finish(txn, keep=True)
        self.registry.written(self.store_key, record)
        await self.store.settled(record.rv)
        return record

    # --- update -------------------------------------------------------------------------

    async def update(self, *, namespace: str | None, name: str,
                     transform: Transform | None = None, body: JSON | None = None,
                     options: WriteOptions | None = None, create_missing: bool | None = None,
                     operation: str = "Update") -> tuple[Record, bool]:
        """Read, transform, check and write one object; returns (record, created).

        ``transform`` gets a copy of the current object (None if it does not exist) and
        returns the object to write: the body of a PUT, or the current object patched.
        ``body`` instead is the object to write whatever the current one is (a transform
        that ignores its argument, without the copy made for it).
        """
        if transform is None:
            if body is None:
                raise TypeError("update needs a transform or a body")
            transform = _constant(body)
        options = options or WriteOptions()
        ns = self._ns(namespace)
        current = self.store.get(self.store_key, ns, name)
        if current is None:
            allowed = self.strategy.allow_create_on_update if create_missing is None \
                else create_missing
            if not allowed or options.subresource:
                raise self.not_found(name)
            obj = transform(None)
            self._check_url_identity(obj, namespace=ns, name=name)
            obj.setdefault("metadata", {}).pop("resourceVersion", None)
            return await self.create(obj, namespace=ns, options=options,
                                     operation=operation), True
        shown = self.present(current)
        old = shown.object()
        new = body if body is not None else transform(shown.object())
        self._check_url_identity(new, namespace=ns, name=name)
        new, txn = self.prepare_update(new, old, subresource=options.subresource,
                                       options=options, operation=operation)
        if _same(new, old) or options.dry_run:
            _finish(txn, keep=False)
            return (shown if _same(new, old) else self._record(new, rv=current.rv)), False
        meta = new["metadata"]
        if meta.get("deletionTimestamp") and not meta.get("finalizers") \
                and not meta.get("deletionGracePeriodSeconds") \
                and not self.strategy.deletion_pending(new):
            # The last finalizer is gone and no grace period runs (a pod's kubelet deletes
            # it itself when its containers have stopped): the deletion completes now.
            _finish(txn, keep=False)
            return await self._remove(current, DeleteOptions()), False
        _finish(txn, keep=True)
        stored, fields = self._stored(new)
        record = self.store.update(self.store_key, stored, prev=current, fields=fields)
        self.registry.written(self.store_key, record)
        await self.store.settled(record.rv)
        return self.present(record), False

    def _check_url_identity(self, obj: JSON, *, namespace: str, name: str) -> None:
        if obj.get("metadata") is None:
            obj["metadata"] = {}
        meta = obj["metadata"]
        if not isinstance(meta, dict):
            raise errors.BadRequest("metadata must be an object")
        body_name = meta.get("name") or ""
        if body_name != name:        # an empty one too: kube-apiserver's checkName
            raise errors.BadRequest(f"the name of the object ({body_name}) does not match the "
                                    f"name on the URL ({name})")
        meta["name"] = name
        if self.resource.namespaced:
            body_ns = meta.get("namespace")
            if body_ns and body_ns != namespace:
                raise errors.BadRequest("the namespace of the provided object does not match "
                                        "the namespace sent on the request")
            meta["namespace"] = namespace

    def prepare_update(self, new: JSON, old: JSON, *, subresource: str = "",
                       options: WriteOptions | None = None,
                       operation: str = "Update") -> tuple[JSON, Transaction | None]:
        """Checks and system fields of an update (rest.BeforeUpdate), and what it took
        from shared pools (to commit once stored)."""
        res, meta, old_meta = self.resource, new["metadata"], old["metadata"]
        new["apiVersion"] = res.api_version
        new["kind"] = res.kind
        rv = meta.get("resourceVersion")
        if rv:
            if str(rv) != old_meta["resourceVersion"]:
                raise self.conflict(old_meta["name"])
        elif not self.strategy.allow_unconditional_update:
            raise self.invalid(old_meta["name"], [errors.invalid(
                "metadata.resourceVersion", 0, "must be specified for an update")])
        self.strategy.default(new)
        self._track_fields(old, new, options or WriteOptions(), operation=operation)
        # The server's own subresources (binding) write exactly what they were asked to;
        # finalize too, for the one field it may change (spec.finalizers), which a plain
        # update of a namespace keeps.
        trusted = subresource not in ("", "status", "scale")
        txn = self.strategy.begin_update(new, old) if subresource in ("", "scale") else None
        try:
            self._prepare_update(new, old, subresource=subresource, trusted=trusted)
        except BaseException:
            _finish(txn, keep=False)
            raise
        return new, txn

    def _prepare_update(self, new: JSON, old: JSON, *, subresource: str,
                        trusted: bool) -> None:
        res, meta, old_meta = self.resource, new["metadata"], old["metadata"]
        if subresource == "status":
            self.strategy.prepare_for_status_update(new, old)
        elif not trusted:
            self.strategy.prepare_for_update(new, old)
        if not meta.get("uid"):
            meta["uid"] = old_meta.get("uid")
        for system in ("creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"):
            if system in old_meta:
                meta[system] = old_meta[system]
            else:
                meta.pop(system, None)
        if self.strategy.has_generation:
            generation = old_meta.get("generation", 1)
            if subresource != "status" and self.strategy.spec_changed(new, old):
                generation += 1
            meta["generation"] = generation
        meta["resourceVersion"] = old_meta["resourceVersion"]
        problems = self.registry.hooks.validate_meta_update(meta, old_meta)
        if subresource == "status":
            problems += self.strategy.validate_status_update(new, old)
        elif subresource == "finalize":
            problems += self.strategy.validate(new)       # the finalizers' names
        elif not trusted:
            problems += self.strategy.validate_update(new, old)
        if problems:
            raise self.invalid(old_meta["name"], problems)

    def _track_fields(self, old: JSON | None, new: JSON, options: WriteOptions, *,
                      operation: str) -> None:
        hook = self.registry.hooks.update_managed_fields
        if hook is None or operation == "Apply":
            return      # server-side apply keeps its own books
        hook(old=old, new=new, manager=options.field_manager or "unknown", operation=operation,
             resource=self.resource, subresource=options.subresource,
             now=self.registry.clock.timestamp())

    # --- delete -------------------------------------------------------------------------

    async def delete(self, *, namespace: str | None, name: str,
                     options: DeleteOptions | None = None) -> tuple[Record, bool]:
        """Delete an object; returns (its final or current state, whether it is gone)."""
        options = options or DeleteOptions()
        ns = self._ns(namespace)
        if self.key == "namespaces" and name in IMMORTAL_NAMESPACES:
            raise errors.Forbidden(f'namespaces "{name}" is forbidden: this namespace may not '
                                   f'be deleted', details={"name": name, "kind": "namespaces"})
        current = self.store.get(self.store_key, ns, name)
        if current is None:
            raise self.not_found(name)
        obj = self.present(current).object()
        meta = obj["metadata"]
        if options.precondition_uid and options.precondition_uid != meta.get("uid"):
            raise self.conflict(name, f"Precondition failed: UID in precondition: "
                                      f"{options.precondition_uid}, UID in object meta: "
                                      f"{meta.get('uid')}")
        if options.precondition_rv and options.precondition_rv != meta.get("resourceVersion"):
            raise self.conflict(name, f"Precondition failed: ResourceVersion in precondition: "
                                      f"{options.precondition_rv}, ResourceVersion in object "
                                      f"meta: {meta.get('resourceVersion')}")
        finalizers = list(meta.get("finalizers") or [])
        policy = options.propagation_policy or self.strategy.default_propagation_policy
        if policy == "Orphan" and "orphan" not in finalizers:
            finalizers.append("orphan")
        elif policy == "Foreground" and "foregroundDeletion" not in finalizers:
            finalizers.append("foregroundDeletion")
        grace = self.strategy.grace_period(obj, options.grace_period_seconds)
        held = bool(finalizers) or self.strategy.deletion_pending(obj)
        now = self.registry.clock.time()
        if meta.get("deletionTimestamp"):
            if not held and grace == 0:
                return await self._remove(current, options), True
            if grace >= (meta.get("deletionGracePeriodSeconds") or 0):
                return self.present(current), False
            # Already being deleted: a shorter grace period replaces the longer one (a
            # kubelet's final grace-0 delete, or `kubectl delete --grace-period=0`).
            meta["deletionTimestamp"] = _rfc3339(now + grace)
            meta["deletionGracePeriodSeconds"] = grace
            return await self._write_deleting(current, obj, options), False
        if not held and grace == 0:
            return await self._remove(current, options), True
        meta["deletionTimestamp"] = _rfc3339(now + grace)
        meta["deletionGracePeriodSeconds"] = grace
        if finalizers:
            meta["finalizers"] = finalizers
        self.strategy.prepare_for_delete(obj)
        return await self._write_deleting(current, obj, options), False

    async def _write_deleting(self, current: Record, obj: JSON,
                              options: DeleteOptions) -> Record:
        if options.dry_run:
            return self._record(obj, rv=current.rv)
        stored, fields = self._stored(obj)
        record = self.store.update(self.store_key, stored, prev=current, fields=fields)
        self.registry.written(self.store_key, record)
        await self.store.settled(record.rv)
        return self.present(record)

    async def _remove(self, current: Record, options: DeleteOptions) -> Record:
        if options.dry_run:
            return self.present(current)
        final = self.store.delete(self.store_key, current)
        self.strategy.deleted(final.object())
        self.registry.written(self.store_key, None)
        await self.store.settled(final.rv)
        return self.present(final)


class _DryRun(Exception):
    """Carries a dry run's result past the write it must not make."""

    def __init__(self, record: Record) -> None:
        self.record = record


def _releases(strategy: Any) -> bool:
    """Whether a strategy gives anything back when its objects are deleted."""
    from kitlib.sim.registry.base import Strategy
    return type(strategy).deleted is not Strategy.deleted


def _last_written(obj: JSON) -> float | None:
    """When an object was last written, as far as its timestamps tell (seconds)."""
    from datetime import datetime, timezone
    meta = obj.get("metadata") or {}
    stamps = [meta.get("creationTimestamp"), obj.get("lastTimestamp"), obj.get("eventTime"),
              (obj.get("series") or {}).get("lastObservedTime")]
    stamps += [entry.get("time") for entry in meta.get("managedFields") or []
               if isinstance(entry, dict)]
    best: float | None = None
    for stamp in stamps:
        if not isinstance(stamp, str) or not stamp:
            continue
        try:
            moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        seconds = moment.timestamp()
        best = seconds if best is None else max(best, seconds)
    return best


def _constant(body: JSON) -> Transform:
    return lambda _current: body


def _finish(txn: Transaction | None, *, keep: bool) -> None:
    if txn is not None:
        txn.commit() if keep else txn.revert()


def _rfc3339(seconds: float) -> str:
    from datetime import datetime, timezone
    return datetime.fromtimestamp(int(seconds), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _without_volatile(obj: JSON) -> JSON:
    meta = dict(obj.get("metadata") or {})
    meta.pop("resourceVersion", None)
    managed = meta.get("managedFields")
    if managed:
        meta["managedFields"] = [{k: v for k, v in entry.items() if k != "time"}
                                 for entry in managed]
    out = dict(obj)
    out["metadata"] = meta
    return out


def _same(new: JSON, old: JSON) -> bool:
    """True when an update changes nothing but managed-fields timestamps (a no-op)."""
    return _without_volatile(new) == _without_volatile(old)


__all__ = ["Registry", "ResourceStore", "Hooks", "WriteOptions", "DeleteOptions"]
