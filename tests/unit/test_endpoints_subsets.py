"""The endpoint controller's pure parts: subsets, ports, truncation, trigger times."""

from __future__ import annotations

from typing import Any

import pytest

from kitlib.sim.controllers.endpoints import MAX_CAPACITY, desired_subsets, truncate
from kitlib.sim.controllers.servicepods import PodFacts, find_port, should_be_in_endpoints
from kitlib.sim.controllers.triggertime import TriggerTimeTracker, rfc3339_nano


def pod(name: str, ip: str = "", *, ready: bool = True, terminating: bool = False,
        terminal: bool = False, ports: tuple[tuple[str, str, int], ...] = (),
        hostname: str = "", subdomain: str = "", ready_since: str = "") -> PodFacts:
    return PodFacts(namespace="ns", name=name, uid=f"uid-{name}", rv=1,
                    ips=(ip,) if ip else (), node="node-a", ready=ready,
                    terminating=terminating, terminal=terminal, hostname=hostname,
                    subdomain=subdomain, named_ports=ports, ready_since=ready_since)


def service(**spec: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"clusterIP": "10.96.0.10", "ipFamilies": ["IPv4"],
                            "selector": {"app": "web"},
                            "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}]}
    base.update(spec)
    return {"metadata": {"name": "web", "namespace": "ns",
                         "creationTimestamp": "2026-01-01T00:00:00Z"}, "spec": base}


def address(p: PodFacts, ip: str) -> dict[str, Any]:
    return {"ip": ip, "nodeName": "node-a",
            "targetRef": {"kind": "Pod", "namespace": "ns", "name": p.name, "uid": p.uid}}


def test_ready_and_not_ready_pods_share_one_subset() -> None:
    a, b, c = pod("a", "10.0.0.3"), pod("b", "10.0.0.1"), pod("c", "10.0.0.2", ready=False)
    assert desired_subsets(service(), [a, b, c]) == [{
        "addresses": [address(b, "10.0.0.1"), address(a, "10.0.0.3")],
        "notReadyAddresses": [address(c, "10.0.0.2")],
        "ports": [{"port": 8080, "protocol": "TCP"}]}]


def test_pods_without_ip_terminating_or_finished_are_left_out() -> None:
    pods = [pod("noip"), pod("going", "10.0.0.1", terminating=True),
            pod("done", "10.0.0.2", terminal=True), pod("ok", "10.0.0.3")]
    subsets = desired_subsets(service(), pods)
    assert [x["ip"] for s in subsets for x in s.get("addresses", [])] == ["10.0.0.3"]
    assert not any("notReadyAddresses" in s for s in subsets)


def test_publish_not_ready_addresses_keeps_terminating_pods_as_ready() -> None:
    pods = [pod("slow", "10.0.0.1", ready=False), pod("going", "10.0.0.2", terminating=True)]
    [subset] = desired_subsets(service(publishNotReadyAddresses=True), pods)
    assert [x["ip"] for x in subset["addresses"]] == ["10.0.0.1", "10.0.0.2"]


def test_named_target_port_splits_pods_that_resolve_differently() -> None:
    svc = service(ports=[{"name": "web", "port": 80, "targetPort": "http", "protocol": "TCP"}])
    a = pod("a", "10.0.0.1", ports=(("http", "TCP", 8080),))
    b = pod("b", "10.0.0.2", ports=(("http", "TCP", 9090),))
    c = pod("c", "10.0.0.3", ports=(("http", "UDP", 53),))        # wrong protocol
    subsets = desired_subsets(svc, [a, b, c])
    assert [(s["ports"], [x["ip"] for x in s["addresses"]]) for s in subsets] == [
        ([{"name": "web", "port": 8080, "protocol": "TCP"}], ["10.0.0.1"]),
        ([{"name": "web", "port": 9090, "protocol": "TCP"}], ["10.0.0.2"])]


def test_ports_served_by_the_same_pods_share_a_subset() -> None:
    svc = service(ports=[{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"},
                         {"name": "metrics", "port": 9100, "targetPort": "metrics",
                          "protocol": "TCP", "appProtocol": "http"}])
    a = pod("a", "10.0.0.1", ports=(("metrics", "TCP", 9100),))
    b = pod("b", "10.0.0.2")                      # no metrics port
    subsets = desired_subsets(svc, [a, b])
    assert [(s["ports"], [x["ip"] for x in s["addresses"]]) for s in subsets] == [
        ([{"name": "http", "port": 8080, "protocol": "TCP"}], ["10.0.0.1", "10.0.0.2"]),
        ([{"name": "metrics", "port": 9100, "protocol": "TCP", "appProtocol": "http"}],
         ["10.0.0.1"])]


def test_headless_service_without_ports_still_lists_addresses() -> None:
    svc = service(clusterIP="None", ports=None)
    a = pod("a", "10.0.0.1", hostname="db-0", subdomain="web")
    assert desired_subsets(svc, [a]) == [{"addresses": [{**address(a, "10.0.0.1"),
                                                         "hostname": "db-0"}]}]


def test_hostname_only_for_pods_of_the_services_subdomain() -> None:
    a = pod("a", "10.0.0.1", hostname="db-0", subdomain="other")
    [subset] = desired_subsets(service(), [a])
    assert "hostname" not in subset["addresses"][0]


@pytest.mark.parametrize(("target", "ports", "expected"), [
    (8080, (), 8080),
    ("http", (("http", "TCP", 80),), 80),
    ("http", (("grpc", "TCP", 90),), None),
])
def test_find_port(target: Any, ports: tuple[tuple[str, str, int], ...],
                   expected: int | None) -> None:
    facts = pod("a", "10.0.0.1", ports=ports)
    assert find_port(facts, {"port": 80, "targetPort": target, "protocol": "TCP"}) == expected


def test_should_be_in_endpoints() -> None:
    assert should_be_in_endpoints(pod("a", "1.1.1.1"), include_terminating=False)
    assert not should_be_in_endpoints(pod("a"), include_terminating=True)
    going = pod("a", "1.1.1.1", terminating=True)
    assert not should_be_in_endpoints(going, include_terminating=False)
    assert should_be_in_endpoints(going, include_terminating=True)


def test_truncate_keeps_ready_addresses_first() -> None:
    many = [{"ip": f"10.1.{i // 250}.{i % 250}"} for i in range(1200)]
    subsets = [{"addresses": many, "notReadyAddresses": many[:5], "ports": []}]
    assert truncate(subsets)
    assert len(subsets[0]["addresses"]) == MAX_CAPACITY and "notReadyAddresses" not in subsets[0]


def test_truncate_trims_not_ready_in_proportion() -> None:
    ready = [{"ip": f"10.1.0.{i}"} for i in range(200)]
    waiting = [{"ip": f"10.2.{i // 250}.{i % 250}"} for i in range(1000)]
    subsets = [{"addresses": ready, "notReadyAddresses": waiting[:600]},
               {"notReadyAddresses": waiting[600:]}]
    assert truncate(subsets)
    assert [len(s.get("notReadyAddresses", [])) for s in subsets] == [480, 320]
    assert len(subsets[0]["addresses"]) == 200
    assert not truncate([{"addresses": ready}])


def test_trigger_time_follows_the_changes_since_the_last_sync() -> None:
    tracker = TriggerTimeTracker()
    created = "2026-01-01T00:00:00Z"
    a = pod("a", "10.0.0.1", ready_since="2026-01-01T00:00:05Z")
    assert tracker.compute("ns/web", created, [a]) == created
    assert tracker.compute("ns/web", created, [a]) == ""          # nothing moved
    b = pod("b", "10.0.0.2", ready_since="2026-01-01T00:00:09Z")
    a2 = pod("a", "10.0.0.1", ready_since="2026-01-01T00:00:07Z")
    assert tracker.compute("ns/web", created, [a2, b]) == "2026-01-01T00:00:07Z"
    tracker.forget("ns/web")
    assert tracker.compute("ns/web", created, [a2, b]) == created


def test_rfc3339_nano_drops_trailing_zeros() -> None:
    from datetime import datetime, timezone
    moment = datetime(2026, 1, 2, 3, 4, 5, 120000, tzinfo=timezone.utc)
    assert rfc3339_nano(moment) == "2026-01-02T03:04:05.12Z"
    assert rfc3339_nano(moment.replace(microsecond=0)) == "2026-01-02T03:04:05Z"
