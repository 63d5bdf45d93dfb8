"""kubectl describe: one object and the objects and events it gathers around it.

describe is client-side formatting of what several server requests return (the object,
its events by field selector, its ReplicaSets by label selector, a namespace's quotas);
a wrong answer to any of them shows up as a missing or different line.
"""

from __future__ import annotations

import re

import pytest

from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import deployment, manifest, pod, service


def test_describe_pod(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(pod("d", app="d")))
    out = kubectl.ok("describe", "pod", "d", namespace=namespace)
    volume = re.search(r"kube-api-access-[a-z0-9]{5}", out)
    assert volume, out
    assert out == f"""\
Name:             d
Namespace:        {namespace}
Priority:         0
Service Account:  default
Node:             <none>
Labels:           app=d
Annotations:      <none>
Status:           Pending
IP:               
IPs:              <none>
Containers:
  main:
    Image:        nginx:1.25
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from {volume[0]} (ro)
Volumes:
  {volume[0]}:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:                      <none>
"""


def test_describe_deployment(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(deployment("web")))
    out = kubectl.ok("describe", "deployment", "web", namespace=namespace)
    lines = out.splitlines()
    assert lines[:2] == ["Name:                   web", f"Namespace:              {namespace}"]
    assert re.match(r"CreationTimestamp: +\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$",
                    lines[2])
    for line in ["Labels:                 app=web",
                 "Selector:               app=web",
                 "Replicas:               0 desired | 0 updated | 0 total | 0 available | "
                 "0 unavailable",
                 "StrategyType:           RollingUpdate",
                 "MinReadySeconds:        0",
                 "RollingUpdateStrategy:  25% max unavailable, 25% max surge",
                 "Pod Template:",
                 "  Labels:  app=web",
                 "  Containers:",
                 "   web:",
                 "    Image:         nginx:1.25",
                 "    Port:          <none>",
                 "    Host Port:     <none>",
                 "    Environment:   <none>",
                 "    Mounts:        <none>",
                 "  Volumes:         <none>"]:
        assert line in lines, f"{line!r} not in:\n{out}"
    assert lines[-1].startswith("Events:")


def test_describe_service(kubectl: Kubectl, namespace: str) -> None:
    headless = service("web")
    headless["spec"]["clusterIP"] = "None"
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(headless))
    out = kubectl.ok("describe", "service", "web", namespace=namespace)
    # Endpoints: <none> without an EndpointSlice, empty with an empty one (the controller's).
    out = re.sub(r"^(Endpoints: +)$", r"\1<none>", out, flags=re.M)
    assert out == f"""\
Name:                     web
Namespace:                {namespace}
Labels:                   <none>
Annotations:              <none>
Selector:                 app=web
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       None
IPs:                      None
Port:                     <unset>  80/TCP
TargetPort:               8080/TCP
Endpoints:                <none>
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>
"""


def test_describe_configmap(kubectl: Kubectl, namespace: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=namespace, input=manifest(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"},
         "data": {"colour": "blue"}}))
    assert kubectl.ok("describe", "configmap", "settings", namespace=namespace) == f"""\
Name:         settings
Namespace:    {namespace}
Labels:       <none>
Annotations:  <none>

Data
====
colour:
----
blue


BinaryData
====

Events:  <none>
"""


def test_describe_namespace_head(kubectl: Kubectl, namespace: str) -> None:
    out = kubectl.ok("describe", "namespace", namespace)
    assert out.startswith(f"Name:         {namespace}\n"
                          f"Labels:       kubernetes.io/metadata.name={namespace}\n"
                          "Annotations:  <none>\n"
                          "Status:       Active\n")


def test_describe_namespace_quota_lines(kubectl: Kubectl, namespace: str) -> None:
    assert kubectl.ok("describe", "namespace", namespace) == (
        f"Name:         {namespace}\n"
        f"Labels:       kubernetes.io/metadata.name={namespace}\n"
        "Annotations:  <none>\n"
        "Status:       Active\n"
        "\n"
        "No resource quota.\n"
        "\n"
        "No LimitRange resource.\n")


def test_describe_node(kubectl: Kubectl) -> None:
    nodes = kubectl.ok("get", "nodes", "-o", "name").split()
    if not nodes:
        pytest.skip("the cluster has no nodes yet")
    out = kubectl.ok("describe", nodes[0])
    name = nodes[0].removeprefix("node/")
    assert out.startswith(f"Name:               {name}\nRoles:              ")
    for section in ["Labels:", "CreationTimestamp:", "Taints:", "Unschedulable:",
                    "Conditions:", "Addresses:", "Capacity:", "Allocatable:", "System Info:",
                    "Non-terminated Pods:", "Allocated resources:", "Events:"]:
        assert re.search(rf"^{section}", out, re.M), f"{section} missing:\n{out}"
