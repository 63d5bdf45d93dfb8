"""The EndpointSlice controller: a Service's pods, 100 to a slice.

For every Service with a selector it keeps EndpointSlices named ``<service>-<random>``,
labelled ``kubernetes.io/service-name`` and ``endpointslice.kubernetes.io/managed-by:
endpointslice-controller.k8s.io``, owned by the Service (so the garbage collector removes
them with it).  Each endpoint carries its pod's address, the conditions ``ready``,
``serving`` and ``terminating`` (terminating pods stay listed, unlike in Endpoints), the
node, and a reference to the pod.  The plan of creates, updates and deletes is made by
``endpointslicereconciler``; this module feeds it and writes the result, as
kube-controller-manager's endpointslice controller (1.32) does.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from kitlib.sim.controllers.base import Controller, split_key
from kitlib.sim.controllers.endpointslicereconciler import (CONTROLLER_NAME, MANAGED_BY_LABEL,
                                                            SERVICE_NAME_LABEL, ZONE_LABEL, plan)
from kitlib.sim.controllers.servicepods import ServicePods, selector_of
from kitlib.sim.controllers.triggertime import ANNOTATION as TRIGGER_TIME
from kitlib.sim.controllers.triggertime import TriggerTimeTracker
from kitlib.sim.machinery import errors
from kitlib.sim.store.records import Record

log = logging.getLogger("kitlib.sim.controllers")
JSON = dict[str, Any]
SLICES = "endpointslices.discovery.k8s.io"
#: Like the endpoint controller: big Services batch pod-triggered syncs.
BATCH_THRESHOLD = 100
BATCH_PERIOD = 0.5
#: How soon to look again after someone else changed one of our slices.
SLICE_CHANGE_DELAY = 1.0
#: How soon to look again when a pod names a node that does not exist.
MISSING_NODE_RETRY = 5.0


class EndpointSliceController(Controller):
    name = "endpoint-slice-controller"

    def setup(self) -> None:
        self.pods = ServicePods(self.ctx, enqueue=self._enqueue)
        self.triggers = TriggerTimeTracker()
        self.nodes = self.ctx.informers("nodes")
        self._delayed: set[str] = set()
        #: (namespace, slice) -> the resourceVersion we wrote, or -1 for our deletions.
        self._ours: dict[tuple[str, str], int] = {}
        self.ctx.informers(SLICES).add_handler(self._slice_changed)

    # --- what to sync ---------------------------------------------------------------------

    def _enqueue(self, key: str, from_pod: bool) -> None:
        if not from_pod or self.pods.count(key) < BATCH_THRESHOLD:
            self.queue.add(key)
        else:
            self._later(key, BATCH_PERIOD)

    def _later(self, key: str, seconds: float) -> None:
        if key not in self._delayed:
            self._delayed.add(key)
            self.queue.add_after(key, seconds)

    def _slice_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        labels = record.labels
        if labels.get(MANAGED_BY_LABEL) != CONTROLLER_NAME and (
                prev is None or prev.labels.get(MANAGED_BY_LABEL) != CONTROLLER_NAME):
            return
        service = labels.get(SERVICE_NAME_LABEL)
        if not service:
            return
        # Our own writes come back through the watch before the writer has resumed; look
        # once the writer has noted what it wrote.
        rv = -1 if kind == "DELETED" else record.rv
        asyncio.get_running_loop().call_soon(self._check_slice, record.namespace,
                                             record.name, rv, service)

    def _check_slice(self, namespace: str, name: str, rv: int, service: str) -> None:
        if self._ours.get((namespace, name)) == rv:
            del self._ours[(namespace, name)]
            return
        self._later(f"{namespace}/{service}", SLICE_CHANGE_DELAY)

    def _node_zone(self, name: str) -> tuple[bool, str]:
        record = self.nodes.get("", name) if name else None
        if record is None:
            return False, ""
        return True, record.labels.get(ZONE_LABEL, "")

    # --- the sync -----------------------------------------------------------------------

    async def sync(self, key: str) -> None:
        self._delayed.discard(key)
        namespace, name = split_key(key)
        record = self.ctx.informers("services").get(namespace, name)
        if record is None:
            self.triggers.forget(key)       # the garbage collector removes its slices
            return
        service = record.object()
        if (service.get("spec") or {}).get("type") == "ExternalName" or \
                not selector_of(service):
            return
        pods = self.pods.members(namespace, name)
        existing = []
        for slice_record in self.ctx.informers(SLICES).list(namespace):
            labels = slice_record.labels
            if labels.get(SERVICE_NAME_LABEL) == name and \
                    labels.get(MANAGED_BY_LABEL) == CONTROLLER_NAME:
                obj = slice_record.object()
                if not obj["metadata"].get("deletionTimestamp"):
                    existing.append(obj)
        trigger = self.triggers.compute(key, service["metadata"].get("creationTimestamp", ""),
                                        pods)
        todo = plan(service, pods, existing, node_zone=self._node_zone)
        try:
            await self._apply(service, todo.create, todo.update, todo.delete, trigger)
        except errors.Conflict:
            raise
        except errors.StatusError as exc:
            await self.recorder.event(service, type="Warning",
                                      reason="FailedToUpdateEndpointSlices",
                                      message=f"Error updating Endpoint Slices for Service "
                                              f"{namespace}/{name}: {exc.message}")
            raise
        if todo.retry:
            self._later(key, MISSING_NODE_RETRY)

    async def _apply(self, service: JSON, create: list[JSON], update: list[JSON],
                     delete: list[JSON], trigger: str) -> None:
        namespace = service["metadata"]["namespace"]
        if not service["metadata"].get("deletionTimestamp"):
            for slice_ in create:
                _finish(slice_, trigger)
                try:
                    made = await self.client.create(SLICES, slice_, namespace=namespace)
                except errors.Forbidden:
                    return          # the namespace is terminating
                except errors.NotFound:
                    return
                self._note(made)
        for slice_ in update:
            _finish(slice_, trigger)
            self._note(await self.client.update(SLICES, slice_))
        for slice_ in delete:
            slice_name = slice_["metadata"]["name"]
            self._ours[(namespace, slice_name)] = -1
            await self.client.delete(SLICES, namespace=namespace, name=slice_name)

    def _note(self, written: JSON) -> None:
        meta = written["metadata"]
        self._ours[(meta["namespace"], meta["name"])] = int(meta["resourceVersion"])
        if len(self._ours) > 10_000:        # never-delivered notes must not pile up
            self._ours.clear()


def _finish(slice_: JSON, trigger: str) -> None:
    """The trigger-time annotation, and empty lists written as the API stores them (null)."""
    meta = slice_["metadata"]
    annotations = dict(meta.get("annotations") or {})
    annotations.pop(TRIGGER_TIME, None)
    if trigger:
        annotations[TRIGGER_TIME] = trigger
    if annotations:
        meta["annotations"] = annotations
    else:
        meta.pop("annotations", None)
    for field in ("endpoints", "ports"):
        if not slice_.get(field):
            slice_[field] = None
