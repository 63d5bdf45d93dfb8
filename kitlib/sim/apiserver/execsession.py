"""One exec or attach session, whatever carries it: the channels' conversation.

Client messages go to the process's stdin and terminal size, its stdout and stderr come
back on their channels, and when it ends the error channel says how: Success, or
NonZeroExitCode with the exit code, which kubectl turns into ``command terminated with
exit code 2`` and its own exit status.  The carrier is a WebSocket (``streaming``) or
SPDY streams (``spdyexec``); the texts differ as they do on a real cluster: v5 is what the
API server's stream translator saw, v4 and SPDY what the kubelet and containerd said.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable, Protocol

from aiohttp import web

from kitlib.sim.apiserver import channels, params
from kitlib.sim.apiserver.channels import ChannelProtocol
from kitlib.sim.apiserver.connector import ExecStartError, NodeError, StreamSession

JSON = dict[str, Any]
#: Seconds the output may take to drain once the process ended.
DRAIN_TIMEOUT = 10.0


@dataclass(frozen=True, kw_only=True)
class StreamOptions:
    """PodExecOptions / PodAttachOptions from the query."""

    container: str
    stdin: bool
    stdout: bool
    stderr: bool
    tty: bool
    command: tuple[str, ...] = ()


def stream_options(request: web.Request, *, action: str) -> StreamOptions:
    tty = params.flag(request, "tty")
    return StreamOptions(container=request.query.get("container", ""),
                         stdin=params.flag(request, "stdin"),
                         stdout=params.flag(request, "stdout"),
                         # A terminal merges stderr into stdout: the stream is not opened.
                         stderr=params.flag(request, "stderr") and not tty,
                         tty=tty,
                         command=tuple(request.query.getall("command", []))
                         if action == "exec" else ())


class Channels(Protocol):
    """Where a session's channels travel: a WebSocket (channel.k8s.io) or SPDY streams."""

    proto: ChannelProtocol
    #: The session says it is ready with an empty message (WebSocket servers do).
    announce: bool

    async def send(self, channel: int, data: bytes) -> None: ...

    def frames(self) -> AsyncIterator[channels.Frame]:
        """What the client sends, until it closes."""

    async def close(self) -> None: ...


class Session:
    """One exec or attach, from the first message to the close."""

    def __init__(self, transport: Channels, options: StreamOptions, *, action: str) -> None:
        self.transport = transport
        self.proto = transport.proto
        self.options = options
        self.action = action
        self.sizes = channels.TerminalSizes()

    async def run(self, start: Callable[[], Awaitable[StreamSession]]) -> None:
        try:
            if self.transport.announce:
                # The lowest writable channel, empty: the streams are there.
                first = channels.STDOUT if self.options.stdout else \
                    channels.STDERR if self.options.stderr else channels.ERROR
                await self.transport.send(first, b"")
            try:
                session = await start()
            except NodeError as err:
                await self.report(self.start_failure(err))
                return
            await self.converse(session)
        except (ConnectionError, asyncio.TimeoutError):
            pass                                    # the client is gone
        finally:
            await self.transport.close()

    def start_failure(self, err: NodeError) -> JSON:
        """How a refused start reads on the error channel."""
        if isinstance(err, ExecStartError):
            inner = f"error executing command in container: {err.message}" \
                if self.action == "exec" else f"error attaching to container: {err.message}"
            if self.proto.close_signal:             # the translator relays the kubelet's
                inner = channels.internal_error(inner)["message"]
            return channels.internal_error(inner)
        if err.unreachable:
            return channels.internal_error(f"error dialing backend: {err.message}")
        return channels.internal_error(f"unable to upgrade connection: {err.message}")

    async def converse(self, session: StreamSession) -> None:
        pumps = []
        if self.options.stdout:
            pumps.append(asyncio.ensure_future(self.pump(session.read_stdout, channels.STDOUT)))
        if self.options.stderr:
            pumps.append(asyncio.ensure_future(self.pump(session.read_stderr, channels.STDERR)))
        reader = asyncio.ensure_future(self.read_client(session))
        ended = asyncio.ensure_future(session.wait())
        try:
            await asyncio.wait({reader, ended}, return_when=asyncio.FIRST_COMPLETED)
            if not ended.done():
                return                              # the client left first
            code = ended.result()
            if pumps:
                await asyncio.wait(pumps, timeout=DRAIN_TIMEOUT)
            for pump in pumps:
                if pump.done() and pump.exception() is not None:
                    return                          # the client left while output drained
            await self.report(self.outcome(code))
        finally:
            session.close()
            for task in (*pumps, reader, ended):
                task.cancel()
            await asyncio.gather(*pumps, reader, ended, return_exceptions=True)

    def outcome(self, code: int) -> JSON:
        if code == 0 or self.action == "attach":
            return channels.success()
        if self.proto.close_signal:
            # v5: the translator's SPDY client saw "command terminated with exit code N".
            return channels.exit_failure(code, f"command terminated with exit code {code}")
        argv = " ".join(self.options.command)           # Go's %v of a []string
        return channels.exit_failure(code, f"error executing command [{argv}], exit code {code}")

    async def report(self, status: JSON) -> None:
        """The session's end, on the error channel (v1 stays silent about success)."""
        payload = channels.error_payload(self.proto, status)
        if payload:
            await self.transport.send(channels.ERROR, payload)

    async def pump(self, read: Callable[[], Awaitable[bytes]], channel: int) -> None:
        while True:
            data = await read()
            if not data:
                return
            await self.transport.send(channel, data)

    async def read_client(self, session: StreamSession) -> None:
        """Until the client closes: stdin, its end, terminal sizes."""
        async for frame in self.transport.frames():
            if frame.close:
                if frame.channel == channels.STDIN and self.options.stdin:
                    session.close_stdin()
            elif frame.channel == channels.STDIN and self.options.stdin:
                if frame.data:
                    await session.write_stdin(frame.data)
            elif frame.channel == channels.RESIZE and self.options.tty:
                for columns, rows in self.sizes.feed(frame.data):
                    session.resize(columns, rows)
