"""The fabric: pod namespaces, localhost, port conflicts, Service rules, failures."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from kitlib.sim.network import HttpRequest, HttpResponse, NetError
from tests.unit.netfakes import NODES, World, endpoint, endpoint_slice, service, who

GET = HttpRequest(method="GET", target="/")


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_two_containers_of_a_pod_share_localhost_and_ports() -> None:
    async def scenario() -> None:
        world = World()
        net = world.pod("web", "10.244.1.5", port=0)
        net.listen(80, http=who("nginx"), owner="default/web/nginx")
        with pytest.raises(NetError) as err:
            net.listen(80, http=who("sidecar"), owner="default/web/sidecar")
        assert err.value.kind == "in_use"
        assert err.value.message == "listen tcp 0.0.0.0:80: bind: address already in use"
        net.listen(9090, http=who("sidecar"), owner="default/web/sidecar")
        # The sidecar reaches nginx on localhost, and itself on the pod IP.
        answer = await net.http("localhost", 80, GET)
        assert answer.body == b"nginx from 127.0.0.1 /" and answer.served_by == "web"
        answer = await net.http("10.244.1.5", 9090, GET)
        assert answer.body == b"sidecar from 10.244.1.5 /"
        # Another pod cannot use the first pod's localhost.
        other = world.pod("client", "10.244.1.6", port=0)
        with pytest.raises(NetError) as err:
            await other.http("127.0.0.1", 80, GET)
        assert err.value.kind == "refused"
        assert err.value.message == "dial tcp 127.0.0.1:80: connect: connection refused"
        # A container that exits frees its ports.
        assert net.close_owner("default/web/nginx") == 1
        net.listen(80, http=who("again"))
    run(scenario())


def test_pod_to_pod_and_refused_port() -> None:
    async def scenario() -> None:
        world = World()
        world.pod("server", "10.244.2.7", node="kit-worker2")
        client = world.pod("client", "10.244.1.3", port=0)
        answer = await client.http("10.244.2.7", 8080, HttpRequest("GET", "/hi"))
        assert answer.status == 200 and answer.body == b"server from 10.244.1.3 /hi"
        with pytest.raises(NetError) as err:
            await client.http("10.244.2.7", 81, GET)
        assert (err.value.kind, err.value.message) == (
            "refused", "dial tcp 10.244.2.7:81: connect: connection refused")
    run(scenario())


def test_release_frees_the_address_and_vanished_pods_are_unreachable() -> None:
    async def scenario() -> None:
        world = World()
        server = world.pod("server", "10.244.2.7", node="kit-worker2")
        client = world.pod("client", "10.244.1.3", port=0)
        server.release()
        server.release()                           # idempotent
        assert world.fabric.network_of("default", "server") is None
        with pytest.raises(NetError) as err:
            await client.http("10.244.2.7", 8080, GET)
        assert (err.value.kind, err.value.message) == (
            "unreachable", "dial tcp 10.244.2.7:8080: connect: no route to host")
        # An address nobody has anywhere: the SYN goes unanswered.
        with pytest.raises(NetError) as err:
            await client.http("93.184.216.34", 80, GET, timeout=2)
        assert (err.value.kind, err.value.message) == (
            "timeout", "dial tcp 93.184.216.34:80: i/o timeout")
        # A node's address without a listener is a live host: refused.
        with pytest.raises(NetError) as err:
            await client.http("172.18.0.3", 9999, GET)
        assert err.value.kind == "refused"
        with pytest.raises(NetError):
            server.listen(80, http=who("late"))
    run(scenario())


def test_clusterip_spreads_over_ready_endpoints_at_random() -> None:
    async def scenario() -> Counter[str]:
        world = World()
        world.add_service(service("web"))
        world.add_slice(endpoint_slice("web", [
            endpoint("10.244.1.10", "web-a"), endpoint("10.244.2.10", "web-b", node="kit-worker2"),
            endpoint("10.244.1.11", "web-c"), endpoint("10.244.1.12", "web-d", ready=False)]))
        for name, ip in (("web-a", "10.244.1.10"), ("web-b", "10.244.2.10"),
                         ("web-c", "10.244.1.11"), ("web-d", "10.244.1.12")):
            world.pod(name, ip)
        client = world.pod("client", "10.244.1.3", port=0)
        seen: Counter[str] = Counter()
        for _ in range(30):
            answer = await client.http("web", 80, GET)
            assert answer.body.endswith(b"from 10.244.1.3 /")    # no SNAT for ClusterIP
            seen[answer.served_by] += 1
        return seen
    seen = run(scenario())
    assert set(seen) == {"web-a", "web-b", "web-c"}
    assert run(scenario()) == seen                     # seeded: the same every run


def test_service_without_ready_endpoints_refuses_and_unknown_port_times_out() -> None:
    async def scenario() -> None:
        world = World()
        world.add_service(service("web"))
        world.pod("web-a", "10.244.1.10")
        client = world.pod("client", "10.244.1.3", port=0)
        with pytest.raises(NetError) as err:
            await client.http("web", 80, GET)
        assert (err.value.kind, err.value.message) == (
            "refused", "dial tcp 10.96.0.50:80: connect: connection refused")
        world.add_slice(endpoint_slice("web", [endpoint("10.244.1.10", "web-a", ready=False)]))
        with pytest.raises(NetError) as err:
            await client.http("10.96.0.50", 80, GET)
        assert err.value.kind == "refused"
        world.add_slice(endpoint_slice("web", [endpoint("10.244.1.10", "web-a")]), rv=2)
        assert (await client.http("10.96.0.50", 80, GET)).served_by == "web-a"
        with pytest.raises(NetError) as err:
            await client.http("10.96.0.50", 81, GET, timeout=1)
        assert (err.value.kind, err.value.message) == (
            "timeout", "dial tcp 10.96.0.50:81: i/o timeout")
    run(scenario())


def test_node_port_answers_on_every_node_address() -> None:
    async def scenario() -> None:
        world = World()
        world.add_service(service("web", type="NodePort", ports=[
            {"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080}]))
        world.add_slice(endpoint_slice("web", [endpoint("10.244.1.10", "web-a")]))
        world.pod("web-a", "10.244.1.10")
        client = world.pod("client", "10.244.2.3", node="kit-worker2", port=0)
        for node_ip, _ in NODES.values():
            answer = await client.http(node_ip, 30080, GET)
            # Masqueraded to the address of the node that took the connection.
            assert answer.body == f"web-a from {node_ip} /".encode()
        outside = world.fabric.outside()
        answer = await outside.http("172.18.0.4", 30080, GET)
        assert answer.served_by == "web-a" and answer.body == b"web-a from 172.18.0.4 /"
        with pytest.raises(NetError):
            await client.http("172.18.0.3", 30081, GET)
    run(scenario())


def test_external_traffic_policy_local_keeps_source_and_drops_elsewhere() -> None:
    async def scenario() -> None:
        world = World()
        world.add_service(service("web", type="NodePort", externalTrafficPolicy="Local", ports=[
            {"name": "http", "port": 80, "targetPort": 8080, "nodePort": 30080}]))
        world.add_slice(endpoint_slice("web", [endpoint("10.244.1.10", "web-a")]))
        world.pod("web-a", "10.244.1.10")
        outside = world.fabric.outside()
        answer = await outside.http("172.18.0.3", 30080, GET)      # web-a's node
        assert answer.body == b"web-a from 172.18.0.1 /"
        with pytest.raises(NetError) as err:
            await outside.http("172.18.0.4", 30080, GET, timeout=1)
        assert err.value.kind == "timeout"
        # From inside the cluster the Local policy does not apply.
        client = world.pod("client", "10.244.2.3", node="kit-worker2", port=0)
        assert (await client.http("172.18.0.4", 30080, GET)).served_by == "web-a"
    run(scenario())


def test_internal_traffic_policy_local_drops_without_a_local_endpoint() -> None:
    async def scenario() -> None:
        world = World()
        world.add_service(service("web", internalTrafficPolicy="Local"))
        world.add_slice(endpoint_slice("web", [endpoint("10.244.1.10", "web-a")]))
        world.pod("web-a", "10.244.1.10")
        near = world.pod("near", "10.244.1.3", port=0)
        far = world.pod("far", "10.244.2.3", node="kit-worker2", port=0)
        assert (await near.http("web", 80, GET)).served_by == "web-a"
        with pytest.raises(NetError) as err:
            await far.http("web", 80, GET, timeout=1)
        assert err.value.kind == "timeout"
    run(scenario())


def test_session_affinity_client_ip_sticks_until_idle_timeout() -> None:
    async def scenario() -> None:
        world = World(speed=1.0)
        world.add_service(service("web", sessionAffinity="ClientIP", sessionAffinityConfig={
            "clientIP": {"timeoutSeconds": 60}}))
        world.add_slice(endpoint_slice("web", [
            endpoint(f"10.244.1.{10 + i}", f"web-{i}") for i in range(3)]))
        for i in range(3):
            world.pod(f"web-{i}", f"10.244.1.{10 + i}")
        one = world.pod("one", "10.244.2.3", node="kit-worker2", port=0)
        two = world.pod("two", "10.244.2.4", node="kit-worker2", port=0)
        first = {(await one.http("web", 80, GET)).served_by for _ in range(20)}
        assert len(first) == 1
        others = {(await two.http("web", 80, GET)).served_by for _ in range(20)}
        assert len(others) == 1
        # Idle past the timeout, the next connection is balanced afresh.
        spread = set()
        for _ in range(20):
            world.clock.advance(61)
            spread.add((await one.http("web", 80, GET)).served_by)
        assert len(spread) > 1
    run(scenario())


def test_terminating_but_serving_endpoints_are_used_only_when_none_is_ready() -> None:
    async def scenario() -> None:
        world = World()
        world.add_service(service("web"))
        world.add_slice(endpoint_slice("web", [
            endpoint("10.244.1.10", "web-old", ready=False, serving=True, terminating=True)]))
        world.pod("web-old", "10.244.1.10")
        world.pod("web-new", "10.244.1.11")
        client = world.pod("client", "10.244.1.3", port=0)
        assert (await client.http("web", 80, GET)).served_by == "web-old"
        world.add_slice(endpoint_slice("web", [
            endpoint("10.244.1.10", "web-old", ready=False, serving=True, terminating=True),
            endpoint("10.244.1.11", "web-new")]), rv=2)
        assert {(await client.http("web", 80, GET)).served_by for _ in range(10)} == {"web-new"}
    run(scenario())


def test_named_target_ports_come_resolved_per_pod_from_the_slices() -> None:
    async def scenario() -> None:
        world = World()
        world.add_service(service("web", ports=[{"name": "http", "port": 80,
                                                  "targetPort": "web"}]))
        world.add_slice(endpoint_slice("web", [endpoint("10.244.1.10", "v1")], name="web-1",
                                       ports=[{"name": "http", "port": 8080}]))
        world.add_slice(endpoint_slice("web", [endpoint("10.244.1.11", "v2")], name="web-2",
                                       ports=[{"name": "http", "port": 9090}]))
        world.pod("v1", "10.244.1.10", port=8080)
        world.pod("v2", "10.244.1.11", port=9090)
        client = world.pod("client", "10.244.1.3", port=0)
        assert {(await client.http("web", 80, GET)).served_by for _ in range(20)} == {"v1", "v2"}
    run(scenario())


def test_stream_connections_and_http_over_a_stream() -> None:
    async def scenario() -> None:
        world = World()
        server = world.pod("redis", "10.244.1.20", port=0)

        async def echo(conn: Any) -> None:
            while data := await conn.read():
                conn.write(b"+" + data)
        server.listen(6379, stream=echo)
        web = world.pod("web", "10.244.1.21", port=8080)
        client = world.pod("client", "10.244.1.3", port=0)
        conn = await client.connect("10.244.1.20", 6379)
        assert (conn.peer_ip, conn.peer_port) == ("10.244.1.20", 6379)
        conn.write(b"PING\r\n")
        assert await conn.read() == b"+PING\r\n"
        conn.close()
        # nc to an HTTP server: the request is parsed from the bytes, keep-alive honoured.
        conn = await client.connect("10.244.1.21", 8080)
        conn.write(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n"
                   b"Connection: close\r\n\r\n")
        raw = b""
        while chunk := await conn.read():
            raw += chunk
        assert raw.count(b"HTTP/1.1 200 OK") == 2
        assert b"web from 10.244.1.3 /a" in raw and raw.endswith(b"web from 10.244.1.3 /b")
        # curl to a server that only speaks a stream protocol: what came back is not HTTP.
        with pytest.raises(NetError) as err:
            await client.http("10.244.1.20", 6379, GET)
        assert err.value.kind == "reset"
        assert web.listeners
    run(scenario())


def test_releasing_a_sandbox_resets_its_connections() -> None:
    async def scenario() -> None:
        world = World()
        server = world.pod("server", "10.244.1.20", port=0)
        started = asyncio.Event()

        async def hold(conn: Any) -> None:
            started.set()
            await asyncio.Event().wait()
        server.listen(7000, stream=hold)
        client = world.pod("client", "10.244.1.3", port=0)
        conn = await client.connect("10.244.1.20", 7000)
        await started.wait()
        server.release()
        assert await conn.read() == b""
        assert not server.tasks and not server.connections
    run(scenario())


def test_handler_failures_and_slow_handlers() -> None:
    async def scenario() -> None:
        world = World(speed=1.0)
        server = world.pod("server", "10.244.1.20", port=0)

        async def broken(request: HttpRequest) -> HttpResponse:
            raise RuntimeError("boom")

        async def slow(request: HttpRequest) -> HttpResponse:
            await world.clock.sleep(30)
            return HttpResponse(200)
        server.listen(80, http=broken)
        server.listen(81, http=slow)
        client = world.pod("client", "10.244.1.3", port=0)
        with pytest.raises(NetError) as err:
            await client.http("10.244.1.20", 80, GET)
        assert (err.value.kind, err.value.message) == ("reset", "EOF")
        pending = asyncio.ensure_future(client.http("10.244.1.20", 81, GET, timeout=5))
        await asyncio.sleep(0.01)
        world.clock.advance(6)                 # past the client's patience, not the server's
        with pytest.raises(NetError) as err:
            await pending
        assert (err.value.kind, err.value.message) == (
            "timeout", "net/http: timeout awaiting response headers")
        # Without a timeout the client waits as long as the server takes.
        patient = asyncio.ensure_future(client.http("10.244.1.20", 81, GET, timeout=0))
        await asyncio.sleep(0.01)
        world.clock.advance(31)
        assert (await patient).status == 200
    run(scenario())


def test_a_new_sandbox_takes_over_a_stale_address_and_pod_name() -> None:
    async def scenario() -> None:
        world = World()
        old = world.pod("web", "10.244.1.10")
        new = world.pod("web", "10.244.1.11")
        assert old.released and world.fabric.network_of("default", "web") is new
        other = world.pod("other", "10.244.1.11")
        assert new.released
        client = world.pod("client", "10.244.1.3", port=0)
        assert (await client.http("10.244.1.11", 8080, GET)).served_by == "other"
    run(scenario())


def test_host_network_pods_share_the_node_namespace() -> None:
    async def scenario() -> None:
        world = World()
        a = world.pod("agent-a", "172.18.0.3", port=9100, host_network=True)
        b = world.pod("agent-b", "172.18.0.3", port=0, host_network=True)
        with pytest.raises(NetError):
            b.listen(9100, http=who("b"))
        client = world.pod("client", "10.244.2.3", node="kit-worker2", port=0)
        assert (await client.http("172.18.0.3", 9100, GET)).served_by == "agent-a"
        a.release()
        b.listen(9100, http=who("b"))
        assert (await client.http("172.18.0.3", 9100, GET)).served_by == "agent-b"
        assert b.resolv_conf() == "nameserver 172.18.0.1\noptions ndots:0\n"
    run(scenario())


def test_a_request_through_a_service_costs_microseconds() -> None:
    """Routing looks the ClusterIP rule up by address and draws one endpoint: the cost of
    a request does not grow with the number of endpoints."""
    async def scenario(size: int) -> float:
        import time
        world = World()
        world.add_service(service("big"))
        ips = [f"10.244.{1 + i // 250}.{2 + i % 250}" for i in range(size)]
        world.add_slice(endpoint_slice("big", [endpoint(ip, f"big-{i}")
                                               for i, ip in enumerate(ips)]))
        for i, ip in enumerate(ips):
            world.pod(f"big-{i}", ip)
        client = world.pod("client", "10.244.9.3", port=0)
        await client.http("big", 80, GET)                # reads the slice once
        start = time.perf_counter()
        for _ in range(500):
            await client.http("10.96.0.50", 80, GET)
        return (time.perf_counter() - start) / 500
    small, large = run(scenario(3)), run(scenario(1000))
    assert large < 500e-6, large
    assert large < small * 3, (small, large)
