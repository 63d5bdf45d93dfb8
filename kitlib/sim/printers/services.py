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
        "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are "
        "ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a "
        "cluster-internal IP address for load-balancing to endpoints. Endpoints are determined "
        "by the selector or if that is not specified, by manual construction of an Endpoints "
        "object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated "
        "and the endpoints are published as a set of endpoints rather than a virtual IP. "
        "\"NodePort\" builds on ClusterIP and allocates a port on every node which routes to "
        "the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates "
        "an external load-balancer (if supported in the current cloud) which routes to the same "
        "endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified "
        "externalName. Several other fields do not apply to ExternalName services. More info: "
        "https://kubernetes.io/docs/concepts/services-networking/service/"
        "#publishing-services-service-types")),
    Column("Cluster-IP", description=(
        "clusterIP is the IP address of the service and is usually assigned randomly. If an "
        "address is specified manually, is in-range (as per system configuration), and is not "
        "in use, it will be allocated to the service; otherwise creation of the service will "
        "fail. This field may not be changed through updates unless the type field is also "
        "being changed to ExternalName (which requires this field to be blank) or the type "
        "field is being changed from ExternalName (in which case this field may optionally be "
        "specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a "
        "valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual "
        "IP), which is useful when direct endpoint connections are preferred and proxying is "
        "not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this "
        "field is specified when creating a Service of type ExternalName, creation will fail. "
        "This field will be wiped when updating a Service to type ExternalName. More info: "
        "https://kubernetes.io/docs/concepts/services-networking/service/"
        "#virtual-ips-and-service-proxies")),
    Column("External-IP", description=(
        "externalIPs is a list of IP addresses for which nodes in the cluster will also accept "
        "traffic for this service.  These IPs are not managed by Kubernetes.  The user is "
        "responsible for ensuring that traffic arrives at a node with this IP.  A common "
        "example is external load-balancers that are not part of the Kubernetes system.")),
    Column("Port(s)", description=(
        "The list of ports that are exposed by this service. More info: "
        "https://kubernetes.io/docs/concepts/services-networking/service/"
        "#virtual-ips-and-service-proxies")),
    AGE,
    Column("Selector", priority=1, description=(
        "Route service traffic to pods with label keys and values matching this selector. If "
        "empty or not present, the service is assumed to have an external process managing its "
        "endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, "
        "and LoadBalancer. Ignored if type is ExternalName. More info: "
        "https://kubernetes.io/docs/concepts/services-networking/service/")),
)

ENDPOINTS_COLUMNS = (
    NAME,
    Column("Endpoints", description=(
        "The set of all endpoints is the union of all subsets. Addresses are placed into "
        "subsets according to the IPs they share. A single address with multiple ports, some of "
        "which are ready and some of which are not (because they come from different "
        "containers) will result in the address being displayed in different subsets for the "
        "different ports. No address will appear in both Addresses and NotReadyAddresses in the "
        "same subset. Sets of addresses and ports that comprise a service.")),
    AGE,
)

ENDPOINT_SLICE_COLUMNS = (
    NAME,
    Column("AddressType", description=(
        "addressType specifies the type of address carried by this EndpointSlice. All "
        "addresses in this slice must be the same type. This field is immutable after "
        "creation. The following address types are currently supported: * IPv4: Represents an "
        "IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified "
        "Domain Name.")),
    Column("Ports", description=(
        "ports specifies the list of network ports exposed by each endpoint in this slice. Each "
        "port must have a unique name. When ports is empty, it indicates that there are no "
        "defined ports. When a port is defined with a nil port value, it indicates \"all "
        "ports\". Each slice may include a maximum of 100 ports.")),
    Column("Endpoints", description="endpoints is a list of unique endpoints in this slice. Each "
                                    "slice may include a maximum of 1000 endpoints."),
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
