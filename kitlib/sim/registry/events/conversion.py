"""events.k8s.io/v1 Events are the core/v1 Events, in other words.

A real API server stores one kind of Event and serves it in both shapes; so does the
simulator: the core shape is stored, and this converter shows it (and takes writes) in
the events.k8s.io shape.  The field correspondence is the API's own:
regarding = involvedObject, note = message, reportingController = reportingComponent, and
the legacy source, firstTimestamp, lastTimestamp and count become deprecated*.
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]

# (events.k8s.io/v1 field, core/v1 field), copied as they are.
_SAME_OR_RENAMED = (
    ("eventTime", "eventTime"),
    ("series", "series"),
    ("reportingController", "reportingComponent"),
    ("reportingInstance", "reportingInstance"),
    ("action", "action"),
    ("reason", "reason"),
    ("regarding", "involvedObject"),
    ("related", "related"),
    ("note", "message"),
    ("type", "type"),
    ("deprecatedSource", "source"),
    ("deprecatedFirstTimestamp", "firstTimestamp"),
    ("deprecatedLastTimestamp", "lastTimestamp"),
    ("deprecatedCount", "count"),
)
# Fields the v1 shape always carries (no omitempty in the Go type).
_ALWAYS = ("eventTime",)


class EventsPresenter:
    def to_view(self, stored: JSON) -> JSON:
        shown: JSON = {"kind": "Event", "apiVersion": "events.k8s.io/v1",
                       "metadata": stored.get("metadata", {})}
        for view_field, core_field in _SAME_OR_RENAMED:
            value = stored.get(core_field)
            if value not in (None, "", {}, 0) or view_field in _ALWAYS:
                shown[view_field] = value
        series = shown.get("series")
        if isinstance(series, dict):
            shown["series"] = {k: v for k, v in series.items() if k != "state"}
        return shown

    def from_view(self, shown: JSON) -> JSON:
        stored: JSON = {"kind": "Event", "apiVersion": "v1",
                        "metadata": shown.get("metadata", {})}
        for view_field, core_field in _SAME_OR_RENAMED:
            value = shown.get(view_field)
            if value is not None:
                stored[core_field] = value
        stored.setdefault("involvedObject", {})
        stored.setdefault("source", {})
        stored.setdefault("firstTimestamp", None)
        stored.setdefault("lastTimestamp", None)
        stored.setdefault("eventTime", None)
        return stored
