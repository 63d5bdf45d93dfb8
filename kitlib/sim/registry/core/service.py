"""Services: a stable address in front of pods found by their labels.

Defaulting and validation follow SetDefaults_Service and ValidateService.  ClusterIPs and
NodePorts are not chosen here but by ``servicealloc.ServiceAllocator``, which the API
server calls between ``default`` and ``prepare_for_create``/``prepare_for_update``.
"""

from __future__ import annotations

import random

import ipaddress
from collections.abc import Mapping
from typing import Any, ClassVar

from kitlib.sim.machinery.errors import (FieldError, forbidden, invalid, not_supported,
                                         required)
from kitlib.sim.machinery.validation import (duplicate_go, go_int_or_string, go_quote,
                                             go_string_slice, invalid_go, is_dns1123_subdomain,
                                             name_is_dns1035_label, validate_ip,
                                             validate_label_name, validate_labels)
from kitlib.sim.registry.base import Strategy, Transaction
from kitlib.sim.registry.core.ipallocator import ClusterIPAllocator, NodePortAllocator
from kitlib.sim.registry.core.containers import validate_dns_label, validate_port_num_or_name
from kitlib.sim.registry.core.servicealloc import (ServiceAllocator, init_ip_families, is_headless,
                                                   needs_cluster_ip, needs_health_check_port,
                                                   needs_node_port, normalize_cluster_ips,
                                                   patch_allocated_values)
from kitlib.sim.registry.core.jsonish import d, l

JSON = dict[str, Any]

SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
_PROTOCOLS = ("SCTP", "TCP", "UDP")


def _spec(obj: JSON) -> JSON:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    return spec


def _ports(spec: Mapping[str, Any]) -> list[JSON]:
    ports = spec.get("ports")
    return [p for p in ports if isinstance(p, dict)] if isinstance(ports, list) else []


def externally_accessible(spec: Mapping[str, Any]) -> bool:
    return spec.get("type") in ("LoadBalancer", "NodePort") or (
        spec.get("type") == "ClusterIP" and bool(spec.get("externalIPs")))


def go_service_port(protocol: str, port: Any) -> str:
    """The (protocol, port) key Go reports for a duplicate port, as %#v prints it."""
    return (f'core.ServicePort{{Name:"", Protocol:{go_quote(protocol)}, '
            f"AppProtocol:(*string)(nil), Port:{port}, TargetPort:{go_int_or_string(0)}, "
            "NodePort:0}")


class ServiceStrategy(Strategy):
    has_status = True
    name_fn: ClassVar = staticmethod(name_is_dns1035_label)

    def __init__(self, *, rng: random.Random | None = None) -> None:
        # One allocator per cluster: its ClusterIPs (10.96.0.0/12) and NodePorts.
        rng = rng or random.Random()
        self.allocator = ServiceAllocator(cluster_ips=ClusterIPAllocator(rng=rng),
                                          node_ports=NodePortAllocator(rng=rng))

    def begin_create(self, obj: JSON) -> Transaction:
        return self.allocator.allocate_create(obj)

    def begin_update(self, new: JSON, old: JSON) -> Transaction:
        return self.allocator.allocate_update(new, old)

    def deleted(self, obj: JSON) -> None:
        self.allocator.release(obj)

    def restored(self, obj: JSON) -> None:
        self.allocator.restore(obj)

    def default(self, obj: JSON) -> None:
        spec = _spec(obj)
        if not spec.get("sessionAffinity"):
            spec["sessionAffinity"] = "None"
        if spec["sessionAffinity"] == "None":
            spec.pop("sessionAffinityConfig", None)
        elif spec["sessionAffinity"] == "ClientIP":
            config = spec.get("sessionAffinityConfig")
            client = (config or {}).get("clientIP") if isinstance(config, dict) else None
            if not isinstance(client, dict) or client.get("timeoutSeconds") is None:
                spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}
        if not spec.get("type"):
            spec["type"] = "ClusterIP"
        for port in _ports(spec):
            if not port.get("protocol"):
                port["protocol"] = "TCP"
            if port.get("targetPort") in (None, 0, ""):
                port["targetPort"] = port.get("port", 0)
        if externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
            spec["externalTrafficPolicy"] = "Cluster"
        if spec.get("internalTrafficPolicy") is None and spec["type"] in (
                "NodePort", "LoadBalancer", "ClusterIP"):
            spec["internalTrafficPolicy"] = "Cluster"
        if spec["type"] == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
            spec["allocateLoadBalancerNodePorts"] = True

    def prepare_for_create(self, obj: JSON) -> None:
        obj["status"] = {"loadBalancer": {}}
        normalize_cluster_ips(obj)
        init_ip_families(obj)  # idempotent: the allocator may have done it already

    def prepare_for_update(self, new: JSON, old: JSON) -> None:
        super().prepare_for_update(new, old)
        patch_allocated_values(new, old)
        normalize_cluster_ips(new, old)
        drop_type_dependent_fields(new, old)
        if needs_cluster_ip(new):
            init_ip_families(new)

    def validate(self, obj: JSON) -> list[FieldError]:
        return validate_service(obj)

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        errs = _validate_cluster_ips_update(new, old)
        new_spec, old_spec = _spec(new), _spec(old)
        if new_spec.get("type") == "LoadBalancer" and old_spec.get("type") == "LoadBalancer" \
                and new_spec.get("loadBalancerClass") != old_spec.get("loadBalancerClass"):
            errs.append(invalid("spec.loadBalancerClass", new_spec.get("loadBalancerClass")
                                or "null", "may not change once set"))
        if needs_health_check_port(old) and needs_health_check_port(new) and \
                new_spec.get("healthCheckNodePort") != old_spec.get("healthCheckNodePort"):
            errs.append(forbidden("spec.healthCheckNodePort", "field is immutable"))
        return errs + validate_service(new)


def drop_type_dependent_fields(new: JSON, old: JSON) -> None:
    """Wipe what a type change made meaningless, when the client did not change it itself."""
    spec, old_spec = _spec(new), _spec(old)
    if needs_cluster_ip(old) and not needs_cluster_ip(new):
        if spec.get("clusterIP") == old_spec.get("clusterIP") \
                and spec.get("clusterIPs") == old_spec.get("clusterIPs"):
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
        for key in ("ipFamilies", "ipFamilyPolicy"):
            if spec.get(key) == old_spec.get(key):
                spec.pop(key, None)
    if needs_node_port(old) and not needs_node_port(new):
        if [p.get("nodePort") for p in _ports(spec)] == [p.get("nodePort")
                                                          for p in _ports(old_spec)]:
            for port in _ports(spec):
                port.pop("nodePort", None)
    if old_spec.get("type") == "LoadBalancer" and spec.get("type") != "LoadBalancer":
        for key in ("allocateLoadBalancerNodePorts", "loadBalancerClass"):
            if key in spec and spec.get(key) == old_spec.get(key):
                spec.pop(key)
        if isinstance(new.get("status"), dict):
            new["status"]["loadBalancer"] = {}
    if needs_health_check_port(old) and not needs_health_check_port(new):
        if spec.get("healthCheckNodePort") == old_spec.get("healthCheckNodePort"):
            spec.pop("healthCheckNodePort", None)
    if externally_accessible(old_spec) and not externally_accessible(spec):
        if spec.get("externalTrafficPolicy") == old_spec.get("externalTrafficPolicy"):
            spec.pop("externalTrafficPolicy", None)


def _validate_cluster_ips_update(new: JSON, old: JSON) -> list[FieldError]:
    """validateUpgradeDowngradeClusterIPs: a ClusterIP never changes once set."""
    if not needs_cluster_ip(new) or not needs_cluster_ip(old):
        return []
    if is_headless(new) and is_headless(old):
        return []
    new_ips, old_ips = l(_spec(new).get("clusterIPs")), l(_spec(old).get("clusterIPs"))
    rendered = go_string_slice(_spec(new).get("clusterIPs"))
    errs: list[FieldError] = []
    if len(new_ips) == len(old_ips):
        for i, ip in enumerate(old_ips):
            if ip != new_ips[i]:
                errs.append(invalid_go(f"spec.clusterIPs[{i}]", rendered, "may not change once set"))
    elif len(old_ips) > len(new_ips):
        if not new_ips:
            errs.append(invalid_go("spec.clusterIPs[0]", rendered,
                                   "primary clusterIP can not be unset"))
        elif new_ips[0] != old_ips[0]:
            errs.append(invalid_go("spec.clusterIPs[0]", rendered, "may not change once set"))
    elif old_ips and new_ips[0] != old_ips[0]:
        errs.append(invalid_go("spec.clusterIPs[0]", rendered, "may not change once set"))
    return errs


def _validate_port(port: JSON, require_name: bool, names: set[str],
                   path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = port.get("name") or ""
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs += validate_dns_label(str(name), f"{path}.name")
        if name in names:
            errs.append(FieldError("FieldValueDuplicate", f"{path}.name", name))
        names.add(name)
    number = port.get("port", 0)
    if not isinstance(number, int) or not 1 <= number <= 65535:
        errs.append(invalid(f"{path}.port", number if isinstance(number, int) else 0,
                            "must be between 1 and 65535, inclusive"))
    protocol = port.get("protocol") or ""
    if not protocol:
        errs.append(required(f"{path}.protocol"))
    elif protocol not in _PROTOCOLS:
        errs.append(not_supported(f"{path}.protocol", protocol, _PROTOCOLS))
    errs += validate_port_num_or_name(port.get("targetPort"), f"{path}.targetPort")
    if port.get("appProtocol") is not None:
        errs += validate_label_name(str(port["appProtocol"]), f"{path}.appProtocol")
    return errs


def _validate_cluster_ip_fields(spec: Mapping[str, Any]) -> list[FieldError]:
    """ValidateServiceClusterIPsRelatedFields on a single-stack cluster."""
    if spec.get("type") == "ExternalName":
        return []
    errs: list[FieldError] = []
    ip, ips = spec.get("clusterIP") or "", l(spec.get("clusterIPs"))
    rendered = go_string_slice(spec.get("clusterIPs"))
    if ip:
        if not ips:
            errs.append(required("spec.clusterIPs"))
        elif ips[0] != ip:
            errs.append(invalid_go("spec.clusterIPs", rendered, "first value must match `clusterIP`"))
    elif ips:
        errs.append(invalid_go("spec.clusterIPs", rendered,
                               "must be empty when `clusterIP` is not specified"))
    families = l(spec.get("ipFamilies"))
    for i, family in enumerate(families):
        if family not in ("IPv4", "IPv6"):
            errs.append(not_supported(f"spec.ipFamilies[{i}]", family, ("IPv4", "IPv6")))
        if family in families[:i]:
            errs.append(FieldError("FieldValueDuplicate", f"spec.ipFamilies[{i}]", family))
    policy = spec.get("ipFamilyPolicy")
    policies = ("PreferDualStack", "RequireDualStack", "SingleStack")
    if policy is not None and policy not in policies:
        errs.append(not_supported("spec.ipFamilyPolicy", policy, policies))
    bad_ip = False
    for i, value in enumerate(ips):
        if i == 0 and value == "None":
            if len(ips) > 1:
                bad_ip = True
                errs.append(invalid_go("spec.clusterIPs", rendered,
                                       "'None' must be the first and only value"))
            continue
        found = validate_ip(str(value), f"spec.clusterIPs[{i}]")
        bad_ip = bad_ip or bool(found)
        errs += found
    if len(ips) > 2:
        errs.append(invalid_go("spec.clusterIPs", rendered, "may only hold up to 2 values"))
    if bad_ip:
        return errs
    if ips and ips[0] != "None":
        for i, value in enumerate(ips[:len(families)]):
            v6 = ":" in str(value)
            if families[i] == "IPv4" and v6:
                errs.append(invalid(f"spec.clusterIPs[{i}]", value,
                                    f"expected an IPv4 value as indicated by `ipFamilies[{i}]`"))
            if families[i] == "IPv6" and not v6:
                errs.append(invalid(f"spec.clusterIPs[{i}]", value,
                                    f"expected an IPv6 value as indicated by `ipFamilies[{i}]`"))
    return errs


def validate_service(obj: JSON) -> list[FieldError]:
    """ValidateService, without the object metadata the API server checks first."""
    spec = _spec(obj)
    errs: list[FieldError] = []
    annotations = d(obj.get("metadata")).get("annotations") or {}
    mode = annotations.get("service.kubernetes.io/topology-mode")
    hints = annotations.get("service.kubernetes.io/topology-aware-hints")
    if mode is not None and hints is not None and mode != hints:
        errs.append(invalid("metadata.annotations[service.kubernetes.io/topology-mode]", mode,
                            "must match annotations[service.kubernetes.io/topology-aware-hints]"
                            " when both are specified"))
    kind = spec.get("type") or ""
    ports = _ports(spec)
    if not ports and not is_headless(obj) and kind != "ExternalName":
        errs.append(required("spec.ports"))
    if kind in ("LoadBalancer", "NodePort") and is_headless(obj):
        errs.append(invalid("spec.clusterIPs[0]", "None",
                            f"may not be set to 'None' for {kind} services"))
    elif kind == "ExternalName":
        for key in ("clusterIPs", "ipFamilies"):
            if spec.get(key):
                errs.append(forbidden(f"spec.{key}", "may not be set for ExternalName services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"))
        cname = str(spec.get("externalName") or "").removesuffix(".")
        if cname:
            errs += [invalid("spec.externalName", cname, msg) for msg in is_dns1123_subdomain(cname)]
        else:
            errs.append(required("spec.externalName"))
    names: set[str] = set()
    for i, port in enumerate(ports):
        errs += _validate_port(port, len(ports) > 1, names, f"spec.ports[{i}]")
    if spec.get("selector") is not None:
        errs += validate_labels(spec.get("selector"), "spec.selector")
    affinity = spec.get("sessionAffinity") or ""
    if not affinity:
        errs.append(required("spec.sessionAffinity"))
    elif affinity not in ("ClientIP", "None"):
        errs.append(not_supported("spec.sessionAffinity", affinity, ("ClientIP", "None")))
    config = spec.get("sessionAffinityConfig")
    if affinity == "ClientIP":
        errs += _validate_client_ip_config(config)
    elif affinity == "None" and config is not None:
        errs.append(forbidden("spec.sessionAffinityConfig",
                              "must not be set when session affinity is None"))
    errs += _validate_cluster_ip_fields(spec)
    for i, ip in enumerate(l(spec.get("externalIPs"))):
        found = validate_ip(str(ip), f"spec.externalIPs[{i}]")
        errs += found or _non_special_ip(str(ip), f"spec.externalIPs[{i}]")
    if not kind:
        errs.append(required("spec.type"))
    elif kind not in SERVICE_TYPES:
        errs.append(not_supported("spec.type", kind, SERVICE_TYPES))
    if kind == "ClusterIP":
        errs += [forbidden(f"spec.ports[{i}].nodePort", "may not be used when `type` is "
                                                        "'ClusterIP'")
                 for i, port in enumerate(ports) if port.get("nodePort")]
    seen_node_ports: set[tuple[Any, Any]] = set()
    for i, port in enumerate(ports):
        if port.get("nodePort"):
            key = (port.get("protocol"), port.get("nodePort"))
            if key in seen_node_ports:
                errs.append(FieldError("FieldValueDuplicate", f"spec.ports[{i}].nodePort",
                                       port["nodePort"]))
            seen_node_ports.add(key)
    seen_ports: set[tuple[Any, Any]] = set()
    for i, port in enumerate(ports):
        key = (port.get("protocol") or "", port.get("port", 0))
        if key in seen_ports:
            errs.append(duplicate_go(f"spec.ports[{i}]", go_service_port(*key)))
        seen_ports.add(key)
    errs += _validate_load_balancer_fields(spec, kind)
    errs += _validate_traffic_policies(obj, spec)
    return errs


def _validate_client_ip_config(config: Any) -> list[FieldError]:
    path, why = "spec.sessionAffinityConfig", "when session affinity type is ClientIP"
    if not isinstance(config, Mapping):
        return [required(path, why)]
    client = config.get("clientIP")
    if not isinstance(client, Mapping):
        return [required(f"{path}.clientIP", why)]
    timeout = client.get("timeoutSeconds")
    if timeout is None:
        return [required(f"{path}.clientIP.timeoutSeconds", why)]
    if not isinstance(timeout, int) or timeout <= 0 or timeout > 86400:
        return [invalid(f"{path}.clientIP.timeoutSeconds", timeout,
                        "must be greater than 0 and less than 86400")]
    return []


def _non_special_ip(value: str, path: str) -> list[FieldError]:
    address = ipaddress.ip_address(value)
    if address.is_unspecified:
        return [invalid(path, value, f"may not be unspecified ({value})")]
    if address.is_loopback:
        return [invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)")]
    if address.is_link_local:
        return [invalid(path, value, "may not be in the link-local range (169.254.0.0/16, "
                                     "fe80::/10)")]
    if address in ipaddress.ip_network("224.0.0.0/24") or str(address).startswith("ff02:"):
        return [invalid(path, value, "may not be in the link-local multicast range "
                                     "(224.0.0.0/24, ff02::/10)")]
    return []


def _validate_load_balancer_fields(spec: Mapping[str, Any], kind: str) -> list[FieldError]:
    errs: list[FieldError] = []
    ranges = l(spec.get("loadBalancerSourceRanges"))
    if ranges:
        path = "spec.LoadBalancerSourceRanges"  # sic: the real path is capitalised
        if kind != "LoadBalancer":
            errs.append(forbidden(path, "may only be used when `type` is 'LoadBalancer'"))
        for i, value in enumerate(ranges):
            try:
                ipaddress.ip_network(str(value).strip(), strict=False)
                ok = "/" in str(value)
            except ValueError:
                ok = False
            if not ok:
                errs.append(invalid(f"{path}[{i}]", str(value).strip(), "must be a valid CIDR "
                                    "value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"))
    if spec.get("allocateLoadBalancerNodePorts") is not None and kind != "LoadBalancer":
        errs.append(forbidden("spec.allocateLoadBalancerNodePorts",
                              "may only be used when `type` is 'LoadBalancer'"))
    if kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(required("allocateLoadBalancerNodePorts"))
    lb_class = spec.get("loadBalancerClass")
    if lb_class is not None:
        if kind == "LoadBalancer":
            errs += validate_label_name(str(lb_class), "spec.loadBalancerClass")
        else:
            errs.append(forbidden("spec.loadBalancerClass",
                                  "may only be used when `type` is 'LoadBalancer'"))
    return errs


def _validate_traffic_policies(obj: JSON, spec: Mapping[str, Any]) -> list[FieldError]:
    errs: list[FieldError] = []
    external = spec.get("externalTrafficPolicy") or ""
    if not externally_accessible(spec):
        if external:
            errs.append(invalid("spec.externalTrafficPolicy", external,
                                "may only be set for externally-accessible services"))
    elif not external:
        errs.append(required("spec.externalTrafficPolicy"))
    elif external not in ("Cluster", "Local"):
        errs.append(not_supported("spec.externalTrafficPolicy", external, ("Cluster", "Local")))
    health = spec.get("healthCheckNodePort") or 0
    if not needs_health_check_port(obj):
        if health:
            errs.append(invalid("spec.healthCheckNodePort", health, "may only be set when `type`"
                                " is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
    elif not health:
        errs.append(required("spec.healthCheckNodePort"))
    elif not 1 <= health <= 65535:
        errs.append(invalid("spec.healthCheckNodePort", health,
                            "must be between 1 and 65535, inclusive"))
    internal = spec.get("internalTrafficPolicy")
    if internal is None:
        if spec.get("type") in ("NodePort", "LoadBalancer", "ClusterIP"):
            errs.append(required("spec.internalTrafficPolicy"))
    elif internal not in ("Cluster", "Local"):
        errs.append(not_supported("spec.internalTrafficPolicy", internal, ("Cluster", "Local")))
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution != "PreferClose":
        errs.append(not_supported("spec.trafficDistribution", distribution, ("PreferClose",)))
    return errs
