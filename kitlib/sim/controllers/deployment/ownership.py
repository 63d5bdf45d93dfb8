"""Which ReplicaSets belong to which Deployment, kept current without rescanning.

A ReplicaSet belongs to the Deployment named by its controller ``ownerReference`` (the
UID must match: a Deployment deleted and re-created under the same name owns nothing of
its predecessor's).  The index below follows every ReplicaSet change once, so a sync
looks up its handful of ReplicaSets instead of listing the namespace.  ReplicaSets with
no controller at all are *orphans*: a Deployment whose selector matches them adopts them
(``kubectl delete deployment --cascade=orphan`` then re-create); one it owns that stops
matching its selector is released, as client-go's ControllerRefManager does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from kitlib.sim.machinery.labels import LabelSelector
from kitlib.sim.store.records import Record

if TYPE_CHECKING:
    from kitlib.sim.controllers.deployment.controller import DeploymentController

JSON = dict[str, Any]
REPLICA_SETS = "replicasets.apps"


def controller_ref(obj: JSON | None) -> JSON | None:
    """The ownerReference with ``controller: true``, if any."""
    for ref in ((obj or {}).get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def owner_reference(deployment: JSON) -> JSON:
    meta = deployment["metadata"]
    return {"apiVersion": "apps/v1", "kind": "Deployment", "name": meta["name"],
            "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}


def _deployment_owner(ref: JSON | None) -> str | None:
    if ref is None or ref.get("kind") != "Deployment" \
            or not str(ref.get("apiVersion", "")).startswith("apps/"):
        return None
    return str(ref.get("name", ""))


class ReplicaSetIndex:
    """ReplicaSet -> owning Deployment, Deployment -> ReplicaSets, and the orphans."""

    def __init__(self) -> None:
        # (namespace, replica set) -> its controller reference (None: an orphan)
        self._controller: dict[tuple[str, str], JSON | None] = {}
        self._owned: dict[tuple[str, str], set[str]] = {}
        self._orphans: dict[str, set[str]] = {}
        # (namespace, replica set) -> (resourceVersion, the object parsed): read-only
        self._parsed: dict[tuple[str, str], tuple[int, JSON]] = {}

    def observe(self, kind: str, record: Record) -> tuple[str | None, str | None]:
        """Note a change; returns the owning Deployment's name before and after it."""
        key = (record.namespace, record.name)
        before = _deployment_owner(self._controller.get(key))
        self._forget(key)
        if kind == "DELETED":
            return before, None
        obj = orjson.loads(record.raw)
        self._parsed[key] = (record.rv, obj)
        ref = controller_ref(obj)
        self._controller[key] = ref
        owner = _deployment_owner(ref)
        if ref is None:
            self._orphans.setdefault(record.namespace, set()).add(record.name)
        elif owner is not None:
            self._owned.setdefault((record.namespace, owner), set()).add(record.name)
        return before, owner

    def parsed(self, record: Record) -> JSON:
        """The ReplicaSet of ``record``, parsed once per version (never edit it in place)."""
        key = (record.namespace, record.name)
        known = self._parsed.get(key)
        if known is not None and known[0] == record.rv:
            return known[1]
        obj = orjson.loads(record.raw)
        self._parsed[key] = (record.rv, obj)
        return obj

    def _forget(self, key: tuple[str, str]) -> None:
        namespace, name = key
        self._parsed.pop(key, None)
        if key not in self._controller:
            return
        ref = self._controller.pop(key)
        owner = _deployment_owner(ref)
        if ref is None:
            _discard(self._orphans, namespace, name)
        elif owner is not None:
            _discard(self._owned, (namespace, owner), name)

    def owned(self, namespace: str, deployment: str) -> list[str]:
        return sorted(self._owned.get((namespace, deployment), ()))

    def orphans(self, namespace: str) -> list[str]:
        return sorted(self._orphans.get(namespace, ()))

    def is_orphan(self, namespace: str, name: str) -> bool:
        key = (namespace, name)
        return key in self._controller and self._controller[key] is None

    def owner(self, namespace: str, name: str) -> str | None:
        return _deployment_owner(self._controller.get((namespace, name)))


def _discard(index: dict[Any, set[str]], key: Any, name: str) -> None:
    names = index.get(key)
    if names is not None:
        names.discard(name)
        if not names:
            del index[key]


async def claim_replica_sets(ctl: DeploymentController, deployment: JSON,
                             selector: LabelSelector) -> list[JSON]:
    """The ReplicaSets this Deployment controls, after adopting and releasing."""
    meta = deployment["metadata"]
    namespace, name, uid = meta["namespace"], meta["name"], meta["uid"]
    deleting = bool(meta.get("deletionTimestamp"))
    informer = ctl.replica_sets
    claimed: list[JSON] = []
    for rs_name in ctl.index.owned(namespace, name):
        record = informer.get(namespace, rs_name)
        if record is None:
            continue
        rs = ctl.index.parsed(record)
        if (controller_ref(rs) or {}).get("uid") != uid:
            continue                    # a namesake's leftover; not ours
        if selector.matches(record.labels):
            claimed.append(rs)
        elif not deleting:
            await _release(ctl, rs, uid)
    if deleting:
        return claimed
    candidates = [r for r in (informer.get(namespace, n) for n in ctl.index.orphans(namespace))
                  if r is not None and selector.matches(r.labels)]
    if candidates and _can_adopt(ctl, namespace, name, uid):
        for record in candidates:
            rs = record.object()
            if rs["metadata"].get("deletionTimestamp") or controller_ref(rs) is not None:
                continue
            adopted = await _adopt(ctl, rs, deployment)
            if adopted is not None:
                claimed.append(adopted)
    return claimed


def _can_adopt(ctl: DeploymentController, namespace: str, name: str, uid: str) -> bool:
    """A fresh read: the Deployment is still this one, and not being deleted."""
    fresh = ctl.client.get("deployments.apps", namespace=namespace, name=name)
    return fresh is not None and fresh["metadata"].get("uid") == uid \
        and not fresh["metadata"].get("deletionTimestamp")


async def _adopt(ctl: DeploymentController, rs: JSON, deployment: JSON) -> JSON | None:
    rs_uid = rs["metadata"]["uid"]

    def take(obj: JSON) -> None:
        meta = obj["metadata"]
        if meta.get("uid") != rs_uid or controller_ref(obj) is not None:
            return                      # someone else was quicker, or it was re-created
        meta["ownerReferences"] = [*(meta.get("ownerReferences") or []),
                                   owner_reference(deployment)]

    result = await ctl.client.mutate(REPLICA_SETS, namespace=rs["metadata"]["namespace"],
                                     name=rs["metadata"]["name"], change=take)
    if result is None or (controller_ref(result) or {}).get("uid") != \
            deployment["metadata"]["uid"]:
        return None
    return result


async def _release(ctl: DeploymentController, rs: JSON, uid: str) -> None:
    def drop(obj: JSON) -> None:
        meta = obj["metadata"]
        refs = [r for r in meta.get("ownerReferences") or [] if r.get("uid") != uid]
        if refs:
            meta["ownerReferences"] = refs
        else:
            meta.pop("ownerReferences", None)

    await ctl.client.mutate(REPLICA_SETS, namespace=rs["metadata"]["namespace"],
                            name=rs["metadata"]["name"], change=drop)
