"""Cluster DNS in a running cluster: what a pod resolves, as CoreDNS answers in kind."""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes import client

from kitlib.sim.network import NameNotFound
from tests.cluster.netlab import LAB_TAINT, make_node, set_pod_status, wait_for

NODE = "lab-dns"


@pytest.fixture(scope="module")
def core(api_client: Any, sim: Any) -> client.CoreV1Api:
    api = client.CoreV1Api(api_client)
    make_node(api, sim, NODE)
    return api


def pod_net(sim: Any, namespace: str, name: str, ip: str, **options: Any) -> Any:
    async def make() -> Any:
        return sim.cluster.fabric.pod_network(namespace=namespace, pod=name, ip=ip,
                                              node_ip="172.18.0.3", **options)
    return sim.call(make())


def resolve(sim: Any, net: Any, name: str) -> list[str]:
    async def go() -> list[str]:
        return net.resolve(name)
    return sim.call(go())


def resolves(sim: Any, net: Any, name: str) -> list[str] | None:
    try:
        return resolve(sim, net, name)
    except NameNotFound:
        return None


def test_cluster_services_from_bootstrap(sim: Any, namespace: str) -> None:
    net = pod_net(sim, namespace, "client", "10.244.210.2")
    assert resolve(sim, net, "kubernetes.default") == ["10.96.0.1"]
    assert resolve(sim, net, "kubernetes.default.svc.cluster.local") == ["10.96.0.1"]
    assert resolve(sim, net, "kube-dns.kube-system") == ["10.96.0.10"]
    assert resolve(sim, net, "kit-worker") == ["172.18.0.3"]
    assert net.resolv_conf() == (f"search {namespace}.svc.cluster.local svc.cluster.local "
                                 "cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n")


def test_a_service_resolves_while_it_exists(core: client.CoreV1Api, sim: Any,
                                            namespace: str) -> None:
    net = pod_net(sim, namespace, "client", "10.244.210.3")
    other = pod_net(sim, "default", "elsewhere", "10.244.210.4")
    svc = core.create_namespaced_service(namespace, {
        "metadata": {"name": "shop"},
        "spec": {"selector": {"app": "shop"}, "ports": [{"port": 80}]}})
    ip = svc.spec.cluster_ip
    wait_for(lambda: resolves(sim, net, "shop") == [ip], what="shop resolves")
    for name in (f"shop.{namespace}", f"shop.{namespace}.svc",
                 f"shop.{namespace}.svc.cluster.local"):
        assert resolve(sim, net, name) == [ip]
        assert resolve(sim, other, name) == [ip]
    assert resolves(sim, other, "shop") is None           # another namespace's search list
    core.delete_namespaced_service("shop", namespace)
    wait_for(lambda: resolves(sim, net, "shop") is None, what="shop gone")


def test_headless_service_and_pod_hostnames(core: client.CoreV1Api, sim: Any,
                                            namespace: str) -> None:
    core.create_namespaced_service(namespace, {
        "metadata": {"name": "db"},
        "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]}})
    ips = {}
    for i, ready in ((0, True), (1, True), (2, False)):
        name = f"db-{i}"
        core.create_namespaced_pod(namespace, {
            "metadata": {"name": name, "labels": {"app": "db"}},
            "spec": {"nodeName": NODE, "hostname": name, "subdomain": "db",
                     "tolerations": [{**LAB_TAINT, "operator": "Exists"}],
                     "containers": [{"name": "db", "image": "postgres:16"}]}})
        ips[name] = f"10.244.211.{10 + i}"
        set_pod_status(core, sim, namespace, name, ip=ips[name], ready=ready)
    net = pod_net(sim, namespace, "client", "10.244.210.5")
    wait_for(lambda: sorted(resolves(sim, net, "db") or []) == [ips["db-0"], ips["db-1"]],
             what="the ready db pods")
    assert resolve(sim, net, "db-1.db") == [ips["db-1"]]
    assert resolve(sim, net, f"db-0.db.{namespace}.svc.cluster.local") == [ips["db-0"]]
    assert resolves(sim, net, "db-2.db") is None            # not ready
    dashed = ips["db-0"].replace(".", "-")
    assert resolve(sim, net, f"{dashed}.{namespace}.pod.cluster.local") == [ips["db-0"]]
    # The pod's own names come from its hosts file.
    own = pod_net(sim, namespace, "db-9", "10.244.211.99", hostname="db-9", subdomain="db")
    assert resolve(sim, own, "db-9") == ["10.244.211.99"]
    assert "10.244.211.99\tdb-9.db." + namespace + ".svc.cluster.local\tdb-9\n" in \
        own.hosts_file()


def test_names_outside_the_cluster_do_not_resolve(sim: Any, namespace: str) -> None:
    net = pod_net(sim, namespace, "client", "10.244.210.6")
    with pytest.raises(NameNotFound) as err:
        resolve(sim, net, "www.example.com")
    assert err.value.kind == "nxdomain" and err.value.external
    assert err.value.message.startswith("lookup www.example.com on 10.96.0.10:53: no such host")
    with pytest.raises(NameNotFound) as err:
        resolve(sim, net, "no-such-service")
    assert not err.value.external
    assert err.value.tried == [f"no-such-service.{namespace}.svc.cluster.local",
                               "no-such-service.svc.cluster.local",
                               "no-such-service.cluster.local", "no-such-service"]
