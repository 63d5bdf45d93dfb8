"""What a pod's network namespace offers: the contract between the network and the
programs in containers (servers listen, clients connect, everyone resolves names).

Traffic never leaves the process: a connection is a pair of in-memory streams between a
client and the listener registered for an (IP, port) on the fabric.  HTTP, which most
lessons use, has a fast path (a request object in, a response object out); other
protocols (redis) use a byte stream.  Errors carry the texts Go and busybox print
(``dial tcp 10.96.0.12:80: connect: connection refused``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Awaitable, Callable, Protocol


class NetError(OSError):
    """A network call that failed; ``kind`` is refused | unreachable | timeout | nxdomain |
    in_use, and ``message`` is the text a real client shows."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class HttpRequest:
    method: str
    target: str                               # path and query: "/healthz?verbose=1"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    host: str = ""                            # the Host header's value
    client_ip: str = ""                       # where it came from (after any proxying)
    client_port: int = 0


@dataclass(frozen=True)
class HttpResponse:
    status: int
    reason: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    #: Where the answer really came from (which pod), for lessons about Services.
    served_by: str = ""


HttpHandler = Callable[[HttpRequest], Awaitable[HttpResponse]]


class Connection(Protocol):
    """One end of a byte stream (TCP)."""

    peer_ip: str
    peer_port: int

    async def read(self, limit: int = 65536) -> bytes:
        """Up to ``limit`` bytes; b"" when the other side closed."""

    def write(self, data: bytes) -> None: ...

    async def drain(self) -> None: ...

    def close(self) -> None: ...


StreamHandler = Callable[[Connection], Awaitable[None]]


@dataclass
class Listener:
    ip: str
    port: int
    protocol: str = "TCP"
    http: HttpHandler | None = None
    stream: StreamHandler | None = None
    owner: str = field(default="")            # "namespace/pod/container", for messages

    def close(self) -> None:
        """Stop listening (set by the fabric when it registers the listener)."""


class PodNetwork(Protocol):
    """A pod's network namespace: its IP, its resolver, its listeners, its way out."""

    ip: str
    hostname: str

    def listen(self, port: int, *, http: HttpHandler | None = None,
               stream: StreamHandler | None = None, protocol: str = "TCP",
               owner: str = "") -> Listener:
        """Listen on every address of the pod (its IP and localhost); raises NetError
        ``in_use`` ("bind: address already in use") if a container of the pod already does."""

    def resolve(self, name: str) -> list[str]:
        """Cluster DNS as this pod sees it (search domains from its namespace); raises
        NetError ``nxdomain``."""

    async def http(self, host: str, port: int, request: HttpRequest, *,
                   timeout: float = 10.0) -> HttpResponse:
        """Send one HTTP request to ``host`` (an IP or a name) and wait for the answer."""

    async def connect(self, host: str, port: int, *, timeout: float = 10.0) -> Connection:
        """Open a byte stream to ``host:port`` (raises NetError refused/unreachable)."""
