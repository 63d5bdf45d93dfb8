"""Golden rows for services, endpoints and endpointslices."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from kitlib.sim.printers import to_table
from kitlib.sim.printers.services import format_endpoints

JSON = dict[str, Any]
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


def service(kind: str = "ClusterIP", *, ports: list[JSON] | None = None,
            cluster_ip: str = "10.96.120.15", status: JSON | None = None, **spec: Any) -> JSON:
    body: JSON = {"internalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
                  "ipFamilyPolicy": "SingleStack",
                  "ports": ports if ports is not None else
                  [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}],
                  "selector": {"app": "web"}, "sessionAffinity": "None", "type": kind, **spec}
    if cluster_ip:
        body["clusterIP"] = cluster_ip
        body["clusterIPs"] = [cluster_ip]
    return {"kind": "Service", "apiVersion": "v1",
            "metadata": {"name": "web", "namespace": "default", "resourceVersion": "77",
                         "uid": "0e9f8d7c-6b5a-4938-8271-6a5b4c3d2e1f",
                         "creationTimestamp": "2024-04-30T12:00:00Z"},
            "spec": body, "status": status if status is not None else {"loadBalancer": {}}}


def cells(obj: JSON, resource: str = "services", group: str = "") -> list[Any]:
    table = to_table(group=group, resource=resource, objects=[obj], now=NOW,
                     resource_version="100")
    return table["rows"][0]["cells"]


def test_cluster_ip_service() -> None:
    assert cells(service()) == ["web", "ClusterIP", "10.96.120.15", "<none>", "80/TCP", "24h",
                                "app=web"]


def test_node_port_service() -> None:
    ports = [{"name": "http", "nodePort": 30080, "port": 80, "protocol": "TCP",
              "targetPort": 8080},
             {"name": "dns", "nodePort": 30053, "port": 53, "protocol": "UDP", "targetPort": 53}]
    obj = service("NodePort", ports=ports, externalTrafficPolicy="Cluster")
    assert cells(obj)[1:5] == ["NodePort", "10.96.120.15", "<none>",
                               "80:30080/TCP,53:30053/UDP"]


def test_load_balancer_pending_then_assigned() -> None:
    ports = [{"nodePort": 31443, "port": 443, "protocol": "TCP", "targetPort": 8443}]
    pending = service("LoadBalancer", ports=ports, allocateLoadBalancerNodePorts=True)
    assert cells(pending)[3:5] == ["<pending>", "443:31443/TCP"]
    assigned = service("LoadBalancer", ports=ports, status={"loadBalancer": {"ingress": [
        {"ip": "203.0.113.20", "ipMode": "VIP"}, {"hostname": "lb.example.com"},
        {"ip": "203.0.113.10", "ipMode": "VIP"}]}})
    # Sorted, deduplicated, and never clipped: the server always prints "wide".
    assert cells(assigned)[3] == "203.0.113.10,203.0.113.20,lb.example.com"


def test_external_ips() -> None:
    obj = service(externalIPs=["198.51.100.7", "198.51.100.8"])
    assert cells(obj)[3] == "198.51.100.7,198.51.100.8"
    lb = service("LoadBalancer", externalIPs=["198.51.100.7"],
                 status={"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}})
    assert cells(lb)[3] == "203.0.113.10,198.51.100.7"


def test_headless_and_external_name_services() -> None:
    headless = service(cluster_ip="None", ports=[])
    assert cells(headless)[1:5] == ["ClusterIP", "None", "<none>", "<none>"]
    external = service("ExternalName", cluster_ip="", ports=[], externalName="db.example.com")
    del external["spec"]["selector"]
    assert cells(external) == ["web", "ExternalName", "<none>", "db.example.com", "<none>",
                               "24h", "<none>"]


def test_service_columns() -> None:
    table = to_table(group="", resource="services", objects=[], now=NOW, resource_version="1")
    assert [(c["name"], c["priority"]) for c in table["columnDefinitions"]] == [
        ("Name", 0), ("Type", 0), ("Cluster-IP", 0), ("External-IP", 0), ("Port(s)", 0),
        ("Age", 0), ("Selector", 1)]


def endpoints(subsets: list[JSON]) -> JSON:
    obj: JSON = {"kind": "Endpoints", "apiVersion": "v1",
                 "metadata": {"name": "web", "namespace": "default",
                              "creationTimestamp": "2024-05-01T11:59:00Z",
                              "labels": {"app": "web"}}}
    if subsets:
        obj["subsets"] = subsets
    return obj


def address(ip: str, pod: str) -> JSON:
    return {"ip": ip, "nodeName": "kind-worker",
            "targetRef": {"kind": "Pod", "name": pod, "namespace": "default", "uid": "u-" + pod}}


def test_endpoints_row() -> None:
    obj = endpoints([{"addresses": [address("10.244.1.5", "a"), address("10.244.2.3", "b")],
                      "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]}])
    assert cells(obj, "endpoints") == ["web", "10.244.1.5:8080,10.244.2.3:8080", "60s"]


@pytest.mark.parametrize(("subsets", "text"), [
    ([], "<none>"),
    # Not-ready addresses are not listed at all.
    ([{"notReadyAddresses": [address("10.244.1.5", "a")], "ports": [{"port": 80}]}], ""),
    # Every (address, port) pair counts; three are shown.
    ([{"addresses": [address("10.0.0.1", "a"), address("10.0.0.2", "b")],
       "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}]}],
     "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more..."),
    ([{"addresses": [address("10.0.0.1", "a"), address("10.0.0.2", "b"),
                     address("10.0.0.3", "c")], "ports": [{"port": 80}]}],
     "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80"),
    ([{"addresses": [address("10.0.0.1", "a")]},            # headless, no ports
      {"addresses": [address("fd00::1", "b")], "ports": [{"port": 80}]}],
     "10.0.0.1,[fd00::1]:80"),
])
def test_endpoints_formatting(subsets: list[JSON], text: str) -> None:
    assert format_endpoints(endpoints(subsets)) == text


def endpoint_slice(ports: list[JSON], addresses: list[list[str]]) -> JSON:
    return {"kind": "EndpointSlice", "apiVersion": "discovery.k8s.io/v1",
            "metadata": {"name": "web-abc12", "namespace": "default",
                         "creationTimestamp": "2024-05-01T11:00:00Z",
                         "labels": {"kubernetes.io/service-name": "web",
                                    "endpointslice.kubernetes.io/managed-by":
                                        "endpointslice-controller.k8s.io"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": group, "conditions": {"ready": True, "serving": True,
                                                              "terminating": False},
                           "nodeName": "kind-worker"} for group in addresses],
            "ports": ports}


def test_endpoint_slice_rows() -> None:
    obj = endpoint_slice([{"name": "http", "port": 8080, "protocol": "TCP"}],
                         [["10.244.1.5"], ["10.244.2.3"]])
    assert cells(obj, "endpointslices", "discovery.k8s.io") == [
        "web-abc12", "IPv4", "8080", "10.244.1.5,10.244.2.3", "60m"]
    many = endpoint_slice([{"name": "a", "port": 1}, {"name": "b", "port": 2},
                           {"name": "c", "port": 3}, {"name": "d", "port": 4},
                           {"name": "all"}, {}],
                          [["10.0.0.1"], ["10.0.0.2"], ["10.0.0.3"], ["10.0.0.4"]])
    assert cells(many, "endpointslices", "discovery.k8s.io")[2:4] == [
        "1,2,3 + 3 more...", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more..."]
    empty = endpoint_slice([], [])
    del empty["ports"]
    assert cells(empty, "endpointslices", "discovery.k8s.io")[2:4] == ["<unset>", "<unset>"]
