"""``pods/NAME/portforward``: TCP connections into a pod, through the API server.

Two clients, two protocols, one job (each forwarded connection reaches a port inside the
pod's network namespace, as the kubelet's containerd does it):

- kubectl speaks SPDY, inside a WebSocket since 1.31, on the upgraded connection before
  (``spdyforward``);
- the Python client opens a WebSocket with ``v4.channel.k8s.io`` and ``?ports=80,443``:
  port i gets data channel 2i and error channel 2i+1, each announced by a first message
  holding the port number (two bytes, little endian), then carrying the bytes (the error
  channel: the reason forwarding failed).
"""

from __future__ import annotations

import asyncio
import contextlib
import struct

from aiohttp import WSMsgType, web

from kitlib.sim.apiserver import channels, paths, podlocation, rawupgrade
from kitlib.sim.apiserver.connector import ByteStream, NodeError
from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.apiserver.spdyforward import (TUNNEL, OpenPort, SpdyForwarder,
                                              WebSocketTunnel, forward, serve_raw)
from kitlib.sim.apiserver.streaming import WebSocketChannels, websocket
from kitlib.sim.machinery import errors
from kitlib.sim.registry.base import ResourceType


def ports_of(request: web.Request) -> list[int]:
    """The ports a channel-protocol client asks for (``ports=80,443``, repeatable)."""
    values = request.query.getall("ports", [])
    ports: list[int] = []
    for value in values:
        for item in value.split(","):
            if not item.strip().lstrip("+-").isdigit():
                raise errors.BadRequest(f'strconv.ParseInt: parsing "{item}": invalid syntax')
            port = int(item)
            if not 1 <= port <= 65535:
                raise errors.BadRequest(f'port "{value}" must be > 0' if port < 1 else
                                        f'unable to parse "{value}" as a port: strconv.'
                                        f'ParseUint: parsing "{item}": value out of range')
            ports.append(port)
    if not ports:
        raise errors.BadRequest('query parameter "port" is required')
    return ports


async def serve(request: web.Request, api: ApiContext, res: ResourceType,
                info: paths.RequestInfo) -> web.StreamResponse:
    if request.method not in ("GET", "POST"):
        raise errors.MethodNotAllowed()
    location = podlocation.locate(api, res, info, container=None)
    node = podlocation.require_node(location)
    connector = podlocation.connector_of(api)

    async def open_port(port: int) -> ByteStream:
        return await connector.port_forward(node=node, namespace=location.namespace,
                                            pod=location.name, port=port)

    if rawupgrade.is_spdy_upgrade(request):
        return await serve_raw(request, open_port)          # kubectl before 1.31
    ws = websocket(request, (TUNNEL, *channels.PORT_FORWARD_PROTOCOLS))
    tunneled = ws.can_prepare(request).protocol == TUNNEL
    ports = [] if tunneled else ports_of(request)
    await ws.prepare(request)
    try:
        if tunneled:
            await SpdyForwarder(WebSocketTunnel(ws), open_port).run()
        else:
            await ChannelForwarder(ws, channels.protocol(ws.ws_protocol), ports,
                                   open_port).run()
    except (ConnectionError, asyncio.TimeoutError):
        pass
    finally:
        if not ws.closed:
            with contextlib.suppress(ConnectionError, asyncio.TimeoutError):
                await ws.close()
    return ws


class ChannelForwarder:
    def __init__(self, ws: web.WebSocketResponse, proto: channels.ChannelProtocol,
                 ports: list[int], open_port: OpenPort) -> None:
        self.ws = ws
        self.proto = proto
        self.ports = ports
        self.open_port = open_port
        self.inbound: list[asyncio.Queue[bytes | None]] = [asyncio.Queue() for _ in ports]
        # Frames go out as exec's do: one at a time, encoded for the negotiated protocol.
        self.send = WebSocketChannels(ws, proto).send

    async def run(self) -> None:
        for index, port in enumerate(self.ports):
            for channel in (2 * index, 2 * index + 1):
                await self.send(channel, struct.pack("<H", port))
        forwards = [asyncio.ensure_future(self.run_port(i, p)) for i, p in enumerate(self.ports)]
        reader = asyncio.ensure_future(self.read_client())
        everything = asyncio.ensure_future(asyncio.gather(*forwards, return_exceptions=True))
        try:
            await asyncio.wait({reader, everything}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (*forwards, reader, everything):
                task.cancel()
            await asyncio.gather(*forwards, reader, everything, return_exceptions=True)

    async def read_client(self) -> None:
        async for message in self.ws:
            if message.type not in (WSMsgType.BINARY, WSMsgType.TEXT):
                continue
            try:
                frame = channels.decode(self.proto, message.data)
            except ValueError:
                continue
            if frame is None or frame.close or frame.channel % 2:
                continue
            index = frame.channel // 2
            if index < len(self.inbound) and frame.data:
                self.inbound[index].put_nowait(frame.data)
        for queue in self.inbound:
            queue.put_nowait(None)

    async def run_port(self, index: int, port: int) -> None:
        try:
            conn = await self.open_port(port)
        except NodeError as err:
            await self.send(2 * index + 1, err.message.encode())
            return

        async def send(data: bytes) -> None:
            await self.send(2 * index, data)

        await forward(conn, self.inbound[index], send)
