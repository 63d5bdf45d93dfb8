"""pods/NAME/portforward against a scripted node: SPDY in a WebSocket (kubectl) and the
v4 channel protocol (the Python client)."""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import aiohttp
import pytest
from kubernetes import client
from kubernetes.stream import portforward

from kitlib.sim.apiserver import spdy
from tests.api.nodefakes import FakeConnector
from tests.api.streamfixtures import (bound_pod, create_running, fake, spdy_session,
                                      stream_data)
from tests.conftest import Http, assert_status

__all__ = ["fake"]
REQUEST = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"


@pytest.fixture(scope="module")
def pods(sim: Any, api_client: Any, fake: FakeConnector) -> str:
    namespace = "forward"
    client.CoreV1Api(api_client).create_namespace({"metadata": {"name": namespace}})
    create_running(api_client, namespace, bound_pod("one"))
    return namespace


def read_all(sock: Any) -> bytes:
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


def test_python_client_forwards_a_port(api_client: Any, pods: str) -> None:
    core = client.CoreV1Api(api_client)
    forward = portforward(core.connect_get_namespaced_pod_portforward, "one", pods,
                          ports="80,81")
    sock = forward.socket(80)
    sock.settimeout(10)
    sock.sendall(REQUEST)
    assert read_all(sock).endswith(b"\r\n\r\nhello from port 80\n")
    refused = forward.socket(81)
    refused.settimeout(10)
    assert read_all(refused) == b""
    assert forward.error(81).startswith("error forwarding port 81 to pod")
    forward.close()


def tunnel(sim: Any, path: str, frames: list[bytes], *, until: int) -> list[spdy.Frame]:
    """Speak SPDY in a WebSocket as kubectl does; read frames until ``until`` streams
    have ended (FIN or RST), or the server closes."""

    async def talk() -> list[spdy.Frame]:
        context = ssl.create_default_context(cafile=str(sim.ca_path))
        framer, got, ended = spdy.Framer(), [], set()
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(
                    sim.url + path, protocols=("SPDY/3.1+portforward.k8s.io",),
                    headers={"Authorization": f"Bearer {sim.token}"}, ssl=context) as ws:
                assert ws.protocol == "SPDY/3.1+portforward.k8s.io"
                for frame in frames:
                    for i in range(0, len(frame), 5):       # cut anywhere, as kubectl may
                        await ws.send_bytes(frame[i:i + 5])
                async with asyncio.timeout(10):
                    async for message in ws:
                        for frame in framer.feed(message.data):
                            got.append(frame)
                            if isinstance(frame, spdy.RstStream) or \
                                    isinstance(frame, spdy.DataFrame) and frame.fin:
                                ended.add(frame.stream_id)
                        if len(ended) >= until:
                            return got
        return got

    return asyncio.run(talk())


def test_spdy_tunnel_forwards_a_connection(sim: Any, pods: str) -> None:
    client_framer = spdy.Framer()
    headers = {"port": ["80"], "requestid": ["0"]}
    frames = [client_framer.syn_stream(1, {**headers, "streamtype": ["error"]}),
              client_framer.data(1, b"", fin=True),
              client_framer.syn_stream(3, {**headers, "streamtype": ["data"]}),
              client_framer.data(3, REQUEST), client_framer.ping(7)]
    got = tunnel(sim, f"/api/v1/namespaces/{pods}/pods/one/portforward", frames, until=2)
    replies = [f.stream_id for f in got if isinstance(f, spdy.SynReply)]
    assert replies == [1, 3]
    assert spdy.Ping(7) in got
    data = b"".join(f.data for f in got if isinstance(f, spdy.DataFrame) and f.stream_id == 3)
    assert data.endswith(b"hello from port 80\n")
    assert [f.data for f in got if isinstance(f, spdy.DataFrame) and f.stream_id == 1] == [b""]


def test_spdy_tunnel_reports_errors_on_the_error_stream(sim: Any, pods: str) -> None:
    client_framer = spdy.Framer()
    headers = {"port": ["81"], "requestid": ["5"]}
    frames = [client_framer.syn_stream(1, {**headers, "streamtype": ["error"]}),
              client_framer.syn_stream(3, {**headers, "streamtype": ["data"]}),
              client_framer.syn_stream(5, {"streamtype": ["data"]})]
    got = tunnel(sim, f"/api/v1/namespaces/{pods}/pods/one/portforward", frames, until=3)
    error = b"".join(f.data for f in got if isinstance(f, spdy.DataFrame) and f.stream_id == 1)
    assert error.startswith(b"error forwarding port 81 to pod")
    assert spdy.RstStream(5, spdy.CANCEL) in got          # no port header: refused


def test_checks_before_the_upgrade(http: Http, pods: str) -> None:
    path = f"/api/v1/namespaces/{pods}/pods/one/portforward"
    assert assert_status(http.get(path), 400, "BadRequest")["message"] == \
        "Upgrade request required"
    assert_status(http.get(f"/api/v1/namespaces/{pods}/pods/ghost/portforward"), 404,
                  "NotFound")


def test_spdy_upgrade_for_older_kubectl(sim: Any, pods: str) -> None:
    def frames(framer: spdy.Framer) -> list[bytes]:
        headers = {"port": ["80"], "requestid": ["0"]}
        return [framer.syn_stream(1, {**headers, "streamtype": ["error"]}),
                framer.syn_stream(3, {**headers, "streamtype": ["data"]}),
                framer.data(3, REQUEST)]

    def both_ended(got: list[spdy.Frame]) -> bool:
        return {1, 3} <= {f.stream_id for f in got if isinstance(f, spdy.DataFrame) and f.fin}

    head, got = spdy_session(sim, f"/api/v1/namespaces/{pods}/pods/one/portforward",
                             ("portforward.k8s.io",), frames, until=both_ended)
    assert head.startswith("HTTP/1.1 101 ") and \
        "X-Stream-Protocol-Version: portforward.k8s.io\r\n" in head
    assert stream_data(got, 3).endswith(b"hello from port 80\n")
    assert spdy.DataFrame(1, b"", fin=True) in got and spdy.DataFrame(3, b"", fin=True) in got
