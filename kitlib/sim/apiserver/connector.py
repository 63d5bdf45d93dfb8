"""What the API server needs from the nodes: the contract of its connection to a kubelet.

A real kube-apiserver serves ``pods/log``, ``exec``, ``attach`` and ``portforward`` by
calling the kubelet of the pod's node (port 10250), and ``services/proxy`` and
``pods/proxy`` by dialing pod IPs on the cluster network.  The simulated API server does the
same through a ``NodeConnector`` that the assembly injects into its context; it never
imports a kubelet, a runtime or the network.  The shapes here are the smallest the
endpoints need: bytes in, bytes out, and errors that carry the kubelet's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import AsyncIterator, Protocol


class NodeError(Exception):
    """The kubelet refused, with its text and the HTTP status it would answer.

    ``code`` 400: a log request the container's state cannot serve; 404: no such pod or
    container on the node; 500: anything else (``container not found ("x")``, a port
    that refused).  ``unreachable``: the kubelet does not answer at all (it is stopped)."""

    def __init__(self, message: str, *, code: int = 500, unreachable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.unreachable = unreachable


class ExecStartError(NodeError):
    """The command could not start in the container: the runtime's own text (``failed to
    exec in container: failed to start exec ...``)."""


@dataclass(frozen=True, kw_only=True)
class LogOptions:
    """PodLogOptions, as the API server forwards them to the kubelet."""

    follow: bool = False
    previous: bool = False
    timestamps: bool = False
    since_seconds: int | None = None
    since_time: float | None = None         # seconds since the epoch
    tail_lines: int | None = None
    limit_bytes: int | None = None


class StreamSession(Protocol):
    """One exec or attach: the process's standard streams, its terminal and its end."""

    async def write_stdin(self, data: bytes) -> None: ...

    def close_stdin(self) -> None:
        """End of input (the client closed its stdin)."""

    async def read_stdout(self) -> bytes:
        """The next output; b"" once the process closed its stdout."""

    async def read_stderr(self) -> bytes:
        """The next error output; b"" at its end (at once when there is none)."""

    def resize(self, columns: int, rows: int) -> None: ...

    async def wait(self) -> int:
        """The exit code (exec), or 0 when the attached container ended or detached."""

    def close(self) -> None:
        """The client went away: end the session, leave nothing running for it."""


class ByteStream(Protocol):
    """A TCP connection inside the pod's network namespace (port-forward)."""

    async def read(self, limit: int = 65536) -> bytes:
        """Up to ``limit`` bytes; b"" when the other side closed."""

    def write(self, data: bytes) -> None: ...

    async def drain(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True, kw_only=True)
class ProxiedRequest:
    method: str
    target: str                                 # path and query, as the backend sees them
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    host: str = ""
    client_ip: str = ""


@dataclass(frozen=True, kw_only=True)
class ProxiedResponse:
    status: int
    reason: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


class NodeConnector(Protocol):
    """The API server's way to the nodes: one kubelet per node, and the pod network."""

    async def container_logs(self, *, node: str, namespace: str, pod: str, container: str,
                             options: LogOptions) -> AsyncIterator[bytes]:
        """The container's log (raises NodeError before the first byte)."""

    async def exec(self, *, node: str, namespace: str, pod: str, container: str,
                   command: tuple[str, ...], stdin: bool, stdout: bool, stderr: bool,
                   tty: bool) -> StreamSession:
        """Start a command in a running container (NodeError, ExecStartError)."""

    async def attach(self, *, node: str, namespace: str, pod: str, container: str,
                     stdin: bool, stdout: bool, stderr: bool, tty: bool) -> StreamSession:
        """Attach to the container's main process."""

    async def port_forward(self, *, node: str, namespace: str, pod: str,
                           port: int) -> ByteStream:
        """Connect to ``port`` inside the pod (NodeError with containerd's full text)."""

    async def proxy_http(self, *, resource: str, namespace: str, name: str, port: str,
                         scheme: str, request: ProxiedRequest) -> ProxiedResponse:
        """One HTTP exchange with the pod behind ``pods/NAME:PORT`` or with a ready
        endpoint of ``services/NAME:PORT`` (``resource``: pods or services).  Raises the
        API's StatusError for what the resource's location forbids (no endpoints, no pod
        IP) and NodeError with Go's dial error text when nothing answers."""

    async def kubelet_http(self, *, node: str, request: ProxiedRequest) -> ProxiedResponse:
        """One HTTP exchange with the kubelet of ``node`` on its port 10250
        (``nodes/NAME/proxy/PATH``); NodeError when the kubelet does not answer."""
