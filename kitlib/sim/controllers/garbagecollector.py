"""The garbage collector: what belongs to a deleted object goes with it.

Objects name their owners in ``metadata.ownerReferences`` (a ReplicaSet's pods name the
ReplicaSet).  Deleting an owner cascades in one of three ways, chosen by the deletion's
``propagationPolicy``, exactly as kube-controller-manager's garbage collector does it:

- Background: the owner goes at once; the collector then deletes every dependent whose
  owners are all gone (an owner re-created under the same name, with another UID, does not
  count).
- Foreground: the API server keeps the owner, marked with ``deletionTimestamp`` and the
  ``foregroundDeletion`` finalizer; the collector deletes its dependents and removes the
  finalizer once no dependent with ``blockOwnerDeletion`` is left.
- Orphan: the owner keeps the ``orphan`` finalizer until the collector has removed the
  references to it from its dependents, which live on without an owner.

It follows every resource the API serves (but events) through the shared informers, and
keeps a graph of owner -> dependents in memory so a deletion looks only at its dependents.
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from typing import Any

import orjson

from kitlib.sim.controllers.base import Controller
from kitlib.sim.controllers.podcontrol import (OwnerRef, owner_references,
                                               remove_owner_references)
from kitlib.sim.machinery import errors
from kitlib.sim.machinery.sharing import ShareTable
from kitlib.sim.registry.base import ResourceType
from kitlib.sim.registry.options import DeleteOptions
from kitlib.sim.store.records import Record

JSON = dict[str, Any]
#: An object by its store key, namespace ("" when cluster-scoped) and name.
Ident = tuple[str, str, str]
Link = tuple["Ident | None", OwnerRef]

FOREGROUND = "foregroundDeletion"
ORPHAN = "orphan"
#: Kinds the real collector ignores: events never own anything worth collecting.
IGNORED = frozenset({"events", "events.events.k8s.io"})
#: How many distinct owner-reference sets ``_links_of`` remembers (cleared when full).
SHARED_LINKS_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class _OwnerState:
    rv: int
    uid: str
    waiting: bool           # being deleted in the foreground: waiting for its dependents


class GarbageCollector(Controller):
    name = "garbage-collector-controller"
    workers = 20

    def setup(self) -> None:
        registry = self.client.registry
        self._kinds: dict[tuple[str, str], ResourceType] = {}
        for storage in registry.values():
            self._kinds.setdefault((storage.resource.group, storage.resource.kind),
                                   storage.resource)
        self._links: dict[Ident, tuple[Link, ...]] = {}       # dependent -> its owners
        self._dependents: dict[Ident, set[Ident]] = {}        # owner -> its dependents
        self._owners: dict[Ident, _OwnerState] = {}
        self._foreground: dict[Ident, str] = {}               # owner -> uid: begun
        self._shared_links: ShareTable[tuple[tuple[OwnerRef, ...], str], tuple[Link, ...]] = \
            ShareTable(limit=SHARED_LINKS_LIMIT)
        for storage in registry.values():
            if storage.key not in IGNORED:
                self.ctx.informers(storage.key).add_handler(
                    functools.partial(self._changed, storage.key))

    # --- the graph --------------------------------------------------------------------------

    def _owner_ident(self, ref: OwnerRef, namespace: str) -> Ident | None:
        """Where the owner ``ref`` names lives; None when it cannot be resolved (an unknown
        kind, or a cluster-scoped dependent naming a namespaced owner: never collected)."""
        kind = self._kinds.get((ref.group, ref.kind))
        if kind is None:
            return None
        if kind.namespaced:
            return (kind.key, namespace, ref.name) if namespace else None
        return (kind.key, "", ref.name)

    def _state(self, ident: Ident) -> _OwnerState | None:
        """The owner as it is now in the store (parsed once per resourceVersion)."""
        record = self.client.registry.store.get(*ident)
        if record is None:
            return None
        known = self._owners.get(ident)
        if known is not None and known.rv == record.rv:
            return known
        meta = record.object()["metadata"]
        state = _OwnerState(record.rv, meta.get("uid", ""),
                            bool(meta.get("deletionTimestamp"))
                            and FOREGROUND in (meta.get("finalizers") or []))
        self._owners[ident] = state
        return state

    def _links_of(self, refs: tuple[OwnerRef, ...], namespace: str) -> tuple[Link, ...]:
        """The links of a dependent with ``refs`` in ``namespace``: one tuple shared by every
        dependent alike (the pods of a ReplicaSet), not one per pod."""
        return self._shared_links.get((refs, namespace), lambda: tuple(
            (self._owner_ident(r, namespace), r) for r in refs))

    def _classify(self, link: Link) -> str:
        owner, ref = link
        if owner is None:
            return "solid"
        state = self._state(owner)
        if state is None or state.uid != ref.uid:
            return "dangling"
        return "waiting" if state.waiting else "solid"

    def _link(self, ident: Ident, links: tuple[Link, ...]) -> None:
        self._links[ident] = links
        for owner, _ in links:
            if owner is not None:
                self._dependents.setdefault(owner, set()).add(ident)

    def _unlink(self, ident: Ident) -> tuple[Link, ...]:
        links = self._links.pop(ident, ())
        for owner, _ in links:
            dependents = self._dependents.get(owner) if owner is not None else None
            if dependents is not None:
                dependents.discard(ident)
                if not dependents:
                    del self._dependents[owner]     # type: ignore[arg-type]
        return links

    def _poke_waiting(self, links: tuple[Link, ...]) -> None:
        """A dependent went away or let go: owners waiting for it may now finish."""
        for owner, _ in links:
            if owner is not None:
                state = self._state(owner)
                if state is not None and state.waiting:
                    self._enqueue(owner)

    def _enqueue(self, ident: Ident) -> None:
        self.queue.add(orjson.dumps(ident).decode())

    def _changed(self, resource: str, kind: str, record: Record, prev: Record | None) -> None:
        ident = (resource, record.namespace, record.name)
        if kind == "DELETED":
            self._owners.pop(ident, None)
            self._foreground.pop(ident, None)
            self._poke_waiting(self._unlink(ident))
            for dependent in self._dependents.get(ident, ()):
                self._enqueue(dependent)
            return
        refs = owner_references(record.raw)
        if refs != tuple(ref for _, ref in self._links.get(ident, ())):
            self._poke_waiting(self._unlink(ident))
            if refs:
                links = self._links_of(refs, record.namespace)
                self._link(ident, links)
                if any(self._classify(link) != "solid" for link in links):
                    self._enqueue(ident)
        if kind == "ADDED" and ident in self._dependents:
            # An owner (re)appeared: dependents naming an older namesake are dangling.
            state = self._state(ident)
            for dependent in self._dependents[ident]:
                if any(o == ident and (state is None or r.uid != state.uid)
                       for o, r in self._links.get(dependent, ())):
                    self._enqueue(dependent)
        raw = record.raw
        if b'"deletionTimestamp"' in raw and (b'"foregroundDeletion"' in raw
                                             or b'"orphan"' in raw):
            self._enqueue(ident)

    # --- the work ---------------------------------------------------------------------------

    async def sync(self, key: str) -> None:
        resource, namespace, name = orjson.loads(key)
        ident: Ident = (resource, namespace, name)
        record = self.client.registry.store.get(resource, namespace, name)
        if record is None:
            return
        meta = record.object()["metadata"]
        finalizers = meta.get("finalizers") or []
        if meta.get("deletionTimestamp"):
            if ORPHAN in finalizers:
                await self._orphan_dependents(ident, meta["uid"])
            elif FOREGROUND in finalizers:
                await self._delete_dependents(ident, meta["uid"])
            return          # otherwise it is on its way: its dependents follow when it is gone
        refs = tuple(OwnerRef.of(r) for r in meta.get("ownerReferences") or []
                     if isinstance(r, dict))
        if refs:
            await self._attempt_to_delete(ident, meta, refs)

    async def _attempt_to_delete(self, ident: Ident, meta: JSON,
                                 refs: tuple[OwnerRef, ...]) -> None:
        """Delete ``ident`` if none of its owners remains (attemptToDeleteItem)."""
        resource, namespace, name = ident
        groups: dict[str, list[OwnerRef]] = {"solid": [], "dangling": [], "waiting": []}
        for ref in refs:
            groups[self._classify((self._owner_ident(ref, namespace), ref))].append(ref)
        solid, dangling, waiting = groups["solid"], groups["dangling"], groups["waiting"]
        uid = meta["uid"]
        if solid:
            if dangling or waiting:     # keep the object; forget the owners that are going
                await remove_owner_references(self.client, resource, namespace=namespace,
                                              name=name, uid=uid,
                                              owner_uids={r.uid for r in dangling + waiting})
            return
        finalizers = meta.get("finalizers") or []
        if waiting and self._dependents.get(ident):
            # It has dependents of its own: delete it in the foreground too, after making
            # its references non-blocking if a dependent also waits (a possible cycle).
            if any((state := self._state(dependent)) is not None and state.waiting
                   for dependent in list(self._dependents[ident])):
                await self._unblock(ident, uid)
            policy = "Foreground"
        elif ORPHAN in finalizers:
            policy = "Orphan"
        elif FOREGROUND in finalizers:
            policy = "Foreground"
        else:
            policy = "Background"
        try:
            await self.client.delete(resource, namespace=namespace, name=name,
                                     options=DeleteOptions(propagation_policy=policy,
                                                           precondition_uid=uid))
        except errors.Conflict:
            pass        # replaced by a namesake meanwhile: not ours to delete

    async def _unblock(self, ident: Ident, uid: str) -> None:
        def unblock(obj: JSON) -> None:
            if obj["metadata"].get("uid") == uid:
                for ref in obj["metadata"].get("ownerReferences") or []:
                    if ref.get("blockOwnerDeletion"):
                        ref["blockOwnerDeletion"] = False

        resource, namespace, name = ident
        await self.client.mutate(resource, namespace=namespace, name=name, change=unblock)

    def _dependents_of(self, owner: Ident, uid: str) -> list[tuple[Ident, OwnerRef]]:
        found = []
        for dependent in self._dependents.get(owner, ()):
            for linked, ref in self._links.get(dependent, ()):
                if linked == owner and ref.uid == uid:
                    found.append((dependent, ref))
                    break
        return found

    async def _delete_dependents(self, owner: Ident, uid: str) -> None:
        """Foreground deletion: delete the dependents, then let the owner go."""
        dependents = self._dependents_of(owner, uid)
        if self._foreground.get(owner) != uid:
            self._foreground[owner] = uid
            for dependent, _ in dependents:
                self._enqueue(dependent)
        store = self.client.registry.store
        if any(ref.block_owner_deletion and store.get(*dependent) is not None
               for dependent, ref in dependents):
            return              # the last blocking dependent's deletion brings us back
        self._foreground.pop(owner, None)
        await self._remove_finalizer(owner, uid, FOREGROUND)

    async def _orphan_dependents(self, owner: Ident, uid: str) -> None:
        """Orphan deletion: remove the references to the owner, then let it go."""
        store = self.client.registry.store

        async def orphan(dependent: Ident) -> None:
            record = store.get(*dependent)
            if record is not None:
                await remove_owner_references(
                    self.client, dependent[0], namespace=dependent[1], name=dependent[2],
                    uid=record.object()["metadata"].get("uid", ""), owner_uids={uid})

        await asyncio.gather(*(orphan(d) for d, _ in self._dependents_of(owner, uid)))
        await self._remove_finalizer(owner, uid, ORPHAN)

    async def _remove_finalizer(self, ident: Ident, uid: str, finalizer: str) -> None:
        def remove(obj: JSON) -> None:
            meta = obj["metadata"]
            if meta.get("uid") != uid:
                return
            finalizers = [f for f in meta.get("finalizers") or [] if f != finalizer]
            if finalizers:
                meta["finalizers"] = finalizers
            else:
                meta.pop("finalizers", None)

        resource, namespace, name = ident
        await self.client.mutate(resource, namespace=namespace, name=name, change=remove)
