"""Endpoints: the addresses of the ready (and not ready) pods behind a Service."""

from __future__ import annotations

import ipaddress
from typing import Any

from kitlib.sim.machinery.errors import FieldError, invalid, not_supported, required
from kitlib.sim.machinery.validation import (name_is_dns_subdomain, validate_ip,
                                             validate_label_name)
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.containers import validate_dns_label
from kitlib.sim.registry.core.jsonish import l

JSON = dict[str, Any]


def validate_non_special_ip(value: str, path: str) -> list[FieldError]:
    """ValidateNonSpecialIP: no unspecified, loopback or link-local addresses."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return [invalid(path, value, "must be a valid IP address")]
    if address.is_unspecified:
        return [invalid(path, value, f"may not be unspecified ({value})")]
    if address.is_loopback:
        return [invalid(path, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)")]
    if address.is_link_local:
        return [invalid(path, value, "may not be in the link-local range (169.254.0.0/16, "
                                     "fe80::/10)")]
    return []


def _validate_address(address: Any, path: str) -> list[FieldError]:
    address = address if isinstance(address, dict) else {}
    ip = str(address.get("ip") or "")
    errs = validate_ip(ip, f"{path}.ip")
    if address.get("hostname"):
        errs += validate_dns_label(str(address["hostname"]), f"{path}.hostname")
    if address.get("nodeName") is not None:
        node = str(address["nodeName"])
        errs += [invalid(f"{path}.nodeName", node, msg) for msg in name_is_dns_subdomain(node)]
    return errs + validate_non_special_ip(ip, f"{path}.ip")


def validate_endpoint_port(port: Any, require_name: bool, path: str) -> list[FieldError]:
    port = port if isinstance(port, dict) else {}
    errs: list[FieldError] = []
    name = str(port.get("name") or "")
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs += validate_dns_label(name, f"{path}.name")
    number = port.get("port", 0)
    if not isinstance(number, int) or not 1 <= number <= 65535:
        errs.append(invalid(f"{path}.port", number, "must be between 1 and 65535, inclusive"))
    protocol = port.get("protocol") or ""
    if not protocol:
        errs.append(required(f"{path}.protocol"))
    elif protocol not in ("SCTP", "TCP", "UDP"):
        errs.append(not_supported(f"{path}.protocol", protocol, ("SCTP", "TCP", "UDP")))
    if port.get("appProtocol") is not None:
        errs += validate_label_name(str(port["appProtocol"]), f"{path}.appProtocol")
    return errs


class EndpointsStrategy(Strategy):
    allow_create_on_update = True

    def default(self, obj: JSON) -> None:
        for subset in l(obj.get("subsets")):
            for port in (l(subset.get("ports"))) if isinstance(subset, dict) else []:
                if isinstance(port, dict) and not port.get("protocol"):
                    port["protocol"] = "TCP"

    def validate(self, obj: JSON) -> list[FieldError]:
        errs: list[FieldError] = []
        for i, subset in enumerate(l(obj.get("subsets"))):
            subset, path = subset if isinstance(subset, dict) else {}, f"subsets[{i}]"
            ready, not_ready = l(subset.get("addresses")), l(subset.get("notReadyAddresses"))
            if not ready and not not_ready:
                errs.append(required(path, "must specify `addresses` or `notReadyAddresses`"))
            for j, address in enumerate(ready):
                errs += _validate_address(address, f"{path}.addresses[{j}]")
            for j, address in enumerate(not_ready):
                errs += _validate_address(address, f"{path}.notReadyAddresses[{j}]")
            ports = l(subset.get("ports"))
            for j, port in enumerate(ports):
                errs += validate_endpoint_port(port, len(ports) > 1, f"{path}.ports[{j}]")
        return errs
