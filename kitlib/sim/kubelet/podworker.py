"""One pod's life on its node: the interpreter of ``stages.yaml``.

The kubelet runs a pod worker per pod, as the real one does.  This worker holds the
pod's books (``books.py``), and loops: compute the facts of the pod and of each container,
match every stage against them, fire the stages that are due (their runtime verb, then
their new state and events), publish the status the books now describe, and sleep on the
simulated clock until the next stage is due or something changes (the pod was updated, a
container exited, a probe answered).  Which stage follows which is entirely the data's
business: the same loop runs a pod that completes, one that crash-loops, one being deleted.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from string import Template
from typing import TYPE_CHECKING, Any

import orjson

from kitlib.sim.kubelet import books as bk
from kitlib.sim.kubelet import packedstatus
from kitlib.sim.kubelet.actions import VERBS_BY_NAME, ActionError
from kitlib.sim.kubelet.books import ContainerBook, PodBook
from kitlib.sim.kubelet.facts import Facts, container_facts, crash_key, pod_facts, variables
from kitlib.sim.kubelet.restore import restore
from kitlib.sim.kubelet.stages import Stage
from kitlib.sim.kubelet.status import merge_status, pod_status
from kitlib.sim.store.records import Record

if TYPE_CHECKING:
    from kitlib.sim.kubelet.kubelet import Kubelet

log = logging.getLogger("kitlib.sim.kubelet")
JSON = dict[str, Any]
Subject = PodBook | ContainerBook
#: More firings than this in one step means stages that feed each other without pause.
MAX_FIRINGS = 200
#: The plan of a worker with no stage due: shared, never changed (``_replan`` makes a
#: new dict, and only keys it holds are popped).
NO_PLAN: dict[tuple[str, str], tuple[Stage, Subject, float]] = {}


class PodWorker:
    __slots__ = ("kubelet", "book", "plan", "finished", "_published", "_task", "_alarm",
                 "_ended", "_poked", "_changes", "_status", "_status_of", "_saved")

    def __init__(self, kubelet: Kubelet, record: Record) -> None:
        self.kubelet = kubelet
        pod = record.object()
        saved = dict(pod.get("status") or {})      # what a kubelet wrote before, if any
        pod = bk.slim(pod)
        meta = pod["metadata"]
        # The UID interned: the scheduler and the controllers keep the same string.
        self.book = PodBook(uid=sys.intern(meta.get("uid", "")), namespace=record.namespace,
                            name=record.name, pod=pod, source=record,
                            containers=bk.new_books(pod))
        self.plan: dict[tuple[str, str], tuple[Stage, Subject, float]] = NO_PLAN
        self.finished = False
        #: The last status handed over to the status manager, as packed JSON.
        self._published: bytes | None = None
        #: Working: the task that runs the steps; asleep, no task at all (an alarm in the
        #: clock's heap if a stage is due later): ten thousand idle workers hold no
        #: suspended coroutines.
        self._task: asyncio.Task[None] | None = None
        self._alarm: asyncio.Future[None] | None = None
        self._ended = False
        self._poked = False
        self._changes = 0                   # bumped whenever the books may have changed
        #: The status as of ``_status_of`` (a value of ``_changes``): parsed while
        #: working, packed JSON while asleep.
        self._status: JSON | bytes | None = None
        self._status_of = -1
        self._saved: JSON | None = saved if restore(self, saved) else None

    # --- what the kubelet tells it ------------------------------------------------------

    def update(self, record: Record) -> bool:
        """A new version of the pod; False if the record is another pod of the same name."""
        pod = bk.slim(record.object())
        if (pod.get("metadata") or {}).get("uid") != self.book.uid:
            return False
        specs = {c.get("name"): c for c in (pod.get("spec") or {}).get("initContainers") or []}
        specs.update({c.get("name"): c for c in (pod.get("spec") or {}).get("containers") or []})
        changed = []
        # Compared with the specs of the version seen before (books read theirs from it).
        for book in self.book.containers:
            spec = specs.get(book.name)
            if spec is None:
                book.detach()                   # keeps its spec: the pod has it no more
            elif spec != book.spec:
                changed.append((book, spec))
        self.book.see(record, pod)
        for book, spec in changed:
            book.spec = spec
            if book.state == "waiting":
                book.state = "new"              # a fixed image is tried at once
        self.poke()
        return True

    def gone(self) -> None:
        self.book.gone = True
        self.poke()

    def poke(self) -> None:
        self._changes += 1
        self._poked = True
        if self._task is None and not self._ended:
            self.start()

    def start(self) -> asyncio.Task[None]:
        """Work (again) until nothing is due: from the kubelet, a poke, or an alarm."""
        if self._alarm is not None:
            self._alarm.cancel()
            self._alarm = None
        if self._task is None:
            self._task = asyncio.ensure_future(self.run())
        return self._task

    def cancel(self) -> None:
        """The kubelet stops: stop working, now or at the next wake."""
        if self._alarm is not None:
            self._alarm.cancel()
            self._alarm = None
        if self._task is not None:
            self._task.cancel()
        elif not self._ended:
            self._end()

    def probe_result(self, book: ContainerBook, kind: str, outcome: str) -> None:
        if kind == "readiness":
            book.ready = outcome == "success"
        elif kind == "startup":
            book.started = book.started or outcome == "success"
            book.startup = outcome
            if book.started:
                book.ready = "readinessProbe" not in book.spec
        else:
            book.liveness = outcome
        self.poke()

    def crash_key(self, book: ContainerBook) -> str:
        return crash_key(self.book, book)

    def variables(self, subject: Subject) -> dict[str, str]:
        return variables(self.book, subject, crash_backoff=self.kubelet.crash_backoff)

    # --- the loop ---------------------------------------------------------------------------

    async def run(self) -> None:
        """Step until no stage is due, then go to sleep: return, leaving an alarm for the
        next deadline (a poke starts the worker again); or end when finished."""
        alive = self.kubelet.alive
        asleep = False
        try:
            while not self.finished:
                if not alive.is_set():
                    await alive.wait()
                self._poked = False
                await self.step()
                if self.finished or self._poked:
                    continue
                self._release()
                if not self.plan:
                    self.plan = NO_PLAN             # asleep with nothing due: no dict of its own
                deadlines = [deadline for _stage, _s, deadline in self.plan.values()]
                if deadlines:
                    self._alarm = self.kubelet.clock.call_later(
                        min(deadlines) - self.kubelet.clock.time(), self._wake_up)
                asleep = True
                return
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("pod worker %s/%s failed", self.book.namespace, self.book.name)
        finally:
            self._task = None
            if not asleep:
                self._end()

    def exited(self, _future: asyncio.Future[Any]) -> None:
        """A container's process ended (a done callback: a bound method is smaller than a
        closure, and there is one per container)."""
        self.poke()

    def _wake_up(self) -> None:
        self._alarm = None
        self.poke()

    def _end(self) -> None:
        self._ended = True
        for book in self.book.containers:
            book.stop_probes()
        self.kubelet.worker_done(self)

    def _subjects(self, now: float) -> list[tuple[str, Subject, Facts]]:
        kubelet = self.kubelet
        pod = pod_facts(self.book, phase=lambda: self.status()["phase"])
        out: list[tuple[str, Subject, Facts]] = [("", self.book, pod)]
        out += [(c.name, c, container_facts(self.book, c, pod, now=now,
                                            crash_backoff=kubelet.crash_backoff,
                                            present=kubelet.runtime.image_status))
                for c in self.book.containers]
        return out

    def _replan(self, now: float) -> None:
        plan = {}
        for key, subject, facts in self._subjects(now):
            kind = "pod" if isinstance(subject, PodBook) else "container"
            for stage in self.kubelet.stages_for(kind, facts.get("state")):
                if not stage.selects(facts):
                    continue
                previous = self.plan.get((stage.name, key))
                deadline = previous[2] if previous else now + self._delay(stage, subject, now)
                plan[(stage.name, key)] = (stage, subject, deadline)
        self.plan = plan

    def _delay(self, stage: Stage, subject: Subject, now: float) -> float:
        delay = stage.delay
        if delay.backoff and isinstance(subject, ContainerBook):
            if delay.backoff == "crash" and subject.exit is not None:
                return self.kubelet.crash_backoff.remaining(
                    self.crash_key(subject), subject.exit.status.finished_at, now=now)
            if delay.backoff == "image":
                key = f"{self.book.uid}/{subject.spec.get('image', '')}"
                return self.kubelet.image_backoff.remaining(key, subject.pull_failed_at, now=now)
            return 0.0
        return delay.draw(self.kubelet.profile, self.kubelet.clock.jitter)

    async def step(self) -> None:
        """Fire every due stage, then publish the status."""
        clock = self.kubelet.clock
        for _ in range(MAX_FIRINGS):
            if self.finished:
                return
            now = clock.time()
            self._replan(now)
            due = [(deadline, stage.order, key) for key, (stage, _s, deadline)
                   in self.plan.items() if deadline <= now]
            if not due:
                break
            _deadline, _order, key = min(due)
            stage, subject, _ = self.plan.pop(key)
            await self.fire(stage, subject)
        else:
            log.error("pod %s/%s: stages fire without end; check stages.yaml",
                      self.book.namespace, self.book.name)
        await self.publish()

    async def fire(self, stage: Stage, subject: Subject) -> None:
        self._changes += 1
        variables = self.variables(subject)
        for event in stage.before:
            await self.record(subject, event.type, event.reason, event.render(variables))
        outcome = stage.outcome
        if stage.do:
            try:
                variables.update(await VERBS_BY_NAME[stage.do](self, subject) or {})
            except ActionError as exc:
                variables["error"] = subject.error = exc.message
                if stage.on_error is None:
                    log.warning("%s: %s failed: %s", self.book.formatted, stage.do, exc.message)
                    return
                outcome = stage.on_error
        self._apply(subject, outcome.next, variables)
        self._changes += 1
        for event in outcome.events:
            await self.record(subject, event.type, event.reason, event.render(variables))

    def _apply(self, subject: Subject, changes: dict[str, str],
               variables: dict[str, str]) -> None:
        if isinstance(subject, ContainerBook):
            if "state" in changes:
                subject.state = changes["state"]
                subject.reason = changes.get("reason", "")
                subject.message = ""
            if "message" in changes:
                subject.message = _render(changes["message"], variables)
            return
        for key, value in changes.items():
            if key == "admitted":
                subject.admitted = value == "true"
            elif key == "volumes":
                subject.volumes = value
            elif key == "sandbox":
                subject.sandbox_state = value
            elif key == "removing":
                subject.removing = value == "true"

    async def record(self, subject: Subject, type: str, reason: str, message: str) -> None:
        path = subject.field_path if isinstance(subject, ContainerBook) else ""
        await self.kubelet.recorder.event(self.book.pod, type=type, reason=reason,
                                          message=message, field_path=path)

    # --- status -----------------------------------------------------------------------------

    @property
    def published(self) -> bytes | None:
        """The last status handed over to the status manager, as JSON."""
        return None if self._published is None else packedstatus.unpack(self._published)

    def _publish(self, encoded: bytes) -> None:
        self._published = packedstatus.pack(encoded)

    def _release(self) -> None:
        """Asleep, a worker holds no parsed objects: 10,000 of them add up."""
        self.book.release()
        if self._status is not None and not isinstance(self._status, bytes):
            encoded = orjson.dumps(self._status)
            if self._published is not None and encoded == self.published:
                packed = self._published            # one copy
            else:
                packed = packedstatus.pack(encoded)
            self._status = packed

    def status(self, now: float | None = None) -> JSON:
        """The kubelet's part of the pod's status, as the books describe it now."""
        cached = self._status
        if cached is not None and self._status_of == self._changes:
            if isinstance(cached, bytes):
                self._status = cached = orjson.loads(packedstatus.unpack(cached))
            return cached
        pod = self.book
        published = self.published
        previous = (orjson.loads(published) if published is not None else
                    pod.pod.get("status") or {}).get("conditions") or []
        status = pod_status(pod, node_ip=self.kubelet.identity.internal_ip,
                            terminal=pod.deleting and not bk.alive(pod),
                            now=self.kubelet.clock.timestamp(), previous=previous)
        self._status, self._status_of = status, self._changes
        return status

    async def publish(self, *, final: bool = False) -> None:
        """Hand the status over to be written if it changed (``final``: write it now)."""
        if not self.book.admitted or self.book.gone:
            return
        status = self.status()
        encoded = orjson.dumps(status)
        if self._saved is not None:
            saved, self._saved = self._saved, None
            if merge_status(saved, status) == saved:
                self._publish(encoded)          # restored as it was: nothing to write
        if final:
            self._publish(encoded)
            await self.kubelet.status_manager.flush(self, status)
        elif encoded != self.published:
            self._publish(encoded)
            self.kubelet.status_manager.set(self, status)


def _render(text: str, variables: dict[str, str]) -> str:
    return Template(text).safe_substitute(variables)
