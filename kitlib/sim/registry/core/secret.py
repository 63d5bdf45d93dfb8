"""Secrets: like ConfigMaps, for data that should stay private."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class SecretStrategy(Strategy):
    selectable_fields = ("type",)

    def field_values(self, obj: JSON) -> dict[str, str]:
        return {"type": obj.get("type", "")}
