"""In-memory TCP: the two ends of one connection between a client and a listener.

A real connection is a pair of kernel buffers, one per direction.  Here each direction is
a ``bytearray`` and an event: ``write`` appends to the peer's buffer and never blocks,
``drain`` waits while the peer has not read a megabyte it was sent (back-pressure, so a
program streaming forever cannot fill memory), ``read`` waits for data or for the peer's
``close`` (then returns b"" like a socket at EOF).  Closing either end ends both
directions, as ``close(2)`` on a socket does; the fabric closes every connection of a pod
whose sandbox stops.
"""

from __future__ import annotations

import asyncio
from typing import Callable

from kitlib.sim.network.api import NetError

#: Unread bytes past which ``drain`` waits for the reader.
HIGH_WATER = 1024 * 1024


class _Direction:
    """The bytes flowing one way, and whether more can come."""

    __slots__ = ("data", "eof", "readable", "writable")

    def __init__(self) -> None:
        self.data = bytearray()
        self.eof = False
        self.readable = asyncio.Event()
        self.writable = asyncio.Event()
        self.writable.set()


class StreamEnd:
    """One end of an in-memory connection (the ``Connection`` of ``network.api``)."""

    def __init__(self, *, local_ip: str, local_port: int, peer_ip: str, peer_port: int,
                 inbound: _Direction, outbound: _Direction) -> None:
        self.local_ip = local_ip
        self.local_port = local_port
        self.peer_ip = peer_ip
        self.peer_port = peer_port
        self._in = inbound
        self._out = outbound
        self.closed = False
        #: Called once when this end closes (the fabric forgets the connection).
        self.on_close: Callable[[StreamEnd], None] | None = None

    async def read(self, limit: int = 65536) -> bytes:
        """Up to ``limit`` bytes; b"" once the other side closed and all was read."""
        while not self._in.data:
            if self._in.eof or self.closed:
                return b""
            self._in.readable.clear()
            await self._in.readable.wait()
        size = len(self._in.data) if limit < 0 else min(limit, len(self._in.data))
        chunk = bytes(self._in.data[:size])
        del self._in.data[:size]
        if len(self._in.data) < HIGH_WATER:
            self._in.writable.set()
        return chunk

    def write(self, data: bytes) -> None:
        if self.closed:
            raise NetError("reset", "write: broken pipe")
        if self._out.eof or not data:
            return                      # the peer is gone: the bytes go nowhere
        self._out.data += data
        self._out.readable.set()
        if len(self._out.data) >= HIGH_WATER:
            self._out.writable.clear()

    async def drain(self) -> None:
        while not self._out.writable.is_set() and not self._out.eof and not self.closed:
            await self._out.writable.wait()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for direction in (self._in, self._out):
            direction.eof = True
            direction.readable.set()
            direction.writable.set()
        if self.on_close is not None:
            self.on_close(self)

    def __repr__(self) -> str:
        return (f"<StreamEnd {self.local_ip}:{self.local_port} -> "
                f"{self.peer_ip}:{self.peer_port}{' closed' if self.closed else ''}>")


Address = tuple[str, int]


def pipe(*, client: Address, server: Address, client_seen_as: Address | None = None,
         server_seen_as: Address | None = None) -> tuple[StreamEnd, StreamEnd]:
    """A connected pair: (the client's end, the server's end).

    ``server`` is where the server really is; ``server_seen_as`` is the address the client
    dialled (a Service's ClusterIP, before kube-proxy rewrote it), and ``client_seen_as``
    the source the server sees (after any masquerading)."""
    up, down = _Direction(), _Direction()
    dialled = server_seen_as or server
    source = client_seen_as or client
    client_end = StreamEnd(local_ip=client[0], local_port=client[1], peer_ip=dialled[0],
                           peer_port=dialled[1], inbound=down, outbound=up)
    server_end = StreamEnd(local_ip=server[0], local_port=server[1], peer_ip=source[0],
                           peer_port=source[1], inbound=up, outbound=down)
    return client_end, server_end
