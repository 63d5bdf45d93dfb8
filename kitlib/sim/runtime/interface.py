"""The container runtime interface: what a kubelet asks of the software that runs containers.

A real kubelet never starts a process itself.  It speaks CRI to containerd: pull an
image, run a pod sandbox (the pod's network namespace and IP), create, start, stop and
remove containers, watch for their exits, exec a command in one.  The simulated kubelet
speaks this protocol, and only this, to a simulated runtime.  Everything a container
*does* (which images exist, how long ``sleep 30`` takes, what ``/healthz`` answers) lives
behind it, so a richer runtime can replace the provisional one without the kubelet
changing.

Times are simulated seconds since the epoch (``Clock.time()``).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import orjson

JSON = dict[str, Any]

#: Exit codes a process killed by a signal reports (128 + signal number).
EXIT_SIGTERM = 143
EXIT_SIGKILL = 137


class CRIError(Exception):
    """A runtime call failed; ``message`` is what containerd would answer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PullError(CRIError):
    """The image could not be pulled (the kubelet reports ErrImagePull)."""


class StartError(CRIError):
    """The container was created but its process could not start (runc's error)."""

    exit_code = 128


@dataclass(frozen=True, kw_only=True)
class Image:
    """An image present on the node (CRI ImageStatus)."""

    reference: str          # the normalised name: docker.io/library/nginx:1.14.2
    id: str                 # imageID in pod statuses: docker.io/library/nginx@sha256:...
    digest: str             # sha256:...
    size: int               # bytes, as Pulled events report them


@dataclass(frozen=True, kw_only=True)
class Pulled:
    image: Image
    seconds: float          # time spent pulling (without waiting in the kubelet's queue)


@dataclass(frozen=True, kw_only=True, slots=True)
class PodSandbox:
    """A pod's shared identity: one network namespace (its IP) and its volumes."""

    id: str
    namespace: str
    name: str
    uid: str
    node: str
    ip: str                 # the pod IP; the node's own IP for hostNetwork pods
    host_network: bool = False
    hostname: str = ""
    volumes: tuple[JSON, ...] = ()
    #: The volumes as JSON instead (what the simulated runtime keeps: ten thousand pods'
    #: parsed volumes are tens of megabytes), without their names, which are in
    #: ``volume_names`` (None: the volume has none).  The replicas of a Deployment differ
    #: only in the names (``kube-api-access-xxxxx``), so they can share the JSON.
    volumes_json: bytes = b""
    volume_names: tuple[str | None, ...] = ()

    def volume_specs(self) -> tuple[JSON, ...]:
        """The pod's ``spec.volumes``."""
        if self.volumes_json:
            specs = tuple(orjson.loads(self.volumes_json))
            for spec, name in zip(specs, self.volume_names):
                if name is not None:
                    spec["name"] = name
            return specs
        return self.volumes


@dataclass(frozen=True, kw_only=True)
class ContainerConfig:
    """One container to create (CRI ContainerConfig), after the kubelet resolved it."""

    name: str
    image: str                          # as the spec gives it
    command: tuple[str, ...] = ()       # $(VAR) expanded; empty: the image's entrypoint
    args: tuple[str, ...] = ()          # empty: the image's cmd
    env: tuple[tuple[str, str], ...] = ()
    working_dir: str = ""
    ports: tuple[JSON, ...] = ()
    mounts: tuple[JSON, ...] = ()
    attempt: int = 0                    # the restart count this container will carry
    kind: str = "regular"               # regular | init | sidecar
    stdin: bool = False
    stdin_once: bool = False
    tty: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    termination_message_path: str = "/dev/termination-log"
    termination_message_policy: str = "File"        # File | FallbackToLogsOnError
    memory_limit: int = 0                           # bytes (resources.limits.memory); 0: none


@dataclass(frozen=True, kw_only=True)
class ExitStatus:
    """How a container's process ended."""

    exit_code: int
    reason: str             # Completed | Error | OOMKilled | StartError
    started_at: float
    finished_at: float
    message: str = ""
    signal: int = 0


class NetworkError(CRIError):
    """A connection that failed, with Go's dial error text (``dial tcp ...: refused``)."""


@dataclass(frozen=True, kw_only=True)
class ExecResult:
    """What a command run in a container (CRI ExecSync) returned."""

    exit_code: int
    output: str = ""            # stdout and stderr, as the prober reads them


@dataclass(frozen=True, kw_only=True)
class HttpResponse:
    status: int
    body: str = ""


@runtime_checkable
class ContainerRuntime(Protocol):
    """What the kubelet needs from a node's container runtime."""

    #: containerRuntimeVersion in the node's status is ``{name}://{version}``.
    name: str
    version: str

    # --- images -------------------------------------------------------------------------
    def image_status(self, image: str) -> Image | None:
        """The image if it is present on this node (``image`` as the spec gives it)."""

    async def pull_image(self, image: str, *, sandbox: PodSandbox) -> Pulled:
        """Pull ``image`` (raises PullError); takes simulated time."""

    # --- sandboxes ----------------------------------------------------------------------
    def run_pod_sandbox(self, *, namespace: str, name: str, uid: str, ip: str,
                        host_network: bool = False, hostname: str = "",
                        volumes: tuple[JSON, ...] = ()) -> PodSandbox: ...

    def stop_pod_sandbox(self, sandbox_id: str) -> None: ...

    # --- containers ---------------------------------------------------------------------
    def create_container(self, sandbox: PodSandbox, config: ContainerConfig,
                         image: Image) -> str:
        """A new container's ID (64 hex characters)."""

    def start_container(self, container_id: str) -> float:
        """Start it; returns startedAt.  Raises StartError if the process cannot run."""

    def wait_container(self, container_id: str) -> asyncio.Future[ExitStatus]:
        """A future that resolves when the container's process exits."""

    def stop_container(self, container_id: str, *, timeout: float) -> None:
        """SIGTERM (or the image's stop signal), then SIGKILL after ``timeout`` seconds."""

    def remove_container(self, container_id: str) -> None: ...

    def restore_container(self, sandbox: PodSandbox, config: ContainerConfig, *,
                          container_id: str, image: str, started_at: float) -> None:
        """Adopt a container the cluster's saved state says is running (after a restart
        of the simulator, the node's processes carry on as if never interrupted)."""

    def close(self) -> None:
        """The node is going away with the simulator: drop every pending timer."""

    # --- what probes ask ----------------------------------------------------------------
    # ``probe`` names the asking probe (liveness, readiness, startup) for runtimes that
    # simulate answers per probe; a runtime that runs real handlers ignores it.
    async def exec_sync(self, container_id: str, command: tuple[str, ...], *,
                        timeout: float, probe: str = "") -> ExecResult:
        """Run a command in the container and wait for it.  A command still running after
        ``timeout`` fails with the kubelet's ``command "..." timed out``; one that cannot
        start raises CRIError (containerd's message)."""

    async def http_get(self, container_id: str, *, port: int, path: str,
                       scheme: str = "HTTP", host: str = "",
                       headers: tuple[tuple[str, str], ...] = (), timeout: float,
                       probe: str = "") -> HttpResponse:
        """GET from the container's network (raises NetworkError when nothing answers)."""

    async def tcp_connect(self, container_id: str, *, port: int, host: str = "",
                          timeout: float, probe: str = "") -> None:
        """Open a TCP connection to the container (raises NetworkError if refused)."""

    async def grpc_health(self, container_id: str, *, port: int, service: str = "",
                          timeout: float, probe: str = "") -> str:
        """grpc.health.v1 Check: the serving status name (``SERVING``, ``NOT_SERVING``)."""


@runtime_checkable
class FaultInjection(Protocol):
    """Hooks an instructor (or a test) uses to make things go wrong on purpose."""

    def crash_container(self, container_id: str, *, exit_code: int = 1,
                        reason: str = "") -> bool:
        """Make the container's process exit now; False if it is not running."""

    def hang_container(self, container_id: str, *, hang: bool = True) -> bool:
        """Make the process ignore SIGTERM (only the kill at the grace period's end stops it)."""
