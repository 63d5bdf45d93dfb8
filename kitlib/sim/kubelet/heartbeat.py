"""Registering the node, and telling the control plane it is alive.

At start the kubelet creates its Node (or, on a node that already exists, updates it) and
posts its status.  Then, as the real kubelet does, it renews its Lease in
``kube-node-lease`` every 10 s (leaseDurationSeconds 40) and recomputes the node's status
every 10 s (nodeStatusUpdateFrequency), posting it when something changed, and at least
every 5 min (nodeStatusReportFrequency) to move the Ready condition's lastHeartbeatTime.
A stopped kubelet does neither: the node lifecycle controller notices the silence.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kitlib.sim.kubelet import node as nodes
from kitlib.sim.machinery import errors

if TYPE_CHECKING:
    from kitlib.sim.kubelet.kubelet import Kubelet

log = logging.getLogger("kitlib.sim.kubelet")
JSON = dict[str, Any]

RENEW_INTERVAL = 10.0
STATUS_UPDATE_FREQUENCY = 10.0
STATUS_REPORT_FREQUENCY = 300.0


class Heartbeat:
    def __init__(self, kubelet: Kubelet) -> None:
        self.kubelet = kubelet
        self.node_uid = ""
        self.last_report = float("-inf")
        self.renewals = 0

    @property
    def runtime_version(self) -> str:
        runtime = self.kubelet.runtime
        return f"{runtime.name}://{runtime.version}"

    async def register(self) -> None:
        """registerWithAPIServer: create the Node, or adopt the one already there."""
        kubelet = self.kubelet
        client, identity = kubelet.client, kubelet.identity
        existing = client.get("nodes", name=identity.name)
        if existing is None:
            try:
                existing = await client.create("nodes", nodes.node_object(identity))
            except errors.AlreadyExists:
                existing = client.get("nodes", name=identity.name)
        else:
            kubelet.identity = identity = identity.adopt(existing)
            wanted = nodes.node_labels(identity)

            def relabel(node: JSON) -> None:
                labels = node["metadata"].setdefault("labels", {})
                for key in ("kubernetes.io/hostname", "kubernetes.io/os", "kubernetes.io/arch",
                            "beta.kubernetes.io/os", "beta.kubernetes.io/arch"):
                    labels[key] = wanted[key]

            existing = await client.mutate("nodes", name=identity.name, change=relabel)
        self.node_uid = (existing or {}).get("metadata", {}).get("uid", "")
        await self.announce("Starting", "Starting kubelet.")
        await self.post_status(force=True)
        await self.renew()

    async def announce(self, reason: str, message: str) -> None:
        """An event about the node, as the kubelet refers to it (UID = the node's name)."""
        name = self.kubelet.identity.name
        ref = {"kind": "Node", "apiVersion": "", "metadata": {"name": name, "uid": name}}
        await self.kubelet.recorder.event(ref, reason=reason, message=message)

    async def _announce_changes(self, before: JSON, after: JSON) -> None:
        """NodeHasSufficientMemory, ..., NodeReady: the kubelet says so when a condition
        changes (and at start, when it had none)."""
        old = {c.get("type"): c.get("status") for c in before.get("conditions") or []}
        name = self.kubelet.identity.name
        for condition in after.get("conditions") or []:
            kind = condition.get("type")
            if old.get(kind) == condition.get("status") and self.last_report > float("-inf"):
                continue
            reason = nodes.CONDITION_EVENTS.get((kind, condition.get("status")))
            if reason:
                await self.announce(reason, f"Node {name} status is now: {reason}")
        if self.last_report == float("-inf"):
            await self.announce("NodeAllocatableEnforced",
                                "Updated Node Allocatable limit across pods")

    async def post_status(self, *, force: bool = False) -> None:
        """Post the node's status if it changed, or if the report period is over."""
        kubelet = self.kubelet
        clock, name = kubelet.clock, kubelet.identity.name
        now = clock.time()
        report = force or now - self.last_report >= STATUS_REPORT_FREQUENCY
        changes: list[JSON] = []

        def change(node: JSON) -> None:
            changes.clear()
            current = node.get("status") or {}
            wanted = nodes.node_status(kubelet.identity, runtime=self.runtime_version,
                                       previous=current, now=clock.timestamp(),
                                       heartbeat=report)
            if report or nodes.status_differs(current, wanted):
                node["status"] = wanted
                changes[:] = [current, wanted]

        await kubelet.client.mutate("nodes", name=name, change=change, subresource="status")
        if changes:
            await self._announce_changes(*changes)
            self.last_report = now

    async def renew(self) -> None:
        """Renew (or create) the node's Lease."""
        kubelet = self.kubelet
        identity, client = kubelet.identity, kubelet.client
        renew = kubelet.clock.micro_timestamp()

        def change(lease: JSON) -> None:
            spec = lease.setdefault("spec", {})
            spec["holderIdentity"] = identity.name
            spec["leaseDurationSeconds"] = nodes.LEASE_DURATION
            spec["renewTime"] = renew

        updated = await client.mutate("leases.coordination.k8s.io",
                                      namespace=nodes.LEASE_NAMESPACE, name=identity.name,
                                      change=change)
        if updated is None:
            try:
                await client.create("leases.coordination.k8s.io",
                                    nodes.lease_object(identity, node_uid=self.node_uid,
                                                       renew=renew),
                                    namespace=nodes.LEASE_NAMESPACE)
            except errors.AlreadyExists:
                return
        self.renewals += 1

    async def beat(self) -> None:
        """Forever: renew the lease and check the status, every 10 s, while running."""
        kubelet = self.kubelet
        # Nodes started together do not beat together (100 leases in one instant).
        await kubelet.clock.sleep(kubelet.clock.jitter(0, RENEW_INTERVAL))
        while True:
            if not kubelet.alive.is_set():
                await kubelet.alive.wait()
                await self.announce("Starting", "Starting kubelet.")
                await self.post_status(force=True)      # back: report at once
            try:
                await self.renew()
                await self.post_status()
            except errors.StatusError as exc:
                log.warning("%s: heartbeat failed: %s", kubelet.identity.name, exc)
            except Exception:                   # a bug must not stop the heartbeats
                log.exception("%s: heartbeat failed", kubelet.identity.name)
            await kubelet.clock.sleep(RENEW_INTERVAL)
