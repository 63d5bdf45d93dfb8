"""The endpoint controller: a Service's Endpoints list the pods its selector finds.

This is what makes a Service a stable address in front of volatile pods: for every Service
with a selector, an Endpoints object of the same name lists the IPs of the selected pods,
ready ones under ``addresses`` and the others under ``notReadyAddresses`` (or all as ready
with ``publishNotReadyAddresses``), each with the Service's ports resolved against that
pod (a ``targetPort`` given by name may be a different number on different pods, which
puts them in different subsets).  Terminating and finished pods drop out.  Services
without a selector are left to whoever writes their Endpoints; the Endpoints of a deleted
Service are deleted.  As kube-controller-manager's endpoint controller (1.32).
"""

from __future__ import annotations

import math
from typing import Any, Hashable, Mapping

from kitlib.sim.controllers.base import Controller, split_key
from kitlib.sim.controllers.servicepods import (PodFacts, ServicePods, find_port,
                                                selector_of, should_be_in_endpoints)
from kitlib.sim.controllers.triggertime import ANNOTATION as TRIGGER_TIME
from kitlib.sim.controllers.triggertime import TriggerTimeTracker
from kitlib.sim.machinery import errors
from kitlib.sim.store.records import Record

JSON = dict[str, Any]

HEADLESS_LABEL = "service.kubernetes.io/headless"
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
#: Addresses an Endpoints object may hold before it is truncated.
MAX_CAPACITY = 1000
#: Services with at least this many pods batch pod-triggered syncs for BATCH_PERIOD
#: (simulated seconds), as --endpoint-updates-batch-period would: one rewrite of a
#: 1,000-address object per moment, not one per pod becoming ready.
BATCH_THRESHOLD = 100
BATCH_PERIOD = 0.5
#: Port-less headless Services still publish addresses: this stands for "no port".
_NO_PORT = ("", -1, "", None)


def service_ip_set(spec: Mapping[str, Any]) -> bool:
    return spec.get("clusterIP") not in (None, "", "None")


def pick_ip(spec: Mapping[str, Any], pod: PodFacts) -> str | None:
    """The pod IP of the Service's (first) IP family, or None."""
    families = spec.get("ipFamilies") or []
    if families:
        v6 = families[0] == "IPv6"
    elif service_ip_set(spec):
        v6 = ":" in spec["clusterIP"]
    else:
        v6 = ":" in pod.ips[0]
    return next((ip for ip in pod.ips if (":" in ip) == v6), None)


def endpoint_address(service: JSON, pod: PodFacts) -> JSON | None:
    ip = pick_ip(service.get("spec") or {}, pod)
    if ip is None:
        return None
    address: JSON = {"ip": ip}
    meta = service["metadata"]
    if pod.hostname and pod.subdomain == meta["name"] and pod.namespace == meta["namespace"]:
        address["hostname"] = pod.hostname
    if pod.node:
        address["nodeName"] = pod.node
    address["targetRef"] = {"kind": "Pod", "namespace": pod.namespace, "name": pod.name,
                            "uid": pod.uid}
    return address


def _port_json(key: tuple[str, int, str, str | None]) -> JSON:
    name, number, protocol, app = key
    port: JSON = {"name": name} if name else {}
    port.update({"port": number, "protocol": protocol})
    if app is not None:
        port["appProtocol"] = app
    return port


def desired_subsets(service: JSON, pods: list[PodFacts]) -> list[JSON]:
    """The subsets of the Service's Endpoints, packed as RepackSubsets packs them: one
    subset per distinct set of (address, readiness), listing every port they share."""
    spec = service.get("spec") or {}
    publish = bool(spec.get("publishNotReadyAddresses"))
    service_ports = [p for p in spec.get("ports") or [] if isinstance(p, dict)]
    headless = spec.get("clusterIP") == "None"
    addresses: dict[tuple[str, str], JSON] = {}
    by_port: dict[tuple[str, int, str, str | None], dict[tuple[str, str], bool]] = {}

    def offer(port: tuple[str, int, str, str | None], key: tuple[str, str], ready: bool) -> None:
        ready_by_address = by_port.setdefault(port, {})
        if ready_by_address.get(key, True):     # not ready always wins over ready
            ready_by_address[key] = ready

    for pod in pods:
        if not should_be_in_endpoints(pod, include_terminating=publish):
            continue
        address = endpoint_address(service, pod)
        if address is None:
            continue
        key = (address["ip"], pod.uid)
        addresses.setdefault(key, address)
        ready = publish or pod.ready
        if not service_ports:
            if headless:
                offer(_NO_PORT, key, ready)
            continue
        for service_port in service_ports:
            number = find_port(pod, service_port)
            if number is not None:
                offer((service_port.get("name") or "", number,
                       service_port.get("protocol") or "TCP",
                       service_port.get("appProtocol")), key, ready)
    grouped: dict[Hashable, list[tuple[str, int, str, str | None]]] = {}
    for port, ready_by_address in by_port.items():
        grouped.setdefault(frozenset(ready_by_address.items()), []).append(port)
    subsets = []
    for members, ports in grouped.items():
        subset: JSON = {}
        ready = sorted(key for key, is_ready in members if is_ready)
        not_ready = sorted(key for key, is_ready in members if not is_ready)
        if ready:
            subset["addresses"] = [addresses[key] for key in ready]
        if not_ready:
            subset["notReadyAddresses"] = [addresses[key] for key in not_ready]
        real = sorted((p for p in ports if p != _NO_PORT), key=lambda p: (p[0], p[1], p[2]))
        if real:
            subset["ports"] = [_port_json(p) for p in real]
        subsets.append((real, (ready + not_ready)[:1], subset))
    subsets.sort(key=lambda item: (item[0], item[1]))
    return [subset for _, _, subset in subsets]


def truncate(subsets: list[JSON]) -> bool:
    """Cut the subsets down to MAX_CAPACITY addresses, ready ones first, each subset in
    proportion to its size (truncateEndpoints); True when anything was cut."""
    ready = sum(len(s.get("addresses") or ()) for s in subsets)
    not_ready = sum(len(s.get("notReadyAddresses") or ()) for s in subsets)
    if ready + not_ready <= MAX_CAPACITY:
        return False
    cut_ready = ready > MAX_CAPACITY
    room, total = (MAX_CAPACITY, ready) if cut_ready else (MAX_CAPACITY - ready, not_ready)
    left = room
    for subset in subsets:
        field = "addresses" if cut_ready else "notReadyAddresses"
        entries = subset.get(field) or []
        share = min(math.ceil(len(entries) / total * room), left)
        kept = entries[:share]
        subset[field] = kept
        if cut_ready:
            subset.pop("notReadyAddresses", None)
        left -= len(kept)
    for subset in subsets:
        for field in ("addresses", "notReadyAddresses"):
            if field in subset and not subset[field]:
                del subset[field]
    return True


class EndpointsController(Controller):
    name = "endpoint-controller"

    def setup(self) -> None:
        self.pods = ServicePods(self.ctx, enqueue=self._enqueue)
        self.triggers = TriggerTimeTracker()
        self._batched: set[str] = set()
        self.ctx.informers("endpoints").add_handler(self._endpoints_changed)

    def _enqueue(self, key: str, from_pod: bool) -> None:
        if not from_pod or self.pods.count(key) < BATCH_THRESHOLD:
            self.queue.add(key)
        elif key not in self._batched:
            self._batched.add(key)
            self.queue.add_after(key, BATCH_PERIOD)

    def _endpoints_changed(self, kind: str, record: Record, prev: Record | None) -> None:
        if kind == "DELETED":
            self.queue.add(f"{record.namespace}/{record.name}")

    async def run(self) -> None:
        await self.ctx.informers.wait_synced()
        # Endpoints left over from Services deleted while we were not looking.
        for record in self.ctx.informers("endpoints").list():
            self.queue.add(f"{record.namespace}/{record.name}")
        await super().run()

    async def sync(self, key: str) -> None:
        self._batched.discard(key)
        namespace, name = split_key(key)
        record = self.ctx.informers("services").get(namespace, name)
        if record is None:
            await self.client.delete("endpoints", namespace=namespace, name=name)
            self.triggers.forget(key)
            return
        service = record.object()
        spec = service.get("spec") or {}
        if spec.get("type") == "ExternalName" or not selector_of(service):
            return
        pods = self.pods.members(namespace, name)
        trigger = self.triggers.compute(key, service["metadata"].get("creationTimestamp", ""),
                                        pods)
        subsets = desired_subsets(service, pods)
        current = self.client.get("endpoints", namespace=namespace, name=name)
        labels = dict(service["metadata"].get("labels") or {})
        if current is not None:
            have = dict(current["metadata"].get("labels") or {})
            have.pop(HEADLESS_LABEL, None)
            annotations = current["metadata"].get("annotations") or {}
            if (current.get("subsets") or []) == subsets and have == labels and \
                    OVER_CAPACITY not in annotations:
                return
        await self._write(service, current, subsets, labels, trigger)

    async def _write(self, service: JSON, current: JSON | None, subsets: list[JSON],
                     labels: dict[str, str], trigger: str) -> None:
        meta = service["metadata"]
        endpoints = current or {"apiVersion": "v1", "kind": "Endpoints",
                                "metadata": {"name": meta["name"],
                                             "namespace": meta["namespace"]}}
        target = endpoints["metadata"]
        annotations = dict(target.get("annotations") or {})
        annotations.pop(TRIGGER_TIME, None)
        annotations.pop(OVER_CAPACITY, None)
        if trigger:
            annotations[TRIGGER_TIME] = trigger
        if truncate(subsets):
            annotations[OVER_CAPACITY] = "truncated"
        if not service_ip_set(service.get("spec") or {}):
            labels[HEADLESS_LABEL] = ""
        for field, value in (("labels", labels), ("annotations", annotations)):
            if value:
                target[field] = value
            else:
                target.pop(field, None)
        if subsets:
            endpoints["subsets"] = subsets
        else:
            endpoints.pop("subsets", None)
        if current is None:
            try:
                await self.client.create("endpoints", endpoints, namespace=meta["namespace"])
            except (errors.Forbidden, errors.NotFound):
                return          # the namespace is going away
            except errors.AlreadyExists:
                raise errors.Conflict(resource="endpoints", name=meta["name"],
                                      detail=errors.STALE_OBJECT) from None
            return
        await self.client.update("endpoints", endpoints)
