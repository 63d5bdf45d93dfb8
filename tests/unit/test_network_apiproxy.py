"""The API server's pod and Service proxy, and port-forward, over the fabric."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from kitlib.sim.machinery.errors import StatusError
from kitlib.sim.network import HttpRequest, NetError
from tests.unit.netfakes import World, service

GET = HttpRequest(method="GET", target="/healthz")


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def pod(name: str, ip: str, *, ports: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"metadata": {"name": name, "namespace": "default"},
            "spec": {"containers": [{"name": "main", "ports": ports or []}]},
            "status": {"podIP": ip, "podIPs": [{"ip": ip}] if ip else []}}


def endpoints(name: str, addresses: list[tuple[str, str]], ports: list[dict[str, Any]],
              not_ready: list[tuple[str, str]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    def addr(ip: str, pod_name: str) -> dict[str, Any]:
        return {"ip": ip, "targetRef": {"kind": "Pod", "namespace": "default", "name": pod_name}}
    subset: dict[str, Any] = {"ports": ports}
    if addresses:
        subset["addresses"] = [addr(*a) for a in addresses]
    if not_ready:
        subset["notReadyAddresses"] = [addr(*a) for a in not_ready]
    return {"metadata": {"name": name, "namespace": "default"},
            "subsets": [subset] if addresses or not_ready else []}


def world() -> World:
    w = World()
    w.objects[("pods", "default", "web-a")] = pod("web-a", "10.244.1.10",
                                                  ports=[{"name": "http", "containerPort": 8080}])
    w.objects[("pods", "default", "web-b")] = pod("web-b", "10.244.1.11")
    w.objects[("pods", "default", "pending")] = pod("pending", "")
    w.pod("web-a", "10.244.1.10")
    w.pod("web-b", "10.244.1.11")
    return w


def status_of(exc: StatusError) -> tuple[int, str, str]:
    return exc.code, exc.reason, exc.message


def test_pod_proxy_ports_and_errors() -> None:
    async def scenario() -> None:
        w = world()
        fabric = w.fabric
        answer = await fabric.http_to_pod("default", "web-a", None, GET)   # first containerPort
        assert answer.served_by == "web-a" and answer.body == b"web-a from 172.18.0.2 /healthz"
        assert (await fabric.http_to_pod("default", "web-a", "http", GET)).status == 200
        assert (await fabric.http_to_pod("default", "web-b", 8080, GET)).served_by == "web-b"
        with pytest.raises(StatusError) as err:
            await fabric.http_to_pod("default", "web-b", None, GET)       # port 80: nothing
        assert status_of(err.value) == (503, "ServiceUnavailable",
                                        "error trying to reach service: dial tcp "
                                        "10.244.1.11:80: connect: connection refused")
        with pytest.raises(StatusError) as err:
            await fabric.http_to_pod("default", "pending", 80, GET)
        assert status_of(err.value) == (400, "BadRequest", "address not allowed")
        with pytest.raises(StatusError) as err:
            await fabric.http_to_pod("default", "ghost", 80, GET)
        assert status_of(err.value) == (404, "NotFound", 'pods "ghost" not found')
    run(scenario())


def test_service_proxy_picks_ready_addresses_by_port_name() -> None:
    async def scenario() -> None:
        w = world()
        w.add_service(service("web", ports=[{"name": "http", "port": 80, "targetPort": 8080}]))
        w.objects[("endpoints", "default", "web")] = endpoints(
            "web", [("10.244.1.10", "web-a"), ("10.244.1.11", "web-b")],
            [{"name": "http", "port": 8080, "protocol": "TCP"}])
        fabric = w.fabric
        seen = {(await fabric.http_to_service("default", "web", "http", GET)).served_by
                for _ in range(20)}
        assert seen == {"web-a", "web-b"}
        assert (await fabric.http_to_service("default", "web", 80, GET)).status == 200
        # Without a port the API server asks for the unnamed port, which this one is not.
        with pytest.raises(StatusError) as err:
            await fabric.http_to_service("default", "web", None, GET)
        assert status_of(err.value) == (503, "ServiceUnavailable",
                                        'no endpoints available for service "web"')
        with pytest.raises(StatusError) as err:
            await fabric.http_to_service("default", "web", 81, GET)
        assert err.value.message == 'no service port 81 found for service "web"'
        with pytest.raises(StatusError) as err:
            await fabric.http_to_service("default", "nothing", 80, GET)
        assert status_of(err.value) == (404, "NotFound", 'services "nothing" not found')
    run(scenario())


def test_service_proxy_without_ready_endpoints_or_with_stale_ones() -> None:
    async def scenario() -> None:
        w = world()
        w.add_service(service("web", ports=[{"port": 80, "targetPort": 8080}]))
        w.objects[("endpoints", "default", "web")] = endpoints(
            "web", [], [{"port": 8080}], not_ready=[("10.244.1.10", "web-a")])
        with pytest.raises(StatusError) as err:
            await w.fabric.http_to_service("default", "web", None, GET)
        assert status_of(err.value) == (503, "ServiceUnavailable",
                                        'no endpoints available for service "web"')
        w.objects[("endpoints", "default", "web")] = endpoints("web", [], [])
        with pytest.raises(StatusError) as err:
            await w.fabric.http_to_service("default", "web", None, GET)
        assert err.value.message == 'no endpoints available for service "web"'
        # An address whose pod has moved on is skipped (isValidAddress).
        w.objects[("endpoints", "default", "web")] = endpoints(
            "web", [("10.244.9.9", "web-a"), ("10.244.1.11", "web-b")], [{"port": 8080}])
        seen = {(await w.fabric.http_to_service("default", "web", "", GET)).served_by
                for _ in range(10)}
        assert seen == {"web-b"}
    run(scenario())


def test_port_forward_reaches_localhost_in_the_pod() -> None:
    async def scenario() -> None:
        w = world()
        conn = await w.fabric.connect_to_pod("default", "web-a", 8080)
        conn.write(b"GET / HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n")
        raw = b""
        while chunk := await conn.read():
            raw += chunk
        assert raw.startswith(b"HTTP/1.1 200 OK\r\n") and raw.endswith(b"from 127.0.0.1 /")
        with pytest.raises(NetError) as err:
            await w.fabric.connect_to_pod("default", "web-a", 9999)
        assert err.value.kind == "refused"
        assert err.value.message.endswith("dial tcp4 127.0.0.1:9999: connect: connection refused")
        with pytest.raises(NetError) as err:
            await w.fabric.connect_to_pod("default", "pending", 80)
        assert err.value.kind == "unreachable"
        with pytest.raises(StatusError):
            await w.fabric.connect_to_pod("default", "ghost", 80)
    run(scenario())
