"""Events: what happened to an object, written by the components that saw it."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class EventStrategy(Strategy):
    allow_create_on_update = True
    selectable_fields = ("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                         "involvedObject.uid", "involvedObject.apiVersion",
                         "involvedObject.resourceVersion", "involvedObject.fieldPath",
                         "reason", "reportingComponent", "source", "type")

    def field_values(self, obj: JSON) -> dict[str, str]:
        involved = obj.get("involvedObject") or {}
        values = {f"involvedObject.{key}": str(involved.get(key, ""))
                  for key in ("kind", "namespace", "name", "uid", "apiVersion",
                              "resourceVersion", "fieldPath")}
        values["reason"] = obj.get("reason", "")
        values["reportingComponent"] = obj.get("reportingComponent", "")
        values["source"] = (obj.get("source") or {}).get("component", "")
        values["type"] = obj.get("type", "")
        return values
