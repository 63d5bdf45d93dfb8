"""ReplicaSets: keep N copies of a pod running, with set-based selectors."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class ReplicaSetStrategy(Strategy):
    has_status = True
    has_generation = True
    selectable_fields = ("status.replicas",)

    def field_values(self, obj: JSON) -> dict[str, str]:
        return {"status.replicas": str((obj.get("status") or {}).get("replicas", 0))}
