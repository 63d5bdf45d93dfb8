"""What kube-proxy reads from a Service and its EndpointSlices, parsed once.

A Service contributes its virtual addresses (ClusterIPs, external and load-balancer IPs,
NodePorts) and its policies (session affinity, internal and external traffic policy); its
EndpointSlices contribute endpoints, one per address and port name, with the conditions
``ready``, ``serving`` and ``terminating``.  kube-proxy sends new connections to ready
endpoints and, only when none is ready, to those still serving while they terminate
(CategorizeEndpoints); it reads only the first address of an endpoint and only IPv4
slices on this single-stack cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from kitlib.sim.store.records import Record

JSON = dict[str, Any]
#: sessionAffinityConfig.clientIP.timeoutSeconds when the Service gives none (3 hours).
DEFAULT_AFFINITY_SECONDS = 10800


@dataclass(frozen=True, slots=True)
class Backend:
    """One endpoint address as kube-proxy reads it from an EndpointSlice."""

    ip: str
    port: int
    namespace: str
    pod: str                    # the targetRef's name ("" when the endpoint has none)
    node: str
    ready: bool
    serving: bool
    terminating: bool
    hostname: str = ""


@dataclass(slots=True)
class ServicePort:
    service: Service
    name: str
    protocol: str
    port: int
    node_port: int = 0


@dataclass(slots=True)
class Service:
    namespace: str
    name: str
    type: str
    cluster_ips: tuple[str, ...]
    headless: bool
    external_name: str
    affinity_seconds: float | None
    internal_local: bool
    external_local: bool
    external_ips: tuple[str, ...]
    ports: list[ServicePort] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return self.namespace, self.name


def parse_service(obj: JSON) -> Service:
    meta, spec = obj["metadata"], obj.get("spec") or {}
    kind = spec.get("type") or "ClusterIP"
    ips = [ip for ip in spec.get("clusterIPs") or [spec.get("clusterIP")] if ip and ip != "None"]
    affinity = None
    if spec.get("sessionAffinity") == "ClientIP":
        config = ((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {})
        affinity = float(config.get("timeoutSeconds") or DEFAULT_AFFINITY_SECONDS)
    ingress = ((obj.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    external = [*(spec.get("externalIPs") or []), *(i["ip"] for i in ingress if i.get("ip"))]
    service = Service(
        namespace=meta.get("namespace", ""), name=meta["name"], type=kind,
        cluster_ips=tuple(ips) if kind != "ExternalName" else (),
        headless=spec.get("clusterIP") == "None",
        external_name=(spec.get("externalName") or "") if kind == "ExternalName" else "",
        affinity_seconds=affinity, internal_local=spec.get("internalTrafficPolicy") == "Local",
        external_local=spec.get("externalTrafficPolicy") == "Local",
        external_ips=tuple(external))
    for port in spec.get("ports") or []:
        service.ports.append(ServicePort(
            service=service, name=port.get("name") or "", protocol=port.get("protocol") or "TCP",
            port=int(port.get("port") or 0),
            node_port=int(port.get("nodePort") or 0) if kind in ("NodePort", "LoadBalancer")
            else 0))
    return service


class Pool:
    """The endpoints of one Service port, split as kube-proxy's CategorizeEndpoints does:
    ready ones, or (only when none is ready) those still serving while terminating."""

    def __init__(self, backends: list[Backend]) -> None:
        self.all = backends
        self.cluster = _usable(backends)
        self._local: dict[str, list[Backend]] = {}

    def local(self, node: str) -> list[Backend]:
        if node not in self._local:
            self._local[node] = _usable([b for b in self.all if b.node == node])
        return self._local[node]


def _usable(backends: list[Backend]) -> list[Backend]:
    ready = [b for b in backends if b.ready]
    return ready or [b for b in backends if b.serving and b.terminating]


@dataclass(slots=True)
class Endpoints:
    """A Service's slices, read: every endpoint once, and a pool per port name."""

    endpoints: list[Backend]            # port 0: the addresses, for DNS
    pools: dict[str, Pool]


def read_slices(records: list[Record]) -> Endpoints:
    endpoints: dict[str, Backend] = {}
    by_port: dict[str, dict[tuple[str, int], Backend]] = {}
    for record in sorted(records, key=lambda r: r.name):
        obj = orjson.loads(record.raw)
        if obj.get("addressType") != "IPv4":
            continue
        ports = [(p.get("name") or "", int(p["port"])) for p in obj.get("ports") or []
                 if p.get("port") is not None]
        for ep in obj.get("endpoints") or []:
            addresses = ep.get("addresses") or []
            if not addresses:
                continue
            cond = ep.get("conditions") or {}
            ref = ep.get("targetRef") or {}
            base = Backend(ip=addresses[0], port=0, namespace=ref.get("namespace", ""),
                           pod=ref.get("name", "") if ref.get("kind", "Pod") == "Pod" else "",
                           node=ep.get("nodeName") or "",
                           ready=cond.get("ready") is not False,
                           serving=cond.get("serving", cond.get("ready")) is not False,
                           terminating=cond.get("terminating") is True,
                           hostname=ep.get("hostname") or "")
            endpoints.setdefault(base.ip, base)
            for name, number in ports:
                by_port.setdefault(name, {}).setdefault(
                    (base.ip, number), _with_port(base, number))
    return Endpoints(endpoints=list(endpoints.values()),
                      pools={name: Pool(list(found.values())) for name, found in by_port.items()})


def _with_port(backend: Backend, port: int) -> Backend:
    return Backend(ip=backend.ip, port=port, namespace=backend.namespace, pod=backend.pod,
                   node=backend.node, ready=backend.ready, serving=backend.serving,
                   terminating=backend.terminating, hostname=backend.hostname)


@dataclass(frozen=True, slots=True)
class Node:
    name: str
    ip: str
    pod_cidr: str
