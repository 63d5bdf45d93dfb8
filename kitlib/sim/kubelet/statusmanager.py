"""The kubelet's status manager: pod statuses written to the API, coalesced.

Pod workers hand over a pod's status whenever their books change; the manager writes it
with the pod's status subresource, merging it into what others own (the scheduler's
nominatedNodeName, readiness-gate conditions).  A pod's first status is written at once,
and so is one that changes its phase or its readiness (what controllers and learners wait
for); other changes wait up to ``COALESCE`` seconds and go out in their newest form.  A pod
racing through its stages thus costs two writes, not one per stage, much as the real
kubelet writes at admission and then when its relist notices the running containers.  One
writer per node, as the real kubelet has one status sync loop.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from typing import TYPE_CHECKING, Any

from kitlib.sim.kubelet.status import merge_status
from kitlib.sim.machinery import errors

if TYPE_CHECKING:
    from kitlib.sim.kubelet.kubelet import Kubelet
    from kitlib.sim.kubelet.podworker import PodWorker

log = logging.getLogger("kitlib.sim.kubelet")
JSON = dict[str, Any]

#: Seconds between two writes of the same pod's status, per profile.
COALESCE = {"fast": 0.05, "realistic": 0.1}


class StatusManager:
    def __init__(self, kubelet: Kubelet) -> None:
        self.kubelet = kubelet
        self.interval = COALESCE.get(kubelet.profile, COALESCE["fast"])
        self._pending: dict[str, tuple[PodWorker, JSON]] = {}
        self._due: list[tuple[float, int, str]] = []      # (when, order, uid), a heap
        self._order = itertools.count()
        self._written: dict[str, tuple[float, tuple[str, bool]]] = {}   # uid -> when, what
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Future[None] | None = None       # the drain's nap, cut short

    def set(self, worker: PodWorker, status: JSON) -> None:
        book = worker.book
        last = self._written.get(book.uid)
        now = self.kubelet.clock.time()
        if last is None or _summary(status) != last[1]:
            due = now                           # news that matters: write it at once
        elif book.uid not in self._pending:
            due = last[0] + self.interval
        else:
            due = float("inf")                  # already queued: keeps its place
        if due != float("inf"):
            if self._due and due < self._due[0][0] and self._wake and not self._wake.done():
                self._wake.set_result(None)     # sooner than the drain planned to wake
            heapq.heappush(self._due, (due, next(self._order), book.uid))
        self._pending[book.uid] = (worker, status)
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._drain())

    async def flush(self, worker: PodWorker, status: JSON) -> None:
        """Write this pod's final status now (before the kubelet deletes the pod)."""
        self._pending.pop(worker.book.uid, None)
        self._written[worker.book.uid] = (self.kubelet.clock.time(), _summary(status))
        await self._write(worker, status)

    def forget(self, uid: str) -> None:
        self._pending.pop(uid, None)
        self._written.pop(uid, None)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self._pending.clear()
        self._due.clear()

    async def _drain(self) -> None:
        clock = self.kubelet.clock
        while self._due:
            if not self.kubelet.alive.is_set():
                await self.kubelet.alive.wait()
            due, _order, uid = self._due[0]
            if due > clock.time():
                await self._nap(due - clock.time())
                continue
            heapq.heappop(self._due)
            entry = self._pending.pop(uid, None)
            if entry is None:
                continue                        # written already, flushed or forgotten
            self._written[uid] = (clock.time(), _summary(entry[1]))
            await self._write(*entry)

    async def _nap(self, seconds: float) -> None:
        """Sleep on the clock until ``seconds`` passed or a sooner write was queued."""
        self._wake = asyncio.get_running_loop().create_future()

        async def alarm() -> None:
            await self.kubelet.clock.sleep(seconds)
            if self._wake is not None and not self._wake.done():
                self._wake.set_result(None)

        timer = asyncio.ensure_future(alarm())
        try:
            await self._wake
        finally:
            timer.cancel()
            self._wake = None

    async def _write(self, worker: PodWorker, status: JSON) -> None:
        book = worker.book

        def change(pod: JSON) -> None:
            if (pod.get("metadata") or {}).get("uid") != book.uid:
                return                          # another pod of the same name: not ours
            pod["status"] = merge_status(pod.get("status") or {}, status)

        try:
            await self.kubelet.client.mutate("pods", namespace=book.namespace, name=book.name,
                                             change=change, subresource="status")
        except errors.StatusError as exc:
            log.warning("status of %s/%s not written: %s", book.namespace, book.name, exc)


def _summary(status: JSON) -> tuple[str, bool]:
    """What makes a status news: its phase, and whether the pod is Ready (one shared tuple
    per combination: every pod keeps the summary of its last write)."""
    ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                for c in status.get("conditions") or [])
    summary = (status.get("phase", ""), ready)
    shared = _SUMMARIES.get(summary)
    if shared is None and len(_SUMMARIES) < _SUMMARIES_MAX:
        shared = _SUMMARIES[summary] = summary
    return shared or summary


_SUMMARIES: dict[tuple[str, bool], tuple[str, bool]] = {}
_SUMMARIES_MAX = 64
