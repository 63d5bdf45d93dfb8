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
import sys
from dataclasses import dataclass
from typing import Any

import orjson

from kitlib.sim.runtime.interface import ExitStatus, Image, PodSandbox
from kitlib.sim.store.records import Record

JSON = dict[str, Any]
ALIVE = ("running", "stopping")


@dataclass(frozen=True)
class Termination:
    status: ExitStatus
    container_id: str


class ContainerBook:
    """One container of the pod, in the kubelet's terms.

    Its spec is the pod's own: a book that belongs to a pod's books (``PodBook``) holds no
    copy of it, but finds it in the pod while the worker works (``release`` drops it).  A
    book on its own, or whose container left the pod, keeps it as JSON.  The spec the
    running container was made from is kept apart only while it differs.
    """

    __slots__ = ("name", "kind", "_owner", "_spec_json", "_spec", "_running_json", "state",
                 "reason", "message", "error", "attempts", "container_id", "image",
                 "started_at", "exit", "previous", "exit_future", "succeeded", "started",
                 "ready", "liveness", "startup", "restart_requested", "pull_failed_at",
                 "probe_tasks")

    def __init__(self, *, name: str, kind: str, spec: JSON, **fields: Any) -> None:
        self.name = name
        self.kind = kind                        # init | sidecar | regular
        self._owner: PodBook | None = None      # whose pod holds the spec (``attach``)
        self._spec_json: bytes | None = None    # the spec, when no pod holds it
        self._spec: JSON | None = None
        #: The running container's spec: None (no container), SAME (the current spec), or
        #: the JSON of another.
        self._running_json: bytes | None = None
        self.spec = spec
        self.state = "new"
        self.reason = ""                        # of a waiting state
        self.message = ""
        self.error = ""                         # the last failure's text
        self.attempts = 0                       # containers created so far
        self.container_id = ""
        self.image: Image | None = None
        self.started_at: float | None = None
        self.exit: Termination | None = None        # the latest container, once it ended
        self.previous: Termination | None = None    # the one before (lastState)
        self.exit_future: asyncio.Future[ExitStatus] | None = None
        self.succeeded = False                  # an init container that completed
        self.started = False                    # startup probe passed (or there is none)
        self.ready = False
        self.liveness = "unknown"
        self.startup = "unknown"
        self.restart_requested = False
        self.pull_failed_at = 0.0
        self.probe_tasks: list[asyncio.Task[None]] | None = None
        for key, value in fields.items():       # any of the above, as the state to start in
            setattr(self, key, value)

    def __repr__(self) -> str:
        return (f"ContainerBook(name={self.name!r}, kind={self.kind!r}, state={self.state!r}, "
                f"attempts={self.attempts})")

    @property
    def spec(self) -> JSON:
        """The container's spec, as the pod has it now."""
        if self._spec is None:
            if self._owner is not None:
                self._spec = self._owner.container_spec(self) or {}
            else:
                self._spec = orjson.loads(self._spec_json or b"{}")
        return self._spec

    @spec.setter
    def spec(self, spec: JSON) -> None:
        running = self._running_json
        if running is SAME:
            self._running_json = _dumps(self.spec)      # the running one stays as it was
        elif running is not None and running == orjson.dumps(spec):
            self._running_json = SAME
        self._spec = spec
        if self._owner is None:
            self._spec_json = _dumps(spec)

    def attach(self, owner: PodBook) -> None:
        """The spec is (from now on) the one ``owner``'s pod has under this name."""
        self._owner, self._spec_json = owner, None

    def detach(self) -> None:
        """Keep the spec as it is now, whatever the pod says later."""
        self._spec_json, self._owner = _dumps(self.spec), None

    @property
    def running_spec(self) -> JSON | None:
        """The spec the running container was made from: the very ``spec`` object while
        they are the same (``is`` tells that they are)."""
        running = self._running_json
        if running is None:
            return None
        if running is SAME:
            return self.spec
        return orjson.loads(running)

    @running_spec.setter
    def running_spec(self, spec: JSON | None) -> None:
        if spec is None:
            self._running_json = None
        elif spec is self._spec or orjson.dumps(spec) == orjson.dumps(self.spec):
            self._running_json = SAME
        else:
            self._running_json = _dumps(spec)

    def release(self) -> None:
        """Drop the parsed spec (found again when next read)."""
        self._spec = None

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
        for task in self.probe_tasks or ():
            task.cancel()
        self.probe_tasks = None


#: ``ContainerBook._running_json`` of a container made from the current spec.
SAME = b"same"


def _dumps(spec: JSON) -> bytes:
    """JSON in a bytes object of its own size (orjson's own holds a 4 kB buffer)."""
    return memoryview(orjson.dumps(spec)).tobytes()


class PodBook:
    """The pod, in the kubelet's terms.

    The newest version of the pod seen (``source``) is parsed (``pod``) only while the
    worker works, so 10,000 sleeping workers hold the store's packed record, not 10,000
    parsed pods; the containers' specs are read from it too."""

    __slots__ = ("uid", "namespace", "name", "containers", "source", "_pod", "admitted",
                 "volumes", "error", "sandbox_state", "sandbox", "ip", "start_time",
                 "removing", "gone", "initialized")

    def __init__(self, *, uid: str, namespace: str, name: str, containers: list[ContainerBook],
                 pod: JSON | None = None, source: Record | None = None) -> None:
        self.uid, self.namespace, self.name = uid, namespace, name
        self.containers = containers
        self.source = source
        self._pod = pod
        self.admitted = False
        self.volumes = "pending"        # pending | mounted | failed
        self.error = ""                 # the last failure's text (a volume that did not mount)
        self.sandbox_state = "none"
        self.sandbox: PodSandbox | None = None
        self.ip = ""
        self.start_time = ""
        self.removing = False
        self.gone = False
        self.initialized = False        # a regular container has started at least once
        for container in containers:
            # Books made from this very pod (``new_books``) read their specs from it.
            if pod is not None and container._spec is not None \
                    and self.container_spec(container) is container._spec:
                container.attach(self)

    def __repr__(self) -> str:
        return f"PodBook(uid={self.uid!r}, namespace={self.namespace!r}, name={self.name!r})"

    def container_spec(self, book: ContainerBook) -> JSON | None:
        """The spec the pod has for the container of ``book`` (None if it has none)."""
        group = "containers" if book.kind == "regular" else "initContainers"
        for spec in self.spec.get(group) or ():
            if isinstance(spec, dict) and spec.get("name") == book.name:
                return spec
        return None

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
        for container in self.containers:
            container.release()

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
    # Names interned: every replica's container has the same.
    books = [ContainerBook(name=sys.intern(str(c.get("name", ""))), spec=c,
                           kind="sidecar" if c.get("restartPolicy") == "Always" else "init")
             for c in spec.get("initContainers") or []]
    books += [ContainerBook(name=sys.intern(str(c.get("name", ""))), kind="regular", spec=c)
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
