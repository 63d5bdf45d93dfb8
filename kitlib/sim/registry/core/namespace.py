"""Namespaces: the folders objects live in."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class NamespaceStrategy(Strategy):
    has_status = True
    selectable_fields = ("status.phase",)

    def prepare_for_create(self, obj: JSON) -> None:
        obj["status"] = {"phase": "Active"}

    def field_values(self, obj: JSON) -> dict[str, str]:
        return {"status.phase": (obj.get("status") or {}).get("phase", "")}
