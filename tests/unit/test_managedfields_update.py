"""managedFields bookkeeping on create, update and non-apply patch (the field manager's Update).

Goldens are the entries a real v1.32 server writes for the same requests; the shapes come
from the hand-built schema in test_managedfields_fieldpath.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from kitlib.sim.machinery.patch.managedfields import (
    ManagedFieldsError, decode_managed, default_manager, update_managed_fields,
)

from .test_managedfields_fieldpath import CONFIGMAP, DEPLOYMENT, POD, SCHEMA

T0, T1, T2 = "2026-11-26T16:00:00Z", "2026-11-26T16:05:00Z", "2026-11-26T16:10:00Z"


def entry(manager: str, fields: dict, time: str | None = T0, *, op: str = "Update",
          api: str = "v1", sub: str = "") -> dict:
    out: dict[str, Any] = {"manager": manager, "operation": op, "apiVersion": api}
    if time is not None:
        out["time"] = time
    out.update(fieldsType="FieldsV1", fieldsV1=fields)
    if sub:
        out["subresource"] = sub
    return out


def pod() -> dict:
    """A pod as the official Python client sends it (no resources), after defaulting."""
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}],
                     "dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
                     "securityContext": {}},
            "status": {"phase": "Pending"}}


def create(obj: dict, manager: str = "OpenAPI-Generator", **kw: Any) -> dict:
    obj = copy.deepcopy(obj)
    update_managed_fields(old=None, new=obj, manager=manager, schema=SCHEMA, type_name=POD,
                          api_version="v1", now=T0, **kw)
    return obj


def update(old: dict, change: Any, manager: str, now: str = T1, **kw: Any) -> dict:
    new = copy.deepcopy(old)
    change(new)
    update_managed_fields(old=old, new=new, manager=manager, schema=SCHEMA,
                          type_name=kw.pop("type_name", POD),
                          api_version=kw.pop("api_version", "v1"), now=now, **kw)
    return new


CREATED = {
    "f:metadata": {"f:labels": {".": {}, "f:app": {}}},
    "f:spec": {"f:containers": {'k:{"name":"nginx"}': {
        ".": {}, "f:image": {}, "f:name": {}, "f:resources": {}}},
        "f:dnsPolicy": {}, "f:restartPolicy": {}, "f:securityContext": {}},
}


def test_create_records_every_field_but_identity_metadata_and_status() -> None:
    obj = create(pod())
    # resources: {} is what the Go type always has; status belongs to the status endpoint
    assert obj["metadata"]["managedFields"] == [entry("OpenAPI-Generator", CREATED)]


def test_create_of_a_deployment_owns_no_zero_valued_structs() -> None:
    dep = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "creationTimestamp": None},
           "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                    "strategy": {"type": "RollingUpdate",
                                 "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                    "template": {"metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
                                 "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}},
           "status": {}}
    update_managed_fields(old=None, new=dep, manager="kubectl-create", schema=SCHEMA,
                          type_name=DEPLOYMENT, api_version="apps/v1", now=T0)
    assert dep["metadata"]["managedFields"] == [entry("kubectl-create", {"f:spec": {
        "f:replicas": {}, "f:selector": {},
        "f:strategy": {"f:rollingUpdate": {".": {}, "f:maxSurge": {}, "f:maxUnavailable": {}},
                       "f:type": {}},
        "f:template": {"f:metadata": {"f:labels": {".": {}, "f:app": {}}},
                       "f:spec": {"f:containers": {'k:{"name":"nginx"}': {
                           ".": {}, "f:image": {}, "f:name": {}, "f:resources": {}}}}}}},
        api="apps/v1")]


def test_a_change_moves_ownership_to_the_writer() -> None:
    obj = create(pod())
    edited = update(obj, lambda o: o["spec"]["containers"][0].update(image="nginx:1.26"),
                    "kubectl-edit")
    creator = copy.deepcopy(CREATED)
    del creator["f:spec"]["f:containers"]['k:{"name":"nginx"}']["f:image"]
    assert edited["metadata"]["managedFields"] == [
        entry("OpenAPI-Generator", creator),
        entry("kubectl-edit", {"f:spec": {"f:containers": {'k:{"name":"nginx"}': {
            "f:image": {}}}}}, T1),
    ]


def test_removed_fields_leave_every_set_and_same_manager_entries_merge() -> None:
    obj = create(pod())
    one = update(obj, lambda o: o["metadata"]["labels"].update(tier="web"), "kubectl-label")
    two = update(one, lambda o: o["metadata"]["labels"].pop("app"), "kubectl-label", T2)
    creator = copy.deepcopy(CREATED)
    creator["f:metadata"] = {"f:labels": {}}     # it still owns the (now smaller) map
    assert two["metadata"]["managedFields"] == [
        entry("OpenAPI-Generator", creator),
        # only removing a field takes nothing new, so the entry keeps its time
        entry("kubectl-label", {"f:metadata": {"f:labels": {"f:tier": {}}}}, T1),
    ]
    three = update(two, lambda o: o["metadata"]["labels"].update(env="prod"), "kubectl-label",
                   "2026-11-26T16:15:00Z")
    assert three["metadata"]["managedFields"][1] == entry(
        "kubectl-label", {"f:metadata": {"f:labels": {"f:env": {}, "f:tier": {}}}},
        "2026-11-26T16:15:00Z")


def test_a_write_that_changes_nothing_keeps_entries_and_times() -> None:
    obj = create(pod())
    again = update(obj, lambda o: None, "kubectl-replace")
    assert again["metadata"]["managedFields"] == obj["metadata"]["managedFields"]


def test_status_changes_on_the_main_resource_are_not_recorded() -> None:
    obj = create(pod())
    again = update(obj, lambda o: o["status"].update(phase="Running"), "someone")
    assert again["metadata"]["managedFields"] == obj["metadata"]["managedFields"]


def test_status_subresource_records_status_only_and_ignores_submitted_entries() -> None:
    obj = create(pod())

    def change(o: dict) -> None:
        o["status"].update(phase="Running", podIP="10.0.0.5")
        o["metadata"]["managedFields"] = [entry("forged", {"f:spec": {}})]
    status = update(obj, change, "kubelet", subresource="status")
    assert status["metadata"]["managedFields"] == [
        entry("OpenAPI-Generator", CREATED),
        entry("kubelet", {"f:status": {"f:phase": {}, "f:podIP": {}}}, T1, sub="status"),
    ]


@pytest.mark.parametrize("reset", [[], [{}]])
def test_empty_managed_fields_reset_tracking(reset: list) -> None:
    obj = create(pod())
    cleared = update(obj, lambda o: o["metadata"].update(managedFields=reset), "kubectl-patch")
    assert "managedFields" not in cleared["metadata"]
    # an object without managedFields is not tracked again until someone applies
    later = update(cleared, lambda o: o["metadata"]["labels"].update(x="y"), "kubectl-label")
    assert "managedFields" not in later["metadata"]


def test_submitted_entries_replace_the_stored_ones() -> None:
    """kubectl's client-side-apply upgrade rewrites managedFields with a JSON patch."""
    obj = create(pod())
    mine = [entry("kubectl", {"f:metadata": {"f:labels": {"f:app": {}}}}, op="Apply")]
    patched = update(obj, lambda o: o["metadata"].update(managedFields=mine), "kubectl")
    assert patched["metadata"]["managedFields"] == mine


def test_undecodable_submitted_entries_fall_back_to_the_stored_ones() -> None:
    obj = create(pod())
    bad = [{"manager": "x", "operation": "Delete", "apiVersion": "v1", "fieldsType": "FieldsV1"}]
    patched = update(obj, lambda o: o["metadata"].update(managedFields=bad), "kubectl")
    assert patched["metadata"]["managedFields"] == obj["metadata"]["managedFields"]


def test_a_create_keeps_valid_submitted_entries() -> None:
    body = pod()
    body["metadata"]["managedFields"] = [entry("exported", {"f:data": {}}, T1, op="Apply")]
    obj = create(body, "kubectl-create")
    assert [e["manager"] for e in obj["metadata"]["managedFields"]] == ["exported",
                                                                        "kubectl-create"]


def test_update_managers_beyond_ten_are_merged_into_ancient_changes() -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {}}
    update_managed_fields(old=None, new=obj, manager="creator", schema=SCHEMA,
                          type_name=CONFIGMAP, api_version="v1", now="2026-01-01T00:00:00Z")
    for i in range(1, 11):
        obj = update(obj, lambda o, i=i: o["data"].update({f"k{i}": "v"}), f"m{i:02}",
                     f"2026-01-01T00:00:{i:02}Z", type_name=CONFIGMAP)
    entries = obj["metadata"]["managedFields"]
    assert len(entries) == 10
    # the creator (owning the empty map) and m01 share a bucket, dated by the newer one
    assert entries[0] == entry("ancient-changes", {"f:data": {".": {}, "f:k1": {}}},
                               "2026-01-01T00:00:01Z")
    assert [e["manager"] for e in entries[1:]] == [f"m{i:02}" for i in range(2, 11)]


def test_entries_sort_apply_first_then_by_time_then_manager() -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "managedFields": [
        entry("b", {"f:data": {"f:b": {}}}, T0), entry("a", {"f:data": {"f:a": {}}}, T0),
        entry("z", {"f:data": {"f:z": {}}}, None), entry("ap", {"f:data": {"f:x": {}}}, T2,
                                                         op="Apply")]},
           "data": {"a": "1", "b": "1", "x": "1", "z": "1"}}
    new = update(obj, lambda o: o["data"].update(c="1"), "c", T1, type_name=CONFIGMAP)
    assert [e["manager"] for e in new["metadata"]["managedFields"]] == ["ap", "z", "a", "b", "c"]


def test_decoding_rejects_what_the_server_rejects() -> None:
    with pytest.raises(ManagedFieldsError, match="operation must be `Apply` or `Update`"):
        decode_managed([{"apiVersion": "v1", "fieldsType": "FieldsV1"}])
    with pytest.raises(ManagedFieldsError, match="apiVersion must not be empty"):
        decode_managed([{"operation": "Update", "fieldsType": "FieldsV1"}])
    with pytest.raises(ManagedFieldsError, match="missing fieldsType in managed fields entry 0"):
        decode_managed([{"operation": "Update", "apiVersion": "v1"}])
    with pytest.raises(ManagedFieldsError, match='invalid fieldsType "FieldsV2"'):
        decode_managed([{"operation": "Update", "apiVersion": "v1", "fieldsType": "FieldsV2"}])


@pytest.mark.parametrize(("agent", "manager"), [
    ("OpenAPI-Generator/32.0.1/python", "OpenAPI-Generator"),
    ("kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9", "kubectl"),
    ("curl/8.5.0", "curl"),
    ("no slash at all", "no slash at all"),
    ("tab\tand\x7fdel/1", "tabanddel"),
    ("", ""),
    ("é" * 100, "é" * 64),                # 128 bytes of UTF-8
])
def test_default_manager_is_the_user_agent_prefix(agent: str, manager: str) -> None:
    assert default_manager(agent) == manager
