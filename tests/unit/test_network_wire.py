"""In-memory connections and HTTP/1.1 on them."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from kitlib.sim.network import HttpRequest, HttpResponse, NetError
from kitlib.sim.network.httpwire import (Reader, WireError, encode_request, encode_response,
                                         read_request, read_response)
from kitlib.sim.network.streams import HIGH_WATER, pipe


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def pair() -> Any:
    return pipe(client=("10.244.1.3", 40000), server=("10.244.1.9", 80),
                client_seen_as=("172.18.0.3", 40000), server_seen_as=("10.96.0.50", 80))


def test_each_end_sees_its_own_addresses() -> None:
    client, server = pair()
    assert (client.peer_ip, client.peer_port) == ("10.96.0.50", 80)
    assert (server.peer_ip, server.peer_port) == ("172.18.0.3", 40000)
    assert (server.local_ip, server.local_port) == ("10.244.1.9", 80)


def test_bytes_flow_both_ways_and_close_is_eof() -> None:
    async def scenario() -> None:
        client, server = pair()
        client.write(b"ping")
        assert await server.read() == b"ping"
        server.write(b"pong")
        server.write(b"!")
        assert await client.read(2) == b"po"
        assert await client.read() == b"ng!"
        server.close()
        assert await client.read() == b""
        client.write(b"into the void")               # the peer is gone: no error, no effect
        client.close()
        with pytest.raises(NetError) as err:
            client.write(b"x")
        assert err.value.message == "write: broken pipe"
    run(scenario())


def test_drain_waits_for_the_reader() -> None:
    async def scenario() -> None:
        client, server = pair()
        client.write(b"x" * HIGH_WATER)
        drained = asyncio.ensure_future(client.drain())
        await asyncio.sleep(0)
        assert not drained.done()
        await server.read(HIGH_WATER)
        await asyncio.wait_for(drained, 1)
    run(scenario())


def test_request_round_trip_with_keep_alive() -> None:
    async def scenario() -> None:
        client, server = pair()
        client.write(encode_request(HttpRequest("POST", "/submit?x=1", headers=(
            ("Content-Type", "text/plain"),), body=b"hello"), host="web"))
        client.write(b"GET /next HTTP/1.0\r\nHost: web\r\n\r\n")
        reader = Reader(server)
        got = await read_request(reader, client_ip="1.2.3.4", client_port=5)
        assert got is not None
        request, keep = got
        assert (request.method, request.target, request.body, request.host) == (
            "POST", "/submit?x=1", b"hello", "web")
        assert ("Content-Type", "text/plain") in request.headers and keep
        assert request.client_ip == "1.2.3.4"
        request, keep = await read_request(reader)  # type: ignore[misc]
        assert request.target == "/next" and not keep   # HTTP/1.0 closes by default
    run(scenario())


def test_chunked_bodies_and_bad_requests() -> None:
    async def scenario() -> None:
        client, server = pair()
        client.write(b"PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        request, _ = await read_request(Reader(server))  # type: ignore[misc]
        assert request.body == b"hello world"
        client.write(b"NONSENSE\r\n\r\n")
        with pytest.raises(WireError):
            await read_request(Reader(server))
    run(scenario())


def test_response_round_trip_head_and_empty_reply() -> None:
    async def scenario() -> None:
        client, server = pair()
        server.write(encode_response(HttpResponse(404, headers=(("X-A", "1"),), body=b"nope")))
        server.write(encode_response(HttpResponse(200, body=b"hidden"), method="HEAD"))
        reader = Reader(client)
        response = await read_response(reader)
        assert (response.status, response.reason, response.body) == (404, "Not Found", b"nope")
        assert ("X-A", "1") in response.headers
        assert (await read_response(reader, method="HEAD")).body == b""
        server.close()
        with pytest.raises(NetError) as err:
            await read_response(reader)
        assert (err.value.kind, err.value.message) == ("reset", "EOF")
    run(scenario())


def test_response_without_length_reads_to_eof() -> None:
    async def scenario() -> None:
        client, server = pair()
        server.write(b"HTTP/1.0 200 OK\r\n\r\nall of it")
        server.close()
        assert (await read_response(Reader(client))).body == b"all of it"
    run(scenario())
