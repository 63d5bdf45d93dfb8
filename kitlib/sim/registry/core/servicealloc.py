"""Allocation of a Service's ClusterIPs and NodePorts, as the service REST storage does it.

On a real server this happens in the create and update hooks of the service storage,
before the strategy validates: IP families are settled (single-stack IPv4 here),
requested values are reserved or rejected with a 422, missing ones are drawn from the
allocators.  Each step returns an ``Allocation`` the caller commits when the write is
stored, or reverts when a later step fails, so no address or port leaks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kitlib.sim.machinery.errors import FieldError, Invalid, InternalError, invalid
from kitlib.sim.machinery.validation import go_string_slice, invalid_go, validate_ip
from kitlib.sim.registry.core.ipallocator import (AllocationError, ClusterIPAllocator,
                                                  NodePortAllocator)
from kitlib.sim.registry.core.jsonish import d, l

JSON = dict[str, Any]


def needs_cluster_ip(svc: JSON) -> bool:
    return d(svc.get("spec")).get("type") != "ExternalName"


def needs_node_port(svc: JSON) -> bool:
    spec = d(svc.get("spec"))
    return spec.get("type") == "NodePort" or (
        spec.get("type") == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is not False)


def needs_health_check_port(svc: JSON) -> bool:
    spec = d(svc.get("spec"))
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def is_headless(svc: JSON) -> bool:
    ips = d(svc.get("spec")).get("clusterIPs")
    return isinstance(ips, list) and len(ips) == 1 and ips[0] == "None"


class Allocation:
    """What one create or update took from (and gave back to) the allocators."""

    def __init__(self) -> None:
        self._undo: list[Callable[[], None]] = []
        self._on_commit: list[Callable[[], None]] = []

    def commit(self) -> None:
        for action in self._on_commit:
            action()
        self._undo.clear()
        self._on_commit.clear()

    def revert(self) -> None:
        for action in reversed(self._undo):
            action()
        self._undo.clear()
        self._on_commit.clear()


def _invalid(svc: JSON, errors: list[FieldError]) -> Invalid:
    return Invalid(kind="Service", name=d(svc.get("metadata")).get("name", ""),
                   errors=errors)


def normalize_cluster_ips(new: JSON, old: JSON | None = None) -> None:
    """Keep clusterIP and clusterIPs in step when a client set only one of them."""
    spec = new.setdefault("spec", {})
    ip, ips = spec.get("clusterIP") or "", spec.get("clusterIPs")
    if old is None:
        if ip and not ips:
            spec["clusterIPs"] = [ip]
        return
    old_spec = d(old.get("spec"))
    if ip != (old_spec.get("clusterIP") or "") and ips == old_spec.get("clusterIPs"):
        if ip:
            spec["clusterIPs"] = [ip, *l(ips)[1:]]
        else:
            spec.pop("clusterIPs", None)
    elif ip and not ips:
        spec["clusterIPs"] = [ip]


def patch_allocated_values(new: JSON, old: JSON) -> None:
    """An update that left out allocated values (a PUT without clusterIP) keeps the old ones."""
    spec, old_spec = new.setdefault("spec", {}), d(old.get("spec"))
    if needs_cluster_ip(old) and needs_cluster_ip(new):
        if not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
        if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            spec["clusterIPs"] = list(old_spec["clusterIPs"])
    if needs_node_port(old) and needs_node_port(new):
        old_ports = [p for p in l(old_spec.get("ports")) if isinstance(p, dict)]
        new_ports = [p for p in l(spec.get("ports")) if isinstance(p, dict)]
        used = ({p.get("nodePort") for p in old_ports} & {p.get("nodePort") for p in new_ports})
        by_name = {p.get("name", ""): p.get("nodePort", 0) for p in old_ports}
        for port in new_ports:
            if not port.get("nodePort"):
                value = by_name.get(port.get("name", ""), 0)
                if value and value not in used:
                    port["nodePort"] = value
    if needs_health_check_port(old) and needs_health_check_port(new):
        if not spec.get("healthCheckNodePort") and old_spec.get("healthCheckNodePort"):
            spec["healthCheckNodePort"] = old_spec["healthCheckNodePort"]


def init_ip_families(svc: JSON, family: str = "IPv4") -> list[FieldError]:
    """initIPFamilyFields on a single-stack cluster: fill families and policy, or refuse."""
    spec = svc.setdefault("spec", {})
    if spec.get("type") == "ExternalName":
        return []
    errs: list[FieldError] = []
    ips = l(spec.get("clusterIPs"))
    families = list(l(spec.get("ipFamilies")))
    policy = spec.get("ipFamilyPolicy")
    if policy is None and (len(ips) == 2 or len(families) == 2):
        policy = "RequireDualStack"
    for i, ip in enumerate(ips):
        if ip == "None":
            break
        ip_family = "IPv6" if ":" in str(ip) else "IPv4"
        if i >= len(families):
            if ip_family != family:
                errs.append(invalid_go(f"spec.clusterIPs[{i}]", go_string_slice(ips),
                                       f"{ip_family} is not configured on this cluster"))
            else:
                families.append(ip_family)
    if errs:
        return errs
    if policy is None:
        policy = "SingleStack"
    if policy == "RequireDualStack" or len(families) == 2:
        errs.append(invalid("spec.ipFamilyPolicy", policy,
                            "this cluster is not configured for dual-stack services"))
    for i, value in enumerate(families):
        if value != family:
            errs.append(invalid(f"spec.ipFamilies[{i}]", value, "not configured on this cluster"))
    if not families:
        families = [family]
    spec["ipFamilies"], spec["ipFamilyPolicy"] = families, policy
    return errs


class ServiceAllocator:
    """ClusterIPs and NodePorts for Services: one per API server, shared by all requests."""

    def __init__(self, *, cluster_ips: ClusterIPAllocator, node_ports: NodePortAllocator) -> None:
        self.cluster_ips, self.node_ports = cluster_ips, node_ports

    def allocate_create(self, svc: JSON) -> Allocation:
        """Settle families, reserve or draw IPs and ports; raise Invalid or InternalError."""
        normalize_cluster_ips(svc)
        txn = Allocation()
        try:
            self._allocate(svc, None, txn)
        except BaseException:
            txn.revert()
            raise
        return txn

    def allocate_update(self, new: JSON, old: JSON) -> Allocation:
        patch_allocated_values(new, old)
        normalize_cluster_ips(new, old)
        txn = Allocation()
        try:
            self._allocate(new, old, txn)
        except BaseException:
            txn.revert()
            raise
        return txn

    def release(self, svc: JSON) -> None:
        """Give back everything a deleted Service held."""
        spec = d(svc.get("spec"))
        for ip in l(spec.get("clusterIPs")):
            if ip and ip != "None":
                self.cluster_ips.release(ip)
        for port in self._node_ports_of(svc):
            self.node_ports.release(port)

    def restore(self, svc: JSON) -> None:
        """Mark what a stored Service holds as used (after a restart)."""
        for ip in l(d(svc.get("spec")).get("clusterIPs")):
            if ip and ip != "None":
                self.cluster_ips.mark_used(ip)
        for port in self._node_ports_of(svc):
            self.node_ports.mark_used(port)

    @staticmethod
    def _node_ports_of(svc: JSON) -> set[int]:
        spec = d(svc.get("spec"))
        ports = {p.get("nodePort") for p in l(spec.get("ports")) if isinstance(p, dict)}
        ports.add(spec.get("healthCheckNodePort"))
        return {p for p in ports if isinstance(p, int) and p}

    def _allocate(self, svc: JSON, old: JSON | None, txn: Allocation) -> None:
        spec = svc.setdefault("spec", {})
        errs = [e for i, ip in enumerate(l(spec.get("clusterIPs")))
                if not (i == 0 and ip == "None") for e in validate_ip(str(ip), f"spec.clusterIPs[{i}]")]
        errs = errs or init_ip_families(svc)
        if errs:
            raise _invalid(svc, errs)
        old_spec = (old or {}).get("spec") or {}
        had_ips = old is not None and needs_cluster_ip(old) and bool(old_spec.get("clusterIPs"))
        if old is not None and had_ips and not needs_cluster_ip(svc):
            txn._on_commit.append(lambda: self.release({"spec": {"clusterIPs": old_spec["clusterIPs"]}}))
        elif needs_cluster_ip(svc) and not is_headless(svc) and not had_ips:
            self._allocate_ips(svc, txn)
        old_ports = self._node_ports_of(old) if old is not None else set()
        new_type = spec.get("type")
        if new_type in ("NodePort", "LoadBalancer"):
            self._allocate_node_ports(svc, old_ports, txn)
        if needs_health_check_port(svc):
            wanted = spec.get("healthCheckNodePort")
            if not wanted:
                self._take_port(svc, None, txn, health=True)
            elif wanted not in old_ports:
                self._take_port(svc, wanted, txn, health=True)
        kept = self._node_ports_of(svc) if new_type in ("NodePort", "LoadBalancer") else set()
        for port in old_ports - kept:
            txn._on_commit.append(lambda port=port: self.node_ports.release(port))

    def _allocate_ips(self, svc: JSON, txn: Allocation) -> None:
        spec = svc["spec"]
        ips = list(l(spec.get("clusterIPs")))
        requested = ips[0] if ips else None
        try:
            ip = self.cluster_ips.allocate(requested=requested)
        except AllocationError as exc:
            if requested is None:
                raise InternalError(f"failed to allocate a serviceIP: {exc}") from None
            raise _invalid(svc, [invalid_go("spec.clusterIPs", go_string_slice(ips),
                                            f"failed to allocate IP {requested}: {exc}")]) from None
        txn._undo.append(lambda: self.cluster_ips.release(ip))
        spec["clusterIP"], spec["clusterIPs"] = ip, [ip, *ips[1:]]

    def _allocate_node_ports(self, svc: JSON, old_ports: set[int], txn: Allocation) -> None:
        spec = svc["spec"]
        ports = [p for p in l(spec.get("ports")) if isinstance(p, dict)]
        by_service_port: dict[Any, int] = {}
        for i, port in enumerate(ports):
            if not port.get("nodePort") and not needs_node_port(svc):
                continue  # a LoadBalancer without node ports only keeps requested ones
            taken = by_service_port.get(port.get("port"))
            if taken and not port.get("nodePort"):
                port["nodePort"] = taken
                continue
            requested = port.get("nodePort") or next(
                (p.get("nodePort") for p in ports[i:] if p.get("port") == port.get("port")
                 and p.get("nodePort")), None)
            if requested in old_ports or (taken and requested == taken):
                port["nodePort"] = requested
            else:
                port["nodePort"] = self._take_port(svc, requested, txn, index=i)
            by_service_port[port.get("port")] = port["nodePort"]

    def _take_port(self, svc: JSON, requested: Any, txn: Allocation, *, index: int = 0,
                   health: bool = False) -> int:
        try:
            port = self.node_ports.allocate(requested=requested if isinstance(requested, int)
                                            else None)
        except AllocationError as exc:
            if health:
                what = (f"failed to allocate requested HealthCheck NodePort {requested}: {exc}"
                        if requested else f"failed to allocate a HealthCheck NodePort 0: {exc}")
                raise InternalError(what) from None
            if not requested:
                raise InternalError(f"failed to allocate a nodePort: {exc}") from None
            raise _invalid(svc, [invalid(f"spec.ports[{index}].nodePort", requested,
                                         str(exc))]) from None
        txn._undo.append(lambda: self.node_ports.release(port))
        if health:
            svc["spec"]["healthCheckNodePort"] = port
        return port
