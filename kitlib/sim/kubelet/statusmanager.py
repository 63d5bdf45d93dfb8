"""The kubelet's status manager: pod statuses written to the API, coalesced.

Pod workers hand over a pod's status whenever their books change; the manager writes it
with the pod's status subresource, merging it into what others own (the scheduler's
nominatedNodeName, readiness-gate conditions).  A pod's first status is written at once;
later ones at most once per ``COALESCE`` seconds, in their newest form, so a pod racing
through its stages costs two or three writes, not one per stage, much as the real kubelet
writes at admission and then when its relist notices the running containers.  One writer
per node, as the real kubelet has one status sync loop.
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
        self._written: dict[str, float] = {}     # uid -> when its status was last written
        self._task: asyncio.Task[None] | None = None

    def set(self, worker: PodWorker, status: JSON) -> None:
        book = worker.book
        if book.uid not in self._pending:
            last = self._written.get(book.uid)
            due = self.kubelet.clock.time() if last is None else last + self.interval
            heapq.heappush(self._due, (due, next(self._order), book.uid))
        self._pending[book.uid] = (worker, status)
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._drain())

    async def flush(self, worker: PodWorker, status: JSON) -> None:
        """Write this pod's final status now (before the kubelet deletes the pod)."""
        self._pending.pop(worker.book.uid, None)
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
                await clock.sleep(due - clock.time())
                continue
            heapq.heappop(self._due)
            entry = self._pending.pop(uid, None)
            if entry is None:
                continue                        # flushed or forgotten meanwhile
            self._written[uid] = clock.time()
            await self._write(*entry)

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
