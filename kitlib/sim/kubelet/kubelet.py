"""One node's kubelet: registers the node, keeps it alive, runs the pods bound to it.

Like the real kubelet it is a client of the API and of its container runtime, nothing
more.  It learns of its pods from the shared pod informer (the fleet routes each change to
the kubelet named in ``spec.nodeName``), runs a pod worker for each, writes their statuses
through its status manager and its events with source ``kubelet`` on this host.  Stopping
it (``Fleet.stop_kubelet``) freezes all of that: heartbeats stop, statuses go stale, and
the containers carry on in the runtime, as on a node whose kubelet died.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from kitlib.sim.component import Component, Context
from kitlib.sim.kubelet.backoff import Backoff
from kitlib.sim.kubelet.heartbeat import Heartbeat
from kitlib.sim.kubelet.node import CAPACITY, NodeIdentity
from kitlib.sim.kubelet.podips import PodIPs
from kitlib.sim.kubelet.podworker import PodWorker
from kitlib.sim.kubelet.stages import Stage, StageIndex, default_stages
from kitlib.sim.kubelet.statusmanager import StatusManager
from kitlib.sim.runtime.interface import ContainerRuntime
from kitlib.sim.store.records import Record

log = logging.getLogger("kitlib.sim.kubelet")
JSON = dict[str, Any]
#: The API server's own Service, whose variables every container gets.
MASTER_SERVICE = ("default", "kubernetes")
#: Seconds between two attempts to register the node.
RETRY_REGISTRATION = 7.0


class Kubelet(Component):
    def __init__(self, ctx: Context, *, identity: NodeIdentity, runtime: ContainerRuntime,
                 stages: tuple[Stage, ...] | None = None) -> None:
        super().__init__(ctx)
        self.name = f"kubelet-{identity.name}"
        self.identity = identity
        self.runtime = runtime
        self.clock = ctx.clock
        self.profile = ctx.profile
        self.client = ctx.client("kubelet")
        self.recorder = ctx.recorder("kubelet", host=identity.name)
        self.ips = PodIPs(identity.pod_cidr)
        self.allocatable = dict(CAPACITY)
        stages = stages or default_stages()
        self._stages = {kind: StageIndex(tuple(s for s in stages if s.subject == kind))
                        for kind in ("pod", "container")}
        self.crash_backoff = Backoff()
        self.image_backoff = Backoff()
        self.image_pulls = asyncio.Lock()
        self.alive = asyncio.Event()
        self.stopped = False            # by Fleet.stop_kubelet
        self.registered = asyncio.Event()
        self.workers: dict[str, PodWorker] = {}
        #: namespace -> name -> uid (the records' own strings: no key tuple per pod).
        self.by_name: dict[str, dict[str, str]] = {}
        self.status_manager = StatusManager(self)
        self.heartbeat = Heartbeat(self)

    def stages_for(self, kind: str, state: str | None = None) -> tuple[Stage, ...]:
        """The stages that may select a subject of ``kind`` in ``state``."""
        return self._stages[kind].candidates(state)

    # --- pods, as the fleet routes them ----------------------------------------------------

    def pod_changed(self, kind: str, record: Record) -> None:
        """A pod bound to this node was added, changed or deleted (informer handler: quick)."""
        namespace, name = record.namespace, record.name
        uid = self.by_name.get(namespace, {}).get(name)
        worker = self.workers.get(uid) if uid else None
        if kind == "DELETED":
            if worker is not None:
                worker.gone()
            return
        if worker is not None:
            if worker.update(record):
                return
            worker.gone()                       # deleted and made again under the same name
        if _finished(record):
            return                              # nothing left to run or to clean up
        worker = PodWorker(self, record)
        self.workers[worker.book.uid] = worker
        self.by_name.setdefault(namespace, {})[name] = worker.book.uid
        worker.start()

    def worker_done(self, worker: PodWorker) -> None:
        book = worker.book
        self.workers.pop(book.uid, None)
        names = self.by_name.get(book.namespace)
        if names is not None and names.get(book.name) == book.uid:
            del names[book.name]
            if not names:
                del self.by_name[book.namespace]
        self.status_manager.forget(book.uid)
        self.crash_backoff.forget(book.uid + "/")
        self.image_backoff.forget(book.uid + "/")

    def worker_for(self, namespace: str, name: str) -> PodWorker | None:
        uid = self.by_name.get(namespace, {}).get(name)
        return self.workers.get(uid) if uid else None

    # --- what pod workers read -------------------------------------------------------------

    def read(self, resource: str, namespace: str, name: str) -> JSON | None:
        return self.client.get(resource, namespace=namespace, name=name)

    def services_for(self, pod: Any) -> list[JSON]:
        """The Services whose variables the pod's containers get: the namespace's (with
        enableServiceLinks), and always the API server's own ``kubernetes`` Service."""
        services = []
        if pod.spec.get("enableServiceLinks", True):
            services = self.client.list("services", namespace=pod.namespace)
        if not any((s["metadata"].get("namespace"), s["metadata"]["name"]) == MASTER_SERVICE
                   for s in services):
            master = self.client.get("services", namespace=MASTER_SERVICE[0],
                                     name=MASTER_SERVICE[1])
            if master is not None:
                services.append(master)
        return services

    # --- life ------------------------------------------------------------------------------

    def stop(self) -> None:
        self.stopped = True
        self.alive.clear()

    def resume(self) -> None:
        self.stopped = False
        if self.registered.is_set():
            self.alive.set()

    async def run(self) -> None:
        await self.ctx.informers.wait_synced()
        try:
            if not self.registered.is_set():
                while True:
                    try:
                        await self.heartbeat.register()
                        break
                    except Exception:
                        log.exception("%s: registration failed; retrying", self.identity.name)
                        await self.clock.sleep(RETRY_REGISTRATION)
                self.registered.set()
            if not self.stopped:
                self.alive.set()
            await self.heartbeat.beat()
        except asyncio.CancelledError:
            # The simulator is shutting down: the node goes with it.
            self.alive.clear()
            self.status_manager.cancel()
            for worker in list(self.workers.values()):
                worker.cancel()
            self.runtime.close()
            raise



def _finished(record: Record) -> bool:
    """A Succeeded or Failed pod that is not being deleted: its kubelet is done with it."""
    return record.fields.get("status.phase") in ("Succeeded", "Failed") and \
        b'"deletionTimestamp"' not in record.raw
