"""The service account controller: every namespace has a ``default`` ServiceAccount.

Pods run as ``default`` unless told otherwise, so a namespace without one could not start
pods; the controller creates it as soon as a namespace appears (and again if deleted).
"""

from __future__ import annotations

from kitlib.sim.controllers.base import Controller
from kitlib.sim.machinery import errors
from kitlib.sim.store.watch import WatchEvent


class ServiceAccountController(Controller):
    watches = "namespaces"

    async def handle(self, event: WatchEvent) -> None:
        if event.type == "DELETED":
            return
        namespace = event.record.name
        obj = event.record.object()
        if obj.get("metadata", {}).get("deletionTimestamp"):
            return
        await self.ensure_default(namespace)

    async def ensure_default(self, namespace: str) -> None:
        if self.client.get("serviceaccounts", namespace=namespace, name="default") is not None:
            return
        try:
            await self.client.create("serviceaccounts", {
                "apiVersion": "v1", "kind": "ServiceAccount",
                "metadata": {"name": "default", "namespace": namespace}}, namespace=namespace)
        except (errors.AlreadyExists, errors.NotFound, errors.Forbidden):
            pass   # someone was first, or the namespace went away meanwhile
