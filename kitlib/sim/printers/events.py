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
    Column("Last Seen", description="How long ago the event last happened."),
    Column("Type", description="Normal for routine news, Warning for something going wrong."),
    Column("Reason", description="A short CamelCase word for why the event happened, e.g. "
                                 "Scheduled, Pulled or BackOff."),
    Column("Object", description="The kind and name of the object the event is about, e.g. "
                                 "pod/web-0."),
    Column("Subobject", priority=1, description=(
        "Which part of the object the event concerns, e.g. spec.containers{app} for one "
        "container of a pod; empty when it concerns the whole object.")),
    Column("Source", priority=1, description="The component that reported the event, followed "
                                             "by its host when known, e.g. kubelet, node-1."),
    Column("Message", description="What happened, in words meant for people."),
    Column("First Seen", priority=1, description="How long ago the event first happened."),
    Column("Count", priority=1, description="How many times the event has happened so far."),
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
