"""The ``endpoints.kubernetes.io/last-change-trigger-time`` annotation.

Endpoints and EndpointSlices carry the moment of the change that caused their latest
update, so that latency from "pod became ready" to "endpoint published" can be measured.
Like the real TriggerTimeTracker, this remembers per Service the trigger times it saw at
its last sync (each pod's Ready transition, the Service's creation) and reports the
earliest one that moved since; a Service seen for the first time reports its creation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable

from kitlib.sim.controllers.servicepods import PodFacts

ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time"


@dataclass
class _State:
    service: str = ""
    pods: dict[str, str] = field(default_factory=dict)


def _instant(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def rfc3339_nano(moment: datetime) -> str:
    """Go's ``time.RFC3339Nano`` in UTC: fractional seconds without trailing zeros."""
    moment = moment.astimezone(timezone.utc)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += "." + f"{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


class TriggerTimeTracker:
    def __init__(self) -> None:
        self._states: dict[str, _State] = {}

    def compute(self, key: str, created: str, pods: Iterable[PodFacts]) -> str:
        """The annotation value for this sync of Service ``key``; "" for none."""
        state = self._states.get(key)
        known = state is not None
        state = state or _State()
        earliest: datetime | None = None
        seen: dict[str, str] = {}
        for pod in pods:
            if not pod.ready_since:
                continue
            seen[pod.name] = pod.ready_since
            moment = _instant(pod.ready_since)
            before = _instant(state.pods.get(pod.name, ""))
            if moment is not None and (before is None or moment > before):
                earliest = moment if earliest is None or moment < earliest else earliest
        created_at, before = _instant(created), _instant(state.service)
        if created_at is not None and (before is None or created_at > before):
            earliest = created_at if earliest is None or created_at < earliest else earliest
        self._states[key] = _State(service=created, pods=seen)
        if not known:
            return rfc3339_nano(created_at) if created_at is not None else ""
        return rfc3339_nano(earliest) if earliest is not None else ""

    def forget(self, key: str) -> None:
        self._states.pop(key, None)
