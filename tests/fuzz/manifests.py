"""One valid object of every served kind: the targets the fuzzers patch, replace and mutate.

A patch or PUT only reaches the patch engines and the kind's strategy when its object
exists, so each fuzzer first makes sure these are there (in the namespace ``fuzz``).
"""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

from kitlib.sim.registry.base import ResourceType
from kitlib.sim.registry.catalog import RESOURCES as CATALOG

JSON = dict[str, Any]
#: The kinds that hold objects (read-only customresourcedefinitions hold none to fuzz).
RESOURCES = tuple(res for res in CATALOG if "create" in res.verbs)
NAMESPACE = "fuzz"
NAME = "fx"

_TEMPLATE: JSON = {"metadata": {"labels": {"app": "fx"}},
                   "spec": {"containers": [{"name": "c", "image": "nginx:1.25",
                                            "ports": [{"containerPort": 80}]}]}}
_WORKLOAD: JSON = {"replicas": 1, "selector": {"matchLabels": {"app": "fx"}},
                   "template": _TEMPLATE}

#: The body of each kind, by store key; metadata.name is added by ``manifest``.
BODIES: dict[str, JSON] = {
    "configmaps": {"data": {"a": "b"}, "binaryData": {"bin": "aGk="}},
    "endpoints": {"subsets": [{"addresses": [{"ip": "10.0.0.1"}],
                               "ports": [{"port": 80, "name": "http"}]}]},
    "events": {"involvedObject": {"kind": "Pod", "name": "p", "namespace": NAMESPACE},
               "reason": "Fuzzed", "message": "m", "type": "Normal",
               "source": {"component": "fuzz"}},
    "namespaces": {"spec": {"finalizers": ["kubernetes"]}},
    "nodes": {"spec": {"podCIDR": "10.244.9.0/24"},
              "status": {"capacity": {"cpu": "2", "memory": "1Gi", "pods": "110"}}},
    "pods": {"spec": {"containers": [{"name": "c", "image": "nginx:1.25",
                                      "env": [{"name": "A", "value": "1"}],
                                      "ports": [{"containerPort": 80}]}]}},
    "replicationcontrollers": {"spec": {"replicas": 1, "selector": {"app": "fx"},
                                        "template": _TEMPLATE}},
    "secrets": {"type": "Opaque", "stringData": {"password": "x"}},
    "limitranges": {"spec": {"limits": [{"type": "Container", "max": {"cpu": "1"},
                                         "default": {"cpu": "500m"}}]}},
    "resourcequotas": {"spec": {"hard": {"pods": "10", "requests.cpu": "2"}}},
    "serviceaccounts": {"automountServiceAccountToken": False},
    "services": {"spec": {"selector": {"app": "fx"}, "ports": [{"port": 80, "name": "http"}]}},
    "deployments.apps": {"spec": _WORKLOAD},
    "replicasets.apps": {"spec": _WORKLOAD},
    "leases.coordination.k8s.io": {"spec": {"holderIdentity": "me",
                                            "leaseDurationSeconds": 15}},
    "endpointslices.discovery.k8s.io": {
        "addressType": "IPv4", "endpoints": [{"addresses": ["10.0.0.1"]}],
        "ports": [{"port": 80, "name": "http", "protocol": "TCP"}]},
    "events.events.k8s.io": {"eventTime": "2026-01-01T00:00:00.000000Z",
                             "reportingController": "fuzz/c", "reportingInstance": "fuzz-1",
                             "action": "Fuzz", "reason": "Fuzzed", "type": "Normal",
                             "regarding": {"kind": "Pod", "name": "p",
                                           "namespace": NAMESPACE}},
}


def manifest(res: ResourceType, name: str = NAME) -> JSON:
    body = copy.deepcopy(BODIES[res.key])
    body["apiVersion"] = res.api_version
    body["kind"] = res.kind
    body.setdefault("metadata", {})["name"] = name
    body["metadata"].setdefault("labels", {})["fuzz"] = "yes"
    return body


def prefix(res: ResourceType) -> str:
    return f"/api/{res.version}" if not res.group else f"/apis/{res.group}/{res.version}"


def collection_path(res: ResourceType, namespace: str | None = NAMESPACE) -> str:
    if res.namespaced and namespace is not None:
        return f"{prefix(res)}/namespaces/{quote(namespace, safe='')}/{res.plural}"
    return f"{prefix(res)}/{res.plural}"


def item_path(res: ResourceType, name: str = NAME, namespace: str | None = NAMESPACE,
              subresource: str = "") -> str:
    path = f"{collection_path(res, namespace)}/{quote(name, safe='')}"
    return f"{path}/{subresource}" if subresource else path


def fixture_name(res: ResourceType) -> str:
    # The namespace fixture cannot be "fx" in namespace fuzz: it is a namespace of its own.
    return "fuzz-target" if res.plural == "namespaces" else NAME


__all__ = ["RESOURCES", "BODIES", "manifest", "collection_path", "item_path", "NAMESPACE"]
