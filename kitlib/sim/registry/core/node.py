"""Nodes: the machines pods run on."""

from __future__ import annotations

from typing import Any

from kitlib.sim.machinery.errors import (FieldError, forbidden, invalid, not_handled,
                                         not_supported, required)
from kitlib.sim.machinery.quantity import QuantityError, parse_quantity
from kitlib.sim.machinery.validation import (GoValueError, go_quote, is_label_value,
                                             validate_label_name)
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.jsonish import d, l

JSON = dict[str, Any]

TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def validate_taints(taints: Any, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for i, taint in enumerate(taints if isinstance(taints, list) else []):
        taint, ipath = taint if isinstance(taint, dict) else {}, f"{path}[{i}]"
        key, value, effect = (str(taint.get(k) or "") for k in ("key", "value", "effect"))
        errs += validate_label_name(key, f"{ipath}.key")
        msgs = is_label_value(value)
        if msgs:
            errs.append(invalid(f"{ipath}.value", value, ";".join(msgs)))
        if not effect:
            errs.append(required(f"{ipath}.effect"))
        elif effect not in TAINT_EFFECTS:
            errs.append(not_supported(f"{ipath}.effect", effect, TAINT_EFFECTS))
        if (effect, key) in seen:
            rendered = (f"core.Taint{{Key:{go_quote(key)}, Value:{go_quote(value)}, "
                        f"Effect:{go_quote(effect)}, TimeAdded:(*v1.Time)(nil)}}")
            errs.append(GoValueError("FieldValueDuplicate", ipath, rendered=rendered,
                                     detail="taints must be unique by key and effect pair"))
        seen.add((effect, key))
    return errs


class NodeStrategy(Strategy):
    has_status = True
    selectable_fields = ("spec.unschedulable",)

    def prepare_for_create(self, obj: JSON) -> None:
        """Nodes may be created with their status (a kubelet registers itself that way)."""

    def default(self, obj: JSON) -> None:
        status = obj.get("status")
        if not isinstance(status, dict):
            return
        try:
            for key in ("capacity", "allocatable"):
                values = status.get(key)
                if isinstance(values, dict):
                    status[key] = {k: str(parse_quantity(v)) for k, v in values.items()}
        except QuantityError as exc:
            raise not_handled(kind="Node", version="v1", problem=str(exc)) from None
        if status.get("allocatable") is None and isinstance(status.get("capacity"), dict):
            status["allocatable"] = dict(status["capacity"])

    def validate(self, obj: JSON) -> list[FieldError]:
        return validate_taints(d(obj.get("spec")).get("taints"), "metadata.taints")

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        spec, old_spec = d(new.get("spec")), d(old.get("spec"))
        errs: list[FieldError] = []
        old_cidrs = l(old_spec.get("podCIDRs"))
        if old_cidrs and old_cidrs != (l(spec.get("podCIDRs"))):
            errs.append(forbidden("spec.podCIDRs",
                                  'node updates may not change podCIDR except from "" to valid'))
        if old_spec.get("providerID") and old_spec.get("providerID") != spec.get("providerID"):
            errs.append(forbidden("spec.providerID",
                                  'node updates may not change providerID except from "" to valid'))
        return errs + self.validate(new)

    def field_values(self, obj: JSON) -> dict[str, str]:
        spec = d(obj.get("spec"))
        return {"spec.unschedulable": "true" if spec.get("unschedulable") else "false"}
