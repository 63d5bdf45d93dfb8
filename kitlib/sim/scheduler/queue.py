"""The scheduling queue: which pending pod to try next, and when to try a failed one again.

Three parts, as in kube-scheduler's PriorityQueue:

- activeQ: pods to try now, highest priority first, then the longest waiting.
- backoffQ: pods that failed and wait out their back-off (1 s, doubling per attempt, at
  most 10 s) before going back to activeQ.
- unschedulablePods: pods no node could take.  They stay until an event might change
  that -- a node added or changed so that it now fits them, a pod deleted that freed
  resources or ports -- then move to backoffQ (or straight to activeQ if their back-off
  has passed).  Pods left there for 5 minutes are retried anyway.

A pod whose failure no plugin explains (no nodes at all, an API error) goes to backoffQ,
so it is retried periodically with back-off.  All times are simulated seconds.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from dataclasses import dataclass
from typing import Callable, Iterable

from kitlib.sim.clock import Clock
from kitlib.sim.scheduler.podinfo import PodInfo

Key = tuple[str, str]

INITIAL_BACKOFF = 1.0           # podInitialBackoffSeconds
MAX_BACKOFF = 10.0              # podMaxBackoffSeconds
MAX_UNSCHEDULABLE = 300.0       # podMaxInUnschedulablePodsDuration
FLUSH_UNSCHEDULABLE_EVERY = 30.0


@dataclass(slots=True, eq=False)
class QueuedPod:
    pod: PodInfo
    timestamp: float            # when it last entered the queue (or last failed)
    attempts: int = 0
    plugins: frozenset[str] = frozenset()
    where: str = ""             # "active", "backoff", "unschedulable", "gated", "inflight"
    seq: int = 0                # stale heap entries carry an older seq

    @property
    def key(self) -> Key:
        return self.pod.key


def backoff_seconds(attempts: int) -> float:
    """calculateBackoffDuration: 1 s, 2 s, 4 s, 8 s, then 10 s."""
    duration = INITIAL_BACKOFF
    for _ in range(1, attempts):
        if duration > MAX_BACKOFF - duration:
            return MAX_BACKOFF
        duration += duration
    return duration


class SchedulingQueue:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.pods: dict[Key, QueuedPod] = {}
        self._active: list[tuple[int, float, int, Key]] = []
        self._backoff: list[tuple[float, int, Key]] = []
        self.unschedulable: dict[Key, QueuedPod] = {}
        #: Unschedulable pods by the plugins that rejected them, for events that concern
        #: only some plugins (a pod leaving frees resources: only NodeResourcesFit's care).
        self._by_plugin: dict[str, dict[Key, QueuedPod]] = {}
        self._seq = itertools.count(1)
        self._ready = asyncio.Event()

    def __len__(self) -> int:
        return len(self.pods)

    # --- placing pods -------------------------------------------------------------------

    def _leave_unschedulable(self, qp: QueuedPod) -> None:
        if self.unschedulable.pop(qp.key, None) is not None:
            for plugin in qp.plugins:
                self._by_plugin.get(plugin, {}).pop(qp.key, None)

    def _to_active(self, qp: QueuedPod) -> None:
        self._leave_unschedulable(qp)
        qp.where, qp.seq = "active", next(self._seq)
        heapq.heappush(self._active, (-qp.pod.priority, qp.timestamp, qp.seq, qp.key))
        self._ready.set()

    def _to_backoff(self, qp: QueuedPod) -> None:
        self._leave_unschedulable(qp)
        qp.where, qp.seq = "backoff", next(self._seq)
        heapq.heappush(self._backoff, (self.backoff_expiry(qp), qp.seq, qp.key))

    def backoff_expiry(self, qp: QueuedPod) -> float:
        return qp.timestamp + backoff_seconds(qp.attempts)

    def _wake(self, qp: QueuedPod) -> None:
        """Out of unschedulablePods: into backoffQ if still backing off, else activeQ."""
        if self.backoff_expiry(qp) > self.clock.time():
            self._to_backoff(qp)
        else:
            self._to_active(qp)

    def add(self, pod: PodInfo) -> None:
        """A new pending pod (or one seen again after the scheduler restarted)."""
        if pod.key in self.pods:
            self.update(pod)
            return
        qp = QueuedPod(pod, self.clock.time())
        self.pods[pod.key] = qp
        if pod.gated:
            qp.where = "gated"
        else:
            self._to_active(qp)

    def update(self, pod: PodInfo) -> None:
        """The pending pod changed in a way that may make it schedulable: try it again."""
        qp = self.pods.get(pod.key)
        if qp is None:
            self.add(pod)
            return
        qp.pod = pod
        if pod.gated:
            if qp.where in ("active", "backoff", "unschedulable"):
                self._leave_unschedulable(qp)
                qp.where, qp.seq = "gated", next(self._seq)
        elif qp.where == "gated":
            qp.timestamp = self.clock.time()
            self._to_active(qp)
        elif qp.where == "unschedulable":
            self._wake(qp)

    def delete(self, key: Key) -> None:
        """The pod was bound, or deleted: forget it (heap entries go stale)."""
        qp = self.pods.pop(key, None)
        if qp is not None:
            self._leave_unschedulable(qp)
            qp.where = ""

    def pop_nowait(self) -> QueuedPod | None:
        """The next pod to schedule, now in flight; None when activeQ is empty."""
        while self._active:
            _, _, seq, key = heapq.heappop(self._active)
            qp = self.pods.get(key)
            if qp is not None and qp.seq == seq and qp.where == "active":
                qp.where = "inflight"
                qp.attempts += 1
                return qp
        return None

    async def pop(self) -> QueuedPod:
        while True:
            qp = self.pop_nowait()
            if qp is not None:
                return qp
            self._ready.clear()
            await self._ready.wait()

    # --- after an attempt ---------------------------------------------------------------

    def unschedulable_now(self, qp: QueuedPod, plugins: frozenset[str]) -> None:
        """AddUnschedulableIfNotPresent: no node fits; wait for an event (or back off)."""
        if self.pods.get(qp.key) is not qp or qp.where != "inflight":
            return                  # deleted or bound meanwhile
        qp.timestamp, qp.plugins = self.clock.time(), plugins
        if not plugins:
            self._to_backoff(qp)
            return
        qp.where, qp.seq = "unschedulable", next(self._seq)
        self.unschedulable[qp.key] = qp
        for plugin in plugins:
            self._by_plugin.setdefault(plugin, {})[qp.key] = qp

    def retry_later(self, qp: QueuedPod) -> None:
        """An error, not a verdict: try again after the back-off."""
        if self.pods.get(qp.key) is qp and qp.where == "inflight":
            qp.timestamp = self.clock.time()
            self._to_backoff(qp)

    def move(self, accept: Callable[[QueuedPod], bool],
             among: Iterable[QueuedPod] | None = None) -> int:
        """Wake the unschedulable pods ``accept`` says an event may help; returns how many."""
        moved = 0
        for qp in list(among if among is not None else self.unschedulable.values()):
            if qp.where == "unschedulable" and accept(qp):
                self._wake(qp)
                moved += 1
        return moved

    def move_rejected_by(self, plugins: frozenset[str]) -> int:
        """Wake the unschedulable pods any of ``plugins`` rejected."""
        found: dict[Key, QueuedPod] = {}
        for plugin in plugins:
            found.update(self._by_plugin.get(plugin, {}))
        return self.move(lambda qp: True, among=found.values()) if found else 0

    # --- the timers ---------------------------------------------------------------------

    def flush_backoff(self) -> None:
        """flushBackoffQCompleted: pods whose back-off is over go to activeQ."""
        now = self.clock.time()
        while self._backoff and self._backoff[0][0] <= now:
            _, seq, key = heapq.heappop(self._backoff)
            qp = self.pods.get(key)
            if qp is not None and qp.seq == seq and qp.where == "backoff":
                self._to_active(qp)

    def flush_unschedulable_leftover(self) -> None:
        """Pods unschedulable for 5 minutes are retried whatever happened."""
        cutoff = self.clock.time() - MAX_UNSCHEDULABLE
        self.move(lambda qp: qp.timestamp < cutoff)

    async def run(self) -> None:
        """The periodic flushes (every second, every 30 s), on the simulated clock."""
        last_leftover = self.clock.time()
        while True:
            await self.clock.sleep(1.0)
            self.flush_backoff()
            if self.clock.time() - last_leftover >= FLUSH_UNSCHEDULABLE_EVERY:
                last_leftover = self.clock.time()
                self.flush_unschedulable_leftover()
