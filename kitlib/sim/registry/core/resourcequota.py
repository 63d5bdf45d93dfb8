"""ResourceQuotas: a namespace's budget of objects and compute resources.

``kubectl describe namespace`` lists a namespace's quotas (``No resource quota.`` when it
has none), and the kit's lessons on requests and limits create them.  Here quotas are
stored, validated and shown, not enforced: no admission step refuses a pod that would
exceed one, and no quota controller fills in ``status.used`` (so ``kubectl describe quota``
shows the hard limits only, and ``kubectl get quota`` shows ``0`` as what is used).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kitlib.sim.machinery.errors import FieldError, invalid, not_supported
from kitlib.sim.machinery.quantity import Quantity, QuantityError, canonical, parse_quantity
from kitlib.sim.machinery.validation import IS_NEGATIVE, invalid_go, is_qualified_name
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.jsonish import d, l
from kitlib.sim.registry.core.resources import go_quantity, is_extended, is_hugepages

JSON = dict[str, Any]

#: IsStandardQuotaResourceName: what a quota may limit without a qualified name.
QUOTA_RESOURCES = frozenset((
    "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
    "persistentvolumeclaims", "services.nodeports", "services.loadbalancers", "cpu", "memory",
    "ephemeral-storage", "requests.cpu", "requests.memory", "requests.storage",
    "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage"))
#: IsIntegerResourceName: counts, which a fraction makes no sense for.
INTEGER_RESOURCES = frozenset((
    "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
    "persistentvolumeclaims", "services.nodeports", "services.loadbalancers"))
#: The scopes a quota may be restricted to (core.ResourceQuotaScope).
SCOPES = ("Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass",
          "CrossNamespacePodAffinity")


def canonical_quantities(values: Any) -> None:
    """Store each parsable quantity of a ResourceList in its canonical form."""
    if not isinstance(values, dict):
        return
    for name, raw in values.items():
        try:
            values[name] = canonical(raw)
        except QuantityError:
            pass                        # left for validation to report


def validate_quantity_value(resource: str, raw: Any, path: str) -> list[FieldError]:
    """ValidateResourceQuantityValue: not negative, and whole for countable resources."""
    try:
        quantity: Quantity = parse_quantity(raw)
    except QuantityError as err:
        return [invalid(path, raw, str(err))]
    errs: list[FieldError] = []
    if quantity.value < 0:
        errs.append(invalid(path, str(quantity), IS_NEGATIVE))
    if (resource in INTEGER_RESOURCES or is_extended(resource)) and \
            quantity.milli_value() % 1000:
        errs.append(invalid_go(path, go_quantity(quantity), "must be an integer"))
    return errs


def validate_quota_resource_name(name: str, path: str) -> list[FieldError]:
    """ValidateResourceQuotaResourceName."""
    errs = [invalid(path, name, msg) for msg in is_qualified_name(name)]
    if not errs and "/" not in name and name not in QUOTA_RESOURCES and \
            not is_hugepages(name) and not name.startswith("requests.hugepages-"):
        errs.append(invalid(path, name, "must be a standard resource for quota"))
    return errs


def validate_resource_list(values: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for name, raw in (values.items() if isinstance(values, Mapping) else ()):
        key = f"{path}[{name}]"
        errs += validate_quota_resource_name(str(name), key)
        errs += validate_quantity_value(str(name), raw, key)
    return errs


class ResourceQuotaStrategy(Strategy):
    has_status = True

    def default(self, obj: JSON) -> None:
        canonical_quantities(d(obj.get("spec")).get("hard"))
        status = d(obj.get("status"))
        canonical_quantities(status.get("hard"))
        canonical_quantities(status.get("used"))

    def validate(self, obj: JSON) -> list[FieldError]:
        spec = d(obj.get("spec"))
        errs = validate_resource_list(spec.get("hard"), "spec.hard")
        for i, scope in enumerate(l(spec.get("scopes"))):
            if scope not in SCOPES:
                errs.append(not_supported(f"spec.scopes[{i}]", scope, SCOPES))
        return errs

    def validate_status_update(self, new: JSON, old: JSON) -> list[FieldError]:
        status = d(new.get("status"))
        return (validate_resource_list(status.get("hard"), "status.hard")
                + validate_resource_list(status.get("used"), "status.used"))
