"""The namespace controller: a deleted namespace takes its contents with it.

Deleting a namespace only marks it Terminating; this controller deletes every object in
it, then removes the ``kubernetes`` finalizer through ``/finalize`` so the namespace itself
goes away, as kube-controller-manager's namespace controller does.
"""

from __future__ import annotations

import asyncio

from kitlib.sim.controllers.base import Controller
from kitlib.sim.registry.options import DeleteOptions
from kitlib.sim.store.watch import WatchEvent


class NamespaceController(Controller):
    watches = "namespaces"

    #: Seconds between checks while a namespace's objects are still going away.
    retry_after = 0.5

    async def handle(self, event: WatchEvent) -> None:
        if event.type == "DELETED":
            return
        obj = event.record.object()
        if obj["metadata"].get("deletionTimestamp"):
            await self.sync(event.record.name)

    async def sync(self, namespace: str) -> None:
        current = self.client.get("namespaces", name=namespace)
        if current is None or not current["metadata"].get("deletionTimestamp"):
            return
        registry = self.client.registry
        remaining = 0
        for storage in registry.values():
            if not storage.resource.namespaced or storage.resource.group == "events.k8s.io":
                continue
            for record in list(registry.store.list(storage.key, namespace)):
                await self.client.delete(storage.key, namespace=namespace, name=record.name,
                                         options=DeleteOptions(propagation_policy="Background"))
                if registry.store.get(storage.key, namespace, record.name) is not None:
                    remaining += 1
        if remaining:
            # Objects still finishing (pods terminating, finalizers): look again shortly.
            asyncio.get_running_loop().call_later(
                self.retry_after, lambda: asyncio.ensure_future(self.sync(namespace)))
            return

        def finalize(ns: dict) -> None:
            ns.setdefault("spec", {}).pop("finalizers", None)

        await self.client.mutate("namespaces", name=namespace, change=finalize,
                                 subresource="finalize")
