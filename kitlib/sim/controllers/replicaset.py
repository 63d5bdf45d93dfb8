"""The ReplicaSet controller: keep ``spec.replicas`` pods running, no more and no fewer.

Each sync counts the active pods a ReplicaSet controls, adopts matching orphans, releases
pods whose labels stopped matching (the "quarantine" trick), creates the missing pods in
slow-start batches of 1, 2, 4, ... (at most 500 per sync) or deletes the surplus in the
order kube-controller-manager chooses, and writes ``status`` through its subresource.

The same code runs ReplicationControllers, as in Kubernetes: ``replication.py`` only
describes the other kind (its API, and a plain map as selector) to a second instance.
Informer handlers keep pods indexed by controller and orphans by namespace, so a sync reads
only its own pods, never the whole cluster.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from kitlib.sim.controllers.base import Controller, key_of, split_key
from kitlib.sim.controllers.podcontrol import (Expectations, OwnerRef, PodControl, PodFacts,
                                               controller_of, deletion_order,
                                               namespace_terminating, owner_references,
                                               pod_facts, slow_start_batch)
from kitlib.sim.machinery import errors
from kitlib.sim.machinery.labels import LabelSelector, from_label_selector
from kitlib.sim.store.records import Record

log = logging.getLogger("kitlib.sim.controllers")
JSON = dict[str, Any]

#: Pods created or deleted at most per sync (BurstReplicas).
BURST_REPLICAS = 500
REPLICA_FAILURE = "ReplicaFailure"


@dataclass(frozen=True, kw_only=True)
class ReplicaKind:
    """What differs between ReplicaSets and ReplicationControllers."""

    resource: str                                   # the store key
    kind: str
    selector: Callable[[JSON], LabelSelector]       # from the spec


REPLICA_SET = ReplicaKind(resource="replicasets.apps", kind="ReplicaSet",
                          selector=lambda spec: from_label_selector(spec.get("selector")))


@dataclass(slots=True)
class _Owner:
    """A ReplicaSet as the pod handlers need it."""

    uid: str
    selector: LabelSelector | None
    min_ready: int
    controller_uid: str             # its own controller's (a Deployment's), or ""


@dataclass(slots=True)
class Claimed:
    """An active pod a sync counts as the ReplicaSet's."""

    name: str
    labels: dict[str, str]
    facts: PodFacts


@dataclass(slots=True)
class Tally:
    """The pods a ReplicaSet controls, kept from one sync to the next.

    A sync re-examines only the pods that changed since the one before (``dirty``, filled
    by the pod handler), so with 1,000 pods walking through their lifecycle a sync costs
    what changed, not the whole set.  The counts are redone from scratch when the selector
    or the template's labels change, and every ``RESCAN`` simulated seconds.
    """

    basis: tuple[Any, ...]              # the owner's UID, selector and template labels
    template_labels: dict[str, str]
    scanned: float
    pods: dict[str, Claimed] = field(default_factory=dict)
    dirty: set[str] = field(default_factory=set)
    labeled: int = 0
    ready: int = 0

    def add(self, pod: Claimed) -> None:
        self.discard(pod.name)
        self.pods[pod.name] = pod
        self.labeled += self._labeled(pod)
        self.ready += pod.facts.ready

    def discard(self, name: str) -> None:
        pod = self.pods.pop(name, None)
        if pod is not None:
            self.labeled -= self._labeled(pod)
            self.ready -= pod.facts.ready

    def _labeled(self, pod: Claimed) -> bool:
        return all(pod.labels.get(k) == v for k, v in self.template_labels.items())

    def available(self, min_ready_seconds: int, now: float) -> int:
        if min_ready_seconds <= 0:
            return self.ready
        return sum(1 for p in self.pods.values() if p.facts.available(min_ready_seconds, now))


#: Simulated seconds after which a sync recounts every pod (a safety net for lost events).
RESCAN = 30.0


def calculate_status(owner: JSON, *, replicas: int, labeled: int, ready: int, available: int,
                     failure: errors.StatusError | None, stamp: str) -> JSON:
    """The status a sync writes (calculateStatus), zero counts omitted as Go omits them."""
    spec = owner.get("spec") or {}
    old = owner.get("status") or {}
    conditions = [dict(c) for c in old.get("conditions") or []]
    has_failure = any(c.get("type") == REPLICA_FAILURE for c in conditions)
    if failure is not None and not has_failure:
        diff = replicas - int(spec.get("replicas", 1))
        condition: JSON = {"type": REPLICA_FAILURE, "status": "True",
                           "lastTransitionTime": stamp}
        if diff:
            condition["reason"] = "FailedCreate" if diff < 0 else "FailedDelete"
        condition["message"] = failure.message
        conditions.append(condition)
    elif failure is None and has_failure:
        conditions = [c for c in conditions if c.get("type") != REPLICA_FAILURE]
    status: JSON = {"replicas": replicas}
    for field_name, value in (("fullyLabeledReplicas", labeled), ("readyReplicas", ready),
                              ("availableReplicas", available)):
        if value:
            status[field_name] = value
    if old.get("observedGeneration"):
        status["observedGeneration"] = old["observedGeneration"]
    if conditions:
        status["conditions"] = conditions
    return status


def _discard(index: dict[Any, set[str]], key: Any, name: str) -> None:
    bucket = index.get(key)
    if bucket is not None:
        bucket.discard(name)
        if not bucket:
            del index[key]


def _forget(index: dict[str, dict[str, Any]], namespace: str, name: str) -> None:
    names = index.get(namespace)
    if names is not None:
        names.pop(name, None)
        if not names:
            del index[namespace]


class ReplicaSetController(Controller):
    name = "replicaset-controller"
    kind = REPLICA_SET
    workers = 5

    def setup(self) -> None:
        self.expectations = Expectations(self.ctx.clock)
        self.pods = PodControl(self.client, self.recorder)
        self._owners: dict[str, dict[str, _Owner]] = {}            # namespace -> name ->
        self._owned: dict[tuple[str, str], set[str]] = {}          # (ns, owner uid) -> pods
        self._orphans: dict[str, set[str]] = {}                    # namespace -> pods
        # Per pod, by namespace then name (the records' own strings, no key tuples):
        self._pod_refs: dict[str, dict[str, OwnerRef | None]] = {}
        self._facts: dict[str, dict[str, PodFacts]] = {}
        self._tallies: dict[str, Tally] = {}
        self._failures: dict[str, int] = {}
        self.ctx.informers(self.kind.resource).add_handler(self._owner_changed)
        self.ctx.informers("pods").add_handler(self._pod_changed)

    # --- reading pods ---------------------------------------------------------------------

    def facts(self, record: Record) -> PodFacts:
        """The facts of one pod version, parsed once per resourceVersion."""
        known = self._facts.get(record.namespace, {}).get(record.name)
        if known is not None and known.rv == record.rv:
            return known
        facts = pod_facts(record)
        if known is None or known.rv < record.rv:
            self._facts.setdefault(record.namespace, {})[record.name] = facts
        return facts

    def _current(self, namespace: str, name: str) -> tuple[Record, PodFacts] | None:
        record = self.client.registry.store.get("pods", namespace, name)
        return None if record is None else (record, self.facts(record))

    # --- informer handlers (quick: index and enqueue) ---------------------------------------

    def _owner_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        key = key_of(record)
        namespace, name = record.namespace, record.name
        if kind == "DELETED":
            self._owners.get(namespace, {}).pop(name, None)
            self._tallies.pop(key, None)
            self.expectations.forget(key)
            self.queue.add(key)
            return
        obj = record.object()
        spec = obj.get("spec") or {}
        try:
            selector: LabelSelector | None = self.kind.selector(spec)
        except errors.StatusError:
            selector = None
        old = self._owners.get(namespace, {}).get(name)
        uid = obj["metadata"].get("uid", "")
        if old is not None and old.uid != uid:
            self.expectations.forget(key)           # deleted and created again
        controller = controller_of(owner_references(record.raw))
        self._owners.setdefault(namespace, {})[name] = _Owner(
            uid, selector, int(spec.get("minReadySeconds") or 0),
            controller.uid if controller else "")
        self.queue.add(key)

    def _resolve(self, namespace: str, ref: OwnerRef | None) -> str | None:
        """The key of the ReplicaSet ``ref`` points to, if it is one of ours and exists."""
        if ref is None or ref.kind != self.kind.kind:
            return None
        owner = self._owners.get(namespace, {}).get(ref.name)
        return f"{namespace}/{ref.name}" if owner is not None and owner.uid == ref.uid else None

    def _touch(self, key: str, pod: str) -> None:
        """Sync ``key`` again, looking at ``pod`` in particular."""
        tally = self._tallies.get(key)
        if tally is not None:
            tally.dirty.add(pod)
        self.queue.add(key)

    def _index(self, namespace: str, name: str, ref: OwnerRef | None, *, gone: bool) -> None:
        refs = self._pod_refs.get(namespace)
        if refs is not None and name in refs:
            old = refs[name]
            if not gone and old == ref:
                return
            if old is None:
                _discard(self._orphans, namespace, name)
            elif old.kind == self.kind.kind:
                _discard(self._owned, (namespace, old.uid), name)
        if gone:
            _forget(self._pod_refs, namespace, name)
            _forget(self._facts, namespace, name)
            return
        self._pod_refs.setdefault(namespace, {})[name] = ref
        if ref is None:
            self._orphans.setdefault(namespace, set()).add(name)
        elif ref.kind == self.kind.kind:
            self._owned.setdefault((namespace, ref.uid), set()).add(name)

    def _deleted(self, namespace: str, name: str, ref: OwnerRef | None) -> None:
        key = self._resolve(namespace, ref)
        if key is not None:
            self.expectations.deletion_observed(key, f"{namespace}/{name}")
            self._touch(key, name)

    def _matching(self, namespace: str, labels: dict[str, str]) -> list[str]:
        return [f"{namespace}/{name}" for name, owner in self._owners.get(namespace, {}).items()
                if owner.selector is not None and owner.selector.matches(labels)]

    def _pod_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        namespace, name = record.namespace, record.name
        old_ref = self._pod_refs.get(namespace, {}).get(name)
        if kind == "DELETED":
            self._index(namespace, name, None, gone=True)
            self._deleted(namespace, name, old_ref)
            return
        ref = controller_of(owner_references(record.raw))
        self._index(namespace, name, ref, gone=False)
        deleting = b'"deletionTimestamp"' in record.raw and self.facts(record).deleting
        if kind == "ADDED":
            if deleting:
                self._deleted(namespace, name, ref)
            elif ref is not None:
                key = self._resolve(namespace, ref)
                if key is not None:
                    self.expectations.creation_observed(key)
                    self._touch(key, name)
            else:
                for key in self._matching(namespace, record.labels):
                    self._touch(key, name)
            return
        if prev is not None and prev.rv == record.rv:
            return
        labels_changed = prev is None or prev.labels != record.labels
        if deleting:
            self._deleted(namespace, name, ref)
            if labels_changed and old_ref != ref:
                self._deleted(namespace, name, old_ref)
            return
        if old_ref != ref and old_ref is not None:
            old_key = self._resolve(namespace, old_ref)
            if old_key is not None:
                self._touch(old_key, name)
        if ref is not None:
            key = self._resolve(namespace, ref)
            if key is None:
                return
            self._touch(key, name)
            owner = self._owners[namespace][ref.name]
            if owner.min_ready > 0 and prev is not None and self.facts(record).ready \
                    and not pod_facts(prev).ready:
                # Look again once the pod has been ready for minReadySeconds.
                self.queue.add_after(key, owner.min_ready + 1)
            return
        if labels_changed or old_ref != ref:
            for key in self._matching(namespace, record.labels):
                self._touch(key, name)

    # --- the sync ---------------------------------------------------------------------------

    async def sync(self, key: str) -> None:
        namespace, name = split_key(key)
        record = self.client.registry[self.kind.resource].find(namespace=namespace, name=name)
        if record is None:
            self.expectations.forget(key)
            self._failures.pop(key, None)
            return
        owner = record.object()
        meta, spec = owner["metadata"], owner.get("spec") or {}
        needs_sync = self.expectations.satisfied(key)
        try:
            selector = self.kind.selector(spec)
        except errors.StatusError as exc:
            log.warning("%s %s has an invalid selector: %s", self.kind.kind, key, exc.message)
            return
        tally = self._tally(key, owner, selector)
        await self._claim(owner, selector, tally)
        failure = None
        if needs_sync and not meta.get("deletionTimestamp"):
            failure = await self._manage(key, owner, tally)
        status = await self._update_status(owner, tally, failure)
        replicas = int(spec.get("replicas", 1))
        min_ready = int(spec.get("minReadySeconds") or 0)
        if failure is None and min_ready > 0 and status.get("readyReplicas", 0) == replicas \
                and status.get("availableReplicas", 0) != replicas:
            self.queue.add_after(key, min_ready)
        if failure is None:
            self._failures.pop(key, None)
        else:       # retry with back-off, as a failed sync is requeued rate-limited
            failures = self._failures.get(key, 0)
            self._failures[key] = failures + 1
            self.queue.add_after(key, min(0.005 * 2 ** failures, 1000.0))

    def _tally(self, key: str, owner: JSON, selector: LabelSelector) -> Tally:
        """The owner's tally; a fresh one, re-examining every candidate, when it has none
        yet, when what it counts by changed, or when its last full count is old."""
        meta, spec = owner["metadata"], owner.get("spec") or {}
        labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        basis = (meta["uid"], str(selector), tuple(sorted(labels.items())))
        now = self.ctx.clock.time()
        tally = self._tallies.get(key)
        if tally is not None and tally.basis == basis and now - tally.scanned < RESCAN:
            return tally
        namespace = meta["namespace"]
        fresh = Tally(basis=basis, template_labels=dict(labels), scanned=now)
        fresh.dirty = (set(self._owned.get((namespace, meta["uid"]), ()))
                       | self._orphans.get(namespace, set())
                       | (set(tally.pods) if tally is not None else set()))
        self._tallies[key] = fresh
        return fresh

    async def _claim(self, owner: JSON, selector: LabelSelector, tally: Tally) -> None:
        """Bring the tally up to date: count the active pods the ReplicaSet controls,
        adopting matching orphans and releasing its pods that no longer match
        (ControllerRefManager.ClaimPods), for the pods that changed."""
        meta = owner["metadata"]
        namespace, uid = meta["namespace"], meta["uid"]
        deleting = bool(meta.get("deletionTimestamp"))
        store = self.client.registry.store
        can_adopt: bool | None = None       # re-checked once, on the first orphan
        names, tally.dirty = tally.dirty, set()
        for name in sorted(names):
            record = store.get("pods", namespace, name)
            if record is None:
                tally.discard(name)
                continue
            matches = selector.matches(record.labels)
            if not matches and name not in tally.pods and \
                    name not in self._owned.get((namespace, uid), ()):
                continue            # an orphan of no interest: not even parsed
            facts = self.facts(record)
            ref = facts.controller
            if not facts.active:
                tally.discard(name)
            elif ref is not None and ref.uid == uid:
                if matches:
                    tally.add(Claimed(name, record.labels, facts))
                else:
                    tally.discard(name)
                    if not deleting:
                        await self.pods.release(namespace=namespace, name=name,
                                                uid=facts.uid, owner_uid=uid)
            elif ref is None and matches and not deleting:
                tally.discard(name)
                if can_adopt is None:
                    can_adopt = self._still_here(owner)
                if can_adopt and await self.pods.adopt(namespace=namespace, name=name,
                                                       uid=facts.uid, owner=owner):
                    tally.add(Claimed(name, record.labels, facts))
            else:
                tally.discard(name)

    def _still_here(self, owner: JSON) -> bool:
        """Re-read the owner before adopting: it must not have been deleted meanwhile."""
        meta = owner["metadata"]
        fresh = self.client.registry[self.kind.resource].find(namespace=meta["namespace"],
                                                              name=meta["name"])
        if fresh is None:
            return False
        current = fresh.object()["metadata"]
        return current.get("uid") == meta["uid"] and not current.get("deletionTimestamp")

    async def _manage(self, key: str, owner: JSON, tally: Tally) -> errors.StatusError | None:
        """Create or delete pods towards spec.replicas (manageReplicas)."""
        meta, spec = owner["metadata"], owner.get("spec") or {}
        namespace = meta["namespace"]
        diff = len(tally.pods) - int(spec.get("replicas", 1))
        if diff < 0:
            count = min(-diff, BURST_REPLICAS)
            self.expectations.expect_creations(key, count)

            async def create() -> None:
                try:
                    await self.pods.create(namespace=namespace, template=spec.get("template")
                                           or {}, owner=owner)
                except errors.StatusError as exc:
                    if not namespace_terminating(exc):
                        raise

            made, failure = await slow_start_batch(count, create)
            if made < count:    # never to be observed: stop waiting for them
                self.expectations.creation_observed(key, count - made)
            return failure
        if diff > 0:
            count = min(diff, BURST_REPLICAS)
            pods = list(tally.pods.values())
            victims = pods[:count] if count >= len(pods) else deletion_order(
                pods, lambda p: p.facts, related=self._related(owner),
                now=self.ctx.clock.time())[:count]
            self.expectations.expect_deletions(key, [f"{namespace}/{p.name}" for p in victims])
            results = await asyncio.gather(*(self._delete(key, owner, p.name) for p in victims))
            return next((r for r in results if r is not None), None)
        return None

    async def _delete(self, key: str, owner: JSON, name: str) -> errors.StatusError | None:
        namespace = owner["metadata"]["namespace"]
        try:
            await self.pods.delete(namespace=namespace, name=name, owner=owner)
        except errors.StatusError as exc:
            self.expectations.deletion_observed(key, f"{namespace}/{name}")
            return None if isinstance(exc, errors.NotFound) else exc
        return None

    def _related(self, owner: JSON) -> list[PodFacts]:
        """The pods of every ReplicaSet with the same controller (getIndirectlyRelatedPods)."""
        meta = owner["metadata"]
        namespace = meta["namespace"]
        controller = next((r for r in meta.get("ownerReferences") or []
                           if r.get("controller") is True), None)
        if controller is None:
            return []
        related: list[PodFacts] = []
        for sibling in self._owners.get(namespace, {}).values():
            if sibling.controller_uid == controller.get("uid"):
                for name in self._owned.get((namespace, sibling.uid), ()):
                    current = self._current(namespace, name)
                    if current is not None:
                        related.append(current[1])
        return related

    async def _update_status(self, owner: JSON, tally: Tally,
                             failure: errors.StatusError | None) -> JSON:
        clock = self.ctx.clock
        min_ready = int((owner.get("spec") or {}).get("minReadySeconds") or 0)
        status = calculate_status(owner, replicas=len(tally.pods), labeled=tally.labeled,
                                  ready=tally.ready,
                                  available=tally.available(min_ready, clock.time()),
                                  failure=failure, stamp=clock.timestamp())
        meta = owner["metadata"]
        generation = meta.get("generation", 1)
        old = owner.get("status") or {}
        if status == old and old.get("observedGeneration") == generation:
            return status
        status["observedGeneration"] = generation
        if "conditions" in status:      # keep Go's field order: conditions last
            status["conditions"] = status.pop("conditions")

        def write(obj: JSON) -> None:
            if obj["metadata"].get("uid") == meta["uid"]:   # not a namesake created since
                obj["status"] = status

        await self.client.mutate(self.kind.resource, namespace=meta["namespace"],
                                 name=meta["name"], change=write, subresource="status")
        return status
