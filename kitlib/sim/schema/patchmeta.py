"""Merge semantics of the served types: the struct tags and markers the client models lack.

Strategic merge patch reads ``patchStrategy``/``patchMergeKey`` from the Go struct tags of
k8s.io/api, server-side apply reads the ``+listType``/``+listMapKey``/``+mapType`` and
``+structType`` markers; both reach clients as the ``x-kubernetes-*`` extensions of the
OpenAPI documents.  The official Python client drops all of them, so they are kept here,
as data, for every field of the types this server serves that has any (Kubernetes 1.32,
core/v1, apps/v1, discovery/v1, events/v1, coordination/v1, autoscaling/v1, policy/v1,
authentication/v1 and meta/v1).  A field not listed has none: lists of scalars or
structs without a marker are "atomic" to apply only by default, which is not printed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PatchMeta:
    strategy: str = ""                 # "merge", "retainKeys", "merge,retainKeys", "replace"
    merge_key: str = ""
    list_type: str = ""                # "atomic", "set", "map"
    list_map_keys: tuple[str, ...] = ()
    map_type: str = ""                 # "atomic" for maps replaced as a whole


ATOMIC = PatchMeta(list_type="atomic")
SET = PatchMeta(list_type="set")
MERGED_SET = PatchMeta(strategy="merge", list_type="set")
ATOMIC_MAP = PatchMeta(map_type="atomic")


def merged(key: str, *map_keys: str, strategy: str = "merge") -> PatchMeta:
    """A list merged by ``key`` in SMP and keyed by ``map_keys`` (default: key) in SSA."""
    return PatchMeta(strategy=strategy, merge_key=key, list_type="map",
                     list_map_keys=map_keys or (key,))


def keyed(*map_keys: str) -> PatchMeta:
    """An SSA list-map that SMP does not merge (no patch strategy)."""
    return PatchMeta(list_type="map", list_map_keys=map_keys)


CORE = "io.k8s.api.core.v1."
META = "io.k8s.apimachinery.pkg.apis.meta.v1."

_CONTAINER = {
    "command": ATOMIC, "args": ATOMIC,
    "ports": merged("containerPort", "containerPort", "protocol"),
    "envFrom": ATOMIC, "env": merged("name"), "resizePolicy": ATOMIC,
    "volumeMounts": merged("mountPath"), "volumeDevices": merged("devicePath"),
}

#: definition name -> json field name -> merge semantics.
FIELDS: dict[str, dict[str, PatchMeta]] = {
    # --- core/v1 ---------------------------------------------------------------------
    CORE + "Capabilities": {"add": ATOMIC, "drop": ATOMIC},
    CORE + "CephFSVolumeSource": {"monitors": ATOMIC},
    CORE + "ConfigMapProjection": {"items": ATOMIC},
    CORE + "ConfigMapVolumeSource": {"items": ATOMIC},
    CORE + "Container": _CONTAINER,
    CORE + "ContainerImage": {"names": ATOMIC},
    CORE + "ContainerStatus": {"volumeMounts": merged("mountPath"),
                               "allocatedResourcesStatus": merged("name")},
    CORE + "DownwardAPIProjection": {"items": ATOMIC},
    CORE + "DownwardAPIVolumeSource": {"items": ATOMIC},
    CORE + "EndpointSubset": {"addresses": ATOMIC, "notReadyAddresses": ATOMIC,
                              "ports": ATOMIC},
    CORE + "Endpoints": {"subsets": ATOMIC},
    CORE + "EphemeralContainer": _CONTAINER,
    CORE + "ExecAction": {"command": ATOMIC},
    CORE + "FCVolumeSource": {"targetWWNs": ATOMIC, "wwids": ATOMIC},
    CORE + "HTTPGetAction": {"httpHeaders": ATOMIC},
    CORE + "HostAlias": {"hostnames": ATOMIC},
    CORE + "ISCSIVolumeSource": {"portals": ATOMIC},
    CORE + "LinuxContainerUser": {"supplementalGroups": ATOMIC},
    CORE + "LoadBalancerIngress": {"ports": ATOMIC},
    CORE + "LoadBalancerStatus": {"ingress": ATOMIC},
    CORE + "NamespaceSpec": {"finalizers": ATOMIC},
    CORE + "NamespaceStatus": {"conditions": merged("type")},
    CORE + "NodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": ATOMIC},
    CORE + "NodeSelector": {"nodeSelectorTerms": ATOMIC},
    CORE + "NodeSelectorRequirement": {"values": ATOMIC},
    CORE + "NodeSelectorTerm": {"matchExpressions": ATOMIC, "matchFields": ATOMIC},
    CORE + "NodeSpec": {"podCIDRs": MERGED_SET, "taints": ATOMIC},
    CORE + "NodeStatus": {"conditions": merged("type"), "addresses": merged("type"),
                          "images": ATOMIC, "volumesInUse": ATOMIC,
                          "volumesAttached": ATOMIC, "runtimeHandlers": ATOMIC},
    CORE + "PersistentVolumeClaimSpec": {"accessModes": ATOMIC},
    CORE + "PodAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": ATOMIC,
                           "preferredDuringSchedulingIgnoredDuringExecution": ATOMIC},
    CORE + "PodAffinityTerm": {"namespaces": ATOMIC, "matchLabelKeys": ATOMIC,
                               "mismatchLabelKeys": ATOMIC},
    CORE + "PodAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": ATOMIC,
                               "preferredDuringSchedulingIgnoredDuringExecution": ATOMIC},
    CORE + "PodDNSConfig": {"nameservers": ATOMIC, "searches": ATOMIC, "options": ATOMIC},
    CORE + "PodSecurityContext": {"supplementalGroups": ATOMIC, "sysctls": ATOMIC},
    CORE + "PodSpec": {
        "volumes": merged("name", strategy="merge,retainKeys"),
        "initContainers": merged("name"),
        "containers": merged("name"),
        "ephemeralContainers": merged("name"),
        "nodeSelector": ATOMIC_MAP,
        "imagePullSecrets": merged("name"),
        "tolerations": ATOMIC,
        "hostAliases": merged("ip"),
        "readinessGates": ATOMIC,
        "topologySpreadConstraints": merged("topologyKey", "topologyKey",
                                            "whenUnsatisfiable"),
        "schedulingGates": merged("name"),
        "resourceClaims": merged("name", strategy="merge,retainKeys"),
    },
    CORE + "PodStatus": {
        "conditions": merged("type"),
        "hostIPs": PatchMeta(strategy="merge", merge_key="ip", list_type="atomic"),
        "podIPs": merged("ip"),
        "initContainerStatuses": ATOMIC,
        "containerStatuses": ATOMIC,
        "ephemeralContainerStatuses": ATOMIC,
        "resourceClaimStatuses": merged("name", strategy="merge,retainKeys"),
    },
    CORE + "ProjectedVolumeSource": {"sources": ATOMIC},
    CORE + "RBDVolumeSource": {"monitors": ATOMIC},
    CORE + "ReplicationControllerSpec": {"selector": ATOMIC_MAP},
    CORE + "ReplicationControllerStatus": {"conditions": merged("type")},
    CORE + "ResourceRequirements": {"claims": keyed("name")},
    CORE + "ResourceStatus": {"resources": keyed("resourceID")},
    CORE + "SecretProjection": {"items": ATOMIC},
    CORE + "SecretVolumeSource": {"items": ATOMIC},
    CORE + "ServiceAccount": {"secrets": merged("name"), "imagePullSecrets": ATOMIC},
    CORE + "ServiceSpec": {
        "ports": merged("port", "port", "protocol"),
        "selector": ATOMIC_MAP,
        "clusterIPs": ATOMIC, "externalIPs": ATOMIC,
        "loadBalancerSourceRanges": ATOMIC, "ipFamilies": ATOMIC,
    },
    CORE + "ServiceStatus": {"conditions": merged("type")},
    CORE + "TopologySpreadConstraint": {"matchLabelKeys": ATOMIC},
    # --- apps/v1 ---------------------------------------------------------------------
    "io.k8s.api.apps.v1.DeploymentSpec": {"strategy": PatchMeta(strategy="retainKeys")},
    "io.k8s.api.apps.v1.DeploymentStatus": {"conditions": merged("type")},
    "io.k8s.api.apps.v1.ReplicaSetStatus": {"conditions": merged("type")},
    # --- discovery/v1 ----------------------------------------------------------------
    "io.k8s.api.discovery.v1.EndpointSlice": {"endpoints": ATOMIC, "ports": ATOMIC},
    "io.k8s.api.discovery.v1.Endpoint": {"addresses": SET},
    "io.k8s.api.discovery.v1.EndpointHints": {"forZones": ATOMIC, "forNodes": ATOMIC},
    # --- authentication/v1 -----------------------------------------------------------
    "io.k8s.api.authentication.v1.TokenRequestSpec": {"audiences": ATOMIC},
    # --- meta/v1 ---------------------------------------------------------------------
    META + "ObjectMeta": {"finalizers": MERGED_SET, "ownerReferences": merged("uid"),
                          "managedFields": ATOMIC},
    META + "LabelSelector": {"matchExpressions": ATOMIC},
    META + "LabelSelectorRequirement": {"values": ATOMIC},
    META + "StatusDetails": {"causes": ATOMIC},
    META + "DeleteOptions": {"dryRun": ATOMIC},
    META + "APIResource": {"shortNames": ATOMIC, "categories": ATOMIC},
    META + "APIResourceList": {"resources": ATOMIC},
    META + "APIGroup": {"versions": ATOMIC, "serverAddressByClientCIDRs": ATOMIC},
    META + "APIGroupList": {"groups": ATOMIC},
    META + "APIVersions": {"versions": ATOMIC, "serverAddressByClientCIDRs": ATOMIC},
}

#: Types marked ``+structType=atomic``: applied and owned as a whole.
ATOMIC_STRUCTS: frozenset[str] = frozenset({
    CORE + "ConfigMapKeySelector",
    CORE + "EndpointAddress",
    CORE + "EndpointPort",
    CORE + "LocalObjectReference",
    CORE + "NodeSelector",
    CORE + "NodeSelectorTerm",
    CORE + "ObjectFieldSelector",
    CORE + "ObjectReference",
    CORE + "ResourceFieldSelector",
    CORE + "SecretKeySelector",
    CORE + "TypedLocalObjectReference",
    "io.k8s.api.discovery.v1.EndpointPort",
    META + "LabelSelector",
    META + "OwnerReference",
})


def field_meta(type_name: str, json_name: str) -> PatchMeta | None:
    return FIELDS.get(type_name, {}).get(json_name)
