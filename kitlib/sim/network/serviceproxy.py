"""kube-proxy: a Service's virtual addresses, and which pod answers a connection to them.

On a kind node kube-proxy runs in iptables mode.  For each Service port it writes rules
that catch packets for ClusterIP:port (and NodePort on every node address, and external
or load-balancer IPs), pick one endpoint of the Service's EndpointSlices at random
(``-m statistic --mode random``, so every ready endpoint is equally likely), and rewrite
the destination to it.  A Service whose endpoints are all gone or unready gets a REJECT
rule, so clients see "connection refused" at once; with ``internalTrafficPolicy`` or
``externalTrafficPolicy: Local`` and no endpoint on the node, packets are dropped and
clients wait for a timeout.  ``sessionAffinity: ClientIP`` sends one client back to the
pod it reached last, until it has been silent for ``timeoutSeconds`` (default 3 hours).

This table is that rule set, kept by informer handlers that only store what changed and
mark it stale; endpoints are re-read when the next connection needs them.  A connection
costs two dictionary lookups and one draw from the seeded random source, whatever the
size of the cluster.
"""

from __future__ import annotations

import random
from typing import Any, Callable, Literal

import orjson

from kitlib.sim.network.services import (Backend, Endpoints, Node, Pool, Service, ServicePort,
                                         parse_service, read_slices)
from kitlib.sim.store.records import Record

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
#: What iptables does with a packet when no endpoint can take it.
REJECT: Literal["reject"] = "reject"
DROP: Literal["drop"] = "drop"


VipKey = tuple[str, int, str]


class ServiceTable:
    """Every node's kube-proxy rules (they are the same on every node) and the node list."""

    def __init__(self, *, rng: random.Random, now: Callable[[], float]) -> None:
        self.rng = rng
        self.now = now
        self.services: dict[tuple[str, str], Service] = {}
        self._vips: dict[VipKey, tuple[ServicePort, bool]] = {}
        self._vip_owners: dict[str, tuple[str, str]] = {}
        self._node_ports: dict[tuple[int, str], ServicePort] = {}
        self._slices: dict[tuple[str, str], dict[str, Record]] = {}
        self._read: dict[tuple[str, str], Endpoints] = {}
        self._affinity: dict[tuple[str, str, str, str], tuple[str, int, float]] = {}
        self.nodes: dict[str, Node] = {}
        self.node_ips: dict[str, str] = {}

    def attach(self, informers: Callable[[str], Any]) -> None:
        """Follow Services, EndpointSlices and Nodes through the shared informers."""
        informers("services").add_handler(self.service_changed)
        informers("endpointslices.discovery.k8s.io").add_handler(self.slice_changed)
        informers("nodes").add_handler(self.node_changed)

    # --- informer handlers ----------------------------------------------------------------

    def service_changed(self, kind: str, record: Record, prev: Record | None = None) -> None:
        key = (record.namespace, record.name)
        old = self.services.pop(key, None)
        if old is not None:
            self._unindex(old)
        if kind == "DELETED":
            self._read.pop(key, None)
            return
        service = parse_service(orjson.loads(record.raw))
        self.services[key] = service
        self._index(service)

    def _index(self, service: Service) -> None:
        for sp in service.ports:
            for ip in service.cluster_ips:
                self._vips[(ip, sp.port, sp.protocol)] = (sp, False)
            for ip in service.external_ips:
                self._vips[(ip, sp.port, sp.protocol)] = (sp, True)
            if sp.node_port:
                self._node_ports[(sp.node_port, sp.protocol)] = sp
        for ip in service.cluster_ips:
            self._vip_owners[ip] = service.key

    def _unindex(self, service: Service) -> None:
        for sp in service.ports:
            for ip in (*service.cluster_ips, *service.external_ips):
                found = self._vips.get((ip, sp.port, sp.protocol))
                if found is not None and found[0] is sp:
                    del self._vips[(ip, sp.port, sp.protocol)]
            if sp.node_port and self._node_ports.get((sp.node_port, sp.protocol)) is sp:
                del self._node_ports[(sp.node_port, sp.protocol)]
        for ip in service.cluster_ips:
            if self._vip_owners.get(ip) == service.key:
                del self._vip_owners[ip]

    def slice_changed(self, kind: str, record: Record, prev: Record | None = None) -> None:
        if prev is not None:
            before = prev.labels.get(SERVICE_NAME_LABEL, "")
            if before and before != record.labels.get(SERVICE_NAME_LABEL):
                self._drop_slice(record.namespace, before, record.name)
        service = record.labels.get(SERVICE_NAME_LABEL, "")
        if not service:
            return
        if kind == "DELETED":
            self._drop_slice(record.namespace, service, record.name)
            return
        self._slices.setdefault((record.namespace, service), {})[record.name] = record
        self._read.pop((record.namespace, service), None)

    def _drop_slice(self, namespace: str, service: str, name: str) -> None:
        slices = self._slices.get((namespace, service))
        if slices is not None:
            slices.pop(name, None)
            if not slices:
                del self._slices[(namespace, service)]
        self._read.pop((namespace, service), None)

    def node_changed(self, kind: str, record: Record, prev: Record | None = None) -> None:
        old = self.nodes.pop(record.name, None)
        if old is not None and self.node_ips.get(old.ip) == old.name:
            del self.node_ips[old.ip]
        if kind == "DELETED":
            return
        obj = orjson.loads(record.raw)
        addresses = (obj.get("status") or {}).get("addresses") or []
        ip = next((a.get("address", "") for a in addresses if a.get("type") == "InternalIP"), "")
        node = Node(name=record.name, ip=ip, pod_cidr=(obj.get("spec") or {}).get("podCIDR") or "")
        self.nodes[record.name] = node
        if ip:
            self.node_ips[ip] = record.name

    # --- what the fabric and DNS ask ------------------------------------------------------

    def vip(self, ip: str, port: int, protocol: str = "TCP") -> tuple[ServicePort, bool] | None:
        """The Service port behind a ClusterIP (False) or external/LB IP (True)."""
        return self._vips.get((ip, port, protocol))

    def is_cluster_ip(self, ip: str) -> bool:
        return ip in self._vip_owners

    def node_port(self, port: int, protocol: str = "TCP") -> ServicePort | None:
        return self._node_ports.get((port, protocol))

    def endpoints(self, namespace: str, service: str) -> Endpoints:
        key = (namespace, service)
        found = self._read.get(key)
        if found is None:
            found = read_slices(list((self._slices.get(key) or {}).values()))
            self._read[key] = found
        return found

    def pool(self, sp: ServicePort) -> Pool:
        pools = self.endpoints(sp.service.namespace, sp.service.name).pools
        return pools.get(sp.name) or Pool([])

    def choose(self, sp: ServicePort, *, client_ip: str, node: str, external: bool = False,
               from_outside: bool = False) -> Backend | Literal["reject", "drop"]:
        """The endpoint a new connection from ``client_ip`` on ``node`` goes to."""
        pool = self.pool(sp)
        service = sp.service
        local = service.external_local if external and from_outside else service.internal_local
        candidates = pool.local(node) if local else pool.cluster
        if not candidates:
            return REJECT if not pool.cluster and not pool.local(node) else DROP
        if service.affinity_seconds is None:
            return candidates[self.rng.randrange(len(candidates))]
        key = (service.namespace, service.name, sp.name, client_ip)
        now = self.now()
        sticky = self._affinity.get(key)
        if sticky is not None and now - sticky[2] <= service.affinity_seconds:
            for backend in candidates:
                if backend.ip == sticky[0] and backend.port == sticky[1]:
                    self._affinity[key] = (backend.ip, backend.port, now)
                    return backend
        backend = candidates[self.rng.randrange(len(candidates))]
        self._affinity[key] = (backend.ip, backend.port, now)
        if len(self._affinity) > 100_000:       # the "recent" list's reaping, roughly
            self._reap(now)
        return backend

    def _reap(self, now: float) -> None:
        for key, (_, _, seen) in list(self._affinity.items()):
            service = self.services.get((key[0], key[1]))
            if service is None or service.affinity_seconds is None or \
                    now - seen > service.affinity_seconds:
                del self._affinity[key]
