"""A small simulated network without a cluster: Services, slices and nodes fed to the
tables as the informers would feed them, and HTTP servers that say who they are."""

from __future__ import annotations

import copy
from typing import Any

from kitlib.sim.clock import Clock
from kitlib.sim.network import ClusterDNS, Fabric, HttpRequest, HttpResponse, ServiceTable
from kitlib.sim.store.records import Record, make_record

JSON = dict[str, Any]
NODES = {"kit-control-plane": ("172.18.0.2", "10.244.0.0/24"),
         "kit-worker": ("172.18.0.3", "10.244.1.0/24"),
         "kit-worker2": ("172.18.0.4", "10.244.2.0/24")}


def record(obj: JSON, rv: int = 1) -> Record:
    return make_record(copy.deepcopy(obj), rv=rv, fields={})


def service(name: str, namespace: str = "default", *, ip: str = "10.96.0.50",
            ports: list[JSON] | None = None, **spec: Any) -> JSON:
    body: JSON = {"clusterIP": ip, "clusterIPs": [ip], "type": "ClusterIP",
                  "ports": ports if ports is not None else
                  [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}]}
    body.update(spec)
    if body["clusterIP"] == "None":
        body["clusterIPs"] = ["None"]
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name,
                                                                "namespace": namespace},
            "spec": body}


def endpoint(ip: str, pod: str, *, node: str = "kit-worker", ready: bool = True,
             serving: bool | None = None, terminating: bool = False, namespace: str = "default",
             hostname: str = "") -> JSON:
    ep: JSON = {"addresses": [ip],
                "conditions": {"ready": ready, "serving": ready if serving is None else serving,
                               "terminating": terminating},
                "nodeName": node,
                "targetRef": {"kind": "Pod", "namespace": namespace, "name": pod}}
    if hostname:
        ep["hostname"] = hostname
    return ep


def endpoint_slice(service_name: str, endpoints: list[JSON], *, namespace: str = "default",
                   ports: list[JSON] | None = None, name: str = "") -> JSON:
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": name or f"{service_name}-abcde", "namespace": namespace,
                         "labels": {"kubernetes.io/service-name": service_name}},
            "addressType": "IPv4", "endpoints": endpoints,
            "ports": ports if ports is not None else
            [{"name": "http", "port": 8080, "protocol": "TCP"}]}


def node(name: str, ip: str, cidr: str) -> JSON:
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name},
            "spec": {"podCIDR": cidr},
            "status": {"addresses": [{"type": "InternalIP", "address": ip},
                                     {"type": "Hostname", "address": name}]}}


def who(name: str) -> Any:
    """An HTTP handler answering with its name and the client's address."""
    async def handler(request: HttpRequest) -> HttpResponse:
        return HttpResponse(status=200, headers=(("Content-Type", "text/plain"),),
                            body=f"{name} from {request.client_ip} {request.target}".encode())
    return handler


class World:
    """A fabric, its Service table and DNS, fed by hand; ``objects`` serve the API proxy."""

    def __init__(self, *, seed: int = 7, speed: float = 1000.0,
                 namespaces: tuple[str, ...] = ("default", "kube-system", "shop")) -> None:
        self.clock = Clock(seed=seed, speed=speed)
        self.table = ServiceTable(rng=self.clock.random, now=self.clock.time)
        self.namespaces = set(namespaces)
        self.dns = ClusterDNS(self.table, namespace_exists=self.namespaces.__contains__,
                              rng=self.clock.random)
        self.objects: dict[tuple[str, str, str], JSON] = {}
        self.fabric = Fabric(clock=self.clock, services=self.table, dns=self.dns,
                             get=lambda r, ns, n: copy.deepcopy(self.objects.get((r, ns, n))))
        for name, (ip, cidr) in NODES.items():
            self.table.node_changed("ADDED", record(node(name, ip, cidr)))

    def add_service(self, obj: JSON) -> None:
        self.table.service_changed("ADDED", record(obj))
        meta = obj["metadata"]
        self.objects[("services", meta["namespace"], meta["name"])] = obj

    def add_slice(self, obj: JSON, *, rv: int = 1) -> None:
        self.table.slice_changed("MODIFIED", record(obj, rv))

    def pod(self, name: str, ip: str, *, namespace: str = "default",
            node: str = "kit-worker", port: int = 8080, **options: Any) -> Any:
        """A pod sandbox with an HTTP server on ``port`` (0: none)."""
        net = self.fabric.pod_network(namespace=namespace, pod=name, ip=ip,
                                      node_ip=NODES[node][0], **options)
        if port:
            net.listen(port, http=who(name), owner=f"{namespace}/{name}/main")
        return net
