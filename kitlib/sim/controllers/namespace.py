"""The namespace controller: a deleted namespace takes its contents with it.

Deleting a namespace only marks it Terminating; this controller deletes every object in
it, then clears the ``kubernetes`` finalizer through ``/finalize`` so the namespace itself
goes away, as kube-controller-manager's namespace controller does.  While objects are
still going (pods stopping gracefully), it looks again a little later.
"""

from __future__ import annotations

from kitlib.sim.controllers.base import Controller
from kitlib.sim.registry.options import DeleteOptions
from kitlib.sim.store.records import Record

#: Seconds (simulated) between checks while a namespace's objects are still going away.
RETRY_AFTER = 1.0


class NamespaceController(Controller):
    name = "namespace-controller"

    def setup(self) -> None:
        self.ctx.informers("namespaces").add_handler(self._changed)

    def _changed(self, kind: str, record: Record, prev: Record | None) -> None:
        if kind != "DELETED":
            self.queue.add(record.name)

    async def sync(self, namespace: str) -> None:
        current = self.client.get("namespaces", name=namespace)
        if current is None or not current["metadata"].get("deletionTimestamp"):
            return
        registry = self.client.registry
        remaining = 0
        for storage in registry.values():
            if not storage.resource.namespaced:
                continue
            for record in list(registry.store.list(storage.key, namespace)):
                await self.client.delete(storage.key, namespace=namespace, name=record.name,
                                         options=DeleteOptions(propagation_policy="Background"))
                if registry.store.get(storage.key, namespace, record.name) is not None:
                    remaining += 1
        if remaining:
            self.queue.add_after(namespace, RETRY_AFTER)
            return

        def finalize(ns: dict) -> None:
            ns.setdefault("spec", {}).pop("finalizers", None)

        await self.client.mutate("namespaces", name=namespace, change=finalize,
                                 subresource="finalize")
