"""Golden rows for deployments, replicasets and replicationcontrollers."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from kitlib.sim.printers import to_table
from kitlib.sim.printers.selectors import format_label_selector, format_labels, selector_string

JSON = dict[str, Any]
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)

TEMPLATE = {
    "metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
    "spec": {"containers": [
        {"image": "nginx:1.27", "imagePullPolicy": "IfNotPresent", "name": "nginx",
         "ports": [{"containerPort": 80, "protocol": "TCP"}], "resources": {},
         "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"},
        {"image": "busybox:1.36", "imagePullPolicy": "IfNotPresent", "name": "log",
         "resources": {}, "terminationMessagePath": "/dev/termination-log",
         "terminationMessagePolicy": "File"}],
        "dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
        "schedulerName": "default-scheduler", "securityContext": {},
        "terminationGracePeriodSeconds": 30},
}


def deployment(*, replicas: int = 3, ready: int = 2, updated: int = 3, available: int = 2,
               selector: JSON | None = None) -> JSON:
    status: JSON = {"observedGeneration": 2, "replicas": replicas, "updatedReplicas": updated,
                    "unavailableReplicas": replicas - available}
    if ready:
        status["readyReplicas"] = ready
    if available:
        status["availableReplicas"] = available
    return {
        "kind": "Deployment", "apiVersion": "apps/v1",
        "metadata": {"name": "web", "namespace": "default", "generation": 2,
                     "uid": "1b7c2d0e-5f3a-4c6b-8e9d-0a1b2c3d4e5f", "resourceVersion": "901",
                     "creationTimestamp": "2024-04-28T09:00:00Z",
                     "annotations": {"deployment.kubernetes.io/revision": "2"}},
        "spec": {"progressDeadlineSeconds": 600, "replicas": replicas,
                 "revisionHistoryLimit": 10,
                 "selector": selector if selector is not None else {"matchLabels": {"app": "web"}},
                 "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                              "type": "RollingUpdate"},
                 "template": TEMPLATE},
        "status": status,
    }


def replica_set(*, desired: int = 3, current: int = 3, ready: int | None = 3) -> JSON:
    status: JSON = {"fullyLabeledReplicas": current, "observedGeneration": 1,
                    "replicas": current}
    if ready is not None:
        status["readyReplicas"] = ready
        status["availableReplicas"] = ready
    return {
        "kind": "ReplicaSet", "apiVersion": "apps/v1",
        "metadata": {"name": "web-7d4b9c8f5", "namespace": "default",
                     "creationTimestamp": "2024-05-01T11:30:00Z", "resourceVersion": "880",
                     "labels": {"app": "web", "pod-template-hash": "7d4b9c8f5"}},
        "spec": {"replicas": desired,
                 "selector": {"matchLabels": {"pod-template-hash": "7d4b9c8f5", "app": "web"}},
                 "template": TEMPLATE},
        "status": status,
    }


def rows(resource: str, group: str, *objects: JSON) -> list[list[Any]]:
    table = to_table(group=group, resource=resource, objects=list(objects), now=NOW,
                     resource_version="1000")
    return [row["cells"] for row in table["rows"]]


def test_deployment_row() -> None:
    assert rows("deployments", "apps", deployment()) == [
        ["web", "2/3", 3, 2, "3d3h", "nginx,log", "nginx:1.27,busybox:1.36", "app=web"]]


def test_new_deployment_without_status_counts() -> None:
    fresh = deployment(ready=0, updated=0, available=0)
    fresh["status"] = {}
    assert rows("deployments", "apps", fresh)[0][1:4] == ["0/3", 0, 0]


def test_deployment_selector_with_expressions() -> None:
    selector = {"matchLabels": {"tier": "fe", "app": "web"},
                "matchExpressions": [{"key": "env", "operator": "In",
                                      "values": ["prod", "canary"]},
                                     {"key": "legacy", "operator": "DoesNotExist"}]}
    assert rows("deployments", "apps", deployment(selector=selector))[0][7] == \
        "app=web,env in (canary,prod),!legacy,tier=fe"


def test_deployment_columns() -> None:
    table = to_table(group="apps", resource="deployments", objects=[], now=NOW,
                     resource_version="1")
    assert [(c["name"], c["type"], c["priority"]) for c in table["columnDefinitions"]] == [
        ("Name", "string", 0), ("Ready", "string", 0), ("Up-to-date", "string", 0),
        ("Available", "string", 0), ("Age", "string", 0), ("Containers", "string", 1),
        ("Images", "string", 1), ("Selector", "string", 1)]
    assert table["rows"] == []


def test_replica_set_row_and_integer_columns() -> None:
    table = to_table(group="apps", resource="replicasets", objects=[replica_set(ready=None)],
                     now=NOW, resource_version="1000")
    assert table["rows"][0]["cells"] == ["web-7d4b9c8f5", 3, 3, 0, "30m", "nginx,log",
                                         "nginx:1.27,busybox:1.36",
                                         "app=web,pod-template-hash=7d4b9c8f5"]
    assert [c["type"] for c in table["columnDefinitions"]][1:4] == ["integer"] * 3


def test_replication_controller_row() -> None:
    rc = {"kind": "ReplicationController", "apiVersion": "v1",
          "metadata": {"name": "legacy", "namespace": "default",
                       "creationTimestamp": "2024-05-01T11:00:00Z"},
          "spec": {"replicas": 2, "selector": {"app": "legacy", "a": "b"},
                   "template": TEMPLATE},
          "status": {"replicas": 2, "readyReplicas": 1, "availableReplicas": 1,
                     "fullyLabeledReplicas": 2, "observedGeneration": 1}}
    assert rows("replicationcontrollers", "", rc) == [
        ["legacy", 2, 2, 1, "60m", "nginx,log", "nginx:1.27,busybox:1.36", "a=b,app=legacy"]]


def test_selector_helpers_edge_cases() -> None:
    assert format_labels({}) == "<none>"
    assert format_labels({"b": "2", "a": "1"}) == "a=1,b=2"
    assert selector_string(None) == ""
    assert selector_string({}) == ""
    assert format_label_selector({}) == "<none>"
    assert format_label_selector({"matchExpressions": [{"key": "k", "operator": "Bogus"}]}) \
        == "<error>"
    assert selector_string({"matchExpressions": [{"key": "k", "operator": "NotIn",
                                                  "values": ["x"]},
                                                 {"key": "a", "operator": "Exists"}]}) \
        == "a,k notin (x)"


def test_invalid_deployment_selector() -> None:
    bad = deployment(selector={"matchExpressions": [{"key": "k", "operator": "In"}]})
    assert rows("deployments", "apps", bad)[0][7] == "<invalid>"
