"""Cluster DNS, as CoreDNS answers it in kind, and the resolver files the kubelet writes.

A Service named ``web`` in ``shop`` is ``web.shop.svc.cluster.local``: its ClusterIP, or,
for a headless Service, the addresses of its ready endpoints (and ``HOSTNAME.web.shop.svc
.cluster.local`` for pods that set ``hostname`` and ``subdomain: web``).  Pods have
``10-244-1-5.shop.pod.cluster.local`` (kind's CoreDNS runs ``pods insecure``: the name is
the answer).  Short names work because the kubelet gives every pod the search list of its
namespace with ``ndots:5``: ``web`` is tried as ``web.shop.svc.cluster.local`` first.
Names outside the cluster go upstream, to the docker network's resolver, which knows the
node containers (``kit-worker``) and nothing else: the simulator has no internet.
"""

from __future__ import annotations

import ipaddress
import random
from typing import Callable

from kitlib.sim.network.api import NetError
from kitlib.sim.network.resolvconf import (CLUSTER_DOMAIN, DNS_SERVER, NODE_DNS_SERVER,
                                           ResolverConfig)
from kitlib.sim.network.serviceproxy import ServiceTable


class NameNotFound(NetError):
    """No address for a name (NXDOMAIN, or no records of the type asked)."""

    def __init__(self, name: str, *, server: str, tried: list[str], external: bool) -> None:
        message = f"lookup {name} on {server}:53: no such host"
        if external:
            message += " (the simulated cluster has no internet: only its own names resolve)"
        super().__init__("nxdomain", message)
        self.name = name
        self.server = server
        self.tried = tried
        self.external = external

    def busybox(self) -> str:
        """The line busybox nslookup prints."""
        return f"** server can't find {self.name}: NXDOMAIN"


def _dashed_ip(label: str) -> str | None:
    if label.count("-") != 3:
        return None
    try:
        return str(ipaddress.IPv4Address(label.replace("-", ".")))
    except ValueError:
        return None


class ClusterDNS:
    """CoreDNS's ``kubernetes`` plugin for cluster.local, and docker's DNS upstream."""

    def __init__(self, services: ServiceTable, *, namespace_exists: Callable[[str], bool],
                 rng: random.Random) -> None:
        self.services = services
        self.namespace_exists = namespace_exists
        self.rng = rng

    # --- one query ------------------------------------------------------------------------

    def lookup(self, fqdn: str, *, server: str = DNS_SERVER, depth: int = 0) -> list[str] | None:
        """A records for an absolute name: None for NXDOMAIN, [] for a name with none."""
        name = fqdn.lower().rstrip(".")
        in_cluster = name == CLUSTER_DOMAIN or name.endswith("." + CLUSTER_DOMAIN)
        if server == DNS_SERVER and in_cluster:
            return self._cluster(name[:-len(CLUSTER_DOMAIN)].rstrip(".").split("."), depth)
        if server in (DNS_SERVER, NODE_DNS_SERVER):
            # Upstream: docker's resolver knows the node containers by name.
            node = self.services.nodes.get(name)
            if node is not None and node.ip:
                return [node.ip]
        return None

    def _cluster(self, labels: list[str], depth: int) -> list[str] | None:
        if labels == [""]:
            return []                           # the zone apex: SOA and NS only
        kind = labels[-1]
        if kind == "svc":
            if len(labels) == 1:
                return []
            if len(labels) == 2:
                return [] if self.namespace_exists(labels[0]) else None
            if len(labels) in (3, 4):
                return self._service(labels[-2], labels[-3],
                                     labels[0] if len(labels) == 4 else "", depth)
            return None
        if kind == "pod":
            if len(labels) == 1:
                return []
            if len(labels) == 2:
                return [] if self.namespace_exists(labels[0]) else None
            if len(labels) == 3 and self.namespace_exists(labels[1]):
                ip = _dashed_ip(labels[0])
                return [ip] if ip else None
        return None

    def _service(self, namespace: str, name: str, endpoint: str, depth: int) -> list[str] | None:
        service = self.services.services.get((namespace, name))
        if service is None:
            return None
        if service.external_name:
            if endpoint or depth >= 8:
                return None
            return self.lookup(service.external_name, depth=depth + 1)
        if not service.headless:
            return None if endpoint else list(service.cluster_ips[:1])
        ready = [b for b in self.services.endpoints(namespace, name).endpoints if b.ready]
        if endpoint:
            found = [b.ip for b in ready
                     if (b.hostname or b.ip.replace(".", "-")) == endpoint]
            return found or None
        if not ready:
            return None
        addresses = [b.ip for b in ready]
        self.rng.shuffle(addresses)             # CoreDNS's loadbalance plugin
        return addresses

    def reverse(self, ip: str) -> list[str]:
        """PTR names for an address: a Service's ClusterIP, an endpoint, a node."""
        for service in self.services.services.values():
            if ip in service.cluster_ips:
                return [f"{service.name}.{service.namespace}.svc.{CLUSTER_DOMAIN}"]
        for (namespace, name) in list(self.services.services):
            for backend in self.services.endpoints(namespace, name).endpoints:
                if backend.ip == ip:
                    host = backend.hostname or ip.replace(".", "-")
                    return [f"{host}.{name}.{namespace}.svc.{CLUSTER_DOMAIN}"]
        for node in self.services.nodes.values():
            if node.ip == ip:
                return [f"{node.name}.kind"]
        return []

    # --- a stub resolver -------------------------------------------------------------------

    def answers(self, name: str, config: ResolverConfig) -> list[tuple[str, list[str] | None]]:
        """Each name the resolver would ask, with its answer, until one has addresses (for
        nslookup-style output that shows the attempts)."""
        out: list[tuple[str, list[str] | None]] = []
        for candidate in config.candidates(name):
            found = self.lookup(candidate, server=config.server)
            out.append((candidate, found))
            if found:
                break
        return out

    def resolve(self, name: str, config: ResolverConfig, *,
                hosts: dict[str, list[str]] | None = None) -> list[str]:
        """Addresses for ``name`` as a program in the pod gets them (hosts file, then DNS);
        raises NameNotFound."""
        clean = name.lower().rstrip(".")
        try:
            return [str(ipaddress.ip_address(clean))]
        except ValueError:
            pass
        if hosts and clean in hosts:
            return list(hosts[clean])
        attempts = self.answers(name, config)
        if attempts and attempts[-1][1]:
            return list(attempts[-1][1] or [])
        raise NameNotFound(name, server=config.server, tried=[a[0] for a in attempts],
                           external=self._external(clean))

    def _external(self, name: str) -> bool:
        if "." not in name or name.endswith(CLUSTER_DOMAIN) or name.endswith(".local"):
            return False
        last = name.rsplit(".", 1)[1]
        return last not in ("svc", "pod") and not self.namespace_exists(last)
