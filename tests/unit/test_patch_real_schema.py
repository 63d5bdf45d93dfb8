"""Patches kubectl really sends, applied with the server's own schema (``load_schema``)."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest

from kitlib.sim.machinery.patch import (apply_json_patch, apply_merge_patch,
                                        apply_strategic_merge_patch,
                                        create_three_way_merge_patch,
                                        create_two_way_merge_patch)
from kitlib.sim.machinery.patch.errors import PatchFailed
from kitlib.sim.schema.builder import load_schema
from kitlib.sim.schema.types import Schema

POD = "io.k8s.api.core.v1.Pod"
NODE = "io.k8s.api.core.v1.Node"
SERVICE = "io.k8s.api.core.v1.Service"
DEPLOYMENT = "io.k8s.api.apps.v1.Deployment"


@pytest.fixture(scope="module")
def schema() -> Schema:
    return load_schema()


def pod() -> dict[str, Any]:
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default", "uid": "1234",
                     "resourceVersion": "42", "labels": {"app": "web"},
                     "annotations": {"note": "x"}, "finalizers": ["example.com/keep"],
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                          "name": "web-1", "uid": "rs-1",
                                          "controller": True}]},
        "spec": {
            "containers": [
                {"name": "web", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent",
                 "ports": [{"containerPort": 80, "protocol": "TCP"}],
                 "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                 "volumeMounts": [{"name": "conf", "mountPath": "/etc/conf"}],
                 "resources": {"limits": {"cpu": "500m"}, "requests": {"cpu": "100m"}}},
                {"name": "log", "image": "busybox", "args": ["tail", "-f", "/log"]},
            ],
            "volumes": [{"name": "conf", "configMap": {"name": "web-conf"}},
                        {"name": "data", "emptyDir": {}}],
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                             "effect": "NoExecute", "tolerationSeconds": 300}],
            "restartPolicy": "Always", "nodeName": "node-1",
        },
        "status": {"phase": "Running",
                   "conditions": [{"type": "Ready", "status": "True"},
                                  {"type": "PodScheduled", "status": "True"}],
                   "podIP": "10.0.0.5", "podIPs": [{"ip": "10.0.0.5"}]},
    }


def smp(schema: Schema, obj: dict[str, Any], patch: Any, type_name: str) -> dict[str, Any]:
    return apply_strategic_merge_patch(obj, patch, schema=schema, type_name=type_name)


def test_env_merges_by_name_and_ports_by_container_port(schema: Schema) -> None:
    patch = {"spec": {"containers": [{"name": "web",
                                      "env": [{"name": "B", "value": "two"},
                                              {"name": "C", "value": "3"}],
                                      "ports": [{"containerPort": 443}]}]}}
    web = smp(schema, pod(), patch, POD)["spec"]["containers"][0]
    assert web["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "two"},
                          {"name": "C", "value": "3"}]
    assert web["ports"] == [{"containerPort": 443},
                            {"containerPort": 80, "protocol": "TCP"}]


def test_args_are_replaced(schema: Schema) -> None:
    patch = {"spec": {"containers": [{"name": "log", "args": ["sleep", "1"]}]}}
    assert smp(schema, pod(), patch, POD)["spec"]["containers"][1]["args"] == ["sleep", "1"]


def test_status_conditions_merge_by_type(schema: Schema) -> None:
    patch = {"status": {"conditions": [{"type": "Ready", "status": "False"}]}}
    assert smp(schema, pod(), patch, POD)["status"]["conditions"] == [
        {"type": "Ready", "status": "False"}, {"type": "PodScheduled", "status": "True"}]


def test_owner_references_merge_by_uid(schema: Schema) -> None:
    patch = {"metadata": {"ownerReferences": [{"uid": "rs-1", "$patch": "delete"}]}}
    assert smp(schema, pod(), patch, POD)["metadata"]["ownerReferences"] == []


def test_finalizers_removed_like_kubectl_edit(schema: Schema) -> None:
    before = pod()
    after = copy.deepcopy(before)
    after["metadata"]["finalizers"] = []
    patch = create_two_way_merge_patch(before, after, schema=schema, type_name=POD)
    # An empty order list is left out of the patch.
    assert patch == {"metadata": {"$deleteFromPrimitiveList/finalizers": ["example.com/keep"]}}
    assert smp(schema, before, patch, POD)["metadata"]["finalizers"] == []


def test_volume_source_swap_with_retain_keys(schema: Schema) -> None:
    patch = {"spec": {"$setElementOrder/volumes": [{"name": "conf"}, {"name": "data"}],
                      "volumes": [{"$retainKeys": ["name", "secret"], "name": "conf",
                                   "secret": {"secretName": "web-secret"}}]}}
    volumes = smp(schema, pod(), patch, POD)["spec"]["volumes"]
    assert volumes == [{"name": "conf", "secret": {"secretName": "web-secret"}},
                       {"name": "data", "emptyDir": {}}]


def test_kubectl_cordon_and_taint(schema: Schema) -> None:
    node = {"metadata": {"name": "node-1"},
            "spec": {"taints": [{"key": "a", "effect": "NoSchedule"}]}}
    cordoned = smp(schema, node, {"spec": {"unschedulable": True}}, NODE)
    assert cordoned["spec"] == {"taints": [{"key": "a", "effect": "NoSchedule"}],
                                "unschedulable": True}
    tainted = smp(schema, cordoned, {"spec": {"taints": [{"key": "b", "effect": "NoExecute"}]}},
                  NODE)
    assert tainted["spec"]["taints"] == [{"key": "b", "effect": "NoExecute"}]


def test_service_ports_merge_by_port(schema: Schema) -> None:
    svc = {"spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080,
                               "protocol": "TCP"}], "selector": {"app": "web"}}}
    patch = {"spec": {"ports": [{"port": 443, "targetPort": 8443, "name": "https"}],
                      "selector": {"tier": "fe"}}}
    result = smp(schema, svc, patch, SERVICE)
    assert [p["port"] for p in result["spec"]["ports"]] == [443, 80]
    assert result["spec"]["selector"] == {"app": "web", "tier": "fe"}


def test_kubectl_apply_round_trip_on_a_deployment(schema: Schema) -> None:
    last = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
                     "strategy": {"type": "RollingUpdate",
                                  "rollingUpdate": {"maxSurge": 1}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "web",
                                                           "image": "nginx:1.25"}]}}}}
    new = copy.deepcopy(last)
    new["spec"]["strategy"] = {"type": "Recreate"}
    new["spec"]["template"]["spec"]["containers"].insert(
        0, {"name": "init-ish", "image": "busybox"})
    live = copy.deepcopy(last)
    live["spec"]["replicas"] = 5                  # scaled by hand since
    live["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] = "IfNotPresent"
    patch = create_three_way_merge_patch(last, new, live, schema=schema,
                                         type_name=DEPLOYMENT)
    assert patch == {"spec": {
        "replicas": 2,
        "strategy": {"$retainKeys": ["type"], "rollingUpdate": None, "type": "Recreate"},
        "template": {"spec": {
            "$setElementOrder/containers": [{"name": "init-ish"}, {"name": "web"}],
            "containers": [{"image": "busybox", "name": "init-ish"}]}}}}
    result = smp(schema, live, patch, DEPLOYMENT)
    assert result["spec"]["strategy"] == {"type": "Recreate"}
    assert result["spec"]["replicas"] == 2
    assert result["spec"]["template"]["spec"]["containers"] == [
        {"name": "init-ish", "image": "busybox"},
        {"name": "web", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent"}]


def test_unknown_set_element_order_field_names_the_go_struct(schema: Schema) -> None:
    with pytest.raises(PatchFailed) as err:
        smp(schema, pod(), {"spec": {"$setElementOrder/sidecars": []}}, POD)
    assert err.value.message == ('unable to find api field in struct PodSpec for the '
                                 'json field "sidecars"')


def test_patching_a_pod_takes_well_under_a_millisecond(schema: Schema) -> None:
    original = pod()
    strategic = {"metadata": {"labels": {"version": "2"}},
                 "spec": {"$setElementOrder/containers": [{"name": "web"}, {"name": "log"}],
                          "containers": [{"name": "web", "image": "nginx:1.27"}]}}
    merge = {"metadata": {"annotations": {"note": None, "other": "y"}}}
    json_patch = [{"op": "replace", "path": "/spec/containers/0/image", "value": "x"}]

    def best_of(fn: Any, runs: int = 200) -> float:
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            timings.append(time.perf_counter() - start)
        return sorted(timings)[runs // 2]

    assert best_of(lambda: smp(schema, original, strategic, POD)) < 0.001
    assert best_of(lambda: apply_merge_patch(original, merge)) < 0.001
    assert best_of(lambda: apply_json_patch(original, json_patch)) < 0.001
