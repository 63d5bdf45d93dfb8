"""Validation of container resource requests and limits (validateResourceRequirements).

"requests.cpu must be less than or equal to cpu limit" and its siblings: names must be
standard or fully qualified, quantities non-negative, extended resources whole numbers and
not overcommitted.  Quantities arrive already canonical (see ``poddefaults``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kitlib.sim.machinery.errors import FieldError, forbidden, invalid, required
from kitlib.sim.machinery.quantity import Quantity, QuantityError, parse_quantity
from kitlib.sim.machinery.validation import IS_NEGATIVE, invalid_go, is_qualified_name

_STANDARD_RESOURCES = frozenset((
    "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
    "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    "pods", "resourcequotas", "services", "replicationcontrollers", "secrets",
    "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers",
    "storage", "requests.storage"))
_INTEGER_RESOURCES = frozenset(("pods", "resourcequotas", "services", "replicationcontrollers",
                                "secrets", "configmaps", "persistentvolumeclaims",
                                "services.nodeports", "services.loadbalancers"))


def is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def is_extended(name: str) -> bool:
    if is_native(name) or name.startswith("requests."):
        return False
    return not is_qualified_name("requests." + name)


def overcommit_allowed(name: str) -> bool:
    return is_native(name) and not is_hugepages(name)


def go_quantity(quantity: Quantity) -> str:
    """resource.Quantity as %#v prints it (its String method needs a pointer)."""
    text = str(quantity)
    milli = quantity.value * 1000
    if milli.denominator == 1 and milli.numerator % 1000:
        value, scale = milli.numerator, -3
    else:
        value, scale = quantity.value_int(), 0
    return (f"resource.Quantity{{i:resource.int64Amount{{value:{value}, scale:{scale}}}, "
            f"d:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:\"{text}\", "
            f"Format:\"{quantity.format}\"}}")


def validate_container_resource_name(name: str, path: str) -> list[FieldError]:
    errs = [invalid(path, name, msg) for msg in is_qualified_name(name)]
    if errs:
        return errs
    if "/" not in name:
        if name not in _STANDARD_RESOURCES and not is_hugepages(name):
            errs.append(invalid(path, name, "must be a standard resource type or fully qualified"))
        if name not in ("cpu", "memory", "ephemeral-storage") and not is_hugepages(name):
            errs.append(invalid(path, name, "must be a standard resource for containers"))
    elif not is_native(name) and not is_extended(name):
        errs.append(invalid(path, name, "doesn't follow extended resource name standard"))
    return errs


def _quantity_errors(name: str, quantity: Quantity, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    if quantity.value < 0:
        errs.append(invalid(path, str(quantity), IS_NEGATIVE))
    if (name in _INTEGER_RESOURCES or is_extended(name)) and quantity.milli_value() % 1000:
        errs.append(invalid_go(path, go_quantity(quantity), "must be an integer"))
    if is_hugepages(name):
        try:
            page = parse_quantity(name[len("hugepages-"):])
        except QuantityError:
            page = None
        if page is None or page.value <= 0 or (quantity.value / page.value).denominator != 1:
            errs.append(invalid(path, str(quantity),
                                f"{quantity} is not positive integer multiple of {name}"))
    return errs


def _parsed(values: Any) -> dict[str, Quantity | None]:
    parsed: dict[str, Quantity | None] = {}
    for name, raw in (values.items() if isinstance(values, Mapping) else ()):
        try:
            parsed[str(name)] = parse_quantity(raw)
        except QuantityError:
            parsed[str(name)] = None
    return parsed


def validate_resource_requirements(resources: Any, path: str) -> list[FieldError]:
    resources = resources if isinstance(resources, Mapping) else {}
    limits, requests = _parsed(resources.get("limits")), _parsed(resources.get("requests"))
    lim_path, req_path = f"{path}.limits", f"{path}.requests"
    errs: list[FieldError] = []
    for name, quantity in limits.items():
        errs += validate_container_resource_name(name, f"{lim_path}[{name}]")
        if quantity is not None:
            errs += _quantity_errors(name, quantity, f"{lim_path}[{name}]")
    for name, quantity in requests.items():
        errs += validate_container_resource_name(name, f"{req_path}[{name}]")
        if quantity is None:
            continue
        errs += _quantity_errors(name, quantity, f"{req_path}[{name}]")
        limit = limits.get(name)
        if name in limits and limit is not None:
            if quantity != limit and not overcommit_allowed(name):
                errs.append(invalid(req_path, str(quantity),
                                    f"must be equal to {name} limit of {limit}"))
            elif quantity > limit:
                errs.append(invalid(req_path, str(quantity),
                                    f"must be less than or equal to {name} limit of {limit}"))
        elif name not in limits and not overcommit_allowed(name):
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
    compute = {"cpu", "memory"}
    if (any(is_hugepages(n) for n in [*limits, *requests])
            and not compute & (set(limits) | set(requests))):
        errs.append(forbidden(path, "HugePages require cpu or memory"))
    return errs
