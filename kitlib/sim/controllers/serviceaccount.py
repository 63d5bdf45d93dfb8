"""The service account controller: every namespace has a ``default`` ServiceAccount.

Pods run as ``default`` unless told otherwise, so a namespace without one could not start
pods; the controller creates it as soon as a namespace appears (and again if deleted).
"""

from __future__ import annotations

from kitlib.sim.controllers.base import Controller
from kitlib.sim.machinery import errors
from kitlib.sim.store.records import Record


class ServiceAccountController(Controller):
    name = "serviceaccount-controller"

    def setup(self) -> None:
        self.ctx.informers("namespaces").add_handler(self._namespace_changed)
        self.ctx.informers("serviceaccounts").add_handler(self._account_changed)

    def _namespace_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        if kind != "DELETED":
            self.queue.add(record.name)

    def _account_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        if kind == "DELETED" and record.name == "default":
            self.queue.add(record.namespace)

    async def sync(self, namespace: str) -> None:
        ns = self.client.get("namespaces", name=namespace)
        if ns is None or ns["metadata"].get("deletionTimestamp"):
            return
        if self.client.get("serviceaccounts", namespace=namespace, name="default") is not None:
            return
        try:
            await self.client.create("serviceaccounts", {
                "apiVersion": "v1", "kind": "ServiceAccount",
                "metadata": {"name": "default", "namespace": namespace}}, namespace=namespace)
        except (errors.AlreadyExists, errors.NotFound, errors.Forbidden):
            pass   # someone was first, or the namespace went away meanwhile
