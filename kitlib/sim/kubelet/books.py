"""What a kubelet knows about one pod and each of its containers.

The pod worker keeps these books: the pod's sandbox and IP, and for each container its
state in the kubelet's own terms (new, pulled, created, running, stopping, exited,
waiting), its attempts and how the last ones ended, its probe results.  The rules that
read them the way the real kubelet does live here too: whose turn it is among init
containers, whether the restart policy wants an ended container back.  Stages see the
books only through ``facts``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from kitlib.sim.runtime.interface import ExitStatus, Image, PodSandbox
from kitlib.sim.store.records import Record

JSON = dict[str, Any]
ALIVE = ("running", "stopping")


@dataclass(frozen=True)
class Termination:
    status: ExitStatus
    container_id: str


@dataclass(eq=False)
class ContainerBook:
    name: str
    kind: str                       # init | sidecar | regular
    spec: JSON
    state: str = "new"
    reason: str = ""                # of a waiting state
    message: str = ""
    error: str = ""                 # the last failure's text
    attempts: int = 0               # containers created so far
    container_id: str = ""
    image: Image | None = None
    started_at: float | None = None
    exit: Termination | None = None         # the latest container, once it ended
    previous: Termination | None = None     # the one before (lastState)
    exit_future: asyncio.Future[ExitStatus] | None = None
    succeeded: bool = False         # an init container that completed
    started: bool = False           # startup probe passed (or there is none)
    ready: bool = False
    liveness: str = "unknown"
    startup: str = "unknown"
    restart_requested: bool = False
    running_spec: JSON | None = None        # the spec the running container was made from
    pull_failed_at: float = 0.0
    pull_seconds: float = 0.0
    pull_total: float = 0.0
    probe_tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def field_path(self) -> str:
        group = "initContainers" if self.kind != "regular" else "containers"
        return f"spec.{group}{{{self.name}}}"

    @property
    def runtime_state(self) -> str:
        if self.exit_future is None:
            return "none"
        return "exited" if self.exit_future.done() else "running"

    def stop_probes(self) -> None:
        for task in self.probe_tasks:
            task.cancel()
        self.probe_tasks.clear()


@dataclass(eq=False, init=False)
class PodBook:
    uid: str
    namespace: str
    name: str
    containers: list[ContainerBook]
    #: The newest version of the pod seen; parsed (``pod``) only while the worker works,
    #: so 10,000 sleeping workers hold the store's packed record, not 10,000 parsed pods.
    source: Record | None = None
    admitted: bool = False
    volumes: str = "pending"        # pending | mounted | failed
    error: str = ""                 # the last failure's text (a volume that did not mount)
    sandbox_state: str = "none"
    sandbox: PodSandbox | None = None
    ip: str = ""
    start_time: str = ""
    removing: bool = False
    gone: bool = False
    initialized: bool = False       # a regular container has started at least once

    def __init__(self, *, uid: str, namespace: str, name: str, containers: list[ContainerBook],
                 pod: JSON | None = None, source: Record | None = None) -> None:
        self.uid, self.namespace, self.name = uid, namespace, name
        self.containers = containers
        self.source = source
        self._pod = pod

    @property
    def pod(self) -> JSON:
        """The pod (without managedFields and container statuses: the kubelet makes its
        own); parsed from ``source`` when first needed after ``release``."""
        if self._pod is None:
            self._pod = slim(self.source.object()) if self.source is not None else {}
        return self._pod

    def see(self, record: Record, pod: JSON) -> None:
        """A newer version: ``record``, parsed (and slimmed) as ``pod``."""
        self.source, self._pod = record, pod

    def release(self) -> None:
        """Drop the parsed pod (it is parsed again from ``source`` when needed)."""
        if self.source is not None:
            self._pod = None

    @property
    def spec(self) -> JSON:
        return self.pod.get("spec") or {}

    @property
    def deleting(self) -> bool:
        return self.gone or bool((self.pod.get("metadata") or {}).get("deletionTimestamp"))

    @property
    def restart_policy(self) -> str:
        return self.spec.get("restartPolicy") or "Always"

    @property
    def formatted(self) -> str:
        """format.Pod: ``name_namespace(uid)``, as kubelet messages name a pod."""
        return f"{self.name}_{self.namespace}({self.uid})"

    def book(self, name: str) -> ContainerBook | None:
        for container in self.containers:
            if container.name == name:
                return container
        return None

    def init_books(self) -> list[ContainerBook]:
        return [c for c in self.containers if c.kind != "regular"]

    def regular_books(self) -> list[ContainerBook]:
        return [c for c in self.containers if c.kind == "regular"]


def slim(pod: JSON) -> JSON:
    """The pod as a worker reads it: without what it never reads (managedFields, the
    container statuses it computes itself)."""
    pod.get("metadata", {}).pop("managedFields", None)
    status = pod.get("status")
    if isinstance(status, dict):
        for key in ("containerStatuses", "initContainerStatuses"):
            status.pop(key, None)
    return pod


def new_books(pod: JSON) -> list[ContainerBook]:
    spec = pod.get("spec") or {}
    books = [ContainerBook(name=c.get("name", ""), spec=c,
                           kind="sidecar" if c.get("restartPolicy") == "Always" else "init")
             for c in spec.get("initContainers") or []]
    books += [ContainerBook(name=c.get("name", ""), kind="regular", spec=c)
              for c in spec.get("containers") or []]
    return books


def satisfied(book: ContainerBook) -> bool:
    """An init container that no longer holds back the ones after it."""
    if book.kind == "sidecar":
        return book.state in ALIVE and book.started
    return book.succeeded


def turn(pod: PodBook, book: ContainerBook) -> bool:
    """Whether the container may be started now (init containers go one by one)."""
    if pod.initialized:
        return True
    for other in pod.init_books():
        if other is book:
            return True
        if not satisfied(other):
            return False
    return True             # a regular container: every init container is done


def wants_restart(pod: PodBook, book: ContainerBook, main_done: bool) -> bool:
    """kubelet's ShouldContainerBeRestarted, for a container whose process ended."""
    if pod.deleting or book.exit is None:
        return False
    if book.restart_requested:
        return True
    code = book.exit.status.exit_code
    if book.kind == "sidecar":
        return not main_done
    if book.kind == "init":
        return code != 0 and pod.restart_policy != "Never"
    policy = pod.restart_policy
    return policy == "Always" or (policy == "OnFailure" and code != 0)


def main_done(pod: PodBook) -> bool:
    """Every regular container has finished and will not run again."""
    regular = pod.regular_books()
    return bool(regular) and all(
        c.state == "exited" and not wants_restart(pod, c, main_done=False) for c in regular)


def alive(pod: PodBook) -> bool:
    return any(c.state in ALIVE for c in pod.containers)
