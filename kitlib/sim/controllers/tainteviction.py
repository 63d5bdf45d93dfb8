"""The taint eviction controller: pods leave nodes tainted NoExecute.

When a node gets a ``NoExecute`` taint (the node lifecycle controller puts
``node.kubernetes.io/unreachable`` on a silent node), each pod bound to it is deleted,
unless it tolerates the taint: at once if it does not, after the shortest
``tolerationSeconds`` of the tolerations it uses if they are bounded (300 s for the
``not-ready`` and ``unreachable`` tolerations every pod gets at admission), never if they
are not.  A deletion is announced with a ``TaintManagerEviction`` event, the pod gets the
``DisruptionTarget`` condition, and the pod is deleted normally; when the taint goes away
first, the pending deletion is cancelled.  On an unreachable node nobody finishes the
deletion, so the pod stays Terminating, and its ReplicaSet, which does not count
terminating pods, replaces it elsewhere.  As kube-controller-manager's
taint-eviction-controller (1.32).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from kitlib.sim.controllers.base import Controller
from kitlib.sim.controllers.nodepods import NODE_FIELD, PodsByNode
from kitlib.sim.controllers.taints import matching_tolerations, min_toleration_seconds, no_execute
from kitlib.sim.machinery import errors
from kitlib.sim.store.records import Record

log = logging.getLogger("kitlib.sim.controllers")
JSON = dict[str, Any]
RETRIES = 5


@dataclass
class _Eviction:
    created: float
    #: When the pod is to be deleted; None once done (kept so it is not scheduled again).
    fire_at: float | None


class TaintEvictionController(Controller):
    name = "taint-eviction-controller"

    def setup(self) -> None:
        self.nodes = self.ctx.informers("nodes")
        self.pods = self.ctx.informers("pods")
        self.pods_on = PodsByNode.shared(self.ctx)
        self._tainted: dict[str, list[JSON]] = {}       # node -> its NoExecute taints
        self._seen: dict[str, list[JSON]] = {}          # node -> as the watch last showed
        self._evictions: dict[str, _Eviction] = {}      # "ns/pod" -> its eviction
        self.nodes.add_handler(self._node_changed)
        self.pods.add_handler(self._pod_changed)

    # --- watches ----------------------------------------------------------------------------

    def _node_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        if kind == "DELETED":
            self._seen.pop(record.name, None)
            self.queue.add(f"node:{record.name}")
            return
        taints = no_execute((record.object().get("spec") or {}).get("taints"))
        if kind == "ADDED" or taints != self._seen.get(record.name, []):
            self.queue.add(f"node:{record.name}")
        self._seen[record.name] = taints

    def _pod_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        key = f"{record.namespace}/{record.name}"
        if kind == "DELETED":
            if key in self._evictions:
                self.queue.add(f"pod:{key}")
            return
        node = record.fields.get(NODE_FIELD, "")
        if node not in self._tainted:
            return              # the node's own update will look at its pods
        if prev is not None and prev.fields.get(NODE_FIELD, "") == node and \
                _tolerations(prev.object()) == _tolerations(record.object()):
            return
        self.queue.add(f"pod:{key}")

    # --- syncs ------------------------------------------------------------------------------

    async def sync(self, key: str) -> None:
        kind, _, rest = key.partition(":")
        if kind == "node":
            await self._node_update(rest)
        elif kind == "pod":
            await self._pod_update(rest)
        elif kind == "evict":
            await self._fire(rest)

    async def _node_update(self, name: str) -> None:
        record = self.nodes.get("", name)
        if record is None:
            self._tainted.pop(name, None)
            return
        taints = no_execute((record.object().get("spec") or {}).get("taints"))
        if taints:
            self._tainted[name] = taints
        else:
            self._tainted.pop(name, None)
        pods = self.pods_on.records(name)
        now = self.ctx.clock.time()
        for pod in pods:
            key = f"{pod.namespace}/{pod.name}"
            if not taints:
                await self._cancel(key)
            else:
                await self._judge(key, _tolerations(pod.object()), taints, now)

    async def _pod_update(self, key: str) -> None:
        namespace, _, name = key.partition("/")
        record = self.pods.get(namespace, name)
        if record is None:
            await self._cancel(key)
            return
        taints = self._tainted.get(record.fields.get(NODE_FIELD, ""))
        if taints:
            await self._judge(key, _tolerations(record.object()), taints,
                              self.ctx.clock.time())

    async def _judge(self, key: str, tolerations: list[JSON], taints: list[JSON],
                     now: float) -> None:
        """processPodOnNode: delete now, later, or never."""
        tolerated, used = matching_tolerations(taints, tolerations)
        if not tolerated:
            await self._cancel(key)
            self._schedule(key, created=now, fire_at=now)
            return
        seconds = min_toleration_seconds(used)
        if seconds < 0:
            await self._cancel(key)
            return
        start = now
        pending = self._evictions.get(key)
        if pending is not None and pending.fire_at is not None:
            start = pending.created
            if start < now:
                return          # already scheduled, from earlier
            await self._cancel(key)
        self._schedule(key, created=start, fire_at=start + seconds)

    def _schedule(self, key: str, *, created: float, fire_at: float) -> None:
        if key in self._evictions:
            return
        self._evictions[key] = _Eviction(created=created, fire_at=fire_at)
        self.queue.add_after(f"evict:{key}", fire_at - self.ctx.clock.time())

    async def _cancel(self, key: str) -> None:
        eviction = self._evictions.pop(key, None)
        if eviction is not None and eviction.fire_at is not None:
            await self._event(key, f"Cancelling deletion of Pod {key}")

    async def _event(self, key: str, message: str) -> None:
        namespace, _, name = key.partition("/")
        ref = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": namespace}}
        await self.recorder.event(ref, reason="TaintManagerEviction", message=message)

    async def _fire(self, key: str) -> None:
        eviction = self._evictions.get(key)
        if eviction is None or eviction.fire_at is None:
            return
        if eviction.fire_at > self.ctx.clock.time() + 1e-6:
            self.queue.add_after(f"evict:{key}", eviction.fire_at - self.ctx.clock.time())
            return
        eviction.fire_at = None
        await self._event(key, f"Marking for deletion Pod {key}")
        for _ in range(RETRIES):
            try:
                await self._delete(key)
                return
            except errors.StatusError as exc:
                log.info("%s: deleting pod %s failed: %s", self.name, key, exc.message)
        self._evictions.pop(key, None)

    async def _delete(self, key: str) -> None:
        """addConditionAndDeletePod: mark why, then delete as any client would."""
        namespace, _, name = key.partition("/")
        stamp = self.ctx.clock.timestamp()

        def disruption(pod: JSON) -> None:
            conditions = pod.setdefault("status", {}).setdefault("conditions", [])
            wanted = {"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                      "lastTransitionTime": stamp, "reason": "DeletionByTaintManager",
                      "message": "Taint manager: deleting due to NoExecute taint"}
            for i, entry in enumerate(conditions):
                if entry.get("type") == "DisruptionTarget":
                    if entry.get("status") == "True":
                        wanted["lastTransitionTime"] = entry.get("lastTransitionTime")
                    conditions[i] = wanted
                    return
            conditions.append(wanted)

        if await self.client.mutate("pods", namespace=namespace, name=name, change=disruption,
                                    subresource="status") is None:
            return
        await self.client.delete("pods", namespace=namespace, name=name)


def _tolerations(pod: JSON) -> list[JSON]:
    return list((pod.get("spec") or {}).get("tolerations") or [])
