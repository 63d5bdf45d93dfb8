"""ReplicaSets: keep N copies of a pod running, with set-based selectors."""

from __future__ import annotations

from typing import Any

from kitlib.sim.machinery.errors import FieldError, not_handled
from kitlib.sim.machinery.quantity import QuantityError
from kitlib.sim.machinery.validation import validate_nonnegative
from kitlib.sim.registry.apps.template import (validate_selector_and_template,
                                               validate_selector_unchanged)
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.poddefaults import default_pod_template
from kitlib.sim.registry.core.jsonish import d

JSON = dict[str, Any]


def _spec(obj: JSON) -> JSON:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    return spec


class ReplicaSetStrategy(Strategy):
    has_status = True
    has_generation = True
    selectable_fields = ("status.replicas",)

    def default(self, obj: JSON) -> None:
        spec = _spec(obj)
        if spec.get("replicas") is None:
            spec["replicas"] = 1
        if not isinstance(spec.get("template"), dict):
            spec["template"] = {}
        try:
            default_pod_template(spec["template"])
        except QuantityError as exc:
            raise not_handled(kind="ReplicaSet", version="v1", problem=str(exc)) from None

    def prepare_for_create(self, obj: JSON) -> None:
        obj["status"] = {"replicas": 0}
        obj.setdefault("metadata", {})["generation"] = 1

    def validate(self, obj: JSON) -> list[FieldError]:
        spec = _spec(obj)
        errs = validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
        errs += validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
        return errs + validate_selector_and_template(spec, "spec", owner="ReplicaSet")

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        return self.validate(new) + validate_selector_unchanged(new, old)

    def field_values(self, obj: JSON) -> dict[str, str]:
        return {"status.replicas": str(d(obj.get("status")).get("replicas", 0))}
