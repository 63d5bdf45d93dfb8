"""Every resource the simulated API server serves, in discovery order.

The names, short names, categories and subresources are those ``kubectl api-resources``
shows on a real cluster of the version the server reports.
"""

from __future__ import annotations

import random

from kitlib.sim.registry.apiextensions.customresourcedefinition import (
    READ_ONLY_VERBS, CustomResourceDefinitionStrategy)
from kitlib.sim.registry.apps.deployment import DeploymentStrategy
from kitlib.sim.registry.apps.replicaset import ReplicaSetStrategy
from kitlib.sim.registry.base import ResourceType
from kitlib.sim.registry.coordination.lease import LeaseStrategy
from kitlib.sim.registry.core.configmap import ConfigMapStrategy
from kitlib.sim.registry.core.endpoints import EndpointsStrategy
from kitlib.sim.registry.core.event import EventStrategy
from kitlib.sim.registry.core.limitrange import LimitRangeStrategy
from kitlib.sim.registry.core.namespace import NamespaceStrategy
from kitlib.sim.registry.core.node import NodeStrategy
from kitlib.sim.registry.core.pod import PodStrategy
from kitlib.sim.registry.core.replicationcontroller import ReplicationControllerStrategy
from kitlib.sim.registry.core.resourcequota import ResourceQuotaStrategy
from kitlib.sim.registry.core.secret import SecretStrategy
from kitlib.sim.registry.core.service import ServiceStrategy
from kitlib.sim.registry.core.serviceaccount import ServiceAccountStrategy
from kitlib.sim.registry.discovery.endpointslice import EndpointSliceStrategy
from kitlib.sim.registry.events.conversion import EventsPresenter
from kitlib.sim.registry.events.event import EventsV1Strategy

ALL = ("all",)


def build(*, rng: random.Random | None = None) -> tuple[ResourceType, ...]:
    """The served resources with strategies of their own: one set per cluster, since some
    strategies hold state (the Service allocators) and draw from the cluster's random."""
    rng = rng or random.Random()
    return (
        ResourceType(group="", version="v1", kind="ConfigMap", plural="configmaps",
                     singular="configmap", namespaced=True, short_names=("cm",),
                     strategy=ConfigMapStrategy()),
        ResourceType(group="", version="v1", kind="Endpoints", plural="endpoints",
                     singular="endpoints", namespaced=True, short_names=("ep",),
                     strategy=EndpointsStrategy()),
        ResourceType(group="", version="v1", kind="Event", plural="events", singular="event",
                     namespaced=True, short_names=("ev",), strategy=EventStrategy()),
        ResourceType(group="", version="v1", kind="LimitRange", plural="limitranges",
                     singular="limitrange", namespaced=True, short_names=("limits",),
                     strategy=LimitRangeStrategy()),
        ResourceType(group="", version="v1", kind="Namespace", plural="namespaces",
                     singular="namespace", namespaced=False, short_names=("ns",),
                     subresources=("finalize", "status"),
                     verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
                     strategy=NamespaceStrategy()),
        ResourceType(group="", version="v1", kind="Node", plural="nodes", singular="node",
                     namespaced=False, short_names=("no",), subresources=("proxy", "status"),
                     strategy=NodeStrategy()),
        ResourceType(group="", version="v1", kind="Pod", plural="pods", singular="pod",
                     namespaced=True, short_names=("po",), categories=ALL,
                     subresources=("attach", "binding", "eviction", "exec", "log",
                                   "portforward", "proxy", "status"),
                     strategy=PodStrategy(rng=rng)),
        ResourceType(group="", version="v1", kind="ReplicationController",
                     plural="replicationcontrollers", singular="replicationcontroller",
                     namespaced=True, short_names=("rc",), categories=ALL,
                     subresources=("scale", "status"), strategy=ReplicationControllerStrategy()),
        ResourceType(group="", version="v1", kind="ResourceQuota", plural="resourcequotas",
                     singular="resourcequota", namespaced=True, short_names=("quota",),
                     subresources=("status",), strategy=ResourceQuotaStrategy()),
        ResourceType(group="", version="v1", kind="Secret", plural="secrets", singular="secret",
                     namespaced=True, strategy=SecretStrategy()),
        ResourceType(group="", version="v1", kind="ServiceAccount", plural="serviceaccounts",
                     singular="serviceaccount", namespaced=True, short_names=("sa",),
                     subresources=("token",), strategy=ServiceAccountStrategy()),
        ResourceType(group="", version="v1", kind="Service", plural="services", singular="service",
                     namespaced=True, short_names=("svc",), categories=ALL,
                     subresources=("proxy", "status"),
                     verbs=("create", "delete", "deletecollection", "get", "list", "patch",
                            "update", "watch"),
                     strategy=ServiceStrategy(rng=rng)),
        ResourceType(group="apps", version="v1", kind="Deployment", plural="deployments",
                     singular="deployment", namespaced=True, short_names=("deploy",),
                     categories=ALL, subresources=("scale", "status"),
                     strategy=DeploymentStrategy()),
        ResourceType(group="apps", version="v1", kind="ReplicaSet", plural="replicasets",
                     singular="replicaset", namespaced=True, short_names=("rs",), categories=ALL,
                     subresources=("scale", "status"), strategy=ReplicaSetStrategy()),
        # Read-only: kubectl lists it to tell a missing CRD from a typo in a kind.
        ResourceType(group="apiextensions.k8s.io", version="v1",
                     kind="CustomResourceDefinition", plural="customresourcedefinitions",
                     singular="customresourcedefinition", namespaced=False,
                     short_names=("crd", "crds"), categories=("api-extensions",),
                     verbs=READ_ONLY_VERBS, strategy=CustomResourceDefinitionStrategy()),
        ResourceType(group="coordination.k8s.io", version="v1", kind="Lease", plural="leases",
                     singular="lease", namespaced=True, strategy=LeaseStrategy()),
        ResourceType(group="discovery.k8s.io", version="v1", kind="EndpointSlice",
                     plural="endpointslices", singular="endpointslice", namespaced=True,
                     strategy=EndpointSliceStrategy()),
        ResourceType(group="events.k8s.io", version="v1", kind="Event", plural="events",
                     singular="event", namespaced=True, short_names=("ev",),
                     strategy=EventsV1Strategy(), storage="events",
                     presenter=EventsPresenter()),
    )


#: The catalogue for what only needs names (discovery, OpenAPI, docs).
RESOURCES: tuple[ResourceType, ...] = build()

#: API groups in the order a real server lists them in discovery.
GROUP_ORDER: tuple[str, ...] = ("", "apps", "events.k8s.io", "apiextensions.k8s.io",
                                "coordination.k8s.io", "discovery.k8s.io")


def by_group_version() -> dict[tuple[str, str], list[ResourceType]]:
    grouped: dict[tuple[str, str], list[ResourceType]] = {}
    for res in RESOURCES:
        grouped.setdefault((res.group, res.version), []).append(res)
    return grouped


def find(group: str, version: str, plural: str) -> ResourceType | None:
    for res in RESOURCES:
        if res.group == group and res.version == version and res.plural == plural:
            return res
    return None
