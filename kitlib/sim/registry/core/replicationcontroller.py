"""ReplicationControllers: keep N copies of a pod running (the original controller)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kitlib.sim.machinery.errors import FieldError, not_handled, required
from kitlib.sim.machinery.quantity import QuantityError
from kitlib.sim.machinery.validation import go_string_map, invalid_go, validate_nonnegative
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.poddefaults import default_pod_template
from kitlib.sim.registry.core.podspec import validate_controller_template
from kitlib.sim.registry.core.jsonish import d

JSON = dict[str, Any]


def _spec(obj: JSON) -> JSON:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    return spec


class ReplicationControllerStrategy(Strategy):
    # core/v1 keeps its historical default: deleting an RC without a policy orphans its pods.
    default_propagation_policy = "Orphan"
    has_status = True
    has_generation = True
    selectable_fields = ("status.replicas",)

    def default(self, obj: JSON) -> None:
        spec = _spec(obj)
        template = spec.get("template")
        labels = (d(template.get("metadata")).get("labels")
                  if isinstance(template, dict) else None)
        # The selector, and the controller's own labels, default to the template's labels.
        if isinstance(labels, dict):
            if not spec.get("selector"):
                spec["selector"] = dict(labels)
            meta = obj.setdefault("metadata", {})
            if not meta.get("labels"):
                meta["labels"] = dict(labels)
        if spec.get("replicas") is None:
            spec["replicas"] = 1
        if isinstance(template, dict):
            try:
                default_pod_template(template)
            except QuantityError as exc:
                raise not_handled(kind="ReplicationController", version="v1",
                                  problem=str(exc)) from None

    def prepare_for_create(self, obj: JSON) -> None:
        obj["status"] = {"replicas": 0}
        obj.setdefault("metadata", {})["generation"] = 1

    def validate(self, obj: JSON) -> list[FieldError]:
        spec = _spec(obj)
        errs = validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
        selector = spec.get("selector") if isinstance(spec.get("selector"), Mapping) else {}
        if not selector:
            errs.append(required("spec.selector"))
        errs += validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
        template = spec.get("template")
        if not isinstance(template, Mapping):
            errs.append(required("spec.template"))
            return errs
        labels = d(template.get("metadata")).get("labels")
        labels = labels if isinstance(labels, Mapping) else {}
        if selector and any(labels.get(k) != v for k, v in selector.items()):
            errs.append(invalid_go("spec.template.metadata.labels",
                                   go_string_map(template.get("metadata", {}).get("labels")),
                                   "`selector` does not match template `labels`"))
        return errs + validate_controller_template(template, "spec.template",
                                                   owner="ReplicationController")

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        return self.validate(new)

    def field_values(self, obj: JSON) -> dict[str, str]:
        return {"status.replicas": str(d(obj.get("status")).get("replicas", 0))}
