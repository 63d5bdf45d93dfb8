"""LimitRanges: a namespace's bounds and defaults for the resources of each container.

``kubectl describe namespace`` lists them (``No LimitRange resource.`` when there are
none) and ``kubectl describe limitrange`` shows their table.  They are stored, validated
(the min <= default request <= default <= max ordering, one item per type) and shown, not
enforced: pods are not checked against them, and their defaults are not filled into the
containers of new pods.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kitlib.sim.machinery.errors import FieldError, duplicate, forbidden, invalid, required
from kitlib.sim.machinery.quantity import Quantity, QuantityError, parse_quantity
from kitlib.sim.machinery.validation import invalid_go, is_qualified_name
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.jsonish import d, l
from kitlib.sim.registry.core.resourcequota import canonical_quantities, validate_quantity_value
from kitlib.sim.registry.core.resources import (go_quantity, validate_container_resource_name)

JSON = dict[str, Any]

LIMIT_TYPES = ("Pod", "Container", "PersistentVolumeClaim")
#: IsStandardResourceName, for the resources of PersistentVolumeClaim items.
STANDARD_RESOURCES = frozenset((
    "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory",
    "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    "pods", "resourcequotas", "services", "replicationcontrollers", "secrets",
    "persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers",
    "storage", "requests.storage"))
QUANTITY_FIELDS = ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio")


def _type_errors(kind: Any, path: str) -> list[FieldError]:
    name = str(kind or "")
    errs = [invalid(path, name, msg) for msg in is_qualified_name(name)]
    if not errs and "/" not in name and name not in LIMIT_TYPES:
        errs.append(invalid(path, name, "must be a standard limit type or fully qualified"))
    return errs


def _resource_name_errors(kind: Any, name: str, path: str) -> list[FieldError]:
    if kind in ("Pod", "Container"):
        return validate_container_resource_name(name, path)
    errs = [invalid(path, name, msg) for msg in is_qualified_name(name)]
    if not errs and "/" not in name and name not in STANDARD_RESOURCES:
        errs.append(invalid(path, name, "must be a standard resource type or fully qualified"))
    return errs


def _quantities(values: Any) -> dict[str, Quantity]:
    out: dict[str, Quantity] = {}
    for name, raw in (values.items() if isinstance(values, Mapping) else ()):
        try:
            out[str(name)] = parse_quantity(raw)
        except QuantityError:
            pass
    return out


def _ordering(item: JSON, path: str) -> list[FieldError]:
    """Each resource's min <= defaultRequest <= default <= max, and ratios of at least 1."""
    q = {f: _quantities(item.get(f)) for f in QUANTITY_FIELDS}
    keys = sorted(set(q["max"]) | set(q["min"]) | set(q["default"]) |
                  set(q["defaultRequest"]) | set(q["maxLimitRequestRatio"]))
    errs: list[FieldError] = []
    checks = (  # (field of the error, lower, upper, message)
        ("min", "min", "max", "min value {lo} is greater than max value {hi}"),
        ("defaultRequest", "min", "defaultRequest",
         "min value {lo} is greater than default request value {hi}"),
        ("defaultRequest", "defaultRequest", "max",
         "default request value {lo} is greater than max value {hi}"),
        ("defaultRequest", "defaultRequest", "default",
         "default request value {lo} is greater than default limit value {hi}"),
        ("default", "min", "default", "min value {lo} is greater than default value {hi}"),
        ("default", "default", "max", "default value {lo} is greater than max value {hi}"),
    )
    for key in keys:
        for where, low, high, message in checks:
            lo, hi = q[low].get(key), q[high].get(key)
            if lo is not None and hi is not None and lo > hi:
                errs.append(invalid_go(f"{path}.{where}[{key}]", go_quantity(q[where][key]),
                                       message.format(lo=lo, hi=hi)))
        ratio = q["maxLimitRequestRatio"].get(key)
        if ratio is not None and ratio < parse_quantity("1"):
            errs.append(invalid_go(f"{path}.maxLimitRequestRatio[{key}]", go_quantity(ratio),
                                   f"ratio {ratio} is less than 1"))
    return errs


def validate_item(item: Any, path: str) -> list[FieldError]:
    if not isinstance(item, dict):
        return []
    kind = item.get("type")
    errs = _type_errors(kind, f"{path}.type")
    fields = QUANTITY_FIELDS if kind != "Pod" else ("max", "min", "maxLimitRequestRatio")
    for field_name in fields:
        for name, raw in d(item.get(field_name)).items():
            key = f"{path}.{field_name}[{name}]"
            errs += _resource_name_errors(kind, str(name), key)
            errs += validate_quantity_value(str(name), raw, key)
    if kind == "Pod":
        for field_name in ("default", "defaultRequest"):
            if item.get(field_name):
                errs.append(forbidden(f"{path}.{field_name}",
                                      "may not be specified when `type` is 'Pod'"))
    if kind == "PersistentVolumeClaim" and "storage" not in d(item.get("min")) and \
            "storage" not in d(item.get("max")):
        errs.append(required(f"{path}.limits", "either minimum or maximum storage value is "
                                               "required, but neither was provided"))
    return errs + _ordering(item, path)


def default_container_item(item: JSON) -> None:
    """SetDefaults_LimitRangeItem: a Container item's default limit is its max, and its
    default request its default limit, else its min."""
    defaults = item["default"] if isinstance(item.get("default"), dict) else {}
    requests = item["defaultRequest"] if isinstance(item.get("defaultRequest"), dict) else {}
    for name, value in d(item.get("max")).items():
        defaults.setdefault(name, value)
    for name, value in defaults.items():
        requests.setdefault(name, value)
    for name, value in d(item.get("min")).items():
        requests.setdefault(name, value)
    for field_name, values in (("default", defaults), ("defaultRequest", requests)):
        if values:
            item[field_name] = values
        else:
            item.pop(field_name, None)          # an empty ResourceList is omitted


class LimitRangeStrategy(Strategy):

    def default(self, obj: JSON) -> None:
        for item in l(d(obj.get("spec")).get("limits")):
            if isinstance(item, dict):
                for field_name in QUANTITY_FIELDS:
                    canonical_quantities(item.get(field_name))
                if item.get("type") == "Container":
                    default_container_item(item)

    def validate(self, obj: JSON) -> list[FieldError]:
        errs: list[FieldError] = []
        seen: set[Any] = set()
        for i, item in enumerate(l(d(obj.get("spec")).get("limits"))):
            path = f"spec.limits[{i}]"
            errs += validate_item(item, path)
            kind = str(item.get("type")) if isinstance(item, dict) else None
            if kind in seen:
                errs.append(duplicate(f"{path}.type", kind))
            seen.add(kind)
        return errs
