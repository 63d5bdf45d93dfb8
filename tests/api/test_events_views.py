"""One Event, two shapes: core/v1 and events.k8s.io/v1 serve the same stored events."""

from __future__ import annotations

from tests.conftest import Http


def test_a_core_event_is_an_events_v1_event(http: Http, namespace: str) -> None:
    http.post(f"/api/v1/namespaces/{namespace}/events", {
        "metadata": {"name": "e1"},
        "involvedObject": {"kind": "Pod", "namespace": namespace, "name": "web"},
        "reason": "Pulled", "message": "Successfully pulled image", "type": "Normal",
        "source": {"component": "kubelet", "host": "kit-worker"}, "count": 2,
        "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:01:00Z"})
    shown = http.get(f"/apis/events.k8s.io/v1/namespaces/{namespace}/events/e1").json()
    assert shown["apiVersion"] == "events.k8s.io/v1"
    assert shown["regarding"]["name"] == "web"
    assert shown["note"] == "Successfully pulled image"
    assert shown["deprecatedCount"] == 2
    assert shown["deprecatedSource"] == {"component": "kubelet", "host": "kit-worker"}
    listed = http.get(f"/apis/events.k8s.io/v1/namespaces/{namespace}/events").json()
    assert [e["metadata"]["name"] for e in listed["items"]] == ["e1"]


def test_an_events_v1_event_is_a_core_event(http: Http, namespace: str) -> None:
    response = http.post(f"/apis/events.k8s.io/v1/namespaces/{namespace}/events", {
        "metadata": {"name": "e2"}, "eventTime": "2026-01-01T00:00:00.000000Z",
        "reportingController": "example.com/ctl", "reportingInstance": "ctl-1",
        "action": "Reconcile", "reason": "Synced", "note": "all good", "type": "Normal",
        "regarding": {"kind": "ConfigMap", "namespace": namespace, "name": "c"}})
    assert response.status_code == 201, response.text
    assert response.json()["note"] == "all good"
    core = http.get(f"/api/v1/namespaces/{namespace}/events/e2").json()
    assert core["message"] == "all good"
    assert core["involvedObject"]["name"] == "c"
    assert core["reportingComponent"] == "example.com/ctl"
    http.delete(f"/apis/events.k8s.io/v1/namespaces/{namespace}/events/e2")
    assert http.get(f"/api/v1/namespaces/{namespace}/events/e2").status_code == 404
