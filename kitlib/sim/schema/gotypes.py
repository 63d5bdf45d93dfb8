"""What the Go types say that the official client's models do not.

The Python client flattens Kubernetes' Go types into a handful of Python ones: every
integer is ``int`` (Go has int32 and int64), quantities and byte strings are ``str``,
``metav1.Time`` and ``metav1.MicroTime`` are both ``datetime``, ``IntOrString``,
``RawExtension`` and ``FieldsV1`` are all ``object``, and its class names drop the API
package.  The tables here put that information back, for the types this server serves,
so that the schema can name definitions and formats as a real kube-apiserver does.
"""

from __future__ import annotations

from typing import Any

CORE = "io.k8s.api.core.v1"
META = "io.k8s.apimachinery.pkg.apis.meta.v1"

PACKAGES: dict[str, str] = {
    "": CORE,
    "apps": "io.k8s.api.apps.v1",
    "coordination.k8s.io": "io.k8s.api.coordination.v1",
    "discovery.k8s.io": "io.k8s.api.discovery.v1",
    "events.k8s.io": "io.k8s.api.events.v1",
    "autoscaling": "io.k8s.api.autoscaling.v1",
    "policy": "io.k8s.api.policy.v1",
    "authentication.k8s.io": "io.k8s.api.authentication.v1",
    "apiextensions.k8s.io": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1",
}

#: Client class-name prefixes that name the API group where two groups share a kind.
CLASS_PREFIXES: dict[str, str] = {
    "CoreV1": CORE,
    "EventsV1": "io.k8s.api.events.v1",
    "DiscoveryV1": "io.k8s.api.discovery.v1",
    "AuthenticationV1": "io.k8s.api.authentication.v1",
    "StorageV1": "io.k8s.api.storage.v1",
    "RbacV1": "io.k8s.api.rbac.v1",
    "ApiextensionsV1": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1",
}

#: Client classes for k8s.io/apimachinery's meta/v1 types (they carry no prefix).
META_CLASSES: frozenset[str] = frozenset({
    "V1ObjectMeta", "V1ListMeta", "V1LabelSelector", "V1LabelSelectorRequirement",
    "V1OwnerReference", "V1ManagedFieldsEntry", "V1Status", "V1StatusDetails",
    "V1StatusCause", "V1DeleteOptions", "V1Preconditions", "V1Condition",
    "V1APIResource", "V1APIResourceList", "V1APIGroup", "V1APIGroupList", "V1APIVersions",
    "V1GroupVersionForDiscovery", "V1ServerAddressByClientCIDR", "V1WatchEvent",
})

#: Top-level types beyond the catalog's kinds and lists: (client class, group, kind).
EXTRA_KINDS: tuple[tuple[str, str, str], ...] = (
    ("V1Binding", "", "Binding"),
    ("V1Scale", "autoscaling", "Scale"),
    ("V1Eviction", "policy", "Eviction"),
    ("AuthenticationV1TokenRequest", "authentication.k8s.io", "TokenRequest"),
    ("V1Status", "", "Status"),
    ("V1DeleteOptions", "", "DeleteOptions"),
    ("V1WatchEvent", "", "WatchEvent"),
    ("V1APIResourceList", "", "APIResourceList"),
    ("V1APIGroupList", "", "APIGroupList"),
    ("V1APIGroup", "", "APIGroup"),
    ("V1APIVersions", "", "APIVersions"),
)

#: Client class names that differ from "V1" + kind (two groups define the kind).
KIND_CLASSES: dict[tuple[str, str], str] = {
    ("", "Event"): "CoreV1Event",
    ("", "EventList"): "CoreV1EventList",
    ("events.k8s.io", "Event"): "EventsV1Event",
    ("events.k8s.io", "EventList"): "EventsV1EventList",
}

# The definitions that stand for scalars on the wire.
TIME = f"{META}.Time"
MICRO_TIME = f"{META}.MicroTime"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
RAW_EXTENSION = "io.k8s.apimachinery.pkg.runtime.RawExtension"
FIELDS_V1 = f"{META}.FieldsV1"

_C = CORE + "."
_M = META + "."
_APPS = "io.k8s.api.apps.v1."

#: int64 fields (every other integer is int32); lists of integers name their items.
INT64: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    _C + "PodSpec": ("terminationGracePeriodSeconds", "activeDeadlineSeconds"),
    _C + "Probe": ("terminationGracePeriodSeconds",),
    _C + "SleepAction": ("seconds",),
    _C + "Toleration": ("tolerationSeconds",),
    _C + "PodSecurityContext": ("runAsUser", "runAsGroup", "fsGroup", "supplementalGroups"),
    _C + "SecurityContext": ("runAsUser", "runAsGroup"),
    _C + "ServiceAccountTokenProjection": ("expirationSeconds",),
    _C + "ContainerImage": ("sizeBytes",),
    _C + "ReplicationControllerStatus": ("observedGeneration",),
    _C + "LinuxContainerUser": ("uid", "gid", "supplementalGroups"),
    _APPS + "DeploymentStatus": ("observedGeneration",),
    _APPS + "ReplicaSetStatus": ("observedGeneration",),
    _M + "ObjectMeta": ("generation", "deletionGracePeriodSeconds"),
    _M + "ListMeta": ("remainingItemCount",),
    _M + "DeleteOptions": ("gracePeriodSeconds",),
    _M + "Condition": ("observedGeneration",),
    "io.k8s.api.authentication.v1.TokenRequestSpec": ("expirationSeconds",),
}.items()}

#: Fields (or map values) of type resource.Quantity.
QUANTITIES: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    _C + "ResourceRequirements": ("limits", "requests"),
    _C + "VolumeResourceRequirements": ("limits", "requests"),
    _C + "NodeStatus": ("capacity", "allocatable"),
    _C + "PodSpec": ("overhead",),
    _C + "ContainerStatus": ("allocatedResources",),
    _C + "EmptyDirVolumeSource": ("sizeLimit",),
    _C + "ResourceFieldSelector": ("divisor",),
    _C + "ResourceQuotaSpec": ("hard",),
    _C + "ResourceQuotaStatus": ("hard", "used"),
    _C + "LimitRangeItem": ("default", "defaultRequest", "max", "maxLimitRequestRatio", "min"),
}.items()}

#: metav1.MicroTime fields (every other datetime is a metav1.Time).
MICRO_TIMES: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    _C + "Event": ("eventTime",),
    _C + "EventSeries": ("lastObservedTime",),
    "io.k8s.api.events.v1.Event": ("eventTime",),
    "io.k8s.api.events.v1.EventSeries": ("lastObservedTime",),
    "io.k8s.api.coordination.v1.LeaseSpec": ("acquireTime", "renewTime"),
}.items()}

#: The client's "object" fields, by what they are in Go (IntOrString unless listed).
FREE_FORM: dict[tuple[str, str], str] = {
    (_M + "ManagedFieldsEntry", "fieldsV1"): FIELDS_V1,
    (_M + "WatchEvent", "object"): RAW_EXTENSION,
}

#: map[string][]byte fields: base64 strings on the wire.
BYTE_MAPS: frozenset[tuple[str, str]] = frozenset({
    (_C + "Secret", "data"), (_C + "ConfigMap", "binaryData"),
})

#: ``+default=`` markers.
DEFAULTS: dict[tuple[str, str], Any] = {
    (_C + "ContainerPort", "protocol"): "TCP",
    (_C + "ServicePort", "protocol"): "TCP",
    (_C + "GRPCAction", "service"): "",
}

#: Types that inline ``LocalObjectReference`` (whose name defaults to "").
INLINES_LOCAL_REFERENCE: frozenset[str] = frozenset({
    _C + t for t in ("LocalObjectReference", "ConfigMapKeySelector", "SecretKeySelector",
                     "ConfigMapEnvSource", "SecretEnvSource", "ConfigMapProjection",
                     "SecretProjection", "ConfigMapVolumeSource")
})

#: Struct fields that are Go values, not pointers: the OpenAPI gives them ``default: {}``
#: (besides "metadata" everywhere and the items of every list of objects).
VALUE_STRUCTS: frozenset[tuple[str, str]] = frozenset({
    (_C + "Pod", "spec"), (_C + "Pod", "status"),
    (_C + "PodTemplateSpec", "spec"),
    (_C + "Container", "resources"), (_C + "EphemeralContainer", "resources"),
    (_C + "ContainerStatus", "state"), (_C + "ContainerStatus", "lastState"),
    (_C + "PersistentVolumeClaimSpec", "resources"),
    (_C + "PersistentVolumeClaimTemplate", "spec"),
    (_C + "WeightedPodAffinityTerm", "podAffinityTerm"),
    (_C + "PreferredSchedulingTerm", "preference"),
    (_C + "ReplicationController", "spec"), (_C + "ReplicationController", "status"),
    (_C + "Service", "spec"), (_C + "Service", "status"),
    (_C + "ServiceStatus", "loadBalancer"),
    (_C + "Node", "spec"), (_C + "Node", "status"),
    (_C + "NodeStatus", "daemonEndpoints"), (_C + "NodeStatus", "nodeInfo"),
    (_C + "NodeDaemonEndpoints", "kubeletEndpoint"),
    (_C + "Namespace", "spec"), (_C + "Namespace", "status"),
    (_C + "Binding", "target"),
    (_C + "Event", "involvedObject"), (_C + "Event", "source"),
    (_APPS + "Deployment", "spec"), (_APPS + "Deployment", "status"),
    (_APPS + "DeploymentSpec", "template"), (_APPS + "DeploymentSpec", "strategy"),
    (_APPS + "ReplicaSet", "spec"), (_APPS + "ReplicaSet", "status"),
    (_APPS + "ReplicaSetSpec", "template"),
    ("io.k8s.api.coordination.v1.Lease", "spec"),
    ("io.k8s.api.discovery.v1.Endpoint", "conditions"),
    ("io.k8s.api.events.v1.Event", "regarding"),
    ("io.k8s.api.events.v1.Event", "deprecatedSource"),
    ("io.k8s.api.autoscaling.v1.Scale", "spec"), ("io.k8s.api.autoscaling.v1.Scale", "status"),
    ("io.k8s.api.authentication.v1.TokenRequest", "spec"),
    ("io.k8s.api.authentication.v1.TokenRequest", "status"),
})
