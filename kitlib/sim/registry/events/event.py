"""events.k8s.io/v1 Events: the newer view of the same events as core/v1.

Writes through this API get the strict checks of ValidateEventCreate on top of the legacy
ones; error paths name the internal (core) fields, as on a real server.
"""

from __future__ import annotations

from typing import Any

from kitlib.sim.machinery.errors import FieldError, invalid, required
from kitlib.sim.machinery.validation import validate_immutable
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.event import legacy_validate_event
from kitlib.sim.registry.core.jsonish import d

JSON = dict[str, Any]


def as_core(event: JSON) -> JSON:
    """The core/v1 field names of an events.k8s.io/v1 Event."""
    return {"metadata": d(event.get("metadata")), "involvedObject": d(event.get("regarding")),
            "reportingComponent": event.get("reportingController"),
            "reportingInstance": event.get("reportingInstance"), "action": event.get("action"),
            "reason": event.get("reason"), "message": event.get("note"),
            "eventTime": event.get("eventTime"), "type": event.get("type")}


class EventsV1Strategy(Strategy):
    allow_create_on_update = True

    def validate(self, obj: JSON) -> list[FieldError]:
        errs = legacy_validate_event(as_core(obj))
        errs += _validate_series(obj)
        if not obj.get("eventTime"):
            errs.append(required("eventTime"))
        if obj.get("type") not in ("Normal", "Warning"):
            errs.append(invalid("type", "", f"has invalid value: {obj.get('type') or ''}"))
        for wire, path in (("deprecatedFirstTimestamp", "firstTimestamp"),
                           ("deprecatedLastTimestamp", "lastTimestamp"),
                           ("deprecatedCount", "count"), ("deprecatedSource", "source")):
            if obj.get(wire):
                errs.append(invalid(path, "", "needs to be unset"))
        return errs

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        errs = legacy_validate_event(as_core(new))
        if new.get("series") != old.get("series"):
            errs += _validate_series(new)
        for wire, path in (("regarding", "involvedObject"), ("reason", "reason"),
                           ("note", "message"), ("type", "type"), ("eventTime", "eventTime"),
                           ("action", "action"), ("related", "related"),
                           ("reportingController", "reportingController"),
                           ("reportingInstance", "reportingInstance")):
            if new.get(wire) != old.get(wire):
                value = new.get(wire)
                errs += validate_immutable(value if isinstance(value, (str, int)) else str(value),
                                           "" if isinstance(value, (str, int)) else None, path)
        return errs


def _validate_series(event: JSON) -> list[FieldError]:
    series = event.get("series")
    if not isinstance(series, dict):
        return []
    errs: list[FieldError] = []
    if not isinstance(series.get("count"), int) or series["count"] < 2:
        errs.append(invalid("series.count", "", "should be at least 2"))
    if not series.get("lastObservedTime"):
        errs.append(required("series.lastObservedTime"))
    return errs
