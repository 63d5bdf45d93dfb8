"""Preemption: evicting lower-priority pods so that a higher-priority one can run.

DefaultPreemption's PostFilter, for a pod no node could take: on each node rejected for
want of resources or ports, it looks for the fewest lower-priority pods whose eviction
would make room, picks the node where that hurts least, marks those pods with a
``DisruptionTarget`` condition (reason ``PreemptionByScheduler``), deletes them, records a
``Preempted`` event on each, and nominates the node in the preemptor's
``status.nominatedNodeName``.  The preemptor is scheduled once the victims are gone.
"""

from __future__ import annotations

import logging
from typing import Any

from kitlib.sim.client import LocalClient
from kitlib.sim.clock import Clock
from kitlib.sim.machinery import errors
from kitlib.sim.scheduler.algorithm import victims_on
from kitlib.sim.scheduler.cache import Cache
from kitlib.sim.scheduler.events import SchedulerEvents
from kitlib.sim.scheduler.podinfo import PodInfo
from kitlib.sim.scheduler.podterms import NamespaceLabels

log = logging.getLogger("kitlib.sim.scheduler")
JSON = dict[str, Any]

#: pickOneNodeForPreemption adds this to every priority so that more victims weigh more.
_PRIORITY_OFFSET = 2 ** 31


def pick_node(choices: dict[str, list[PodInfo]]) -> str:
    """pickOneNodeForPreemption (without PodDisruptionBudgets or start times)."""
    def cost(name: str) -> tuple[int, int, int, str]:
        victims = choices[name]
        return (max(v.priority for v in victims),
                sum(v.priority + _PRIORITY_OFFSET for v in victims), len(victims), name)
    return min(choices, key=cost)


class Preemptor:
    def __init__(self, client: LocalClient, events: SchedulerEvents, clock: Clock) -> None:
        self.client = client
        self.events = events
        self.clock = clock

    async def preempt(self, pod: PodInfo, candidates: list[str], cache: Cache,
                      namespace_labels: NamespaceLabels) -> str:
        """Evict the victims on the best candidate node; returns that node's name."""
        choices = {}
        for name in candidates:
            node = cache.nodes.get(name)
            if node is not None:
                victims = victims_on(pod, node, cache.node_list(), namespace_labels)
                if victims:
                    choices[name] = victims
        if not choices:
            return ""
        chosen = pick_node(choices)
        for victim in choices[chosen]:
            await self._evict(victim, pod, chosen)
        return chosen

    async def _evict(self, victim: PodInfo, preemptor: PodInfo, node: str) -> None:
        now = self.clock.timestamp()

        def mark(obj: JSON) -> None:
            conditions = obj.setdefault("status", {}).setdefault("conditions", [])
            conditions[:] = [c for c in conditions if c.get("type") != "DisruptionTarget"]
            conditions.append({
                "type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                "lastTransitionTime": now, "reason": "PreemptionByScheduler",
                "message": "default-scheduler: preempting to accommodate a higher priority pod"})

        try:
            await self.client.mutate("pods", namespace=victim.namespace, name=victim.name,
                                     change=mark, subresource="status")
            await self.client.delete("pods", namespace=victim.namespace, name=victim.name)
        except errors.StatusError as exc:
            log.info("preempting %s/%s failed: %s", victim.namespace, victim.name, exc)
            return
        await self.events.emit(victim.reference(), type="Normal", reason="Preempted",
                               action="Preempting", related=preemptor.reference(),
                               note=f"Preempted by pod {preemptor.uid} on node {node}")
