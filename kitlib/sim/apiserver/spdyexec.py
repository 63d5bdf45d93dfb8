"""exec and attach over SPDY/3.1, for kubectl before 1.30 (the remotecommand protocol).

On a real cluster such a request passes through the API server to the kubelet, which
answers it: the client opens one SPDY stream per standard stream (header ``streamtype``:
error, stdin, stdout, stderr, resize), the server replies to each, then the bytes flow as
DATA frames, stdin's end is a FIN, and the Status (v4) arrives on the error stream before
the server ends every stream.  The texts are the kubelet's: a container that is not
running is refused before the upgrade (``unable to upgrade connection: container not
found ("web")`` is what kubectl makes of it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import AsyncIterator, Awaitable, Callable

from aiohttp import web

from kitlib.sim.apiserver import channels, rawupgrade, spdy
from kitlib.sim.apiserver.channels import Frame
from kitlib.sim.apiserver.connector import ExecStartError, NodeError, StreamSession
from kitlib.sim.apiserver.execsession import Session, StreamOptions
from kitlib.sim.machinery import errors

log = logging.getLogger("kitlib.sim.apiserver")
CHANNEL_OF = {"stdin": channels.STDIN, "stdout": channels.STDOUT, "stderr": channels.STDERR,
              "error": channels.ERROR, "resize": channels.RESIZE}
#: The kubelet's streamCreationTimeout.
STREAM_CREATION_TIMEOUT = 30.0
#: What the kubelet's remotecommand server speaks over SPDY (v5 adds nothing here).
SUPPORTED = (channels.V4, "v3.channel.k8s.io", "v2.channel.k8s.io", channels.V1)


class SpdyChannels:
    """A remotecommand SPDY connection, seen as the channels a Session uses."""

    announce = False

    def __init__(self, conn: rawupgrade.RawConnection, proto: channels.ChannelProtocol,
                 expected: set[int]) -> None:
        self.conn = conn
        self.proto = proto
        self.framer = spdy.Framer()
        self.expected = expected
        self.streams: dict[int, int] = {}           # channel -> stream id
        self.channel_of: dict[int, int] = {}        # stream id -> channel
        self.incoming: asyncio.Queue[Frame | None] = asyncio.Queue()
        self.established = asyncio.Event()
        self._lock = asyncio.Lock()
        self._reader = asyncio.ensure_future(self._read())

    async def _write(self, data: bytes) -> None:
        async with self._lock:
            await self.conn.send(data)

    async def _read(self) -> None:
        try:
            async for chunk in self.conn.chunks():
                for frame in self.framer.feed(chunk):
                    await self._handle(frame)
        except spdy.FrameError as exc:
            log.info("exec over SPDY: protocol error: %s", exc)
        except ConnectionError:
            pass
        finally:
            self.incoming.put_nowait(None)

    async def _handle(self, frame: spdy.Frame) -> None:
        if isinstance(frame, spdy.SynStream):
            channel = CHANNEL_OF.get(frame.header("streamtype"))
            if channel is None:
                await self._write(spdy.Framer.rst_stream(frame.stream_id, spdy.CANCEL))
                return
            async with self._lock:
                await self.conn.send(self.framer.syn_reply(frame.stream_id))
            self.streams[channel] = frame.stream_id
            self.channel_of[frame.stream_id] = channel
            if self.expected <= set(self.streams):
                self.established.set()
        elif isinstance(frame, spdy.DataFrame):
            channel = self.channel_of.get(frame.stream_id)
            if channel is not None:
                if frame.data:
                    self.incoming.put_nowait(Frame(channel, frame.data))
                if frame.fin:
                    self.incoming.put_nowait(Frame(channel, b"", close=True))
        elif isinstance(frame, spdy.Ping):
            await self._write(spdy.Framer.ping(frame.id))

    async def send(self, channel: int, data: bytes) -> None:
        stream_id = self.streams.get(channel)
        if stream_id is not None and data:
            await self._write(spdy.Framer.data(stream_id, data))

    async def frames(self) -> AsyncIterator[Frame]:
        while (frame := await self.incoming.get()) is not None:
            yield frame

    async def close(self) -> None:
        """Every stream the server writes ends, then the connection."""
        with contextlib.suppress(ConnectionError):
            for channel in (channels.STDOUT, channels.STDERR, channels.ERROR):
                if channel in self.streams:
                    await self._write(spdy.Framer.data(self.streams[channel], b"", fin=True))
            await self._write(spdy.Framer.goaway(max(self.channel_of, default=0)))
        self._reader.cancel()
        await asyncio.gather(self._reader, return_exceptions=True)
        self.conn.close()


def negotiate(request: web.Request) -> str:
    """httpstream.Handshake: the first of the client's versions the server speaks."""
    offered = rawupgrade.offered_protocols(request)
    for version in offered:
        if version in SUPPORTED:
            return version
    raise errors.Forbidden(f"unable to upgrade: unable to negotiate protocol: client supports "
                           f"[{' '.join(offered)}], server supports [{' '.join(SUPPORTED)}]")


async def serve(request: web.Request, options: StreamOptions,
                start: Callable[[], Awaitable[StreamSession]], *,
                action: str) -> web.StreamResponse:
    version = negotiate(request)
    failure: ExecStartError | None = None
    try:
        session = await start()
    except ExecStartError as err:
        failure = err                               # reported on the error stream
    except NodeError as err:
        # The kubelet refuses before upgrading; kubectl shows its text as
        # "unable to upgrade connection: ...".
        return web.Response(status=err.code if err.code < 500 else 400, text=err.message)
    conn = await rawupgrade.upgrade(request, protocol=version)
    expected = {channels.ERROR} | {c for c, wanted in (
        (channels.STDIN, options.stdin), (channels.STDOUT, options.stdout),
        (channels.STDERR, options.stderr)) if wanted}
    if options.tty and version != channels.V1:
        expected.add(channels.RESIZE)
    transport = SpdyChannels(conn, channels.protocol(version), expected)
    try:
        await asyncio.wait_for(transport.established.wait(), STREAM_CREATION_TIMEOUT)
    except asyncio.TimeoutError:
        if failure is None:
            session.close()
        await transport.close()
        return conn.response

    async def started() -> StreamSession:
        if failure is not None:
            raise failure
        return session

    await Session(transport, options, action=action).run(started)
    return conn.response
