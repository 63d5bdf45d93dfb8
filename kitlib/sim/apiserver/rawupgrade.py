"""An HTTP/1.1 connection upgraded to SPDY/3.1: the socket as a byte stream, on aiohttp.

kubectl before 1.30 (exec, attach) and before 1.31 (port-forward) does not use WebSocket:
it asks for ``Upgrade: SPDY/3.1`` and, once answered ``101 Switching Protocols``, speaks
SPDY on the bare connection.  aiohttp knows only WebSocket upgrades, so this module does
what its WebSocketResponse does for those: answer 101, then hand the connection's incoming
bytes to a parser of our own instead of the HTTP parser.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator

from aiohttp import web

SPDY = "SPDY/3.1"
PROTOCOL_HEADER = "X-Stream-Protocol-Version"
#: Unread bytes past which the socket stops being read (the client waits).
HIGH_WATER = 4 * 1024 * 1024


def is_spdy_upgrade(request: web.Request) -> bool:
    connection = request.headers.get("Connection", "").lower()
    return "upgrade" in connection and \
        request.headers.get("Upgrade", "").lower().startswith(SPDY.lower())


def offered_protocols(request: web.Request) -> list[str]:
    """The stream protocol versions the client offers, in its order of preference."""
    return [p.strip() for value in request.headers.getall(PROTOCOL_HEADER, [])
            for p in value.split(",") if p.strip()]


class _Feed:
    """What aiohttp's protocol feeds the connection's bytes to, once upgraded."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.eof = False
        self.ready = asyncio.Event()

    def feed_data(self, data: bytes) -> tuple[bool, bytes]:
        self.buffer += data
        self.ready.set()
        return False, b""

    def feed_eof(self) -> None:
        self.eof = True
        self.ready.set()


class RawConnection:
    """The upgraded connection: ``chunks()`` of what the client sends, ``send`` to it."""

    def __init__(self, request: web.Request, response: web.StreamResponse,
                 feed: _Feed) -> None:
        self._request = request
        #: The 101 answer, already sent: what the handler returns.
        self.response = response
        self._feed = feed
        self.closed = False

    async def chunks(self) -> AsyncIterator[bytes]:
        feed = self._feed
        while True:
            if feed.buffer:
                data = bytes(feed.buffer)
                feed.buffer.clear()
                yield data
                continue
            if feed.eof or self.closed:
                return
            feed.ready.clear()
            await feed.ready.wait()

    async def send(self, data: bytes) -> None:
        if self.closed:
            raise ConnectionResetError("the connection is closed")
        await self.response.write(data)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            protocol = self._request.protocol
            with contextlib.suppress(Exception):
                protocol.force_close()


async def upgrade(request: web.Request, *, protocol: str) -> RawConnection:
    """Answer 101 and take the connection over (``protocol``: the negotiated version)."""
    feed = _Feed()
    # Before the answer leaves: the client's first frame may follow it at once.
    request.protocol.set_parser(feed)  # type: ignore[arg-type]
    response = web.StreamResponse(status=101, reason="Switching Protocols", headers={
        "Connection": "Upgrade", "Upgrade": SPDY, PROTOCOL_HEADER: protocol})
    await response.prepare(request)
    return RawConnection(request, response, feed)
