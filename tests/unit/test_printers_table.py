"""The Table envelope, ``includeObject``, the small kinds and the default printer."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest

from kitlib.sim.machinery.errors import BadRequest
from kitlib.sim.printers import printer_for, to_table
from kitlib.sim.printers.table import CREATION_TIMESTAMP_DOC, NAME_DOC
from kitlib.sim.registry.catalog import RESOURCES

JSON = dict[str, Any]
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)

NAMESPACE = {
    "kind": "Namespace", "apiVersion": "v1",
    "metadata": {
        "labels": {"kubernetes.io/metadata.name": "default"},
        "creationTimestamp": "2024-04-20T08:00:00Z",
        "resourceVersion": "38", "uid": "64ff44b6-7fd6-430a-95db-cbd3e5450be3",
        "name": "default",
        "managedFields": [{"manager": "kube-apiserver", "operation": "Update",
                           "apiVersion": "v1", "time": "2024-04-20T08:00:00Z",
                           "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {
                               "f:labels": {".": {}, "f:kubernetes.io/metadata.name": {}}}}}],
    },
    "spec": {"finalizers": ["kubernetes"]},
    "status": {"phase": "Active"},
}


def test_namespace_table_as_a_real_server_encodes_it() -> None:
    table = to_table(group="", resource="namespaces", objects=[NAMESPACE], now=NOW,
                     resource_version="165263")
    assert table == {
        "kind": "Table", "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": "165263"},
        "columnDefinitions": [
            {"name": "Name", "type": "string", "format": "name", "description": NAME_DOC,
             "priority": 0},
            {"name": "Status", "type": "string", "format": "",
             "description": "The namespace's phase: Active, or Terminating while it is being "
                            "deleted.", "priority": 0},
            {"name": "Age", "type": "string", "format": "",
             "description": CREATION_TIMESTAMP_DOC, "priority": 0}],
        "rows": [{"cells": ["default", "Active", "11d"], "object": {
            "kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
            "metadata": NAMESPACE["metadata"]}}],
    }
    # Key order follows Go's structs: name, uid, resourceVersion, creationTimestamp, labels...
    metadata = table["rows"][0]["object"]["metadata"]
    assert list(metadata) == ["name", "uid", "resourceVersion", "creationTimestamp", "labels",
                              "managedFields"]
    assert list(table) == ["kind", "apiVersion", "metadata", "columnDefinitions", "rows"]
    assert "metadata.creationTimestamp" in CREATION_TIMESTAMP_DOC


def test_include_object_none_and_object() -> None:
    none = to_table(group="", resource="namespaces", objects=[NAMESPACE], now=NOW,
                    resource_version="1", include_object="None")
    assert json.dumps(none["rows"][0]).endswith('"object": null}')
    full = to_table(group="", resource="namespaces", objects=[NAMESPACE], now=NOW,
                    resource_version="1", include_object="Object")
    assert full["rows"][0]["object"] == NAMESPACE
    default = to_table(group="", resource="namespaces", objects=[NAMESPACE], now=NOW,
                       resource_version="1", include_object="")
    assert default["rows"][0]["object"]["kind"] == "PartialObjectMetadata"


def test_bad_include_object_is_a_bad_request() -> None:
    with pytest.raises(BadRequest) as caught:
        to_table(group="", resource="pods", objects=[], now=NOW, resource_version="1",
                 include_object="Everything")
    assert caught.value.message == ("Unable to convert to Table as requested: includeObject: "
                                    "Invalid value: \"Everything\": must be 'Metadata', "
                                    "'Object', 'None', or empty")


def test_list_metadata_and_watch_headers() -> None:
    table = to_table(group="", resource="namespaces", objects=[], now=NOW,
                     resource_version="", continue_token="eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ",
                     remaining_item_count=12, no_headers=True)
    assert table["metadata"] == {"continue": "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ",
                                 "remainingItemCount": 12}
    assert table["columnDefinitions"] is None and table["rows"] == []


def test_partial_metadata_drops_empty_fields_but_keeps_creation_timestamp() -> None:
    obj = {"metadata": {"name": "x", "namespace": "default", "labels": {}, "generation": 0,
                        "deletionGracePeriodSeconds": 0, "finalizers": []}}
    table = to_table(group="", resource="configmaps", objects=[obj], now=NOW,
                     resource_version="1")
    assert table["rows"][0]["object"]["metadata"] == {
        "name": "x", "namespace": "default", "creationTimestamp": None,
        "deletionGracePeriodSeconds": 0}
    assert table["rows"][0]["cells"] == ["x", 0, "<unknown>"]


def small(kind: str, **body: Any) -> JSON:
    return {"kind": kind, "apiVersion": "v1",
            "metadata": {"name": "demo", "namespace": "default",
                         "creationTimestamp": "2024-05-01T11:00:00Z"}, **body}


@pytest.mark.parametrize(("group", "resource", "obj", "expected"), [
    ("", "configmaps", small("ConfigMap", data={"a": "1", "b": "2"}, binaryData={"c": "AA=="}),
     ["demo", 3, "60m"]),
    ("", "secrets", small("Secret", type="kubernetes.io/tls",
                          data={"tls.crt": "LS0t", "tls.key": "LS0t"}),
     ["demo", "kubernetes.io/tls", 2, "60m"]),
    ("", "secrets", small("Secret", type="Opaque"), ["demo", "Opaque", 0, "60m"]),
    ("", "serviceaccounts", small("ServiceAccount"), ["demo", 0, "60m"]),
    ("", "serviceaccounts", small("ServiceAccount", secrets=[{"name": "demo-token"}]),
     ["demo", 1, "60m"]),
    ("coordination.k8s.io", "leases",
     small("Lease", spec={"holderIdentity": "kind-worker", "leaseDurationSeconds": 40,
                          "renewTime": "2024-05-01T11:59:55.000000Z"}),
     ["demo", "kind-worker", "60m"]),
    ("coordination.k8s.io", "leases", small("Lease", spec={}), ["demo", "", "60m"]),
    ("", "namespaces", small("Namespace", status={"phase": "Terminating"}),
     ["demo", "Terminating", "60m"]),
])
def test_small_kinds(group: str, resource: str, obj: JSON, expected: list[Any]) -> None:
    table = to_table(group=group, resource=resource, objects=[obj], now=NOW,
                     resource_version="1")
    assert table["rows"][0]["cells"] == expected


def test_small_kind_columns() -> None:
    def names(group: str, resource: str) -> list[tuple[str, str]]:
        table = to_table(group=group, resource=resource, objects=[], now=NOW,
                         resource_version="1")
        return [(c["name"], c["type"]) for c in table["columnDefinitions"]]
    assert names("", "secrets") == [("Name", "string"), ("Type", "string"), ("Data", "string"),
                                    ("Age", "string")]
    assert names("", "configmaps") == [("Name", "string"), ("Data", "string"),
                                       ("Age", "string")]
    assert names("", "serviceaccounts") == [("Name", "string"), ("Secrets", "string"),
                                            ("Age", "string")]
    assert names("coordination.k8s.io", "leases") == [("Name", "string"),
                                                      ("Holder", "string"), ("Age", "string")]


def test_default_printer_for_kinds_without_one() -> None:
    obj = {"apiVersion": "example.com/v1", "kind": "Widget",
           "metadata": {"name": "w1", "creationTimestamp": "2024-05-01T13:00:00+02:00"}}
    table = to_table(group="example.com", resource="widgets", objects=[obj], now=NOW,
                     resource_version="3")
    assert table["columnDefinitions"] == [
        {"name": "Name", "type": "string", "format": "name", "description": NAME_DOC,
         "priority": 0},
        {"name": "Created At", "type": "date", "format": "",
         "description": CREATION_TIMESTAMP_DOC, "priority": 0}]
    assert table["rows"][0]["cells"] == ["w1", "2024-05-01T11:00:00Z"]


def test_every_catalog_resource_has_its_own_printer() -> None:
    default = printer_for(group="example.com", resource="widgets")
    for resource in RESOURCES:
        assert printer_for(group=resource.group, resource=resource.plural) is not default, \
            resource.key


def test_every_row_is_as_wide_as_the_columns() -> None:
    for resource in RESOURCES:
        obj = {"apiVersion": resource.api_version, "kind": resource.kind,
               "metadata": {"name": "x", "creationTimestamp": "2024-05-01T11:00:00Z"}}
        table = to_table(group=resource.group, resource=resource.plural, objects=[obj],
                         now=NOW, resource_version="1")
        assert len(table["rows"][0]["cells"]) == len(table["columnDefinitions"]), resource.key
        json.dumps(table)                          # plain JSON all the way down
