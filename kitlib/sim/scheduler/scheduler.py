"""kube-scheduler: gives every pending pod a node, or says why it cannot.

It follows pods and nodes through the shared informers: pods that ask for
``default-scheduler`` and have no ``spec.nodeName`` enter the scheduling queue; pods on
nodes and the nodes themselves keep the cache's totals current.  One pod at a time it
runs the scheduling cycle (filter, score, pick), assumes the pod on its node and goes on
with the next one while the binding cycle writes the ``pods/binding`` subresource and a
``Scheduled`` event, as kube-scheduler's binding goroutines do.  A pod that fits nowhere
gets a ``FailedScheduling`` event and its PodScheduled condition set False/Unschedulable
with the same text (through the status subresource), and waits in the queue for a cluster
change that could help it (see ``hints.py``).
"""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any, Coroutine

from kitlib.sim.component import Component, Context
from kitlib.sim.machinery import errors
from kitlib.sim.scheduler import messages
from kitlib.sim.scheduler.algorithm import Decision, schedule_pod
from kitlib.sim.scheduler.cache import Cache, Key
from kitlib.sim.scheduler.events import SchedulerEvents
from kitlib.sim.scheduler.hints import node_change_helps, node_snapshot
from kitlib.sim.scheduler.podinfo import PodInfo, fingerprint, pod_info
from kitlib.sim.scheduler.preemption import Preemptor
from kitlib.sim.scheduler.queue import QueuedPod, SchedulingQueue
from kitlib.sim.store.records import Record

log = logging.getLogger("kitlib.sim.scheduler")
JSON = dict[str, Any]

SCHEDULER_NAME = "default-scheduler"
FIELD_MANAGER = "kube-scheduler"
#: The host kube-scheduler runs on (its static pod is on the control-plane node); the
#: events library names the reporting instance "<controller>-<hostname>".
HOST = "kit-control-plane"
TERMINAL = ("Succeeded", "Failed")
#: Plugins whose rejection a pod leaving may lift (it frees resources and ports, or it no
#: longer repels, attracts or skews), and those a pod arriving may lift.
HELPED_BY_POD_REMOVAL = frozenset({"NodeResourcesFit", "NodePorts", "InterPodAffinity",
                                   "PodTopologySpread"})
HELPED_BY_POD_ARRIVAL = frozenset({"InterPodAffinity", "PodTopologySpread"})


class Scheduler(Component):
    name = "kube-scheduler"

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.client = ctx.client(FIELD_MANAGER)
        self.events = SchedulerEvents(self.client, ctx.clock, controller=SCHEDULER_NAME,
                                      instance=f"{SCHEDULER_NAME}-{HOST}")
        self.cache = Cache()
        self.queue = SchedulingQueue(ctx.clock)
        # Ties between equally good nodes are broken at random, from a source seeded by the
        # cluster's: a seeded cluster places the same pods on the same nodes every time.
        self.rng = random.Random(ctx.clock.random.getrandbits(64))
        self.preemptor = Preemptor(self.client, self.events, ctx.clock)
        self.pods = ctx.informers("pods")
        self.nodes = ctx.informers("nodes")
        self.namespaces = ctx.informers("namespaces")
        self.pods.add_handler(self._on_pod)
        self.nodes.add_handler(self._on_node)
        #: Writes in flight while the next pod is already being scheduled: binding cycles
        #: (kube-scheduler binds in a goroutine of its own, against the assumed pod) and
        #: failure reports (the event recorder never blocks the scheduling loop).
        self._in_flight: set[asyncio.Task[None]] = set()

    # --- following the cluster ----------------------------------------------------------

    def _on_node(self, kind: str, record: Record, prev: Record | None) -> None:
        if kind == "DELETED":
            self.cache.remove_node(record.name)
            return
        known = self.cache.nodes.get(record.name)
        old = node_snapshot(known) if known is not None and known.present else None
        info, changed = self.cache.set_node(record.object())
        if changed and self.queue.unschedulable:
            # A node that appeared, or changed labels, taints, cordon or allocatable: ask
            # each pod's rejecting plugins whether that could help it.  Heartbeats and
            # condition times change nothing here, and wake nobody.
            self.queue.move(lambda qp: node_change_helps(qp.pod, qp.plugins, old, info))

    def _on_pod(self, kind: str, record: Record, prev: Record | None) -> None:
        key = (record.namespace, record.name)
        node = record.fields.get("spec.nodeName", "")
        if kind == "DELETED" or (node and record.fields.get("status.phase") in TERMINAL):
            self.queue.delete(key)
            removed = self.cache.remove_pod(key)
            if removed is not None:
                self.queue.move_rejected_by(HELPED_BY_POD_REMOVAL)
            return
        if node:
            self.queue.delete(key)
            self._observe_assigned(key, node, record)
            return
        if record.fields.get("spec.schedulerName") != SCHEDULER_NAME:
            return
        queued = self.queue.pods.get(key)
        if queued is not None and queued.pod.resource_version == str(record.rv):
            return
        obj = record.object()
        digest = fingerprint(obj.get("spec") or {}, (obj.get("metadata") or {}).get("labels"))
        if queued is not None and queued.pod.source == digest:
            # Only its status moved (most often: our own condition): nothing to re-parse.
            queued.pod.resource_version = str(record.rv)
            queued.pod.nominated = str((obj.get("status") or {}).get("nominatedNodeName") or "")
            return
        pod = pod_info(obj, record=record)
        pod.source = digest
        if queued is None:
            self.queue.add(pod)
        else:
            self.queue.update(pod)          # spec or labels changed: worth another try

    def _observe_assigned(self, key: Key, node: str, record: Record) -> None:
        """An assigned pod seen in the API: count it (or confirm our assumption)."""
        known = self.cache.pod_on(key)
        arrived = known is None or self.cache.assigned.get(key) != node
        if not arrived and known is not None:
            arrived = known.source is not None      # our own binding, seen for the first time
            known.resource_version = str(record.rv)
            known.source = None                     # the spec is no longer needed
            if record.labels != known.labels:       # relabelled: selectors see it anew
                arrived = True
                self.cache.add_pod(pod_info(record.object(), record=record), node)
            elif not known.terminating and b'"deletionTimestamp"' in record.raw:
                if (record.object().get("metadata") or {}).get("deletionTimestamp"):
                    self.cache.nodes[node].mark_terminating(key)
        else:
            self.cache.add_pod(pod_info(record.object(), record=record), node)
        if arrived:
            # AssignedPodAdded: pods waiting to be near it (or spread around it) may now fit.
            self.queue.move_rejected_by(HELPED_BY_POD_ARRIVAL)

    def _namespace_labels(self, name: str) -> dict[str, str]:
        record = self.namespaces.get("", name)
        return record.labels if record is not None else {}

    # --- the scheduling loop ------------------------------------------------------------

    async def run(self) -> None:
        await self.ctx.informers.wait_synced()
        loop = asyncio.get_running_loop()
        timers = [loop.create_task(self.queue.run(), name="scheduler-queue"),
                  loop.create_task(self.events.run(), name="scheduler-events")]
        try:
            while True:
                queued = await self.queue.pop()
                try:
                    await self.schedule_one(queued)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("scheduling %s/%s failed", *queued.key)
                    self.queue.retry_later(queued)
                await asyncio.sleep(0)      # let the API server and the others breathe
        finally:
            for task in (*timers, *self._in_flight):
                task.cancel()

    async def schedule_one(self, queued: QueuedPod) -> None:
        pod = queued.pod
        record = self.pods.get(*pod.key)
        if (record is None or record.fields.get("spec.nodeName")
                or record.fields.get("spec.schedulerName") != SCHEDULER_NAME or pod.terminating):
            self.queue.delete(pod.key)
            return
        decision = schedule_pod(pod, self.cache.node_list(), rng=self.rng,
                                namespace_labels=self._namespace_labels)
        if decision.node:
            self.cache.add_pod(pod, decision.node)     # assume: the next pod counts it
            self._start(self._bind(queued, pod, decision.node),
                        f"bind {pod.namespace}/{pod.name}")
        else:
            await self._failed(queued, decision)

    def _start(self, work: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _bind(self, queued: QueuedPod, pod: PodInfo, node: str) -> None:
        """The binding cycle of ``pod``, already assumed on ``node``."""
        try:
            await self.client.bind(namespace=pod.namespace, name=pod.name, node=node)
        except errors.StatusError as exc:
            # Bound by someone else, or deleted, or refused: forget the assumption (unless
            # the watch has already replaced it with the truth); a pod still pending is
            # tried again after its back-off.
            if self.cache.pod_on(pod.key) is pod:
                self.cache.remove_pod(pod.key)
            log.info("binding %s/%s to %s failed: %s", pod.namespace, pod.name, node, exc)
            self.queue.retry_later(queued)
            return
        except Exception:
            log.exception("binding %s/%s failed", pod.namespace, pod.name)
            if self.cache.pod_on(pod.key) is pod:
                self.cache.remove_pod(pod.key)
            self.queue.retry_later(queued)
            return
        self.queue.delete(pod.key)
        await self.events.emit(pod.reference(), type="Normal", reason="Scheduled",
                               action="Binding",
                               note=messages.scheduled(pod.namespace, pod.name, node))

    async def _failed(self, queued: QueuedPod, decision: Decision) -> None:
        pod = queued.pod
        self.queue.unschedulable_now(queued, decision.plugins)
        nominated: str | None = "" if decision.clear_nomination else None
        if decision.candidates:
            nominated = await self.preemptor.preempt(pod, decision.candidates, self.cache,
                                                     self._namespace_labels) or None
        self._start(self._report_failure(pod, decision.message, nominated),
                    f"unschedulable {pod.namespace}/{pod.name}")

    async def _report_failure(self, pod: PodInfo, message: str, nominated: str | None) -> None:
        """The FailedScheduling event, then the PodScheduled condition, in that order."""
        try:
            await self.events.emit(pod.reference(), type="Warning", reason="FailedScheduling",
                                   action="Scheduling", note=messages.truncate_note(message))
            await self._set_unschedulable(pod, message, nominated=nominated)
        except errors.StatusError as exc:
            log.info("reporting %s/%s unschedulable failed: %s", pod.namespace, pod.name, exc)

    async def _set_unschedulable(self, pod: PodInfo, message: str, *,
                                 nominated: str | None) -> None:
        """updatePod: PodScheduled=False/Unschedulable with the message, and the nominated
        node (None: leave it; "": clear it), written only if something changed."""
        now = self.ctx.clock.timestamp()

        def change(obj: JSON) -> JSON | None:
            status = obj.setdefault("status", {})
            conditions = status.setdefault("conditions", [])
            wanted = {"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                      "lastTransitionTime": now, "reason": "Unschedulable",
                      "message": message}
            old = next((c for c in conditions if c.get("type") == "PodScheduled"), None)
            renominate = nominated is not None and status.get("nominatedNodeName",
                                                              "") != nominated
            if renominate:
                if nominated:
                    status["nominatedNodeName"] = nominated
                else:
                    status.pop("nominatedNodeName", None)
            if old is None:
                conditions.append(wanted)
                return obj
            if old.get("status") == "False":
                wanted["lastTransitionTime"] = old.get("lastTransitionTime")
            if all(old.get(k) == wanted[k] for k in ("status", "reason", "message")) \
                    and not renominate:
                raise _Unchanged
            old.clear()
            old.update(wanted)
            return obj

        try:
            await self.client.mutate("pods", namespace=pod.namespace, name=pod.name,
                                     change=change, subresource="status")
        except _Unchanged:
            pass
        except (errors.NotFound, errors.Conflict, errors.Invalid) as exc:
            log.debug("could not update %s/%s: %s", pod.namespace, pod.name, exc)


class _Unchanged(Exception):
    """The pod already says this: nothing to write."""
