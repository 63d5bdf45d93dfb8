"""A container's environment as the kubelet assembles it, and its configuration errors."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from kitlib.sim.kubelet.env import EnvError, container_env, expand, service_env

POD = {"metadata": {"name": "web", "namespace": "shop", "uid": "u-1",
                    "labels": {"app": "web"}, "annotations": {"team": "blue"}},
       "spec": {"nodeName": "kit-worker", "serviceAccountName": "default"}}
OBJECTS = {
    ("configmaps", "shop", "cfg"): {"data": {"MODE": "prod", "LEVEL": "3"}},
    ("secrets", "shop", "creds"): {"data": {"password": base64.b64encode(b"hunter2").decode()}},
}
KUBERNETES = {"metadata": {"name": "kubernetes", "namespace": "default"},
              "spec": {"clusterIP": "10.96.0.1",
                       "ports": [{"name": "https", "port": 443, "protocol": "TCP"}]}}


def env(container: dict[str, Any], services: list[dict[str, Any]] | None = None) -> dict[str, str]:
    return container_env(POD, container, get=lambda r, ns, n: OBJECTS.get((r, ns, n)),
                         services=services or [], node_ip="172.18.0.3", pod_ip="10.244.1.7",
                         allocatable={"cpu": "8", "memory": "16Gi"})


def test_expand() -> None:
    assert expand("$(A)-$(B)-$$(A)-$(", {"A": "1"}) == "1-$(B)-$(A)-$("


def test_values_references_and_downward_api() -> None:
    found = env({"envFrom": [{"configMapRef": {"name": "cfg"}, "prefix": "CFG_"}],
                 "env": [{"name": "PASS", "valueFrom": {"secretKeyRef": {"name": "creds",
                                                                         "key": "password"}}},
                         {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath":
                                                                     "spec.nodeName"}}},
                         {"name": "IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
                         {"name": "APP", "valueFrom": {"fieldRef": {
                             "fieldPath": "metadata.labels['app']"}}},
                         {"name": "MEM", "valueFrom": {"resourceFieldRef": {
                             "resource": "limits.memory", "divisor": "1Gi"}}},
                         {"name": "GREETING", "value": "on $(NODE) as $(APP)"}]})
    assert found == {"CFG_MODE": "prod", "CFG_LEVEL": "3", "PASS": "hunter2",
                     "NODE": "kit-worker", "IP": "10.244.1.7", "APP": "web", "MEM": "16",
                     "GREETING": "on kit-worker as web"}


def test_service_links() -> None:
    variables = service_env([KUBERNETES])
    assert variables["KUBERNETES_SERVICE_HOST"] == "10.96.0.1"
    assert variables["KUBERNETES_PORT_443_TCP"] == "tcp://10.96.0.1:443"
    assert variables["KUBERNETES_SERVICE_PORT_HTTPS"] == "443"
    assert env({"env": [{"name": "KUBERNETES_SERVICE_HOST", "value": "mine"}]},
               [KUBERNETES])["KUBERNETES_SERVICE_HOST"] == "mine"


@pytest.mark.parametrize(("container", "message"), [
    ({"env": [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "nope", "key": "k"}}}]},
     'configmap "nope" not found'),
    ({"env": [{"name": "X", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "k"}}}]},
     "couldn't find key k in ConfigMap shop/cfg"),
    ({"env": [{"name": "X", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "user"}}}]},
     "couldn't find key user in Secret shop/creds"),
    ({"envFrom": [{"secretRef": {"name": "gone"}}]}, 'secret "gone" not found'),
])
def test_missing_references(container: dict[str, Any], message: str) -> None:
    with pytest.raises(EnvError) as caught:
        env(container)
    assert str(caught.value) == message


def test_optional_references_are_skipped() -> None:
    assert env({"env": [{"name": "X", "valueFrom": {"configMapKeyRef": {
        "name": "nope", "key": "k", "optional": True}}}],
                "envFrom": [{"secretRef": {"name": "gone", "optional": True}}]}) == {}
