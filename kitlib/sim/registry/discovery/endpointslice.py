"""EndpointSlices: the scalable successor of Endpoints."""

from __future__ import annotations

import ipaddress
from typing import Any

from kitlib.sim.machinery.errors import (FieldError, invalid, not_supported, required,
                                         too_many)
from kitlib.sim.machinery.validation import (is_dns1123_label, is_dns1123_subdomain,
                                             name_is_dns_subdomain, validate_immutable,
                                             validate_label_name)
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.jsonish import l

JSON = dict[str, Any]

ADDRESS_TYPES = ("FQDN", "IPv4", "IPv6")


def _validate_address(address: str, kind: str, path: str) -> list[FieldError]:
    if kind in ("IPv4", "IPv6"):
        try:
            ok = ipaddress.ip_address(address).version == (4 if kind == "IPv4" else 6)
        except ValueError:
            ok = False
        return [] if ok else [invalid(path, address, f"must be a valid {kind} address")]
    if kind == "FQDN":
        errs = [invalid(path, address, msg) for msg in is_dns1123_subdomain(address)]
        if not errs and len(address.split(".")) < 2:
            errs.append(invalid(path, address, "should be a domain with at least two segments "
                                               "separated by dots"))
        return errs
    return []


class EndpointSliceStrategy(Strategy):

    def default(self, obj: JSON) -> None:
        for port in l(obj.get("ports")):
            if isinstance(port, dict):
                port.setdefault("name", "")
                port.setdefault("protocol", "TCP")

    def validate(self, obj: JSON) -> list[FieldError]:
        errs = self._validate_common(obj)
        kind = obj.get("addressType") or ""
        if not kind:
            errs.append(required("addressType"))
        elif kind not in ADDRESS_TYPES:
            errs.append(not_supported("addressType", kind, ADDRESS_TYPES))
        return errs

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        return self._validate_common(new) + validate_immutable(
            new.get("addressType", ""), old.get("addressType", ""), "addressType")

    def _validate_common(self, obj: JSON) -> list[FieldError]:
        errs: list[FieldError] = []
        kind = obj.get("addressType") or ""
        endpoints = obj.get("endpoints") if isinstance(obj.get("endpoints"), list) else []
        if len(endpoints) > 1000:
            errs.append(too_many("endpoints", 1000))
        for i, endpoint in enumerate(endpoints):
            endpoint, path = endpoint if isinstance(endpoint, dict) else {}, f"endpoints[{i}]"
            addresses = l(endpoint.get("addresses"))
            if not addresses:
                errs.append(required(f"{path}.addresses", "must contain at least 1 address"))
            elif len(addresses) > 100:
                errs.append(too_many(f"{path}.addresses", 100))
            for j, address in enumerate(addresses):
                errs += _validate_address(str(address), kind, f"{path}.addresses[{j}]")
            if endpoint.get("nodeName"):
                node = str(endpoint["nodeName"])
                errs += [invalid(f"{path}.nodeName", node, msg)
                         for msg in name_is_dns_subdomain(node)]
            if endpoint.get("hostname"):
                host = str(endpoint["hostname"])
                errs += [invalid(f"{path}.hostname", host, msg) for msg in is_dns1123_label(host)]
        names: set[str] = set()
        for i, port in enumerate(l(obj.get("ports"))):
            port, path = port if isinstance(port, dict) else {}, f"ports[{i}]"
            name = str(port.get("name") or "")
            if name:
                errs += [invalid(f"{path}.name", name, msg) for msg in is_dns1123_label(name)]
            if name in names:
                errs.append(FieldError("FieldValueDuplicate", f"{path}.name", name))
            names.add(name)
            protocol = port.get("protocol") or ""
            if not protocol:
                errs.append(required(f"{path}.protocol"))
            elif protocol not in ("SCTP", "TCP", "UDP"):
                errs.append(not_supported(f"{path}.protocol", protocol, ("SCTP", "TCP", "UDP")))
            if port.get("appProtocol") is not None:
                errs += validate_label_name(str(port["appProtocol"]), f"{path}.appProtocol")
        return errs
