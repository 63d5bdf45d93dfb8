"""The in-process API client the simulator's own components use.

Controllers, the scheduler and the kubelets are clients of the API like their real
counterparts: they list, watch, create, update and delete through the same registry the
HTTP handlers use (defaulting, validation, resourceVersions, watch events and all), just
without the HTTP round trip.  Nothing here reaches into the store behind the registry's
back.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Callable

from kitlib.sim.machinery import errors
from kitlib.sim.machinery.fields import EVERYTHING as ALL_FIELDS
from kitlib.sim.machinery.fields import FieldSelector
from kitlib.sim.machinery.labels import EVERYTHING as ALL_LABELS
from kitlib.sim.machinery.labels import LabelSelector
from kitlib.sim.registry.generic import Registry
from kitlib.sim.registry.options import DeleteOptions, WriteOptions
from kitlib.sim.store.records import Record
from kitlib.sim.store.watch import WatchEvent, Watcher

JSON = dict[str, Any]


class LocalClient:
    """API verbs for one component, writing as ``manager`` (its managedFields name)."""

    def __init__(self, registry: Registry, *, manager: str) -> None:
        self.registry = registry
        self.manager = manager

    def _options(self, subresource: str = "") -> WriteOptions:
        return WriteOptions(field_manager=self.manager, subresource=subresource)

    def get(self, resource: str, *, namespace: str = "", name: str) -> JSON | None:
        record = self.registry[resource].find(namespace=namespace, name=name)
        return record.object() if record else None

    def list(self, resource: str, *, namespace: str | None = None,
             labels: LabelSelector = ALL_LABELS,
             fields: FieldSelector = ALL_FIELDS) -> list[JSON]:
        store = self.registry.store
        return [r.object() for r in store.list(resource, namespace)
                if labels.matches(r.labels) and fields.matches(r.fields)]

    async def create(self, resource: str, obj: JSON, *, namespace: str | None = None) -> JSON:
        record = await self.registry[resource].create(obj, namespace=namespace,
                                                      options=self._options())
        return record.object()

    async def update(self, resource: str, obj: JSON, *, subresource: str = "") -> JSON:
        meta = obj["metadata"]
        record, _ = await self.registry[resource].update(
            namespace=meta.get("namespace", ""), name=meta["name"], body=obj,
            options=self._options(subresource))
        return record.object()

    async def mutate(self, resource: str, *, namespace: str = "", name: str,
                     change: Callable[[JSON], JSON | None], subresource: str = "",
                     retries: int = 5) -> JSON | None:
        """Read-modify-write with retry on conflict; ``change`` edits the object in place.

        Returns the new object, or None when the object does not exist (any more).
        """
        storage = self.registry[resource]
        for _ in range(retries):
            current = storage.find(namespace=namespace, name=name)
            if current is None:
                return None
            obj = current.object()
            changed = change(obj)
            obj = changed if changed is not None else obj
            try:
                record, _ = await storage.update(namespace=namespace, name=name, body=obj,
                                                 options=self._options(subresource))
                return record.object()
            except errors.Conflict:
                continue
            except errors.NotFound:
                return None
        raise errors.Conflict(resource=resource, name=name, detail="too many conflicts")

    async def bind(self, *, namespace: str, name: str, node: str) -> JSON:
        """Bind a pod to a node, as ``POST pods/NAME/binding`` does."""
        from kitlib.sim.registry.core.binding import assign

        now = self.registry.clock.timestamp()
        record, _ = await self.registry["pods"].update(
            namespace=namespace, name=name,
            transform=lambda current: assign(current or {}, node=node, now=now),
            options=self._options("binding"))
        return record.object()

    async def delete(self, resource: str, *, namespace: str = "", name: str,
                     options: DeleteOptions | None = None) -> bool:
        """Delete; returns False when it was already gone."""
        try:
            await self.registry[resource].delete(namespace=namespace, name=name,
                                                 options=options)
            return True
        except errors.NotFound:
            return False

    async def watch(self, resource: str, *, namespace: str | None = None,
                    labels: LabelSelector = ALL_LABELS,
                    fields: FieldSelector = ALL_FIELDS) -> AsyncIterator[WatchEvent]:
        """Every current object as ADDED, then every change, until cancelled."""
        store = self.registry.store
        watcher = Watcher(resource=resource, namespace=namespace, labels=labels, fields=fields,
                          queue=asyncio.Queue())
        store.subscribe(watcher, since=None)
        try:
            for record in list(store.list(resource, namespace)):
                if watcher.selects(record):
                    yield WatchEvent("ADDED", record)
            while True:
                event = await watcher.queue.get()
                if event is None:
                    return
                yield event
        finally:
            store.unsubscribe(watcher)


def obj_of(record: Record) -> JSON:
    return record.object()
