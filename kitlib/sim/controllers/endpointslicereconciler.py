"""How a Service's EndpointSlices are brought in line with its pods (a pure function).

EndpointSlices exist because one Endpoints object listing 1,000 pods must be rewritten
whole whenever one pod changes.  A slice holds at most 100 endpoints; pods whose ports
resolve differently go into different slices.  The plan follows the real reconciler
(k8s.io/endpointslice): first keep existing slices and drop or update what changed in
them, then top up the slices that are being written anyway, then fill the unchanged slice
closest to full, and only then create new ones; a Service with no endpoints keeps one
empty placeholder slice.  Slices that would be deleted while others are created are
reused (updated under their name) instead.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Callable

from kitlib.sim.controllers.servicepods import PodFacts, find_port, should_be_in_endpoints

JSON = dict[str, Any]

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
HEADLESS_LABEL = "service.kubernetes.io/headless"
ZONE_LABEL = "topology.kubernetes.io/zone"
MAX_ENDPOINTS_PER_SLICE = 100
_RESERVED = (SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL)

#: A node name -> (whether it exists, its zone or "").
NodeZone = Callable[[str], tuple[bool, str]]
PortsKey = tuple[tuple[str, int, str, Any], ...]


@dataclass
class Plan:
    create: list[JSON] = field(default_factory=list)
    update: list[JSON] = field(default_factory=list)
    delete: list[JSON] = field(default_factory=list)
    #: Some pod's node is missing: look again later.
    retry: bool = False


def address_types(spec: JSON) -> list[str]:
    families = [f for f in spec.get("ipFamilies") or [] if f in ("IPv4", "IPv6")]
    if families:
        return families
    ip = spec.get("clusterIP") or ""
    if ip and ip != "None":
        return ["IPv6" if ":" in ip else "IPv4"]
    return ["IPv4", "IPv6"]


def endpoint_ports(service: JSON, pod: PodFacts) -> list[JSON]:
    """The service's ports as this pod serves them; ports it cannot resolve are left out."""
    ports = []
    for service_port in (service.get("spec") or {}).get("ports") or []:
        number = find_port(pod, service_port)
        if number is None:
            continue
        port: JSON = {"name": service_port.get("name") or "",
                      "protocol": service_port.get("protocol") or "TCP", "port": number}
        if service_port.get("appProtocol") is not None:
            port["appProtocol"] = service_port["appProtocol"]
        ports.append(port)
    return ports


def ports_key(ports: list[JSON] | None) -> PortsKey:
    return tuple(sorted((p.get("name") or "", p.get("port") or 0, p.get("protocol") or "TCP",
                         p.get("appProtocol") or "") for p in ports or []))


def pod_to_endpoint(pod: PodFacts, zone: str, service: JSON, address_type: str) -> JSON:
    meta = service["metadata"]
    serving = pod.ready
    ready = bool((service.get("spec") or {}).get("publishNotReadyAddresses")) or (
        serving and not pod.terminating)
    v6 = address_type == "IPv6"
    endpoint: JSON = {"addresses": [ip for ip in pod.ips if (":" in ip) == v6],
                      "conditions": {"ready": ready, "serving": serving,
                                     "terminating": pod.terminating}}
    if pod.hostname and pod.subdomain == meta["name"] and pod.namespace == meta["namespace"]:
        endpoint["hostname"] = pod.hostname
    endpoint["targetRef"] = {"kind": "Pod", "namespace": pod.namespace, "name": pod.name,
                             "uid": pod.uid}
    if pod.node:
        endpoint["nodeName"] = pod.node
    if zone:
        endpoint["zone"] = zone
    return endpoint


def endpoint_key(endpoint: JSON) -> tuple[Any, ...]:
    ref = endpoint.get("targetRef") or {}
    return (tuple(sorted(endpoint.get("addresses") or ())), endpoint.get("hostname") or "",
            ref.get("namespace", ""), ref.get("name", ""))


def slice_labels(current: JSON, service: JSON) -> tuple[dict[str, str], bool]:
    """The labels a slice must carry, and whether its copy of the Service's labels is stale."""
    mine = {k: v for k, v in (current.get("metadata", {}).get("labels") or {}).items()
            if k not in _RESERVED}
    theirs = {k: v for k, v in (service["metadata"].get("labels") or {}).items()
              if k not in _RESERVED}
    labels = dict(theirs)
    spec = service.get("spec") or {}
    if spec.get("clusterIP") in (None, "", "None"):
        labels[HEADLESS_LABEL] = ""
    labels[SERVICE_NAME_LABEL] = service["metadata"]["name"]
    labels[MANAGED_BY_LABEL] = CONTROLLER_NAME
    return labels, mine != theirs


def owner_reference(service: JSON) -> JSON:
    meta = service["metadata"]
    return {"apiVersion": "v1", "kind": "Service", "name": meta["name"], "uid": meta["uid"],
            "controller": True, "blockOwnerDeletion": True}


def owned_by(slice_: JSON, service: JSON) -> bool:
    uid = service["metadata"].get("uid")
    return any(ref.get("uid") == uid and ref.get("kind") == "Service"
               and ref.get("apiVersion") == "v1"
               for ref in slice_.get("metadata", {}).get("ownerReferences") or [])


def new_slice(service: JSON, ports: list[JSON], address_type: str) -> JSON:
    meta = service["metadata"]
    shell: JSON = {"metadata": {}}
    labels, _ = slice_labels(shell, service)
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"generateName": f"{meta['name']}-", "namespace": meta["namespace"],
                         "labels": labels, "ownerReferences": [owner_reference(service)]},
            "addressType": address_type, "endpoints": [], "ports": list(ports)}


def _is_placeholder_of(existing: JSON, placeholder: JSON) -> bool:
    def labels(obj: JSON) -> dict[str, str]:
        return dict(obj["metadata"].get("labels") or {})

    return (existing.get("addressType") == placeholder["addressType"]
            and not existing.get("endpoints") and not existing.get("ports")
            and labels(existing) == labels(placeholder)
            and existing["metadata"].get("ownerReferences") ==
            placeholder["metadata"]["ownerReferences"])


def plan(service: JSON, pods: list[PodFacts], existing: list[JSON], *, node_zone: NodeZone,
         max_per_slice: int = MAX_ENDPOINTS_PER_SLICE) -> Plan:
    result = Plan()
    types = address_types(service.get("spec") or {})
    for address_type in types:
        mine = [s for s in existing if s.get("addressType") == address_type]
        _plan_address_type(result, service, pods, mine, address_type, node_zone, max_per_slice)
    result.delete += [s for s in existing if s.get("addressType") not in types]
    return result


def _plan_address_type(result: Plan, service: JSON, pods: list[PodFacts], existing: list[JSON],
                       address_type: str, node_zone: NodeZone, max_per_slice: int) -> None:
    publish = bool((service.get("spec") or {}).get("publishNotReadyAddresses"))
    to_delete: list[JSON] = []
    existing_by_ports: dict[PortsKey, list[JSON]] = {}
    for slice_ in existing:
        if owned_by(slice_, service):
            existing_by_ports.setdefault(ports_key(slice_.get("ports")), []).append(slice_)
        else:
            to_delete.append(slice_)
    desired: dict[PortsKey, dict[tuple[Any, ...], JSON]] = {}
    desired_ports: dict[PortsKey, list[JSON]] = {}
    for pod in pods:
        if not should_be_in_endpoints(pod, include_terminating=True):
            continue
        ports = endpoint_ports(service, pod)
        key = ports_key(ports)
        desired.setdefault(key, {})
        desired_ports.setdefault(key, ports)
        exists, zone = node_zone(pod.node)
        if not exists and not publish:
            result.retry = True
            continue
        endpoint = pod_to_endpoint(pod, zone, service, address_type)
        if endpoint["addresses"]:
            desired[key][endpoint_key(endpoint)] = endpoint
    to_create: list[JSON] = []
    for key, wanted in desired.items():
        creates, updates, deletes = _plan_ports(service, existing_by_ports.get(key, []), wanted,
                                                desired_ports[key], address_type, max_per_slice)
        to_create += creates
        result.update += updates
        to_delete += deletes
    for key, slices in existing_by_ports.items():
        if key not in desired:
            to_delete += slices
    if len(existing) == len(to_delete) and not to_create:
        placeholder = new_slice(service, [], address_type)
        if len(to_delete) == 1 and _is_placeholder_of(to_delete[0], placeholder):
            to_delete = []
        else:
            to_create.append(placeholder)
    # Rather than delete one slice and create another, rewrite the old one.
    keep_deleting = []
    for old in to_delete:
        if to_create and old.get("addressType") == address_type and owned_by(old, service):
            reused = to_create.pop()
            reused["metadata"]["name"] = old["metadata"]["name"]
            result.update.append(reused)
        else:
            keep_deleting.append(old)
    result.create += to_create
    result.delete += keep_deleting


def _plan_ports(service: JSON, existing: list[JSON], wanted: dict[tuple[Any, ...], JSON],
                ports: list[JSON], address_type: str,
                max_per_slice: int) -> tuple[list[JSON], list[JSON], list[JSON]]:
    by_name: dict[str, JSON] = {}
    unchanged: dict[str, None] = {}
    updating: dict[str, None] = {}
    deleting: dict[str, None] = {}
    for current in existing:
        name = current["metadata"]["name"]
        by_name[name] = current
        kept, changed = [], False
        for endpoint in current.get("endpoints") or []:
            got = wanted.pop(endpoint_key(endpoint), None)
            if got is not None:
                kept.append(got)
                changed = changed or got != endpoint
        labels, labels_changed = slice_labels(current, service)
        if changed or len(kept) != len(current.get("endpoints") or []):
            if not kept:
                deleting[name] = None
                continue
            rewritten = copy.deepcopy(current)
            rewritten["endpoints"] = kept
            rewritten["metadata"]["labels"] = labels
            by_name[name] = rewritten
            updating[name] = None
        elif labels_changed:
            rewritten = copy.deepcopy(current)
            rewritten["metadata"]["labels"] = labels
            by_name[name] = rewritten
            updating[name] = None
        else:
            unchanged[name] = None
    queue = list(wanted.values())
    queue.reverse()                     # pop() from the end takes them in pod order
    if queue and updating:
        for target in sorted((by_name[n] for n in updating),
                             key=lambda s: -len(s["endpoints"])):
            while queue and len(target["endpoints"]) < max_per_slice:
                target["endpoints"].append(queue.pop())
    creates: list[JSON] = []
    while queue:
        target = None
        if len(queue) < max_per_slice and unchanged:
            target = _closest_to_full([by_name[n] for n in unchanged], len(queue),
                                      max_per_slice)
        if target is None:
            target = new_slice(service, ports, address_type)
        else:
            target = copy.deepcopy(target)
            target["endpoints"] = list(target.get("endpoints") or [])
            by_name[target["metadata"]["name"]] = target
        while queue and len(target["endpoints"]) < max_per_slice:
            target["endpoints"].append(queue.pop())
        name = target["metadata"].get("name")
        if name:
            updating[name] = None
            unchanged.pop(name, None)
        else:
            creates.append(target)
    return (creates, [by_name[n] for n in updating], [by_name[n] for n in deleting])


def _closest_to_full(slices: list[JSON], adding: int, most: int) -> JSON | None:
    best, best_gap = None, most
    for candidate in slices:
        gap = most - (adding + len(candidate.get("endpoints") or []))
        if 0 <= gap < best_gap:
            best, best_gap = candidate, gap
            if gap == 0:
                break
    return best
