"""Pod control: what every workload controller does to the pods it manages.

ReplicaSets and ReplicationControllers (and, through ReplicaSets, Deployments) all create
pods from a template, delete pods, and claim pods by *controller references*: an entry in
``metadata.ownerReferences`` with ``controller: true`` that says which object a pod belongs
to.  kube-controller-manager keeps this shared part in ``pkg/controller`` (``RealPodControl``,
``ControllerExpectations``, the ``ControllerRefManager``); this module is its counterpart,
with the same object shapes, patches and event texts, so ``kubectl describe`` reads the same.
"""

from __future__ import annotations

import asyncio
import functools
import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Awaitable, Callable, NamedTuple, TypeVar

import orjson

from kitlib.sim.client import LocalClient
from kitlib.sim.clock import Clock
from kitlib.sim.machinery import errors
from kitlib.sim.machinery.sharing import intern
from kitlib.sim.recorder import EventRecorder
from kitlib.sim.store.records import Record

JSON = dict[str, Any]
T = TypeVar("T")

# Event reasons of pkg/controller (controller_utils.go).
SUCCESSFUL_CREATE = "SuccessfulCreate"
FAILED_CREATE = "FailedCreate"
SUCCESSFUL_DELETE = "SuccessfulDelete"
FAILED_DELETE = "FailedDelete"

#: The Status cause of a create refused because its namespace is going away.
NAMESPACE_TERMINATING = "NamespaceTerminating"


class OwnerRef(NamedTuple):
    """One ``metadata.ownerReferences`` entry."""

    api_version: str
    kind: str
    name: str
    uid: str
    controller: bool = False
    block_owner_deletion: bool = False

    @classmethod
    def of(cls, ref: JSON) -> OwnerRef:
        return cls(str(ref.get("apiVersion", "")), str(ref.get("kind", "")),
                   str(ref.get("name", "")), str(ref.get("uid", "")),
                   ref.get("controller") is True, ref.get("blockOwnerDeletion") is True)

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]


_OWNERS_KEY = b'"ownerReferences":['


def owner_references(raw: bytes) -> tuple[OwnerRef, ...]:
    """The owner references of a stored object, without parsing the whole object.

    Handlers see every change of every object, so they read just the ``ownerReferences``
    array.  In compact JSON, ``"ownerReferences":[`` cannot come from inside a string (its
    quotes would be escaped) and no kind the simulator serves has another field of that
    name holding a list; the entries hold no nested arrays, so the array ends at the next
    ``]``.  Anything unexpected (a ``]`` inside a name) falls back to a full parse.
    """
    start = raw.find(_OWNERS_KEY)
    if start < 0:
        return ()
    begin = start + len(_OWNERS_KEY) - 1
    end = raw.find(b"]", begin)
    if end < 0:
        return _owner_references_parsed(raw)
    text = raw[begin:end + 1]
    # Every pod of a ReplicaSet carries the same bytes here: parse them once.
    refs = _PARSED_REFS.get(text)
    if refs is None:
        try:
            items = orjson.loads(text)
        except orjson.JSONDecodeError:
            return _owner_references_parsed(raw)
        if not isinstance(items, list):
            return _owner_references_parsed(raw)
        refs = tuple(OwnerRef.of(i) for i in items if isinstance(i, dict))
        if len(_PARSED_REFS) >= _PARSED_REFS_LIMIT:
            _PARSED_REFS.clear()
        _PARSED_REFS[text] = refs
    return refs


#: The owner-reference arrays seen lately, parsed (bounded: cleared when full).
_PARSED_REFS: dict[bytes, tuple[OwnerRef, ...]] = {}
_PARSED_REFS_LIMIT = 4096


def _owner_references_parsed(raw: bytes) -> tuple[OwnerRef, ...]:
    meta = orjson.loads(raw).get("metadata") or {}
    items = meta.get("ownerReferences") or []
    return tuple(OwnerRef.of(i) for i in items if isinstance(i, dict))


def controller_of(refs: tuple[OwnerRef, ...]) -> OwnerRef | None:
    """The controller reference among ``refs`` (metav1.GetControllerOf)."""
    for ref in refs:
        if ref.controller:
            return ref
    return None


def new_controller_ref(owner: JSON) -> JSON:
    """The reference a controller puts on what it creates (metav1.NewControllerRef)."""
    meta = owner["metadata"]
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": meta["name"],
            "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}


def pod_from_template(template: JSON, *, owner_name: str, controller_ref: JSON) -> JSON:
    """A new pod from a controller's pod template (controller.GetPodFromTemplate).

    The pod takes the template's labels, annotations, finalizers and spec, never its name:
    it is named ``<owner>-`` plus the API server's five random characters.
    """
    meta = template.get("metadata") or {}
    # The dash only if the prefix stays a valid name (getPodsPrefix).
    prefix = f"{owner_name}-" if len(owner_name) < 253 else owner_name
    pod_meta: JSON = {"generateName": prefix}
    for key in ("labels", "annotations"):
        if meta.get(key):
            pod_meta[key] = dict(meta[key])
    if meta.get("finalizers"):
        pod_meta["finalizers"] = list(meta["finalizers"])
    pod_meta["ownerReferences"] = [dict(controller_ref)]
    spec = orjson.loads(orjson.dumps(template.get("spec") or {}))
    return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta, "spec": spec}


def namespace_terminating(exc: errors.StatusError) -> bool:
    causes = (exc.details or {}).get("causes") or []
    return any(c.get("reason") == NAMESPACE_TERMINATING for c in causes)


class PodControl:
    """Creates, deletes, adopts and releases pods for one controller, with its events."""

    def __init__(self, client: LocalClient, recorder: EventRecorder) -> None:
        self.client = client
        self.recorder = recorder

    async def create(self, *, namespace: str, template: JSON, owner: JSON) -> JSON:
        """Create one pod from ``template`` controlled by ``owner``; raises StatusError."""
        pod = pod_from_template(template, owner_name=owner["metadata"]["name"],
                                controller_ref=new_controller_ref(owner))
        if not (pod["metadata"].get("labels")):
            raise errors.BadRequest("unable to create pods, no labels")
        try:
            created = await self.client.create("pods", pod, namespace=namespace)
        except errors.StatusError as exc:
            if not namespace_terminating(exc):
                await self.recorder.event(owner, type="Warning", reason=FAILED_CREATE,
                                          message=f"Error creating: {exc.message}")
            raise
        await self.recorder.event(owner, reason=SUCCESSFUL_CREATE,
                                  message=f"Created pod: {created['metadata']['name']}")
        return created

    async def delete(self, *, namespace: str, name: str, owner: JSON) -> None:
        """Delete one pod (default grace period); raises NotFound when it is already gone."""
        try:
            gone = await self.client.delete("pods", namespace=namespace, name=name)
        except errors.StatusError as exc:
            await self.recorder.event(owner, type="Warning", reason=FAILED_DELETE,
                                      message=f"Error deleting: {exc.message}")
            raise
        if not gone:
            raise errors.NotFound(resource="pods", name=name)
        await self.recorder.event(owner, reason=SUCCESSFUL_DELETE,
                                  message=f"Deleted pod: {name}")

    async def adopt(self, *, namespace: str, name: str, uid: str, owner: JSON) -> bool:
        """Add ``owner`` as the pod's controller, as the strategic merge patch
        ``{"metadata": {"ownerReferences": [ref], "uid": uid}}`` does (merged by uid).

        Returns False when the pod is gone, was replaced by another of the same name, or
        another controller was first (the API would refuse a second controller reference).
        """
        ref = new_controller_ref(owner)
        adopted = False

        def adopt(pod: JSON) -> None:
            nonlocal adopted
            meta = pod["metadata"]
            refs = [r for r in meta.get("ownerReferences") or [] if r.get("uid") != ref["uid"]]
            adopted = meta.get("uid") == uid and not any(r.get("controller") for r in refs)
            if adopted:
                meta["ownerReferences"] = refs + [ref]

        result = await self.client.mutate("pods", namespace=namespace, name=name, change=adopt)
        return adopted and result is not None

    async def release(self, *, namespace: str, name: str, uid: str, owner_uid: str) -> None:
        """Remove the reference to ``owner_uid`` from the pod (``"$patch": "delete"`` by uid)."""
        await remove_owner_references(self.client, "pods", namespace=namespace, name=name,
                                      uid=uid, owner_uids={owner_uid})


async def remove_owner_references(client: LocalClient, resource: str, *, namespace: str,
                                  name: str, uid: str, owner_uids: set[str]) -> None:
    """Drop the references to ``owner_uids`` from one object, if it is still ``uid``."""

    def drop(obj: JSON) -> None:
        meta = obj["metadata"]
        if meta.get("uid") != uid:
            return          # replaced meanwhile: the patch's uid precondition fails quietly
        refs = [r for r in meta.get("ownerReferences") or [] if r.get("uid") not in owner_uids]
        if refs:
            meta["ownerReferences"] = refs
        else:
            meta.pop("ownerReferences", None)

    await client.mutate(resource, namespace=namespace, name=name, change=drop)


async def slow_start_batch(count: int, call: Callable[[], Awaitable[Any]], *,
                           initial: int = 1) -> tuple[int, errors.StatusError | None]:
    """Call ``call`` ``count`` times in batches of 1, 2, 4, ... run together, stopping
    after the first batch with a failure: a quota or a bad template fails once, not 500
    times.  Returns the successes and the first error."""
    remaining, successes = count, 0
    size = min(remaining, initial)
    while size > 0:
        results = await asyncio.gather(*(call() for _ in range(size)), return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        for failure in failures:
            if not isinstance(failure, errors.StatusError):
                raise failure
        successes += size - len(failures)
        if failures:
            return successes, failures[0]       # type: ignore[return-value]
        remaining -= size
        size = min(2 * size, remaining)
    return successes, None


@dataclass
class _Expected:
    adds: int
    deletes: set[str]
    stamp: float


@dataclass
class Expectations:
    """The creates and deletes each controller waits to see (UIDTrackingControllerExpectations).

    A controller that has just asked for 500 pods must not count again before its informer
    has seen them, or it would ask for 500 more: until its expectations are met (or have
    waited five minutes), a sync updates status but creates and deletes nothing.
    """

    clock: Clock
    ttl: float = 300.0
    _items: dict[str, _Expected] = field(default_factory=dict)

    def satisfied(self, key: str) -> bool:
        item = self._items.get(key)
        if item is None or (item.adds <= 0 and not item.deletes):
            return True
        return self.clock.time() - item.stamp > self.ttl

    def expect_creations(self, key: str, count: int) -> None:
        self._items[key] = _Expected(count, set(), self.clock.time())

    def expect_deletions(self, key: str, pod_keys: list[str]) -> None:
        self._items[key] = _Expected(0, set(pod_keys), self.clock.time())

    def creation_observed(self, key: str, count: int = 1) -> None:
        item = self._items.get(key)
        if item is not None:
            item.adds -= count

    def deletion_observed(self, key: str, pod_key: str) -> None:
        item = self._items.get(key)
        if item is not None:
            item.deletes.discard(pod_key)

    def forget(self, key: str) -> None:
        self._items.pop(key, None)


# --- what a controller reads from a pod, and the order it deletes pods in ---------------

#: Pending pods go first, then Unknown, then Running (ActivePodsWithRanks, step 2).
_PHASE_ORDER = {"Pending": 0, "Unknown": 1, "Running": 2}
DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"


def parse_time(value: Any) -> float | None:
    """Seconds since the epoch of an RFC 3339 metav1.Time, or None when unset."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class PodFacts:
    """What the workload controllers use of one version (``rv``) of a pod."""

    rv: int
    uid: str
    node: str
    phase: str
    ready: bool
    ready_since: float | None       # lastTransitionTime of the Ready condition, when True
    restarts: int                   # the most restarts of any container
    created: float | None
    deleting: bool
    deletion_cost: int
    controller: OwnerRef | None

    @property
    def active(self) -> bool:
        """Neither finished nor being deleted (controller.IsPodActive)."""
        return not self.deleting and self.phase not in ("Succeeded", "Failed")

    def available(self, min_ready_seconds: int, now: float) -> bool:
        """Ready for at least ``min_ready_seconds`` (podutil.IsPodAvailable)."""
        if not self.ready:
            return False
        if min_ready_seconds <= 0:
            return True
        return self.ready_since is not None and self.ready_since + min_ready_seconds < now


def pod_facts(record: Record) -> PodFacts:
    pod = record.object()
    meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    ready, since = False, None
    for cond in status.get("conditions") or []:
        if cond.get("type") == "Ready" and cond.get("status") == "True":
            ready, since = True, parse_time(cond.get("lastTransitionTime"))
    restarts = max((int(c.get("restartCount") or 0) for c in status.get("containerStatuses")
                    or []), default=0)
    try:
        cost = int((meta.get("annotations") or {}).get(DELETION_COST, 0))
    except ValueError:
        cost = 0
    # Kept for every pod: interned strings, and the owner reference shared by all the
    # pods of an owner (``owner_references``), not copies from this parse.
    return PodFacts(rv=record.rv, uid=intern(meta.get("uid", "")),
                    node=intern(spec.get("nodeName") or ""),
                    phase=intern(status.get("phase") or ""), ready=ready, ready_since=since,
                    restarts=restarts, created=parse_time(meta.get("creationTimestamp")),
                    deleting=bool(meta.get("deletionTimestamp")), deletion_cost=cost,
                    controller=controller_of(owner_references(record.raw)))




def _log_rank(moment: float, now: float) -> int:
    age = (now - moment) * 1e9          # Go compares durations in nanoseconds
    return int(math.log2(age)) if age > 0 else -1


def _newer_first(a: float | None, b: float | None, a_uid: str, b_uid: str,
                 now: float) -> bool:
    """Whether ``a`` goes before ``b``: unset first, then younger by powers of two of age
    (LogarithmicScaleDown), ties broken by UID."""
    if a is None or b is None:
        return a is None
    diff = _log_rank(a, now) - _log_rank(b, now)
    return a_uid < b_uid if diff == 0 else diff < 0


def _deleted_before(a: tuple[PodFacts, int], b: tuple[PodFacts, int], now: float) -> bool:
    """ActivePodsWithRanks.Less: whether pod ``a`` should be deleted before pod ``b``."""
    (pa, rank_a), (pb, rank_b) = a, b
    if pa.node != pb.node and (not pa.node or not pb.node):
        return not pa.node                              # 1. unscheduled first
    phase_a, phase_b = _PHASE_ORDER.get(pa.phase, 0), _PHASE_ORDER.get(pb.phase, 0)
    if phase_a != phase_b:
        return phase_a < phase_b                        # 2. Pending < Unknown < Running
    if pa.ready != pb.ready:
        return not pa.ready                             # 3. not ready first
    if pa.deletion_cost != pb.deletion_cost:
        return pa.deletion_cost < pb.deletion_cost      # 4. cheaper first
    if rank_a != rank_b:
        return rank_a > rank_b                          # 5. doubled up on a node first
    if pa.ready and pb.ready and pa.ready_since != pb.ready_since:
        return _newer_first(pa.ready_since, pb.ready_since, pa.uid, pb.uid, now)  # 6.
    if pa.restarts != pb.restarts:
        return pa.restarts > pb.restarts                # 7. more restarts first
    if pa.created != pb.created:
        return _newer_first(pa.created, pb.created, pa.uid, pb.uid, now)          # 8.
    return False


def deletion_order(pods: list[T], facts: Callable[[T], PodFacts], *,
                   related: list[PodFacts], now: float) -> list[T]:
    """``pods`` sorted in the order a ReplicaSet deletes them when scaling down.

    ``related`` are the active pods of every ReplicaSet with the same owner (a Deployment's
    old and new ones): a pod sharing its node with more of them is "doubled up" and goes
    earlier.
    """
    on_node: dict[str, int] = {}
    for other in related:
        if other.active:
            on_node[other.node] = on_node.get(other.node, 0) + 1
    ranked = [(pod, (facts(pod), on_node.get(facts(pod).node, 0))) for pod in pods]

    def compare(x: tuple[T, tuple[PodFacts, int]], y: tuple[T, tuple[PodFacts, int]]) -> int:
        if _deleted_before(x[1], y[1], now):
            return -1
        return 1 if _deleted_before(y[1], x[1], now) else 0

    return [pod for pod, _ in sorted(ranked, key=functools.cmp_to_key(compare))]
