"""Services: defaults, ClusterIP and NodePort allocation, validation."""

from __future__ import annotations

import copy
import ipaddress
import random
from typing import Any

import pytest

from kitlib.sim.machinery.errors import Invalid, StatusError
from kitlib.sim.registry.core.ipallocator import (AlreadyAllocated, ClusterIPAllocator,
                                                  NodePortAllocator, NotInRange)
from kitlib.sim.registry.core.service import ServiceStrategy
from kitlib.sim.registry.core.servicealloc import ServiceAllocator


@pytest.fixture()
def alloc() -> ServiceAllocator:
    rng = random.Random(7)
    return ServiceAllocator(cluster_ips=ClusterIPAllocator(rng=rng),
                            node_ports=NodePortAllocator(rng=rng))


def service(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}], **spec}}


def create(obj: dict[str, Any], alloc: ServiceAllocator) -> dict[str, Any]:
    strategy = ServiceStrategy()
    strategy.default(obj)
    txn = alloc.allocate_create(obj)
    strategy.prepare_for_create(obj)
    assert strategy.validate(obj) == []
    txn.commit()
    return obj


def test_cluster_ip_service_golden(alloc: ServiceAllocator) -> None:
    obj = create(service(), alloc)
    ip = obj["spec"]["clusterIP"]
    assert ip.startswith("10.") and obj["spec"]["clusterIPs"] == [ip]
    assert obj["spec"] == {
        "selector": {"app": "web"}, "ports": [{"port": 80, "protocol": "TCP", "targetPort": 80}],
        "type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
        "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "clusterIP": ip,
        "clusterIPs": [ip]}
    assert obj["status"] == {"loadBalancer": {}}


def test_dynamic_ips_avoid_the_static_band_and_repeat_with_the_seed() -> None:
    first = ClusterIPAllocator(rng=random.Random(3))
    second = ClusterIPAllocator(rng=random.Random(3))
    ips = [first.allocate() for _ in range(50)]
    assert ips == [second.allocate() for _ in range(50)]
    assert len(set(ips)) == 50
    base = int(ipaddress.ip_address("10.96.0.1"))
    assert all(256 <= int(ipaddress.ip_address(ip)) - base < 2**20 - 2 for ip in ips)


def test_requested_ips_and_their_errors() -> None:
    ips = ClusterIPAllocator(rng=random.Random(0))
    assert ips.allocate(requested="10.96.0.10") == "10.96.0.10"
    with pytest.raises(AlreadyAllocated, match="provided IP is already allocated"):
        ips.allocate(requested="10.96.0.10")
    with pytest.raises(NotInRange) as caught:
        ips.allocate(requested="10.96.0.0")
    assert str(caught.value) == ("the provided IP (10.96.0.0) is not in the valid range. The "
                                 "range of valid IPs is 10.96.0.0/12")
    ips.release("10.96.0.10")
    ips.mark_used("10.96.0.1")
    assert ips.allocate(requested="10.96.0.10") == "10.96.0.10" and ips.is_used("10.96.0.1")


def test_out_of_range_cluster_ip_is_a_422(alloc: ServiceAllocator) -> None:
    obj = service(clusterIP="10.0.0.1")
    ServiceStrategy().default(obj)
    with pytest.raises(StatusError) as caught:
        alloc.allocate_create(obj)
    assert caught.value.code == 422
    assert caught.value.message == (
        'Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.1"}: failed '
        "to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The "
        "range of valid IPs is 10.96.0.0/12")


def test_node_ports(alloc: ServiceAllocator) -> None:
    obj = create(service(type="NodePort"), alloc)
    port = obj["spec"]["ports"][0]["nodePort"]
    assert 30086 <= port <= 32767 and obj["spec"]["externalTrafficPolicy"] == "Cluster"
    clash = service(type="NodePort", ports=[{"port": 80, "nodePort": port}])
    ServiceStrategy().default(clash)
    with pytest.raises(StatusError) as caught:
        alloc.allocate_create(clash)
    assert caught.value.message == (
        f'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: {port}: provided port '
        "is already allocated")
    wrong = service(type="NodePort", ports=[{"port": 80, "nodePort": 80}])
    ServiceStrategy().default(wrong)
    with pytest.raises(StatusError) as caught:
        alloc.allocate_create(wrong)
    assert caught.value.message.endswith("provided port is not in the valid range. The range of "
                                         "valid ports is 30000-32767")


def test_failed_create_gives_everything_back(alloc: ServiceAllocator) -> None:
    obj = service(type="NodePort", ports=[{"port": 80, "nodePort": 30080},
                                          {"port": 81, "nodePort": 1}])
    ServiceStrategy().default(obj)
    with pytest.raises(StatusError):
        alloc.allocate_create(obj)
    assert not alloc.node_ports.is_used(30080)


def test_type_change_releases_node_ports_on_commit(alloc: ServiceAllocator) -> None:
    old = create(service(type="NodePort"), alloc)
    port = old["spec"]["ports"][0]["nodePort"]
    new = copy.deepcopy(old)
    new["spec"]["type"] = "ClusterIP"
    strategy = ServiceStrategy()
    strategy.default(new)
    txn = alloc.allocate_update(new, old)
    strategy.prepare_for_update(new, old)
    assert strategy.validate_update(new, old) == []
    assert "nodePort" not in new["spec"]["ports"][0] and "externalTrafficPolicy" not in new["spec"]
    assert alloc.node_ports.is_used(port)
    txn.commit()
    assert not alloc.node_ports.is_used(port)


def test_cluster_ip_may_not_change(alloc: ServiceAllocator) -> None:
    old = create(service(), alloc)
    new = copy.deepcopy(old)
    new["spec"]["clusterIP"] = "10.96.0.50"
    new["spec"]["clusterIPs"] = ["10.96.0.50"]
    strategy = ServiceStrategy()
    strategy.prepare_for_update(new, old)
    assert Invalid(kind="Service", name="web", errors=strategy.validate_update(new, old)).message \
        == ('Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.50"}: '
            "may not change once set")


def test_put_without_cluster_ip_keeps_it(alloc: ServiceAllocator) -> None:
    old = create(service(), alloc)
    new = service()
    strategy = ServiceStrategy()
    strategy.default(new)
    alloc.allocate_update(new, old).commit()
    strategy.prepare_for_update(new, old)
    assert new["spec"]["clusterIP"] == old["spec"]["clusterIP"]
    assert strategy.validate_update(new, old) == []


def test_port_errors() -> None:
    obj = service(type="Foo", ports=[{"port": 80}, {"port": 80}, {"port": 0, "name": "Web"}])
    strategy = ServiceStrategy()
    strategy.default(obj)
    assert [str(e) for e in strategy.validate(obj)] == [
        "spec.ports[0].name: Required value",
        "spec.ports[1].name: Required value",
        'spec.ports[2].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of '
        "lower case alphanumeric characters or '-', and must start and end with an alphanumeric "
        "character (e.g. 'my-name',  or '123-abc', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.ports[2].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "spec.ports[2].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
        'spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", '
        '"LoadBalancer", "NodePort"',
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", '
        "AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, "
        'StrVal:""}, NodePort:0}',
    ]


def test_external_name_and_headless(alloc: ServiceAllocator) -> None:
    ext = create({"metadata": {"name": "db", "namespace": "d"},
                  "spec": {"type": "ExternalName", "externalName": "db.example.com."}}, alloc)
    assert "clusterIP" not in ext["spec"] and "ipFamilies" not in ext["spec"]
    headless = create(service(clusterIP="None"), alloc)
    assert headless["spec"]["clusterIPs"] == ["None"]
    assert headless["spec"]["ipFamilies"] == ["IPv4"]


def test_load_balancer_defaults(alloc: ServiceAllocator) -> None:
    obj = create(service(type="LoadBalancer"), alloc)
    assert obj["spec"]["allocateLoadBalancerNodePorts"] is True
    assert obj["spec"]["ports"][0]["nodePort"] >= 30000
    local = create(service(type="LoadBalancer", externalTrafficPolicy="Local"), alloc)
    assert local["spec"]["healthCheckNodePort"] >= 30000


def test_release_on_delete(alloc: ServiceAllocator) -> None:
    obj = create(service(type="NodePort"), alloc)
    alloc.release(obj)
    assert not alloc.cluster_ips.is_used(obj["spec"]["clusterIP"])
    assert not alloc.node_ports.is_used(obj["spec"]["ports"][0]["nodePort"])
    alloc.restore(obj)
    assert alloc.cluster_ips.is_used(obj["spec"]["clusterIP"])
