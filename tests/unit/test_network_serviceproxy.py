"""kube-proxy's table: which Service a virtual address means, and its endpoints."""

from __future__ import annotations

from kitlib.sim.network.serviceproxy import DROP, REJECT
from kitlib.sim.network.services import parse_service
from tests.unit.netfakes import World, endpoint, endpoint_slice, record, service


def test_parse_service_defaults_and_policies() -> None:
    svc = parse_service(service("web", ports=[{"port": 80, "nodePort": 30001}], type="NodePort",
                                sessionAffinity="ClientIP", externalTrafficPolicy="Local",
                                externalIPs=["198.51.100.7"]))
    assert svc.cluster_ips == ("10.96.0.50",) and not svc.headless
    assert svc.affinity_seconds == 10800 and svc.external_local and not svc.internal_local
    [port] = svc.ports
    assert (port.name, port.protocol, port.port, port.node_port) == ("", "TCP", 80, 30001)
    assert svc.external_ips == ("198.51.100.7",)
    headless = parse_service(service("db", ip="None"))
    assert headless.headless and headless.cluster_ips == ()
    external = parse_service(service("x", ip="", type="ExternalName", externalName="a.b"))
    assert external.external_name == "a.b" and external.cluster_ips == ()
    # A ClusterIP Service keeps no node port even if one lingers in the object.
    plain = parse_service(service("c", ports=[{"port": 1, "nodePort": 30002}]))
    assert plain.ports[0].node_port == 0


def test_rules_follow_service_changes_and_deletion() -> None:
    w = World()
    w.add_service(service("web", type="NodePort", ports=[
        {"name": "http", "port": 80, "nodePort": 30080},
        {"name": "metrics", "port": 9090, "nodePort": 30090}]))
    assert w.table.vip("10.96.0.50", 80) and w.table.node_port(30090)
    w.table.service_changed("MODIFIED", record(service("web", ports=[
        {"name": "http", "port": 80}]), 2))
    assert w.table.vip("10.96.0.50", 80) is not None
    assert w.table.vip("10.96.0.50", 9090) is None and w.table.node_port(30080) is None
    assert w.table.is_cluster_ip("10.96.0.50")
    w.table.service_changed("DELETED", record(service("web"), 3))
    assert w.table.vip("10.96.0.50", 80) is None and not w.table.is_cluster_ip("10.96.0.50")


def test_load_balancer_ingress_ips_are_external_addresses() -> None:
    w = World()
    obj = service("lb", type="LoadBalancer", ports=[{"name": "http", "port": 80,
                                                      "nodePort": 31000}])
    obj["status"] = {"loadBalancer": {"ingress": [{"ip": "172.18.255.200"}]}}
    w.add_service(obj)
    sp, external = w.table.vip("172.18.255.200", 80)  # type: ignore[misc]
    assert external and sp.service.name == "lb" and w.table.node_port(31000) is sp


def test_endpoints_merge_slices_and_drop_duplicates() -> None:
    w = World()
    w.add_service(service("web"))
    w.add_slice(endpoint_slice("web", [endpoint("10.244.1.2", "a"), endpoint("10.244.1.3", "b")],
                               name="web-1"))
    w.add_slice(endpoint_slice("web", [endpoint("10.244.1.3", "b"), endpoint("10.244.1.4", "c")],
                               name="web-2"))
    sp, _ = w.table.vip("10.96.0.50", 80)  # type: ignore[misc]
    assert sorted(b.ip for b in w.table.pool(sp).cluster) == ["10.244.1.2", "10.244.1.3",
                                                              "10.244.1.4"]
    assert {b.port for b in w.table.pool(sp).cluster} == {8080}
    w.table.slice_changed("DELETED", record(endpoint_slice("web", [], name="web-2")))
    assert sorted(b.ip for b in w.table.pool(sp).cluster) == ["10.244.1.2", "10.244.1.3"]


def test_a_slice_relabelled_to_another_service_moves() -> None:
    w = World()
    w.add_service(service("a", ip="10.96.0.51"))
    w.add_service(service("b", ip="10.96.0.52"))
    first = endpoint_slice("a", [endpoint("10.244.1.2", "p")], name="s")
    w.add_slice(first)
    moved = endpoint_slice("b", [endpoint("10.244.1.2", "p")], name="s")
    w.table.slice_changed("MODIFIED", record(moved, 2), record(first, 1))
    a, _ = w.table.vip("10.96.0.51", 80)  # type: ignore[misc]
    b, _ = w.table.vip("10.96.0.52", 80)  # type: ignore[misc]
    assert w.table.pool(a).cluster == [] and len(w.table.pool(b).cluster) == 1


def test_verdicts_reject_and_drop() -> None:
    w = World()
    w.add_service(service("web", internalTrafficPolicy="Local"))
    sp, _ = w.table.vip("10.96.0.50", 80)  # type: ignore[misc]
    assert w.table.choose(sp, client_ip="10.244.1.9", node="kit-worker") == REJECT
    w.add_slice(endpoint_slice("web", [endpoint("10.244.2.2", "far", node="kit-worker2")]))
    assert w.table.choose(sp, client_ip="10.244.1.9", node="kit-worker") == DROP
    chosen = w.table.choose(sp, client_ip="10.244.2.9", node="kit-worker2")
    assert not isinstance(chosen, str) and chosen.pod == "far"


def test_nodes_map_addresses_to_names() -> None:
    w = World()
    assert w.table.node_ips["172.18.0.3"] == "kit-worker"
    w.table.node_changed("DELETED", record({"metadata": {"name": "kit-worker"}}))
    assert "172.18.0.3" not in w.table.node_ips and "kit-worker" not in w.table.nodes
