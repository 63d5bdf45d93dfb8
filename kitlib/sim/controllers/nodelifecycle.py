"""The node lifecycle controller: what the control plane does when a node goes quiet.

Every 5 s (``--node-monitor-period``) it looks at each node's heartbeats (its Lease in
``kube-node-lease`` and its posted status; see ``nodehealth``).  A node silent for longer
than the grace period turns Ready=Unknown; the controller records a ``NodeNotReady``
event, marks the node's pods not ready (so Services stop sending them traffic), and taints
the node: ``node.kubernetes.io/unreachable:NoSchedule`` at once (the scheduler keeps new
pods away) and ``...:NoExecute`` through the zone's rate limiter (``nodezones``), after
which the taint eviction controller deletes the pods that do not tolerate it.  A node that
reports Ready again loses the taints (see ``nodeeviction``).  As kube-controller-manager's
node-lifecycle controller (1.32), whose events carry the source ``node-controller``.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from typing import Any

from kitlib.sim.controllers.base import Controller
from kitlib.sim.controllers.nodehealth import NodeHealth, condition, mark_unknown, observe
from kitlib.sim.controllers.nodeeviction import TaintBasedEviction
from kitlib.sim.controllers.nodepods import NODE_FIELD, PodsByNode
from kitlib.sim.controllers.nodezones import zone_key
from kitlib.sim.controllers.taints import (CONDITION_TAINT_KEYS, CONDITION_TAINTS, UNSCHEDULABLE,
                                           swap_taints)
from kitlib.sim.machinery import errors
from kitlib.sim.store.records import Record

log = logging.getLogger("kitlib.sim.controllers")
JSON = dict[str, Any]

MONITOR_PERIOD = 5.0
LEASES = "leases.coordination.k8s.io"
LEASE_NAMESPACE = "kube-node-lease"
EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption"
#: Loop turns to wait after the clock jumped, so that kubelets woken by the jump renew
#: their leases before we judge them (time never jumps on a real cluster).
SETTLE_TURNS = 50


class NodeLifecycleController(Controller):
    name = "node-controller"

    def setup(self) -> None:
        self.nodes = self.ctx.informers("nodes")
        self.leases = self.ctx.informers(LEASES)
        self.pods_on = PodsByNode.shared(self.ctx)
        self.nodes.add_handler(self._node_changed)
        self.ctx.informers("pods").add_handler(self._pod_changed)
        self._health: dict[str, NodeHealth] = {}
        self._known: dict[str, str] = {}                 # node -> uid
        self._lease_seen: dict[str, tuple[int, str]] = {}
        self._retry: set[str] = set()
        self._last_pass: float | None = None
        self.evictions = TaintBasedEviction(clock=self.ctx.clock, nodes=self.nodes,
                                            swap=self._swap)

    def _node_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        if kind != "DELETED":
            self.queue.add(f"node:{record.name}")

    def _pod_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        node = record.fields.get(NODE_FIELD, "")
        if kind != "DELETED" and node and (prev is None or prev.fields.get(NODE_FIELD) != node):
            self.queue.add(f"pod:{record.namespace}/{record.name}")

    async def run(self) -> None:
        await self.ctx.informers.wait_synced()
        await asyncio.gather(super().run(), self._every(MONITOR_PERIOD, self._monitor),
                             self.evictions.run())

    async def _every(self, period: float, work: Any) -> None:
        while True:
            try:
                await work()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s: a monitor pass failed", self.name)
            await self.ctx.clock.sleep(period)

    async def sync(self, key: str) -> None:
        kind, _, rest = key.partition(":")
        if kind == "node":
            await self._no_schedule_pass(rest)
        elif kind == "pod":
            await self._process_pod(rest)

    # --- writes -------------------------------------------------------------------------

    async def _swap(self, name: str, add: list[JSON], remove: list[JSON]) -> bool:
        stamp = self.ctx.clock.timestamp()
        try:
            return await self.client.mutate(
                "nodes", name=name,
                change=lambda node: swap_taints(node, add, remove, now=stamp) and None) \
                is not None
        except errors.StatusError:
            log.warning("%s: could not change the taints of node %s", self.name, name)
            return False

    async def _node_event(self, name: str, uid: str, reason: str, message: str) -> None:
        ref = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": uid}}
        await self.recorder.event(ref, reason=reason, message=message)

    async def _mark_pods_not_ready(self, records: list[Record]) -> bool:
        """MarkPodsNotReady: each pod's Ready condition turns False (Services drop it)."""
        ok = True
        for record in records:
            pod = record.object()
            ready = next((c for c in (pod.get("status") or {}).get("conditions") or []
                          if c.get("type") == "Ready"), None)
            if ready is None or ready.get("status") == "False":
                continue
            stamp = self.ctx.clock.timestamp()

            def not_ready(obj: JSON, stamp: str = stamp) -> None:
                for entry in (obj.get("status") or {}).get("conditions") or []:
                    if entry.get("type") == "Ready" and entry.get("status") != "False":
                        entry.update({"status": "False", "lastTransitionTime": stamp})

            try:
                updated = await self.client.mutate("pods", namespace=record.namespace,
                                                   name=record.name, change=not_ready,
                                                   subresource="status")
            except errors.StatusError:
                ok = False
                continue
            if updated is not None:
                await self.recorder.event(updated, type="Warning", reason="NodeNotReady",
                                          message="Node is not ready")
        return ok

    # --- NoSchedule taints follow the node's conditions --------------------------------

    async def _no_schedule_pass(self, name: str) -> None:
        record = self.nodes.get("", name)
        if record is None:
            return
        node = record.object()
        wanted: list[str] = []
        for entry in (node.get("status") or {}).get("conditions") or []:
            key = CONDITION_TAINTS.get(entry.get("type", ""), {}).get(entry.get("status", ""))
            if key and key not in wanted:
                wanted.append(key)
        if (node.get("spec") or {}).get("unschedulable"):
            wanted.append(UNSCHEDULABLE)
        have = [t["key"] for t in (node.get("spec") or {}).get("taints") or []
                if t.get("effect") == "NoSchedule"
                and (t.get("key") == UNSCHEDULABLE or t.get("key") in CONDITION_TAINT_KEYS)]
        add = [{"key": k, "effect": "NoSchedule"} for k in wanted if k not in have]
        remove = [{"key": k, "effect": "NoSchedule"} for k in have if k not in wanted]
        if add or remove:
            await self._swap(name, add, remove)

    async def _process_pod(self, key: str) -> None:
        """A pod bound to a node that is not ready is not ready either."""
        namespace, _, name = key.partition("/")
        record = self.ctx.informers("pods").get(namespace, name)
        if record is None:
            return
        node = record.fields.get(NODE_FIELD, "")
        health = self._health.get(node)
        if health is None or health.ready is None or self.nodes.get("", node) is None:
            return
        if health.ready.get("status") != "True":
            await self._mark_pods_not_ready([record])

    # --- the health monitor ----------------------------------------------------------------

    def _lease_renewed(self, name: str) -> str:
        record = self.leases.get(LEASE_NAMESPACE, name)
        if record is None:
            return ""
        seen = self._lease_seen.get(name)
        if seen is None or seen[0] != record.rv:
            renewed = ((record.object().get("spec") or {}).get("renewTime")) or ""
            seen = self._lease_seen[name] = (record.rv, renewed)
        return seen[1]

    async def _monitor(self) -> None:
        now = self.ctx.clock.time()
        if self._last_pass is not None and now - self._last_pass > 2 * MONITOR_PERIOD:
            for _ in range(SETTLE_TURNS):
                await asyncio.sleep(0)
            now = self.ctx.clock.time()
        self._last_pass = now
        nodes = [r.object() for r in self.nodes.list()]
        names = {n["metadata"]["name"] for n in nodes}
        for node in nodes:
            meta = node["metadata"]
            self.evictions.zone(zone_key(meta.get("labels") or {}))
            if meta["name"] not in self._known:
                self._known[meta["name"]] = meta.get("uid", "")
                await self._node_event(meta["name"], meta.get("uid", ""), "RegisteredNode",
                                       f"Node {meta['name']} event: Registered Node "
                                       f"{meta['name']} in Controller")
                await self.evictions.mark_reachable(node)
        for gone in [n for n in self._known if n not in names]:
            await self._node_event(gone, self._known.pop(gone), "RemovingNode",
                                   f"Node {gone} event: Removing Node {gone} from Controller")
            self._health.pop(gone, None)
            self._lease_seen.pop(gone, None)
            self._retry.discard(gone)
        by_zone: dict[str, list[str | None]] = {}
        for node in nodes:
            await self._check_node(node, now, by_zone)
        if await self.evictions.handle_disruption(by_zone, nodes, now=now):
            for health in self._health.values():    # back from a cluster-wide outage:
                health.probe = health.transition = now  # everyone gets a fresh grace period

    async def _check_node(self, node: JSON, now: float,
                          by_zone: dict[str, list[str | None]]) -> None:
        name = node["metadata"]["name"]
        labels = node["metadata"].get("labels") or {}
        outcome = await self._update_health(node, now)
        if outcome is None:
            return
        node, observed, current = outcome
        if EXCLUDE_DISRUPTION not in labels:
            by_zone.setdefault(zone_key(labels), []).append(
                current.get("status") if current is not None else None)
        if current is None:
            return
        await self.evictions.observe(node, observed)
        went_down = current.get("status") != "True" and observed.get("status") == "True"
        if went_down:
            await self._node_event(name, node["metadata"].get("uid", ""), "NodeNotReady",
                                   f"Node {name} status is now: NodeNotReady")
        if went_down or (name in self._retry and observed.get("status") != "True"):
            if not await self._mark_pods_not_ready(self.pods_on.records(name)):
                self._retry.add(name)
                return
        self._retry.discard(name)

    async def _update_health(self, node: JSON,
                             now: float) -> tuple[JSON, JSON, JSON | None] | None:
        name = node["metadata"]["name"]
        for _ in range(5):
            health, observed, grace = observe(node, self._health.get(name),
                                              self._lease_renewed(name), now=now)
            self._health[name] = health
            current = condition(node, "Ready")
            if now <= health.probe + grace:
                return node, observed, current
            silent = copy.deepcopy(node)
            mark_unknown(silent, stamp=self.ctx.clock.timestamp())
            current = condition(silent, "Ready")
            if current == observed:
                return node, observed, current
            try:
                await self.client.update("nodes", silent, subresource="status")
            except errors.Conflict:
                record = self.nodes.get("", name)
                if record is None:
                    return None
                node = record.object()
                continue
            except errors.NotFound:
                return None
            self._health[name] = NodeHealth(probe=health.probe, transition=now,
                                            ready=copy.deepcopy(current), lease=health.lease)
            return silent, observed, current
        return None
