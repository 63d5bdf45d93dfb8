"""The runtime's side of pod networking: each container's view of its pod's network, and a
stand-in network for a runtime that was given no cluster network.

A container's listeners are closed when its process ends, whatever the program did, as
the kernel closes a dead process's sockets.  The stand-in (``LoopbackNetwork``) is a pod
alone: its containers reach each other on localhost and on the pod's IP, and nothing
else; the cluster's network (``network/``), when the fleet has one, replaces it.  Both
carry HTTP as objects and other protocols as in-memory byte streams, and can turn one
into the other (``nc`` to nginx, ``kubectl port-forward`` to anything).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from kitlib.sim.network.api import (Connection, HttpHandler, HttpRequest, HttpResponse,
                                    Listener, NetError, PodNetwork, StreamHandler)
from kitlib.sim.runtime.streams import Pipe

LOCALHOST = ("127.0.0.1", "::1", "localhost", "0.0.0.0")


class StreamEnd:
    """One end of an in-memory TCP connection."""

    def __init__(self, inbox: Pipe, outbox: Pipe, *, peer_ip: str, peer_port: int) -> None:
        self._inbox, self._outbox = inbox, outbox
        self.peer_ip, self.peer_port = peer_ip, peer_port

    async def read(self, limit: int = 65536) -> bytes:
        return await self._inbox.read(limit)

    def write(self, data: bytes) -> None:
        self._outbox.write(data)

    async def drain(self) -> None:
        await asyncio.sleep(0)

    def close(self) -> None:
        self._outbox.close()


def stream_pair(*, client: tuple[str, int], server: tuple[str, int]) -> tuple[StreamEnd,
                                                                              StreamEnd]:
    up, down = Pipe(), Pipe()
    return (StreamEnd(down, up, peer_ip=server[0], peer_port=server[1]),
            StreamEnd(up, down, peer_ip=client[0], peer_port=client[1]))


async def serve_http_stream(connection: Connection, handler: HttpHandler) -> None:
    """HTTP/1.1 spoken over a byte stream, answered by an HTTP handler (one request)."""
    buffer = b""
    while b"\r\n\r\n" not in buffer and b"\n\n" not in buffer:
        chunk = await connection.read()
        if not chunk:
            connection.close()
            return
        buffer += chunk
    head, _, body = buffer.replace(b"\r\n", b"\n").partition(b"\n\n")
    lines = head.decode("latin-1").split("\n")
    request_line = lines[0].split(" ")
    method = request_line[0]
    target = request_line[1] if len(request_line) > 1 else "/"
    headers = tuple((k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in
                                                           lines[1:] if ":" in line))
    length = next((int(v) for k, v in headers if k.lower() == "content-length"), 0)
    while len(body) < length:
        chunk = await connection.read()
        if not chunk:
            break
        body += chunk
    host = next((v for k, v in headers if k.lower() == "host"), "")
    response = await handler(HttpRequest(method=method, target=target, headers=headers,
                                         body=body, host=host, client_ip=connection.peer_ip,
                                         client_port=connection.peer_port))
    status = f"HTTP/1.1 {response.status} {response.reason}\r\n"
    fields = "".join(f"{k}: {v}\r\n" for k, v in response.headers)
    connection.write(status.encode() + fields.encode() + b"\r\n" + response.body)
    await connection.drain()
    connection.close()


class LoopbackNetwork:
    """A pod with no network beyond itself."""

    def __init__(self, *, ip: str, hostname: str) -> None:
        self.ip = ip
        self.hostname = hostname
        self._listeners: dict[int, Listener] = {}
        self._ports = 40000

    def listen(self, port: int, *, http: HttpHandler | None = None,
               stream: StreamHandler | None = None, protocol: str = "TCP",
               owner: str = "") -> Listener:
        if port in self._listeners:
            raise NetError("in_use", f"listen tcp :{port}: bind: address already in use")
        listener = Listener(ip=self.ip, port=port, protocol=protocol, http=http,
                            stream=stream, owner=owner)

        def close() -> None:
            if self._listeners.get(port) is listener:
                del self._listeners[port]
        listener.close = close  # type: ignore[method-assign]
        self._listeners[port] = listener
        return listener

    def resolve(self, name: str) -> list[str]:
        if name in ("localhost", "ip6-localhost"):
            return ["127.0.0.1"]
        if name == self.hostname:
            return [self.ip]
        if name.replace(".", "").isdigit() or ":" in name:
            return [name]
        raise NetError("nxdomain", f"lookup {name} on 10.96.0.10:53: no such host")

    def _listener(self, host: str, port: int) -> tuple[str, Listener]:
        ip = self.resolve(host)[0]
        if ip not in LOCALHOST and ip != self.ip:
            raise NetError("unreachable", f"dial tcp {ip}:{port}: connect: no route to host")
        listener = self._listeners.get(port)
        if listener is None:
            raise NetError("refused", f"dial tcp {ip}:{port}: connect: connection refused")
        return ip, listener

    def _client(self, ip: str) -> tuple[str, int]:
        self._ports = 40000 + (self._ports - 39999) % 20000
        return ("127.0.0.1" if ip in LOCALHOST else self.ip), self._ports

    async def http(self, host: str, port: int, request: HttpRequest, *,
                   timeout: float = 10.0) -> HttpResponse:
        ip, listener = self._listener(host, port)
        client_ip, client_port = self._client(ip)
        request = replace(request, client_ip=client_ip, client_port=client_port,
                          host=request.host or f"{host}:{port}")
        if listener.http is not None:
            return await listener.http(request)
        raise NetError("reset", f"read tcp {client_ip}:{client_port}->{ip}:{port}: read: "
                                "connection reset by peer")

    async def connect(self, host: str, port: int, *, timeout: float = 10.0) -> Connection:
        ip, listener = self._listener(host, port)
        client, server = stream_pair(client=self._client(ip), server=(ip, port))
        if listener.stream is not None:
            asyncio.ensure_future(listener.stream(server))
        elif listener.http is not None:
            asyncio.ensure_future(serve_http_stream(server, listener.http))
        return client


class ContainerNetwork:
    """One container's use of its pod's network: its listeners end with its process."""

    __slots__ = ("_net", "owner", "_listeners")

    def __init__(self, net: PodNetwork, *, owner: str) -> None:
        self._net = net
        self.owner = owner
        self._listeners: list[Listener] | None = None      # made by the first listen

    @property
    def ip(self) -> str:
        return self._net.ip

    @property
    def hostname(self) -> str:
        return self._net.hostname

    def listen(self, port: int, *, http: HttpHandler | None = None,
               stream: StreamHandler | None = None, protocol: str = "TCP",
               owner: str = "") -> Listener:
        listener = self._net.listen(port, http=http, stream=stream, protocol=protocol,
                                    owner=self.owner)
        if self._listeners is None:
            self._listeners = []
        self._listeners.append(listener)
        return listener

    def resolve(self, name: str) -> list[str]:
        return self._net.resolve(name)

    async def http(self, host: str, port: int, request: HttpRequest, *,
                   timeout: float = 10.0) -> HttpResponse:
        return await self._net.http(host, port, request, timeout=timeout)

    async def connect(self, host: str, port: int, *, timeout: float = 10.0) -> Connection:
        return await self._net.connect(host, port, timeout=timeout)

    def close(self) -> None:
        listeners, self._listeners = self._listeners, None
        for listener in listeners or ():
            listener.close()
