"""The facts stages select on: what a kubelet knows about a pod or a container, as strings.

Stages (``stages.yaml``) never look at the kubelet's books directly; they match these
facts, so the books can change shape without the data changing.  Facts are flat strings,
as label selector values are (a container sees its pod's facts under ``pod.``):

pod:        admitted ("true"|"false"), volumes (pending|mounted|failed),
            sandbox (none|ready|failed|stopped), deleting, gone,
            removing, alive (a container is running or stopping), phase (as getPhase
            computes it; computed only when a selector asks), mainDone (every regular
            container finished for good)
container:  name, kind (init|sidecar|regular), turn (its predecessors let it start),
            state (new|pulled|created|running|stopping|exited|waiting), reason,
            image (present|absent|invalid; while state is new), pullPolicy,
            runtime (none|running|exited), restart (the restart policy wants it run
            again), crashBackoff (active|clear; once it has exited), liveness / startup
            (success|failure|unknown), specChanged

Message variables (``${name}`` in stages.yaml): container, image, pod (name_namespace(uid)),
error, backoff, and after a pull pullTime, pullTotal, imageSize.
"""

from __future__ import annotations

from typing import Any, Callable

from kitlib.sim.kubelet import books as bk
from kitlib.sim.kubelet.backoff import Backoff
from kitlib.sim.kubelet.books import ContainerBook, PodBook
from kitlib.sim.kubelet.durations import go_duration
from kitlib.sim.runtime.reference import ReferenceError, parse_reference

#: A back-off with less than this left is over (clock arithmetic is not exact).
EPSILON = 1e-6


class Facts(dict[str, str]):
    """Facts for selectors; the costly ones are computed when a selector first asks."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.lazy: dict[str, Callable[[], str]] = {}

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key in self:
            return self[key]
        compute = self.lazy.get(key)
        if compute is None:
            return default
        value = self[key] = compute()
        return value


def flag(value: bool) -> str:
    return "true" if value else "false"


def pod_facts(pod: PodBook, *, phase: Callable[[], str]) -> Facts:
    facts = Facts({"admitted": flag(pod.admitted), "volumes": pod.volumes,
                   "sandbox": pod.sandbox_state,
                   "deleting": flag(pod.deleting), "gone": flag(pod.gone),
                   "removing": flag(pod.removing), "alive": flag(bk.alive(pod)),
                   "mainDone": flag(bk.main_done(pod))})
    facts.lazy["phase"] = phase
    return facts


def image_fact(book: ContainerBook, *, present: Callable[[str], object]) -> str:
    image = book.spec.get("image", "")
    try:
        parse_reference(image)
    except ReferenceError as exc:
        book.error = f'couldn\'t parse image name "{image}": {exc}'
        return "invalid"
    return "present" if present(image) else "absent"


def crash_key(pod: PodBook, book: ContainerBook) -> str:
    """The back-off's key for a container (the pod's UID and the container's name)."""
    return f"{pod.uid}/{book.name}"


def container_facts(pod: PodBook, book: ContainerBook, pod_facts: Facts, *, now: float,
                    crash_backoff: Backoff, present: Callable[[str], object]) -> Facts:
    """The container's facts, with the pod's under ``pod.``."""
    facts = Facts({"pod." + key: value for key, value in pod_facts.items()})
    facts.lazy["pod.phase"] = lambda: pod_facts.get("phase") or ""
    facts.update({
        "name": book.name, "kind": book.kind, "state": book.state, "reason": book.reason,
        "turn": flag(bk.turn(pod, book)),
        "pullPolicy": book.spec.get("imagePullPolicy") or "IfNotPresent",
        "runtime": book.runtime_state,
        "restart": flag(bk.wants_restart(pod, book, pod_facts["mainDone"] == "true")),
        "liveness": book.liveness, "startup": book.startup,
        "specChanged": flag(book.running_spec is not None and book.state == "running"
                            and book.spec is not book.running_spec
                            and book.spec != book.running_spec)})
    if book.state == "new":
        facts["image"] = image_fact(book, present=present)
    if book.exit is not None:
        left = crash_backoff.remaining(crash_key(pod, book), book.exit.status.finished_at,
                                       now=now)
        facts["crashBackoff"] = "active" if left > EPSILON else "clear"
    return facts


def variables(pod: PodBook, subject: PodBook | ContainerBook, *,
              crash_backoff: Backoff) -> dict[str, str]:
    """What ${...} in a stage's messages may name."""
    out = {"pod": pod.formatted, "error": getattr(subject, "error", "")}
    if isinstance(subject, ContainerBook):
        out.update(container=subject.name, image=subject.spec.get("image", ""),
                   backoff=go_duration(crash_backoff.get(crash_key(pod, subject))))
    return out
