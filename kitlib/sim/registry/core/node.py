"""Nodes: the machines pods run on."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class NodeStrategy(Strategy):
    has_status = True
    selectable_fields = ("spec.unschedulable",)

    def field_values(self, obj: JSON) -> dict[str, str]:
        spec = obj.get("spec") or {}
        return {"spec.unschedulable": "true" if spec.get("unschedulable") else "false"}
