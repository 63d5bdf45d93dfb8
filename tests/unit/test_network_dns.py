"""Cluster DNS: the name forms CoreDNS answers in kind, search domains, resolver files."""

from __future__ import annotations

import pytest

from kitlib.sim import bootstrap
from kitlib.sim.network import DNS_SERVER, NameNotFound, hosts_file, resolv_conf, resolver_config
from tests.unit.netfakes import World, endpoint, endpoint_slice, service


def world() -> World:
    w = World()
    w.add_service(service("web", "shop", ip="10.96.12.34"))
    w.add_service(service("kubernetes", "default", ip="10.96.0.1", ports=[
        {"name": "https", "port": 443, "targetPort": 6443}]))
    w.add_service(service("db", "shop", ip="None"))
    w.add_slice(endpoint_slice("db", [
        endpoint("10.244.1.7", "db-0", namespace="shop", hostname="db-0"),
        endpoint("10.244.2.8", "db-1", namespace="shop", hostname="db-1"),
        endpoint("10.244.2.9", "db-2", namespace="shop", ready=False)], namespace="shop"))
    w.add_service(service("legacy", "shop", ip="", type="ExternalName",
                          externalName="web.shop.svc.cluster.local"))
    w.add_service(service("search", "shop", ip="", type="ExternalName",
                          externalName="www.example.com"))
    return w


SHOP = resolver_config(namespace="shop")


def test_the_dns_address_is_kube_dns() -> None:
    assert DNS_SERVER == bootstrap.DNS_IP


def test_service_names_in_every_form() -> None:
    w = world()
    for name in ("web", "web.shop", "web.shop.svc", "web.shop.svc.cluster.local",
                 "web.shop.svc.cluster.local.", "WEB.Shop"):
        assert w.dns.resolve(name, SHOP) == ["10.96.12.34"], name
    # From another namespace the short name is another Service (none here).
    default = resolver_config(namespace="default")
    with pytest.raises(NameNotFound):
        w.dns.resolve("web", default)
    assert w.dns.resolve("web.shop", default) == ["10.96.12.34"]
    assert w.dns.resolve("kubernetes.default", SHOP) == ["10.96.0.1"]
    assert w.dns.resolve("kubernetes.default.svc", default) == ["10.96.0.1"]


def test_search_order_follows_ndots() -> None:
    assert SHOP.candidates("web") == ["web.shop.svc.cluster.local", "web.svc.cluster.local",
                                      "web.cluster.local", "web"]
    assert SHOP.candidates("a.b.c.d.e.f")[0] == "a.b.c.d.e.f"
    assert SHOP.candidates("web.") == ["web"]
    w = world()
    attempts = w.dns.answers("web.shop", SHOP)
    assert attempts == [("web.shop.shop.svc.cluster.local", None),
                        ("web.shop.svc.cluster.local", ["10.96.12.34"])]


def test_headless_services_answer_ready_endpoints_and_hostnames() -> None:
    w = world()
    assert sorted(w.dns.resolve("db", SHOP)) == ["10.244.1.7", "10.244.2.8"]
    assert w.dns.resolve("db-1.db.shop.svc.cluster.local", SHOP) == ["10.244.2.8"]
    assert w.dns.resolve("db-0.db", SHOP) == ["10.244.1.7"]
    with pytest.raises(NameNotFound):
        w.dns.resolve("db-2.db.shop.svc.cluster.local", SHOP)     # not ready
    # Every order shows up over time (CoreDNS's loadbalance plugin).
    orders = {tuple(w.dns.resolve("db", SHOP)) for _ in range(20)}
    assert len(orders) == 2


def test_pod_records_and_namespaces() -> None:
    w = world()
    assert w.dns.resolve("10-244-1-99.shop.pod.cluster.local", SHOP) == ["10.244.1.99"]
    assert w.dns.lookup("10-244-1-99.nowhere.pod.cluster.local") is None
    assert w.dns.lookup("not-an-ip.shop.pod.cluster.local") is None
    assert w.dns.lookup("shop.svc.cluster.local") == []          # exists, no address
    assert w.dns.lookup("nowhere.svc.cluster.local") is None


def test_external_names_and_the_internet() -> None:
    w = world()
    assert w.dns.resolve("legacy", SHOP) == ["10.96.12.34"]      # CNAME inside the cluster
    with pytest.raises(NameNotFound) as err:
        w.dns.resolve("search", SHOP)
    assert not err.value.external
    with pytest.raises(NameNotFound) as err:
        w.dns.resolve("example.com", SHOP)
    assert err.value.kind == "nxdomain" and err.value.external
    assert err.value.message.startswith("lookup example.com on 10.96.0.10:53: no such host")
    assert "no internet" in err.value.message
    assert err.value.busybox() == "** server can't find example.com: NXDOMAIN"
    assert err.value.tried[-1] == "example.com"
    # The nodes are known upstream (docker's DNS), as in kind.
    assert w.dns.resolve("kit-worker", SHOP) == ["172.18.0.3"]


def test_dns_policy_default_sees_no_cluster_names() -> None:
    w = world()
    node = resolver_config(namespace="shop", dns_policy="Default")
    with pytest.raises(NameNotFound) as err:
        w.dns.resolve("web.shop.svc.cluster.local", node)
    assert err.value.server == "172.18.0.1"
    assert w.dns.resolve("kit-worker2", node) == ["172.18.0.4"]


def test_resolv_conf_texts() -> None:
    assert resolv_conf(namespace="shop") == (
        "search shop.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\noptions ndots:5\n")
    assert resolv_conf(namespace="shop", dns_policy="Default") == (
        "nameserver 172.18.0.1\noptions ndots:0\n")
    assert resolv_conf(namespace="shop", host_network=True) == (
        "nameserver 172.18.0.1\noptions ndots:0\n")
    assert resolv_conf(namespace="shop", host_network=True,
                       dns_policy="ClusterFirstWithHostNet").startswith("search shop.svc")
    assert resolv_conf(namespace="shop", dns_policy="None", dns_config={
        "nameservers": ["1.2.3.4"], "searches": ["ns1.svc.cluster-domain.example"],
        "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]}) == (
        "search ns1.svc.cluster-domain.example\nnameserver 1.2.3.4\noptions ndots:2 edns0\n")
    merged = resolver_config(namespace="a", dns_config={
        "searches": ["corp.example"], "options": [{"name": "ndots", "value": "1"}]})
    assert merged.searches[-1] == "corp.example" and merged.ndots == 1


def test_hosts_file_text() -> None:
    base = ("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"
            "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
            "fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n")
    assert hosts_file(ip="10.244.1.5", hostname="web") == base + "10.244.1.5\tweb\n"
    assert hosts_file(ip="10.244.1.5", hostname="db-0", namespace="shop", subdomain="db",
                      host_aliases=[{"ip": "127.0.0.1", "hostnames": ["foo.local", "bar.local"]}]
                      ) == base + ("10.244.1.5\tdb-0.db.shop.svc.cluster.local\tdb-0\n"
                                   "\n# Entries added by HostAliases.\n"
                                   "127.0.0.1\tfoo.local\tbar.local\n")


def test_a_pod_resolves_its_hosts_file_first() -> None:
    w = world()
    net = w.pod("db-0", "10.244.1.7", namespace="shop", port=0, subdomain="db",
                host_aliases=[{"ip": "10.1.2.3", "hostnames": ["legacy-api.internal"]}])
    assert net.resolve("localhost") == ["127.0.0.1", "::1"]
    assert net.resolve("db-0") == ["10.244.1.7"]
    assert net.resolve("db-0.db.shop.svc.cluster.local") == ["10.244.1.7"]
    assert net.resolve("legacy-api.internal") == ["10.1.2.3"]
    assert net.resolve("web") == ["10.96.12.34"]
    assert net.hosts_file().endswith("10.1.2.3\tlegacy-api.internal\n")
    assert net.resolv_conf().startswith("search shop.svc.cluster.local ")


def test_reverse_lookups() -> None:
    w = world()
    assert w.dns.reverse("10.96.12.34") == ["web.shop.svc.cluster.local"]
    assert w.dns.reverse("10.244.1.7") == ["db-0.db.shop.svc.cluster.local"]
    assert w.dns.reverse("172.18.0.3") == ["kit-worker.kind"]
    assert w.dns.reverse("10.9.9.9") == []
