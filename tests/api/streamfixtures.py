"""What the streaming tests share: a fake node connector, pods bound to a node, and
clients for what the official client hides: a WebSocket speaking the channel protocols,
and a SPDY/3.1 upgrade as kubectl before 1.30 sends it."""

from __future__ import annotations

import asyncio
import ssl
import time
from typing import Any, Callable, Iterator
from urllib.parse import quote

import aiohttp
import pytest
from kubernetes import client

from kitlib.sim.apiserver import spdy
from tests.api.nodefakes import FakeConnector, install

NODE = "kit-worker"


@pytest.fixture(scope="module")
def fake(sim: Any) -> Iterator[FakeConnector]:
    connector, previous = install(sim)
    yield connector
    sim.cluster.api.connector = previous


def bound_pod(name: str, *containers: str, node: str = NODE) -> dict[str, Any]:
    names = containers or ("main",)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"nodeName": node, "containers": [
                {"name": c, "image": "busybox:1.36", "command": ["sleep", "3600"]}
                for c in names]}}


def create_running(api_client: Any, namespace: str, manifest: dict[str, Any]) -> None:
    core = client.CoreV1Api(api_client)
    core.create_namespaced_pod(namespace, manifest)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        phase = core.read_namespaced_pod(manifest["metadata"]["name"], namespace).status.phase
        if phase == "Running":
            return
        time.sleep(0.05)
    raise AssertionError(f"pod {manifest['metadata']['name']} is {phase}, not Running")


def websocket_session(sim: Any, path: str, protocols: tuple[str, ...],
                      send: list[bytes | str] | None = None,
                      timeout: float = 10.0) -> tuple[str | None, list[bytes | str], Any]:
    """Open a WebSocket, send messages, read all until the server closes: (protocol,
    messages, close code)."""

    async def talk() -> tuple[str | None, list[bytes | str], Any]:
        context = ssl.create_default_context(cafile=str(sim.ca_path))
        headers = {"Authorization": f"Bearer {sim.token}"}
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(sim.url + path, protocols=protocols,
                                          headers=headers, ssl=context,
                                          timeout=aiohttp.ClientWSTimeout(ws_close=timeout),
                                          autoclose=True) as ws:
                for message in send or []:
                    if isinstance(message, str):
                        await ws.send_str(message)
                    else:
                        await ws.send_bytes(message)
                got: list[bytes | str] = []
                async with asyncio.timeout(timeout):
                    async for message in ws:
                        if message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                            got.append(message.data)
                return ws.protocol, got, ws.close_code

    return asyncio.run(talk())


def channel_data(messages: list[bytes | str], channel: int) -> bytes:
    return b"".join(m[1:] for m in messages if isinstance(m, bytes) and m[:1] == bytes((channel,)))


def spdy_session(sim: Any, path: str, protocols: tuple[str, ...],
                 frames: Callable[[spdy.Framer], list[bytes]], *, method: str = "POST",
                 timeout: float = 10.0,
                 until: Callable[[list[spdy.Frame]], bool] = lambda _frames: False,
                 ) -> tuple[str, list[spdy.Frame]]:
    """An ``Upgrade: SPDY/3.1`` request as kubectl before 1.30 sends it: the answer's
    head, then the frames the server sends until it closes (or ``until`` them)."""

    async def talk() -> tuple[str, list[spdy.Frame]]:
        context = ssl.create_default_context(cafile=str(sim.ca_path))
        host, port = sim.url.removeprefix("https://").rsplit(":", 1)
        reader, writer = await asyncio.open_connection(host, int(port), ssl=context)
        versions = "".join(f"X-Stream-Protocol-Version: {p}\r\n" for p in protocols)
        writer.write(f"{method} {quote(path, safe='/?&=:')} HTTP/1.1\r\nHost: {host}\r\n"
                     f"Authorization: Bearer {sim.token}\r\nConnection: Upgrade\r\n"
                     f"Upgrade: SPDY/3.1\r\n{versions}Content-Length: 0\r\n\r\n".encode())
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        framer, got = spdy.Framer(), []
        if head.startswith("HTTP/1.1 101"):
            for frame in frames(framer):
                writer.write(frame)
            async with asyncio.timeout(timeout):
                while not until(got) and (chunk := await reader.read(65536)):
                    got += framer.feed(chunk)
        else:
            head += (await reader.read(65536)).decode()
        writer.close()
        return head, got

    return asyncio.run(talk())


def stream_data(frames: list[spdy.Frame], stream_id: int) -> bytes:
    return b"".join(f.data for f in frames
                    if isinstance(f, spdy.DataFrame) and f.stream_id == stream_id)
