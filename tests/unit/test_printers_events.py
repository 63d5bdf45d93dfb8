"""Golden rows for ``kubectl get events``, from core/v1 and events.k8s.io/v1 objects."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from kitlib.sim.printers import to_table

JSON = dict[str, Any]
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


def core_event(**fields: Any) -> JSON:
    event: JSON = {
        "kind": "Event", "apiVersion": "v1",
        "metadata": {"name": "web-7d4b9c8f5-x2k4p.17c9a0b1d2e3f4a5", "namespace": "default",
                     "uid": "e1", "resourceVersion": "4321",
                     "creationTimestamp": "2024-05-01T11:50:00Z"},
        "involvedObject": {"apiVersion": "v1", "fieldPath": "spec.containers{web}",
                           "kind": "Pod", "name": "web-7d4b9c8f5-x2k4p", "namespace": "default",
                           "resourceVersion": "1200", "uid": "p1"},
        "reason": "BackOff", "message": "Back-off restarting failed container web in pod "
                                        "web-7d4b9c8f5-x2k4p_default(p1)\n",
        "source": {"component": "kubelet", "host": "kind-worker"},
        "firstTimestamp": "2024-05-01T11:50:00Z", "lastTimestamp": "2024-05-01T11:55:00Z",
        "count": 3, "type": "Warning", "eventTime": None, "reportingComponent": "kubelet",
        "reportingInstance": "kind-worker",
    }
    event.update(fields)
    return event


def cells(obj: JSON, group: str = "") -> list[Any]:
    table = to_table(group=group, resource="events", objects=[obj], now=NOW,
                     resource_version="5000")
    return table["rows"][0]["cells"]


def test_core_event_row() -> None:
    # The server prints durations only: no "(x3 over 10m)", that is kubectl's own formatting.
    assert cells(core_event()) == [
        "5m", "Warning", "BackOff", "pod/web-7d4b9c8f5-x2k4p", "spec.containers{web}",
        "kubelet, kind-worker",
        "Back-off restarting failed container web in pod web-7d4b9c8f5-x2k4p_default(p1)",
        "10m", 3, "web-7d4b9c8f5-x2k4p.17c9a0b1d2e3f4a5"]


def test_event_columns_and_their_order() -> None:
    table = to_table(group="", resource="events", objects=[], now=NOW, resource_version="1")
    assert [(c["name"], c["format"], c["priority"]) for c in table["columnDefinitions"]] == [
        ("Last Seen", "", 0), ("Type", "", 0), ("Reason", "", 0), ("Object", "", 0),
        ("Subobject", "", 1), ("Source", "", 1), ("Message", "", 0), ("First Seen", "", 1),
        ("Count", "", 1), ("Name", "name", 1)]


def test_event_time_and_singleton_count() -> None:
    # A new-style event written through core/v1: no first/last timestamps, no count.
    obj = core_event(firstTimestamp=None, lastTimestamp=None, count=None,
                     eventTime="2024-05-01T11:59:30.123456Z", source={},
                     reportingComponent="default-scheduler",
                     reportingInstance="default-scheduler-kind-control-plane")
    row = cells(obj)
    assert row[0] == "29s" and row[7] == "29s" and row[8] == 1
    assert row[5] == "default-scheduler, default-scheduler-kind-control-plane"


def test_series_overrides_last_seen_and_count() -> None:
    obj = core_event(series={"count": 12, "lastObservedTime": "2024-05-01T11:58:00.000000Z"})
    row = cells(obj)
    assert (row[0], row[8]) == ("2m", 12)


def test_object_without_name_and_source_without_host() -> None:
    obj = core_event(involvedObject={"kind": "Node"}, source={"component": "kubelet"},
                     reportingInstance="")
    row = cells(obj)
    assert (row[3], row[4], row[5]) == ("node", "", "kubelet")


def test_events_k8s_io_event_uses_the_same_printer() -> None:
    event = {
        "kind": "Event", "apiVersion": "events.k8s.io/v1",
        "metadata": {"name": "web.17c9a0b1d2e3f4a5", "namespace": "default",
                     "creationTimestamp": "2024-05-01T11:50:00Z"},
        "eventTime": None,
        "reportingController": "deployment-controller", "reportingInstance": "",
        "action": "", "reason": "ScalingReplicaSet",
        "regarding": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                      "namespace": "default", "resourceVersion": "900", "uid": "d1"},
        "note": "Scaled up replica set web-7d4b9c8f5 to 3", "type": "Normal",
        "deprecatedSource": {"component": "deployment-controller"},
        "deprecatedFirstTimestamp": "2024-05-01T11:50:00Z",
        "deprecatedLastTimestamp": "2024-05-01T11:50:00Z", "deprecatedCount": 1,
    }
    assert cells(event, "events.k8s.io") == [
        "10m", "Normal", "ScalingReplicaSet", "deployment/web", "", "deployment-controller",
        "Scaled up replica set web-7d4b9c8f5 to 3", "10m", 1, "web.17c9a0b1d2e3f4a5"]
    table = to_table(group="events.k8s.io", resource="events", objects=[event], now=NOW,
                     resource_version="1", include_object="Object")
    assert table["rows"][0]["object"] is event          # the object stays in its own version
