"""Port-forward over SPDY/3.1: the kubelet's side of kubectl's connection.

kubectl is a SPDY client: for every local connection it creates an error stream and a
data stream (headers ``streamtype``, ``port``, ``requestid``), sends the connection's bytes
as DATA frames, and reads an error stream that stays empty unless forwarding failed.
Since 1.31 its SPDY travels inside a WebSocket (subprotocol
``SPDY/3.1+portforward.k8s.io``, cut into binary messages anywhere); before, on the
upgraded connection itself.  When one direction of a forwarded connection ends, the other
gets a second to finish, then both close (containerd's rule).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import AsyncIterator, Awaitable, Callable, Protocol

from aiohttp import WSMsgType, web

from kitlib.sim.apiserver import rawupgrade, spdy
from kitlib.sim.apiserver.connector import ByteStream, NodeError
from kitlib.sim.machinery import errors

log = logging.getLogger("kitlib.sim.apiserver")
PROTOCOL = "portforward.k8s.io"
#: The WebSocket subprotocol that carries SPDY (KEP-4006).
TUNNEL = f"SPDY/3.1+{PROTOCOL}"
#: Seconds the second direction gets after the first one ended.
LINGER = 1.0
CHUNK = 32 * 1024
OpenPort = Callable[[int], Awaitable[ByteStream]]


async def forward(conn: ByteStream, inbound: asyncio.Queue[bytes | None],
                  send: Callable[[bytes], Awaitable[None]]) -> None:
    """Copy both ways between the pod and the client until both ends are done, or one
    is and the other had ``LINGER`` seconds more."""

    async def to_pod() -> None:
        while (data := await inbound.get()) is not None:
            conn.write(data)
            await conn.drain()

    async def from_pod() -> None:
        while data := await conn.read(CHUNK):
            await send(data)

    tasks = [asyncio.ensure_future(to_pod()), asyncio.ensure_future(from_pod())]
    try:
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        if pending:
            await asyncio.wait(pending, timeout=LINGER)
    finally:
        conn.close()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)



@dataclass(eq=False)
class _Pair:
    """One forwarded connection: an error stream and a data stream with one request ID."""

    request_id: str
    port: int = 0
    error_stream: int = 0
    data_stream: int = 0
    inbound: asyncio.Queue[bytes | None] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None
    closed: set[int] = field(default_factory=set)   # streams we ended or the client reset


class Tunnel(Protocol):
    """A SPDY connection's bytes: in WebSocket messages, or on the bare socket."""

    async def send(self, data: bytes) -> None: ...

    def chunks(self) -> AsyncIterator[bytes]: ...


class WebSocketTunnel:
    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws

    async def send(self, data: bytes) -> None:
        if self.ws.closed:
            raise ConnectionResetError("the client went away")
        await self.ws.send_bytes(data)

    async def chunks(self) -> AsyncIterator[bytes]:
        async for message in self.ws:
            if message.type == WSMsgType.BINARY:
                yield message.data


class SpdyForwarder:
    def __init__(self, tunnel: Tunnel, open_port: OpenPort) -> None:
        self.tunnel = tunnel
        self.open_port = open_port
        self.framer = spdy.Framer()
        self.pairs: dict[str, _Pair] = {}
        self.streams: dict[int, _Pair] = {}
        self._lock = asyncio.Lock()

    async def send(self, frame: bytes) -> None:
        async with self._lock:
            await self.tunnel.send(frame)

    async def run(self) -> None:
        try:
            async for chunk in self.tunnel.chunks():
                try:
                    frames = self.framer.feed(chunk)
                except spdy.FrameError as exc:
                    log.info("port-forward: SPDY protocol error: %s", exc)
                    await self.send(spdy.Framer.goaway(0, 1))
                    return
                for frame in frames:
                    if await self.handle(frame) is False:
                        return
        finally:
            tasks = [p.task for p in self.pairs.values() if p.task is not None]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def handle(self, frame: spdy.Frame) -> bool:
        if isinstance(frame, spdy.SynStream):
            await self.new_stream(frame)
        elif isinstance(frame, spdy.DataFrame):
            pair = self.streams.get(frame.stream_id)
            if pair is not None and frame.stream_id == pair.data_stream:
                if frame.data:
                    pair.inbound.put_nowait(frame.data)
                if frame.fin:
                    pair.inbound.put_nowait(None)
        elif isinstance(frame, spdy.RstStream):
            pair = self.streams.get(frame.stream_id)
            if pair is not None:
                pair.closed.add(frame.stream_id)
                pair.inbound.put_nowait(None)
                if pair.task is not None and frame.stream_id == pair.data_stream:
                    pair.task.cancel()
        elif isinstance(frame, spdy.Ping):
            await self.send(spdy.Framer.ping(frame.id))
        elif isinstance(frame, spdy.GoAway):
            return False
        return True                 # SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do

    async def new_stream(self, frame: spdy.SynStream) -> None:
        """The kubelet's httpStreamReceived checks, then a reply, then pairing."""
        port_text, kind = frame.header("port"), frame.header("streamtype")
        problem = ""
        if not port_text:
            problem = '"port" header is required'
        elif not port_text.isdigit() or not 0 < int(port_text) < 65536:
            problem = f'unable to parse "{port_text}" as a port'
        elif kind not in ("error", "data"):
            problem = f'invalid stream type "{kind}"' if kind else \
                '"streamType" header is required'
        if problem:
            log.info("port-forward: stream rejected: %s", problem)
            await self.send(spdy.Framer.rst_stream(frame.stream_id, spdy.CANCEL))
            return
        async with self._lock:          # replies must leave in the compressor's order
            await self.tunnel.send(self.framer.syn_reply(frame.stream_id))
        request_id = frame.header("requestid") or \
            str(frame.stream_id if kind == "error" else frame.stream_id - 2)
        pair = self.pairs.setdefault(request_id, _Pair(request_id))
        pair.port = int(port_text)
        if kind == "error":
            pair.error_stream = frame.stream_id
        else:
            pair.data_stream = frame.stream_id
        self.streams[frame.stream_id] = pair
        if pair.error_stream and pair.data_stream and pair.task is None:
            pair.task = asyncio.ensure_future(self.run_pair(pair))

    async def run_pair(self, pair: _Pair) -> None:
        try:
            try:
                conn = await self.open_port(pair.port)
            except NodeError as err:
                await self.data(pair, pair.error_stream, err.message.encode())
                return

            async def send(data: bytes) -> None:
                await self.data(pair, pair.data_stream, data)

            await forward(conn, pair.inbound, send)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(ConnectionError):
                await self.end(pair)
            self.pairs.pop(pair.request_id, None)

    async def data(self, pair: _Pair, stream_id: int, payload: bytes) -> None:
        if stream_id not in pair.closed:
            for start in range(0, len(payload), CHUNK):
                await self.send(spdy.Framer.data(stream_id, payload[start:start + CHUNK]))

    async def end(self, pair: _Pair) -> None:
        for stream_id in (pair.data_stream, pair.error_stream):
            if stream_id not in pair.closed:
                pair.closed.add(stream_id)
                await self.send(spdy.Framer.data(stream_id, b"", fin=True))


async def serve_raw(request: web.Request, open_port: OpenPort) -> web.StreamResponse:
    offered = rawupgrade.offered_protocols(request)
    if PROTOCOL not in offered:
        raise errors.Forbidden(f"unable to upgrade: unable to negotiate protocol: client "
                               f"supports [{' '.join(offered)}], server supports [{PROTOCOL}]")
    conn = await rawupgrade.upgrade(request, protocol=PROTOCOL)
    try:
        await SpdyForwarder(conn, open_port).run()
    except ConnectionError:
        pass
    finally:
        conn.close()
    return conn.response
