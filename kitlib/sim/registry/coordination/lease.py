"""Leases: heartbeats of nodes and leader elections."""

from __future__ import annotations

from typing import Any

from kitlib.sim.machinery.errors import FieldError, invalid
from kitlib.sim.machinery.validation import IS_NEGATIVE
from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class LeaseStrategy(Strategy):
    allow_create_on_update = True

    def validate(self, obj: JSON) -> list[FieldError]:
        spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
        errs: list[FieldError] = []
        duration = spec.get("leaseDurationSeconds")
        if isinstance(duration, int) and duration <= 0:
            errs.append(invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"))
        transitions = spec.get("leaseTransitions")
        if isinstance(transitions, int) and transitions < 0:
            errs.append(invalid("spec.leaseTransitions", transitions, IS_NEGATIVE))
        return errs
