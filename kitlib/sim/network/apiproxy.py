"""How the API server reaches into the cluster: the pod and Service proxy, port-forward.

``/api/v1/namespaces/NS/pods/NAME[:PORT]/proxy/PATH`` dials the pod's IP from the
control-plane node; ``.../services/NAME[:PORT]/proxy/PATH`` does *not* use the ClusterIP:
the API server reads the Service's Endpoints itself and picks a random ready address whose
port has the requested port's name (a port number is first turned into its name, so a
Service whose only port is named must be asked for by name or number).  Failures are the
API server's Status errors: 404 for a missing object, 400 "address not allowed" for a pod
without an IP, 503 "no endpoints available for service" and "error trying to reach
service: dial tcp ...".  Port-forward runs in the pod's network namespace, so it reaches
``localhost:PORT`` there.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any, Callable

from kitlib.sim.machinery.errors import BadRequest, NotFound, StatusError
from kitlib.sim.network.api import Connection, HttpRequest, HttpResponse, NetError

if TYPE_CHECKING:
    from kitlib.sim.network.fabric import Fabric

JSON = dict[str, Any]
#: (resource, namespace, name) -> the object, or None.
ObjectGetter = Callable[[str, str, str], "JSON | None"]
#: The API server runs on the control-plane node (hostNetwork), at this address.
APISERVER_IP = "172.18.0.2"
#: The API server's proxy transport gives a dial this long.
DIAL_TIMEOUT = 30.0
#: Service names Go's resolver knows for ports (from /etc/services).
WELL_KNOWN_PORTS = {"http": 80, "https": 443}


class ServiceUnavailable(StatusError):
    code = 503
    reason = "ServiceUnavailable"


class ApiProxy:
    def __init__(self, fabric: Fabric, get: ObjectGetter) -> None:
        self.fabric = fabric
        self.get = get

    def _source(self) -> Any:
        return self.fabric.host_network(APISERVER_IP)

    async def _send(self, ip: str, port: int, request: HttpRequest) -> HttpResponse:
        if not request.host:
            request = HttpRequest(method=request.method, target=request.target,
                                  headers=request.headers, body=request.body,
                                  host=f"{ip}:{port}")
        try:
            return await self.fabric.send_http(self._source(), ip, port, request,
                                               timeout=DIAL_TIMEOUT)
        except NetError as exc:
            raise ServiceUnavailable(f"error trying to reach service: {exc.message}") from None

    async def http_to_pod(self, namespace: str, name: str, port: int | str | None,
                          request: HttpRequest, *, scheme: str = "http") -> HttpResponse:
        """pods/NAME[:PORT]/proxy: the pod's IP, the given port or its first containerPort
        (else 80)."""
        pod = self.get("pods", namespace, name)
        if pod is None:
            raise NotFound(resource="pods", name=name)
        spec = pod.get("spec") or {}
        number = _pod_port(spec, port)
        ip = (pod.get("status") or {}).get("podIP") or ""
        if not _global_unicast(ip):
            raise BadRequest("address not allowed")
        if number is None:
            raise ServiceUnavailable(f"error trying to reach service: dial tcp: lookup "
                                     f"tcp/{port}: unknown port")
        return await self._send(ip, number, request)

    async def http_to_service(self, namespace: str, name: str, port: int | str | None,
                              request: HttpRequest, *, scheme: str = "http") -> HttpResponse:
        """services/NAME[:PORT]/proxy, as the service REST storage's ResourceLocation."""
        ident = name if port in (None, "") else f"{name}:{port}"
        port_name = "" if port is None else str(port)
        if port_name.isdigit():
            service = self.get("services", namespace, name)
            if service is None:
                raise NotFound(resource="services", name=name)
            found = [p for p in (service.get("spec") or {}).get("ports") or []
                     if p.get("port") == int(port_name)]
            if not found:
                raise ServiceUnavailable(f"no service port {int(port_name)} found for service "
                                         f'"{name}"')
            port_name = found[0].get("name") or ""
        endpoints = self.get("endpoints", namespace, name)
        if endpoints is None:
            raise NotFound(resource="endpoints", name=name)
        subsets = endpoints.get("subsets") or []
        if not subsets:
            raise ServiceUnavailable(f'no endpoints available for service "{name}"')
        rng = self.fabric.clock.random
        start = rng.randrange(len(subsets))
        for i in range(len(subsets)):
            subset = subsets[(start + i) % len(subsets)]
            addresses = subset.get("addresses") or []
            if not addresses:
                continue
            for subset_port in subset.get("ports") or []:
                if (subset_port.get("name") or "") != port_name:
                    continue
                first = rng.randrange(len(addresses))
                for j in range(len(addresses)):
                    address = addresses[(first + j) % len(addresses)]
                    if self._valid(namespace, address):
                        return await self._send(address["ip"], int(subset_port["port"]),
                                                request)
        raise ServiceUnavailable(f'no endpoints available for service "{ident}"')

    def _valid(self, namespace: str, address: JSON) -> bool:
        """isValidAddress: an address naming a pod must be that pod's current IP."""
        ref = address.get("targetRef") or {}
        if ref.get("kind") != "Pod":
            return True
        pod = self.get("pods", ref.get("namespace") or namespace, ref.get("name", ""))
        if pod is None:
            return False
        status = pod.get("status") or {}
        ips = {i.get("ip") for i in status.get("podIPs") or []} | {status.get("podIP")}
        return address.get("ip") in ips

    async def connect_to_pod(self, namespace: str, name: str, port: int) -> Connection:
        """port-forward: a stream to ``localhost:port`` inside the pod's network namespace."""
        if self.get("pods", namespace, name) is None:
            raise NotFound(resource="pods", name=name)
        net = self.fabric.network_of(namespace, name)
        if net is None or net.released:
            raise NetError("unreachable", f'pod "{name}" has no running sandbox: its network '
                                          "namespace does not exist")
        try:
            return await self.fabric.dial(net, "127.0.0.1", port, timeout=DIAL_TIMEOUT)
        except NetError as exc:
            if exc.kind == "refused":
                raise NetError("refused", f"failed to connect to localhost:{port} inside "
                                          f"namespace of pod {name}, IPv4: dial tcp4 "
                                          f"127.0.0.1:{port}: connect: connection refused"
                               ) from None
            raise


def _pod_port(spec: JSON, port: int | str | None) -> int | None:
    if port in (None, ""):
        for container in spec.get("containers") or []:
            for declared in container.get("ports") or []:
                if declared.get("containerPort"):
                    return int(declared["containerPort"])
        return 80
    text = str(port)
    if text.isdigit():
        return int(text)
    for container in spec.get("containers") or []:
        for declared in container.get("ports") or []:
            if declared.get("name") == text:
                return int(declared["containerPort"])
    return WELL_KNOWN_PORTS.get(text)


def _global_unicast(ip: str) -> bool:
    """Go's net.IP.IsGlobalUnicast (private ranges count as global there)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return not (address.is_loopback or address.is_multicast or address.is_link_local
                or address.is_unspecified or str(address) == "255.255.255.255")
