"""Field management on the served schema (``load_schema``), against entries real servers wrote.

The expected ``fieldsV1`` documents are copied from real kube-apiserver responses
(``kubectl create deployment``, ``kubectl run``, client-side ``kubectl apply`` of a Service,
``kubectl apply --server-side`` of ``kubectl run --dry-run=client -o yaml`` output); the
inputs are the defaulted objects those requests produce.
"""

from __future__ import annotations

import copy
import json
import time

import pytest

from kitlib.sim.machinery.patch.apply import LAST_APPLIED, ApplyConflict, server_side_apply
from kitlib.sim.machinery.patch.managedfields import update_managed_fields
from kitlib.sim.schema.builder import load_schema

DEPLOYMENT = "io.k8s.api.apps.v1.Deployment"
POD = "io.k8s.api.core.v1.Pod"
SERVICE = "io.k8s.api.core.v1.Service"
NOW = "2026-11-26T16:00:00Z"


@pytest.fixture(scope="module")
def schema():  # type: ignore[no-untyped-def]
    return load_schema()


def created(schema, obj: dict, type_name: str, manager: str, api_version: str) -> dict:  # type: ignore[no-untyped-def]
    obj = copy.deepcopy(obj)
    update_managed_fields(old=None, new=obj, manager=manager, schema=schema,
                          type_name=type_name, api_version=api_version, now=NOW)
    return obj


def container(name: str, image: str) -> dict:
    return {"name": name, "image": image, "resources": {},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File", "imagePullPolicy": "Always"}


POD_SPEC_DEFAULTS = {"restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
                     "dnsPolicy": "ClusterFirst", "securityContext": {},
                     "schedulerName": "default-scheduler"}


def kubectl_create_deployment() -> dict:
    return {"kind": "Deployment", "apiVersion": "apps/v1",
            "metadata": {"name": "nginx", "namespace": "default", "creationTimestamp": None,
                         "labels": {"app": "nginx"}},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "nginx"}},
                     "template": {"metadata": {"creationTimestamp": None,
                                               "labels": {"app": "nginx"}},
                                  "spec": {"containers": [container("nginx", "nginx")],
                                           **POD_SPEC_DEFAULTS}},
                     "strategy": {"type": "RollingUpdate", "rollingUpdate": {
                         "maxUnavailable": "25%", "maxSurge": "25%"}},
                     "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
            "status": {}}


def test_kubectl_create_deployment(schema) -> None:  # type: ignore[no-untyped-def]
    obj = created(schema, kubectl_create_deployment(), DEPLOYMENT, "kubectl-create", "apps/v1")
    assert json.dumps(obj["metadata"]["managedFields"], separators=(",", ":")) == (
        '[{"manager":"kubectl-create","operation":"Update","apiVersion":"apps/v1","time":"'
        + NOW + '","fieldsType":"FieldsV1","fieldsV1":'
        '{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:progressDeadlineSeconds":{},'
        '"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},"f:strategy":{"f:rollingUpdate"'
        ':{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},"f:template":{"f:metadata":'
        '{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":'
        '{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},'
        '"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},'
        '"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},'
        '"f:terminationGracePeriodSeconds":{}}}}}}]')


def test_kubectl_run_pod(schema) -> None:  # type: ignore[no-untyped-def]
    pod = {"kind": "Pod", "apiVersion": "v1",
           "metadata": {"name": "nginx", "namespace": "default", "creationTimestamp": None,
                        "labels": {"run": "nginx"}},
           "spec": {"containers": [container("nginx", "nginx")], **POD_SPEC_DEFAULTS,
                    "enableServiceLinks": True},
           "status": {}}
    obj = created(schema, pod, POD, "kubectl-run", "v1")
    assert obj["metadata"]["managedFields"][0]["fieldsV1"] == json.loads(
        '{"f:metadata":{"f:labels":{".":{},"f:run":{}}},"f:spec":{"f:containers":'
        '{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},'
        '"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},'
        '"f:dnsPolicy":{},"f:enableServiceLinks":{},"f:restartPolicy":{},"f:schedulerName":{},'
        '"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}')


def test_client_side_apply_of_a_service(schema) -> None:  # type: ignore[no-untyped-def]
    last = ('{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"proxy",'
            '"namespace":"default"},"spec":{"ports":[{"name":"name-of-service-port","port":80,'
            '"protocol":"TCP","targetPort":"http-web-svc"}],"selector":'
            '{"app.kubernetes.io/name":"proxy"}}}\n')
    service = {"kind": "Service", "apiVersion": "v1",
               "metadata": {"name": "proxy", "namespace": "default",
                            "annotations": {LAST_APPLIED: last}},
               "spec": {"ports": [{"name": "name-of-service-port", "protocol": "TCP",
                                   "port": 80, "targetPort": "http-web-svc"}],
                        "selector": {"app.kubernetes.io/name": "proxy"}, "type": "ClusterIP",
                        "sessionAffinity": "None", "internalTrafficPolicy": "Cluster"},
               "status": {"loadBalancer": {}}}
    obj = created(schema, service, SERVICE, "kubectl-client-side-apply", "v1")
    assert obj["metadata"]["managedFields"][0]["fieldsV1"] == json.loads(
        '{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-'
        'configuration":{}}},"f:spec":{"f:internalTrafficPolicy":{},"f:ports":{".":{},'
        '"k:{\\"port\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:name":{},"f:port":{},'
        '"f:protocol":{},"f:targetPort":{}}},"f:selector":{},"f:sessionAffinity":{},"f:type":{}}}')


def test_server_side_apply_of_a_dry_run_pod(schema) -> None:  # type: ignore[no-untyped-def]
    dry_run = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"creationTimestamp": None, "labels": {"run": "nginx"},
                            "name": "nginx", "namespace": "default"},
               "spec": {"containers": [{"image": "nginx", "name": "nginx", "resources": {}}],
                        "dnsPolicy": "ClusterFirst", "restartPolicy": "Never"},
               "status": {}}
    obj = server_side_apply(live=None, applied=dry_run, manager="kubectl", force=False,
                            schema=schema, type_name=POD, api_version="v1", now=NOW)
    assert obj["metadata"]["managedFields"][0]["fieldsV1"] == json.loads(
        '{"f:metadata":{"f:labels":{"f:run":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":'
        '\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},"f:resources":{}}},"f:dnsPolicy":{},'
        '"f:restartPolicy":{}}}')


def test_apply_after_create_then_a_conflicting_edit(schema) -> None:  # type: ignore[no-untyped-def]
    live = created(schema, kubectl_create_deployment(), DEPLOYMENT, "kubectl-create", "apps/v1")
    config = {"apiVersion": "apps/v1", "kind": "Deployment",
              "metadata": {"name": "nginx", "namespace": "default"},
              "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "nginx"}},
                       "template": {"metadata": {"labels": {"app": "nginx"}},
                                    "spec": {"containers": [{"name": "nginx", "image": "nginx",
                                                             "ports": [{"containerPort": 80}]}]}}}}
    with pytest.raises(ApplyConflict) as caught:
        server_side_apply(live=live, applied=config, manager="kubectl", force=False,
                          schema=schema, type_name=DEPLOYMENT, api_version="apps/v1", now=NOW)
    assert caught.value.message == ('Apply failed with 1 conflict: conflict with "kubectl-create"'
                                    " using apps/v1: .spec.replicas")
    obj = server_side_apply(live=live, applied=config, manager="kubectl", force=True,
                            schema=schema, type_name=DEPLOYMENT, api_version="apps/v1", now=NOW)
    assert obj["spec"]["replicas"] == 3
    assert obj["spec"]["template"]["spec"]["containers"][0]["ports"] == [{"containerPort": 80}]
    assert [e["manager"] for e in obj["metadata"]["managedFields"]] == ["kubectl",
                                                                        "kubectl-create"]


def test_an_apply_of_a_typical_deployment_takes_well_under_a_few_milliseconds(schema) -> None:  # type: ignore[no-untyped-def]
    live = created(schema, kubectl_create_deployment(), DEPLOYMENT, "kubectl-create", "apps/v1")
    config = copy.deepcopy(kubectl_create_deployment())
    config["spec"]["replicas"] = 1
    rounds = 50
    start = time.perf_counter()
    for _ in range(rounds):
        server_side_apply(live=live, applied=config, manager="kubectl", force=False,
                          schema=schema, type_name=DEPLOYMENT, api_version="apps/v1", now=NOW)
    assert (time.perf_counter() - start) / rounds < 0.005
