"""``pods/NAME/exec`` and ``pods/NAME/attach``: over WebSocket (channel.k8s.io), or
over SPDY/3.1 for kubectl before 1.30 (``spdyexec``).

kubectl 1.30+ asks for ``v5.channel.k8s.io``, which a real API server serves itself (its
stream translator, KEP-4006); the Python client asks for ``v4.channel.k8s.io``, which the
API server hands to the kubelet.  Everything the API server checks before upgrading (the
pod, the container, its node) fails as a plain Status; what the kubelet refuses later
arrives on the error channel (``execsession``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import AsyncIterator

from aiohttp import WSMsgType, web

from kitlib.sim.apiserver import channels, paths, podlocation, rawupgrade, spdyexec
from kitlib.sim.apiserver.channels import ChannelProtocol
from kitlib.sim.apiserver.connector import NodeError, StreamSession
from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.apiserver.execsession import Session, stream_options
from kitlib.sim.machinery import errors
from kitlib.sim.registry.base import ResourceType

log = logging.getLogger("kitlib.sim.apiserver")


def websocket(request: web.Request, protocols: tuple[str, ...]) -> web.WebSocketResponse:
    """The WebSocket to answer with, after the checks the upgrade itself makes."""
    ws = web.WebSocketResponse(protocols=protocols, autoping=True, max_msg_size=4 << 20)
    ready = ws.can_prepare(request)
    if not ready.ok:
        raise errors.BadRequest("Upgrade request required")
    asked = [p.strip() for p in request.headers.get("Sec-WebSocket-Protocol", "").split(",")
             if p.strip()]
    if asked and ready.protocol is None:
        raise errors.Forbidden(f"requested protocol(s) are not supported: "
                               f"[{' '.join(asked)}]; supports [{' '.join(protocols)}]")
    return ws


async def serve(request: web.Request, api: ApiContext, res: ResourceType,
                info: paths.RequestInfo, *, action: str) -> web.StreamResponse:
    if request.method not in ("GET", "POST"):
        raise errors.MethodNotAllowed()
    options = stream_options(request, action=action)
    location = podlocation.locate(api, res, info, container=options.container)
    node = podlocation.require_node(location)
    connector = podlocation.connector_of(api)

    async def start() -> StreamSession:
        if not (options.stdin or options.stdout or options.stderr):
            raise NodeError("you must specify at least 1 of stdin, stdout, stderr", code=400)
        if action == "exec":
            return await connector.exec(
                node=node, namespace=location.namespace, pod=location.name,
                container=location.container, command=options.command, stdin=options.stdin,
                stdout=options.stdout, stderr=options.stderr, tty=options.tty)
        return await connector.attach(
            node=node, namespace=location.namespace, pod=location.name,
            container=location.container, stdin=options.stdin, stdout=options.stdout,
            stderr=options.stderr, tty=options.tty)

    if rawupgrade.is_spdy_upgrade(request):
        return await spdyexec.serve(request, options, start, action=action)
    ws = websocket(request, channels.EXEC_PROTOCOLS)
    await ws.prepare(request)
    transport = WebSocketChannels(ws, channels.protocol(ws.ws_protocol))
    await Session(transport, options, action=action).run(start)
    return ws


class WebSocketChannels:
    announce = True

    def __init__(self, ws: web.WebSocketResponse, proto: ChannelProtocol) -> None:
        self.ws = ws
        self.proto = proto
        self._lock = asyncio.Lock()

    async def send(self, channel: int, data: bytes) -> None:
        message = channels.encode(self.proto, channel, data)
        async with self._lock:
            if self.ws.closed:
                raise ConnectionResetError("the client went away")
            if isinstance(message, str):
                await self.ws.send_str(message)
            else:
                await self.ws.send_bytes(message)

    async def frames(self) -> AsyncIterator[channels.Frame]:
        async for message in self.ws:
            if message.type not in (WSMsgType.BINARY, WSMsgType.TEXT):
                continue
            try:
                frame = channels.decode(self.proto, message.data)
            except ValueError as exc:
                log.debug("dropped a malformed message: %s", exc)
                continue
            if frame is not None:
                yield frame

    async def close(self) -> None:
        # Only once nothing else reads the socket: a close racing a reader would drop the
        # connection without the closing handshake.
        if not self.ws.closed:
            with contextlib.suppress(ConnectionError, asyncio.TimeoutError):
                await self.ws.close()


