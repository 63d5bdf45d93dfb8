"""``kubectl get services | endpoints | endpointslices``.

Services: TYPE, CLUSTER-IP, EXTERNAL-IP (``<none>``, the load balancer's addresses, or
``<pending>`` while a LoadBalancer has none), PORT(S) like ``80:30080/TCP``, and in wide
output the SELECTOR.  Endpoints and EndpointSlices list at most three addresses and then
``+ N more...``, counted the way the real printers count them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kitlib.sim.printers.humanize import parse_time, since
from kitlib.sim.printers.selectors import format_labels
from kitlib.sim.printers.table import AGE, NAME, Column, Printer, Row, creation_of, name_of

JSON = dict[str, Any]

SERVICE_COLUMNS = (
    NAME,
    Column("Type", description=(
        "How the service is reached: ClusterIP, NodePort, LoadBalancer or ExternalName. See "
        "https://kubernetes.io/docs/concepts/services-networking/service/"
        "#publishing-services-service-types")),
    Column("Cluster-IP", description=(
        "The service's virtual IP address inside the cluster, or None for a headless service.")),
    Column("External-IP", description=(
        "The addresses that reach the service from outside the cluster: its load balancer's "
        "and its externalIPs (or, for ExternalName, the DNS name it aliases).")),
    Column("Port(s)", description=(
        "The ports the service exposes, each as port/protocol, with :nodePort after the port "
        "when there is one.")),
    AGE,
    Column("Selector", priority=1, description=(
        "The pod labels the service sends traffic to; with none, its endpoints are left to "
        "someone else to manage.")),
)

ENDPOINTS_COLUMNS = (
    NAME,
    Column("Endpoints", description=(
        "The ready addresses behind the service, as ip:port, the first few of them followed "
        "by how many more there are.")),
    AGE,
)

ENDPOINT_SLICE_COLUMNS = (
    NAME,
    Column("AddressType", description=(
        "What kind of addresses the slice holds: IPv4, IPv6 or FQDN.")),
    Column("Ports", description=(
        "The port numbers the slice's endpoints serve on (the first few, then how many more).")),
    Column("Endpoints", description="The addresses of the slice's endpoints (the first few, then "
                                    "how many more)."),
    AGE,
)

_MAX_LISTED = 3


def _cluster_ip(spec: JSON) -> str:
    # v1 -> internal conversion: clusterIP wins over clusterIPs[0] when both are set.
    ips = spec.get("clusterIPs") or []
    return spec.get("clusterIP") or (ips[0] if ips else "") or "<none>"


def _load_balancer_addresses(status: JSON) -> list[str]:
    found = set()
    for ingress in (status.get("loadBalancer") or {}).get("ingress") or []:
        address = ingress.get("ip") or ingress.get("hostname")
        if address:
            found.add(address)
    return sorted(found)        # the server's wide output never clips them


def external_ip(service: JSON) -> str:
    spec = service.get("spec") or {}
    external = spec.get("externalIPs") or []
    kind = spec.get("type")
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) or "<none>"
    if kind == "LoadBalancer":
        addresses = _load_balancer_addresses(service.get("status") or {})
        if external:
            return ",".join(addresses + external)
        return ",".join(addresses) or "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName") or ""
    return "<unknown>"


def port_string(ports: list[JSON]) -> str:
    pieces = []
    for port in ports:
        protocol = port.get("protocol") or "TCP"       # defaulted on a stored Service
        node_port = port.get("nodePort") or 0
        number = port.get("port") or 0
        pieces.append(f"{number}:{node_port}/{protocol}" if node_port > 0
                      else f"{number}/{protocol}")
    return ",".join(pieces)


def print_service(obj: JSON, now: datetime) -> Row:
    spec = obj.get("spec") or {}
    return Row([name_of(obj), spec.get("type") or "", _cluster_ip(spec), external_ip(obj),
                port_string(spec.get("ports") or []) or "<none>",
                since(parse_time(creation_of(obj)), now=now),
                format_labels(spec.get("selector"))])


def _join_host_port(host: str, port: int) -> str:
    """Go's ``net.JoinHostPort``: IPv6 addresses get brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def format_endpoints(endpoints: JSON) -> str:
    """Ready addresses (times ports): ``a:80,b:80,c:80 + 2 more...``; ``<none>`` if no subsets."""
    subsets = endpoints.get("subsets") or []
    if not subsets:
        return "<none>"
    listed: list[str] = []
    more = False
    count = 0
    for subset in subsets:
        addresses = [address.get("ip", "") for address in subset.get("addresses") or []]
        ports = subset.get("ports") or []
        if not ports:                       # headless services may have no ports
            count += len(addresses)
            for ip in addresses:
                if len(listed) == _MAX_LISTED:
                    more = True
                    break
                listed.append(ip)
            continue
        for port in ports:
            count += len(addresses)
            for ip in addresses:
                if len(listed) == _MAX_LISTED:
                    more = True
                    break
                listed.append(_join_host_port(ip, port.get("port") or 0))
    text = ",".join(listed)
    return f"{text} + {count - _MAX_LISTED} more..." if more else text


def _list_with_more(items: list[str]) -> str:
    """``listWithMoreString``: the first three, ``+ N more...``, or ``<unset>`` if none."""
    text = ",".join(items[:_MAX_LISTED])
    if len(items) > _MAX_LISTED:
        return f"{text} + {len(items) - _MAX_LISTED} more..."
    return text or "<unset>"


def _slice_port(port: JSON) -> str:
    if port.get("port") is not None:
        return str(port["port"])
    if port.get("name") is not None:
        return port["name"]
    return "*"


def print_endpoints(obj: JSON, now: datetime) -> Row:
    return Row([name_of(obj), format_endpoints(obj), since(parse_time(creation_of(obj)), now=now)])


def print_endpoint_slice(obj: JSON, now: datetime) -> Row:
    ports = [_slice_port(port) for port in obj.get("ports") or []]
    addresses = [address for endpoint in obj.get("endpoints") or []
                 for address in endpoint.get("addresses") or []]
    return Row([name_of(obj), obj.get("addressType") or "", _list_with_more(ports),
                _list_with_more(addresses), since(parse_time(creation_of(obj)), now=now)])


SERVICES = Printer(SERVICE_COLUMNS, print_service)
ENDPOINTS = Printer(ENDPOINTS_COLUMNS, print_endpoints)
ENDPOINT_SLICES = Printer(ENDPOINT_SLICE_COLUMNS, print_endpoint_slice)
