"""``kubectl get events``: LAST SEEN TYPE REASON OBJECT MESSAGE (wide: LAST SEEN TYPE REASON
OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME).

The server prints only durations here: ``5m``, never ``5m (x3 over 10m)`` (that form is
kubectl's own, for ``kubectl events``).  LAST SEEN falls back to FIRST SEEN, which falls
back to ``eventTime``; a series overrides both LAST SEEN and COUNT.

``events.k8s.io/v1`` Events are served from the same storage as core ones, so the server
prints them with the very same printer: their fields are mapped onto the core names first
(``regarding`` -> ``involvedObject``, ``note`` -> ``message``, ``deprecated*`` -> ...).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kitlib.sim.printers.humanize import parse_time, since
from kitlib.sim.printers.table import NAME_DOC, Column, Printer, Row, name_of

JSON = dict[str, Any]

COLUMNS = (
    Column("Last Seen", description="The time at which the most recent occurrence of this event "
                                    "was recorded."),
    Column("Type", description="Type of this event (Normal, Warning), new types could be added "
                               "in the future"),
    Column("Reason", description="This should be a short, machine understandable string that "
                                 "gives the reason for the transition into the object's current "
                                 "status."),
    Column("Object", description="The object that this event is about."),
    Column("Subobject", priority=1, description=(
        "If referring to a piece of an object instead of an entire object, this string should "
        "contain a valid JSON/Go field access statement, such as "
        "desiredState.manifest.containers[2]. For example, if the object reference is to a "
        "container within a pod, this would take on a value like: \"spec.containers{name}\" "
        "(where \"name\" refers to the name of the container that triggered the event) or if no "
        "container name is specified \"spec.containers[2]\" (container with index 2 in this "
        "pod). This syntax is chosen only to have some well-defined way of referencing a part of "
        "an object.")),
    Column("Source", priority=1, description="The component reporting this event. Should be a "
                                             "short machine understandable string."),
    Column("Message", description="A human-readable description of the status of this "
                                  "operation."),
    Column("First Seen", priority=1, description="The time at which the event was first "
                                                 "recorded. (Time of server receipt is in "
                                                 "TypeMeta.)"),
    Column("Count", priority=1, description="The number of times this event has occurred."),
    Column("Name", priority=1, format="name", description=NAME_DOC),
)

# events.k8s.io/v1 field -> core/v1 field, as the conversion to the internal type maps them.
_EVENTS_V1_FIELDS = {
    "regarding": "involvedObject",
    "note": "message",
    "deprecatedSource": "source",
    "deprecatedFirstTimestamp": "firstTimestamp",
    "deprecatedLastTimestamp": "lastTimestamp",
    "deprecatedCount": "count",
    "reportingController": "reportingComponent",
}


def as_core_event(event: JSON) -> JSON:
    """An ``events.k8s.io/v1`` Event with its fields under their core/v1 names."""
    return {_EVENTS_V1_FIELDS.get(key, key): value for key, value in event.items()}


def _source(event: JSON) -> str:
    """``formatEventSource``: component (or reporting controller), then ``, host``."""
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    instance = source.get("host") or event.get("reportingInstance") or ""
    return f"{component}, {instance}" if instance else component


def _target(reference: JSON) -> str:
    kind = (reference.get("kind") or "").lower()
    name = reference.get("name") or ""
    return f"{kind}/{name}" if name else kind


def print_core_event(event: JSON, now: datetime) -> Row:
    first_time = parse_time(event.get("firstTimestamp"))
    if first_time is None:
        first_time = parse_time(event.get("eventTime"))
    first_seen = since(first_time, now=now)
    last_time = parse_time(event.get("lastTimestamp"))
    last_seen = since(last_time, now=now) if last_time is not None else first_seen
    count = int(event.get("count") or 0)
    series = event.get("series")
    if series is not None:
        last_seen = since(parse_time(series.get("lastObservedTime")), now=now)
        count = int(series.get("count") or 0)
    elif count == 0:
        count = 1                   # singleton events of the new API carry no count
    reference = event.get("involvedObject") or {}
    return Row([last_seen, event.get("type") or "", event.get("reason") or "", _target(reference),
                reference.get("fieldPath") or "", _source(event),
                (event.get("message") or "").strip(), first_seen, count, name_of(event)])


def print_events_v1_event(event: JSON, now: datetime) -> Row:
    return print_core_event(as_core_event(event), now)


CORE_EVENTS = Printer(COLUMNS, print_core_event)
EVENTS_V1_EVENTS = Printer(COLUMNS, print_events_v1_event)
