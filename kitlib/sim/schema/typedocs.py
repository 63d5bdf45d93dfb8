"""Descriptions the official client's models do not carry.

The API server's OpenAPI documents describe every type, and every field, with the Go doc
comments of k8s.io/api; ``kubectl explain`` prints them.  The Python client keeps only the
descriptions of fields whose type is not another object (its generator drops the
description next to a ``$ref``) and none of the types' own.  These are the missing ones for
the types this server serves, as the API documents them.
"""

from __future__ import annotations

_C = "io.k8s.api.core.v1."
_A = "io.k8s.api.apps.v1."
_M = "io.k8s.apimachinery.pkg.apis.meta.v1."
_CONV = "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"
OBJECT_META = f"Standard object's metadata. More info: {_CONV}#metadata"
LIST_META = f"Standard list metadata. More info: {_CONV}#types-kinds"
SPEC_STATUS = f"More info: {_CONV}#spec-and-status"
_PROBE = "More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes"

#: Definition name -> the type's own description.
TYPES: dict[str, str] = {
    _C + "Pod": "Pod is a collection of containers that can run on a host. This resource is "
                "created by clients and scheduled onto hosts.",
    _C + "PodList": "PodList is a list of Pods.",
    _C + "PodSpec": "PodSpec is a description of a pod.",
    _C + "PodStatus": "PodStatus represents information about the status of a pod. Status may "
                      "trail the actual state of a system, especially if the node that hosts "
                      "the pod cannot contact the control plane.",
    _C + "PodTemplateSpec": "PodTemplateSpec describes the data a pod should have when created "
                            "from a template",
    _C + "PodCondition": "PodCondition contains details for the current condition of this pod.",
    _C + "PodIP": "PodIP represents a single IP address allocated to the pod.",
    _C + "HostIP": "HostIP represents a single IP address allocated to the host.",
    _C + "PodOS": "PodOS defines the OS parameters of a pod.",
    _C + "PodDNSConfig": "PodDNSConfig defines the DNS parameters of a pod in addition to those "
                         "generated from DNSPolicy.",
    _C + "PodDNSConfigOption": "PodDNSConfigOption defines DNS resolver options of a pod.",
    _C + "PodReadinessGate": "PodReadinessGate contains the reference to a pod condition",
    _C + "PodSchedulingGate": "PodSchedulingGate is associated to a Pod to guard its "
                              "scheduling.",
    _C + "PodResourceClaim": "PodResourceClaim references exactly one ResourceClaim, either "
                             "directly or by naming a ResourceClaimTemplate which is then "
                             "turned into a ResourceClaim for the pod.\n\nIt adds a name to it "
                             "that uniquely identifies the ResourceClaim inside the Pod. "
                             "Containers that need access to the ResourceClaim reference it "
                             "with this name.",
    _C + "PodResourceClaimStatus": "PodResourceClaimStatus is stored in the PodStatus for each "
                                   "PodResourceClaim which references a ResourceClaimTemplate. "
                                   "It stores the generated name for the corresponding "
                                   "ResourceClaim.",
    _C + "PodSecurityContext": "PodSecurityContext holds pod-level security attributes and "
                               "common container settings. Some fields are also present in "
                               "container.securityContext.  Field values of "
                               "container.securityContext take precedence over field values "
                               "of PodSecurityContext.",
    _C + "SecurityContext": "SecurityContext holds security configuration that will be applied "
                            "to a container. Some fields are present in both SecurityContext "
                            "and PodSecurityContext.  When both are set, the values in "
                            "SecurityContext take precedence.",
    _C + "SELinuxOptions": "SELinuxOptions are the labels to be applied to the container",
    _C + "SeccompProfile": "SeccompProfile defines a pod/container's seccomp profile settings. "
                           "Only one profile source may be set.",
    _C + "AppArmorProfile": "AppArmorProfile defines a pod or container's AppArmor settings.",
    _C + "WindowsSecurityContextOptions": "WindowsSecurityContextOptions contain "
                                          "Windows-specific options and credentials.",
    _C + "Capabilities": "Adds and removes POSIX capabilities from running containers.",
    _C + "Sysctl": "Sysctl defines a kernel parameter to be set",
    _C + "Container": "A single application container that you want to run within a pod.",
    _C + "EphemeralContainer": "An EphemeralContainer is a temporary container that you may add "
                               "to an existing Pod for user-initiated activities such as "
                               "debugging. Ephemeral containers have no resource or scheduling "
                               "guarantees, and they will not be restarted when they exit or "
                               "when a Pod is removed or restarted. The kubelet may evict a Pod "
                               "if an ephemeral container causes the Pod to exceed its resource "
                               "allocation.\n\nTo add an ephemeral container, use the "
                               "ephemeralcontainers subresource of an existing Pod. Ephemeral "
                               "containers may not be removed or restarted.",
    _C + "ContainerPort": "ContainerPort represents a network port in a single container.",
    _C + "ContainerResizePolicy": "ContainerResizePolicy represents resource resize policy for "
                                  "the container.",
    _C + "ContainerState": "ContainerState holds a possible state of container. Only one of its "
                           "members may be specified. If none of them is specified, the default "
                           "one is ContainerStateWaiting.",
    _C + "ContainerStateRunning": "ContainerStateRunning is a running state of a container.",
    _C + "ContainerStateTerminated": "ContainerStateTerminated is a terminated state of a "
                                     "container.",
    _C + "ContainerStateWaiting": "ContainerStateWaiting is a waiting state of a container.",
    _C + "ContainerStatus": "ContainerStatus contains details for the current status of this "
                            "container.",
    _C + "ContainerUser": "ContainerUser represents user identity information",
    _C + "LinuxContainerUser": "LinuxContainerUser represents user identity information in "
                               "Linux containers",
    _C + "ContainerImage": "Describe a container image",
    _C + "EnvVar": "EnvVar represents an environment variable present in a Container.",
    _C + "EnvVarSource": "EnvVarSource represents a source for the value of an EnvVar.",
    _C + "EnvFromSource": "EnvFromSource represents the source of a set of ConfigMaps",
    _C + "ConfigMapEnvSource": "ConfigMapEnvSource selects a ConfigMap to populate the "
                               "environment variables with.\n\nThe contents of the target "
                               "ConfigMap's Data field will represent the key-value pairs as "
                               "environment variables.",
    _C + "SecretEnvSource": "SecretEnvSource selects a Secret to populate the environment "
                            "variables with.\n\nThe contents of the target Secret's Data field "
                            "will represent the key-value pairs as environment variables.",
    _C + "ConfigMapKeySelector": "Selects a key from a ConfigMap.",
    _C + "SecretKeySelector": "SecretKeySelector selects a key of a Secret.",
    _C + "ObjectFieldSelector": "ObjectFieldSelector selects an APIVersioned field of an "
                                "object.",
    _C + "ResourceFieldSelector": "ResourceFieldSelector represents container resources (cpu, "
                                  "memory) and their output format",
    _C + "ResourceRequirements": "ResourceRequirements describes the compute resource "
                                 "requirements.",
    _C + "VolumeResourceRequirements": "VolumeResourceRequirements describes the storage "
                                       "resource requirements for a volume.",
    _C + "ResourceClaim": "ResourceClaim references one entry in PodSpec.ResourceClaims.",
    _C + "ResourceHealth": "ResourceHealth represents the health of a resource. It has the "
                           "latest device health information. This is a part of KEP "
                           "https://kep.k8s.io/4680.",
    _C + "ResourceStatus": "ResourceStatus represents the status of a single resource "
                           "allocated to a Pod.",
    _C + "Probe": "Probe describes a health check to be performed against a container to "
                  "determine whether it is alive or ready to receive traffic.",
    _C + "ExecAction": "ExecAction describes a \"run in container\" action.",
    _C + "HTTPGetAction": "HTTPGetAction describes an action based on HTTP Get requests.",
    _C + "HTTPHeader": "HTTPHeader describes a custom header to be used in HTTP probes",
    _C + "TCPSocketAction": "TCPSocketAction describes an action based on opening a socket",
    _C + "GRPCAction": "GRPCAction specifies an action involving a GRPC service.",
    _C + "SleepAction": "SleepAction describes a \"sleep\" action.",
    _C + "Lifecycle": "Lifecycle describes actions that the management system should take in "
                      "response to container lifecycle events. For the PostStart and PreStop "
                      "lifecycle handlers, management of the container blocks until the action "
                      "is complete, unless the container process fails, in which case the "
                      "handler is aborted.",
    _C + "LifecycleHandler": "LifecycleHandler defines a specific action that should be taken "
                             "in a lifecycle hook. One and only one of the fields, except "
                             "TCPSocket must be specified.",
    _C + "VolumeMount": "VolumeMount describes a mounting of a Volume within a container.",
    _C + "VolumeMountStatus": "VolumeMountStatus shows status of volume mounts.",
    _C + "VolumeDevice": "volumeDevice describes a mapping of a raw block device within a "
                         "container.",
    _C + "Volume": "Volume represents a named volume in a pod that may be accessed by any "
                   "container in the pod.",
    _C + "Affinity": "Affinity is a group of affinity scheduling rules.",
    _C + "NodeAffinity": "Node affinity is a group of node affinity scheduling rules.",
    _C + "PodAffinity": "Pod affinity is a group of inter pod affinity scheduling rules.",
    _C + "PodAntiAffinity": "Pod anti affinity is a group of inter pod anti affinity "
                            "scheduling rules.",
    _C + "PodAffinityTerm": "Defines a set of pods (namely those matching the labelSelector "
                            "relative to the given namespace(s)) that this pod should be "
                            "co-located (affinity) or not co-located (anti-affinity) with, "
                            "where co-located is defined as running on a node whose value of "
                            "the label with key <topologyKey> matches that of any node on "
                            "which a pod of the set of pods is running",
    _C + "WeightedPodAffinityTerm": "The weights of all of the matched WeightedPodAffinityTerm "
                                    "fields are added per-node to find the most preferred "
                                    "node(s)",
    _C + "NodeSelector": "A node selector represents the union of the results of one or more "
                         "label queries over a set of nodes; that is, it represents the OR of "
                         "the selectors represented by the node selector terms.",
    _C + "NodeSelectorTerm": "A null or empty node selector term matches no objects. The "
                             "requirements of them are ANDed. The TopologySelectorTerm type "
                             "implements a subset of the NodeSelectorTerm.",
    _C + "NodeSelectorRequirement": "A node selector requirement is a selector that contains "
                                    "values, a key, and an operator that relates the key and "
                                    "values.",
    _C + "PreferredSchedulingTerm": "An empty preferred scheduling term matches all objects "
                                    "with implicit weight 0 (i.e. it's a no-op). A null "
                                    "preferred scheduling term matches no objects (i.e. is "
                                    "also a no-op).",
    _C + "Toleration": "The pod this Toleration is attached to tolerates any taint that matches "
                       "the triple <key,value,effect> using the matching operator <operator>.",
    _C + "Taint": "The node this Taint is attached to has the \"effect\" on any pod that does "
                  "not tolerate the Taint.",
    _C + "TopologySpreadConstraint": "TopologySpreadConstraint specifies how to spread matching "
                                     "pods among the given topology.",
    _C + "HostAlias": "HostAlias holds the mapping between IP and hostnames that will be "
                      "injected as an entry in the pod's hosts file.",
    _C + "LocalObjectReference": "LocalObjectReference contains enough information to let you "
                                 "locate the referenced object inside the same namespace.",
    _C + "ObjectReference": "ObjectReference contains enough information to let you inspect or "
                            "modify the referred object.",
    _C + "TypedLocalObjectReference": "TypedLocalObjectReference contains enough information to "
                                      "let you locate the typed referenced object inside the "
                                      "same namespace.",
    _C + "TypedObjectReference": "TypedObjectReference contains enough information to let you "
                                 "locate the typed referenced object",
    _C + "KeyToPath": "Maps a string key to a path within a volume.",
    _C + "HostPathVolumeSource": "Represents a host path mapped into a pod. Host path volumes "
                                 "do not support ownership management or SELinux relabeling.",
    _C + "EmptyDirVolumeSource": "Represents an empty directory for a pod. Empty directory "
                                 "volumes support ownership management and SELinux relabeling.",
    _C + "SecretVolumeSource": "Adapts a Secret into a volume.\n\nThe contents of the target "
                               "Secret's Data field will be presented in a volume as files "
                               "using the keys in the Data field as the file names. Secret "
                               "volumes support ownership management and SELinux relabeling.",
    _C + "ConfigMapVolumeSource": "Adapts a ConfigMap into a volume.\n\nThe contents of the "
                                  "target ConfigMap's Data field will be presented in a volume "
                                  "as files using the keys in the Data field as the file names, "
                                  "unless the items element is populated with specific mappings "
                                  "of keys to paths. ConfigMap volumes support ownership "
                                  "management and SELinux relabeling.",
    _C + "ProjectedVolumeSource": "Represents a projected volume source",
    _C + "VolumeProjection": "Projection that may be projected along with other supported "
                             "volume types. Exactly one of these fields must be set.",
    _C + "SecretProjection": "Adapts a secret into a projected volume.\n\nThe contents of the "
                             "target Secret's Data field will be presented in a projected "
                             "volume as files using the keys in the Data field as the file "
                             "names. Note that this is identical to a secret volume source "
                             "without the default mode.",
    _C + "ConfigMapProjection": "Adapts a ConfigMap into a projected volume.\n\nThe contents of "
                                "the target ConfigMap's Data field will be presented in a "
                                "projected volume as files using the keys in the Data field as "
                                "the file names, unless the items element is populated with "
                                "specific mappings of keys to paths. Note that this is "
                                "identical to a configmap volume source without the default "
                                "mode.",
    _C + "DownwardAPIProjection": "Represents downward API info for projecting into a projected "
                                  "volume. Note that this is identical to a downwardAPI volume "
                                  "source without the default mode.",
    _C + "DownwardAPIVolumeSource": "DownwardAPIVolumeSource represents a volume containing "
                                    "downward API info. Downward API volumes support ownership "
                                    "management and SELinux relabeling.",
    _C + "DownwardAPIVolumeFile": "DownwardAPIVolumeFile represents information to create the "
                                  "file containing the pod field",
    _C + "ServiceAccountTokenProjection": "ServiceAccountTokenProjection represents a projected "
                                          "service account token volume. This projection can be "
                                          "used to insert a service account token into the pods "
                                          "runtime filesystem for use against APIs (Kubernetes "
                                          "API Server or otherwise).",
    _C + "ClusterTrustBundleProjection": "ClusterTrustBundleProjection describes how to select "
                                         "a set of ClusterTrustBundle objects and project their "
                                         "contents into the pod filesystem.",
    _C + "PersistentVolumeClaimVolumeSource": "PersistentVolumeClaimVolumeSource references the "
                                              "user's PVC in the same namespace. This volume "
                                              "finds the bound PV and mounts that volume for "
                                              "the pod. A PersistentVolumeClaimVolumeSource is, "
                                              "essentially, a wrapper around another type of "
                                              "volume that is owned by someone else (the "
                                              "system).",
    _C + "EphemeralVolumeSource": "Represents an ephemeral volume that is handled by a normal "
                                  "storage driver.",
    _C + "PersistentVolumeClaimTemplate": "PersistentVolumeClaimTemplate is used to produce "
                                          "PersistentVolumeClaim objects as part of an "
                                          "EphemeralVolumeSource.",
    _C + "PersistentVolumeClaimSpec": "PersistentVolumeClaimSpec describes the common "
                                      "attributes of storage devices and allows a Source for "
                                      "provider-specific attributes",
    _C + "CSIVolumeSource": "Represents a source location of a volume to mount, managed by an "
                            "external CSI driver",
    _C + "ImageVolumeSource": "ImageVolumeSource represents a image volume resource.",
    _C + "NFSVolumeSource": "Represents an NFS mount that lasts the lifetime of a pod. NFS "
                            "volumes do not support ownership management or SELinux relabeling.",
    _C + "GitRepoVolumeSource": "Represents a volume that is populated with the contents of a "
                                "git repository. Git repo volumes do not support ownership "
                                "management. Git repo volumes support SELinux relabeling.\n\n"
                                "DEPRECATED: GitRepo is deprecated. To provision a container "
                                "with a git repo, mount an EmptyDir into an InitContainer that "
                                "clones the repo using git, then mount the EmptyDir into the "
                                "Pod's container.",
    _C + "Service": "Service is a named abstraction of software service (for example, mysql) "
                    "consisting of local port (for example 3306) that the proxy listens on, and "
                    "the selector that determines which pods will answer requests sent through "
                    "the proxy.",
    _C + "ServiceList": "ServiceList holds a list of services.",
    _C + "ServiceSpec": "ServiceSpec describes the attributes that a user creates on a service.",
    _C + "ServiceStatus": "ServiceStatus represents the current status of a service.",
    _C + "ServicePort": "ServicePort contains information on service's port.",
    _C + "SessionAffinityConfig": "SessionAffinityConfig represents the configurations of "
                                  "session affinity.",
    _C + "ClientIPConfig": "ClientIPConfig represents the configurations of Client IP based "
                           "session affinity.",
    _C + "LoadBalancerStatus": "LoadBalancerStatus represents the status of a load-balancer.",
    _C + "LoadBalancerIngress": "LoadBalancerIngress represents the status of a load-balancer "
                                "ingress point: traffic intended for the service should be "
                                "sent to an ingress point.",
    _C + "PortStatus": "PortStatus represents the error condition of a service port",
    _C + "ServiceAccount": "ServiceAccount binds together: * a name, understood by users, and "
                           "perhaps by peripheral systems, for an identity * a principal that "
                           "can be authenticated and authorized * a set of secrets",
    _C + "ServiceAccountList": "ServiceAccountList is a list of ServiceAccount objects",
    _C + "Endpoints": "Endpoints is a collection of endpoints that implement the actual "
                      "service. Example:\n\n\t Name: \"mysvc\",\n\t Subsets: [\n\t   {\n\t     "
                      "Addresses: [{\"ip\": \"10.10.1.1\"}, {\"ip\": \"10.10.2.2\"}],\n\t     "
                      "Ports: [{\"name\": \"a\", \"port\": 8675}, {\"name\": \"b\", \"port\": "
                      "309}]\n\t   },\n\t   {\n\t     Addresses: [{\"ip\": \"10.10.3.3\"}],\n\t"
                      "     Ports: [{\"name\": \"a\", \"port\": 93}, {\"name\": \"b\", \"port\": "
                      "76}]\n\t   },\n\t]",
    _C + "EndpointsList": "EndpointsList is a list of endpoints.",
    _C + "EndpointSubset": "EndpointSubset is a group of addresses with a common set of ports. "
                           "The expanded set of endpoints is the Cartesian product of Addresses "
                           "x Ports. For example, given:\n\n\t{\n\t  Addresses: [{\"ip\": "
                           "\"10.10.1.1\"}, {\"ip\": \"10.10.2.2\"}],\n\t  Ports:     "
                           "[{\"name\": \"a\", \"port\": 8675}, {\"name\": \"b\", \"port\": "
                           "309}]\n\t}\n\nThe resulting set of endpoints can be viewed as:\n\n"
                           "\ta: [ 10.10.1.1:8675, 10.10.2.2:8675 ],\n\tb: [ 10.10.1.1:309, "
                           "10.10.2.2:309 ]",
    _C + "EndpointAddress": "EndpointAddress is a tuple that describes single IP address.",
    _C + "EndpointPort": "EndpointPort is a tuple that describes a single port.",
    _C + "Node": "Node is a worker node in Kubernetes. Each node will have a unique identifier "
                 "in the cache (i.e. in etcd).",
    _C + "NodeList": "NodeList is the whole list of all Nodes which have been registered with "
                     "master.",
    _C + "NodeSpec": "NodeSpec describes the attributes that a node is created with.",
    _C + "NodeStatus": "NodeStatus is information about the current status of a node.",
    _C + "NodeCondition": "NodeCondition contains condition information for a node.",
    _C + "NodeAddress": "NodeAddress contains information for the node's address.",
    _C + "NodeSystemInfo": "NodeSystemInfo is a set of ids/uuids to uniquely identify the node.",
    _C + "NodeDaemonEndpoints": "NodeDaemonEndpoints lists ports opened by daemons running on "
                                "the Node.",
    _C + "DaemonEndpoint": "DaemonEndpoint contains information about a single Daemon "
                           "endpoint.",
    _C + "NodeConfigSource": "NodeConfigSource specifies a source of node configuration. "
                             "Exactly one subfield (excluding metadata) must be non-nil. This "
                             "API is deprecated since 1.22",
    _C + "ConfigMapNodeConfigSource": "ConfigMapNodeConfigSource contains the information to "
                                      "reference a ConfigMap as a config source for the Node. "
                                      "This API is deprecated since 1.22: https://git.k8s.io/"
                                      "enhancements/keps/sig-node/281-dynamic-kubelet-"
                                      "configuration",
    _C + "NodeConfigStatus": "NodeConfigStatus describes the status of the config assigned by "
                             "Node.Spec.ConfigSource.",
    _C + "NodeFeatures": "NodeFeatures describes the set of features implemented by the CRI "
                         "implementation. The features contained in the NodeFeatures should "
                         "depend only on the cri implementation independent of runtime "
                         "handlers.",
    _C + "NodeRuntimeHandler": "NodeRuntimeHandler is a set of runtime handler information.",
    _C + "NodeRuntimeHandlerFeatures": "NodeRuntimeHandlerFeatures is a set of features "
                                       "implemented by the runtime handler.",
    _C + "AttachedVolume": "AttachedVolume describes a volume attached to a node",
    _C + "Namespace": "Namespace provides a scope for Names. Use of multiple namespaces is "
                      "optional.",
    _C + "NamespaceList": "NamespaceList is a list of Namespaces.",
    _C + "NamespaceSpec": "NamespaceSpec describes the attributes on a Namespace.",
    _C + "NamespaceStatus": "NamespaceStatus is information about the current status of a "
                            "Namespace.",
    _C + "NamespaceCondition": "NamespaceCondition contains details about state of namespace.",
    _C + "ConfigMap": "ConfigMap holds configuration data for pods to consume.",
    _C + "ConfigMapList": "ConfigMapList is a resource containing a list of ConfigMap objects.",
    _C + "Secret": "Secret holds secret data of a certain type. The total bytes of the values "
                   "in the Data field must be less than MaxSecretSize bytes.",
    _C + "SecretList": "SecretList is a list of Secret.",
    _C + "Event": "Event is a report of an event somewhere in the cluster.  Events have a "
                  "limited retention time and triggers and messages may evolve with time.  "
                  "Event consumers should not rely on the timing of an event with a given "
                  "Reason reflecting a consistent underlying trigger, or the continued "
                  "existence of events with that Reason.  Events should be treated as "
                  "informative, best-effort, supplemental data.",
    _C + "EventList": "EventList is a list of events.",
    _C + "EventSeries": "EventSeries contain information on series of events, i.e. thing that "
                        "was/is happening continuously for some time.",
    _C + "EventSource": "EventSource contains information for an event.",
    _C + "ReplicationController": "ReplicationController represents the configuration of a "
                                  "replication controller.",
    _C + "ReplicationControllerList": "ReplicationControllerList is a collection of replication "
                                      "controllers.",
    _C + "ReplicationControllerSpec": "ReplicationControllerSpec is the specification of a "
                                      "replication controller.",
    _C + "ReplicationControllerStatus": "ReplicationControllerStatus represents the current "
                                        "status of a replication controller.",
    _C + "ReplicationControllerCondition": "ReplicationControllerCondition describes the state "
                                           "of a replication controller at a certain point.",
    _C + "Binding": "Binding ties one object to another; for example, a pod is bound to a node "
                    "by a scheduler.",
    _A + "Deployment": "Deployment enables declarative updates for Pods and ReplicaSets.",
    _A + "DeploymentList": "DeploymentList is a list of Deployments.",
    _A + "DeploymentSpec": "DeploymentSpec is the specification of the desired behavior of the "
                           "Deployment.",
    _A + "DeploymentStatus": "DeploymentStatus is the most recently observed status of the "
                             "Deployment.",
    _A + "DeploymentStrategy": "DeploymentStrategy describes how to replace existing pods with "
                               "new ones.",
    _A + "RollingUpdateDeployment": "Spec to control the desired behavior of rolling update.",
    _A + "DeploymentCondition": "DeploymentCondition describes the state of a deployment at a "
                                "certain point.",
    _A + "ReplicaSet": "ReplicaSet ensures that a specified number of pod replicas are running "
                       "at any given time.",
    _A + "ReplicaSetList": "ReplicaSetList is a collection of ReplicaSets.",
    _A + "ReplicaSetSpec": "ReplicaSetSpec is the specification of a ReplicaSet.",
    _A + "ReplicaSetStatus": "ReplicaSetStatus represents the current status of a ReplicaSet.",
    _A + "ReplicaSetCondition": "ReplicaSetCondition describes the state of a replica set at a "
                                "certain point.",
    "io.k8s.api.coordination.v1.Lease": "Lease defines a lease concept.",
    "io.k8s.api.coordination.v1.LeaseList": "LeaseList is a list of Lease objects.",
    "io.k8s.api.coordination.v1.LeaseSpec": "LeaseSpec is a specification of a Lease.",
    "io.k8s.api.discovery.v1.EndpointSlice": "EndpointSlice represents a subset of the "
                                             "endpoints that implement a service. For a given "
                                             "service there may be multiple EndpointSlice "
                                             "objects, selected by labels, which must be joined "
                                             "to produce the full set of endpoints.",
    "io.k8s.api.discovery.v1.EndpointSliceList": "EndpointSliceList represents a list of "
                                                 "endpoint slices",
    "io.k8s.api.discovery.v1.Endpoint": "Endpoint represents a single logical \"backend\" "
                                        "implementing a service.",
    "io.k8s.api.discovery.v1.EndpointConditions": "EndpointConditions represents the current "
                                                  "condition of an endpoint.",
    "io.k8s.api.discovery.v1.EndpointHints": "EndpointHints provides hints describing how an "
                                             "endpoint should be consumed.",
    "io.k8s.api.discovery.v1.EndpointPort": "EndpointPort represents a Port used by an "
                                            "EndpointSlice",
    "io.k8s.api.discovery.v1.ForZone": "ForZone provides information about which zones should "
                                       "consume this endpoint.",
    "io.k8s.api.events.v1.Event": "Event is a report of an event somewhere in the cluster. It "
                                  "generally denotes some state change in the system. Events "
                                  "have a limited retention time and triggers and messages may "
                                  "evolve with time.  Event consumers should not rely on the "
                                  "timing of an event with a given Reason reflecting a "
                                  "consistent underlying trigger, or the continued existence "
                                  "of events with that Reason.  Events should be treated as "
                                  "informative, best-effort, supplemental data.",
    "io.k8s.api.events.v1.EventList": "EventList is a list of Event objects.",
    "io.k8s.api.events.v1.EventSeries": "EventSeries contain information on series of events, "
                                        "i.e. thing that was/is happening continuously for some "
                                        "time. How often to update the EventSeries is up to the "
                                        "event reporters. The default event reporter in "
                                        "\"k8s.io/client-go/tools/events/event_broadcaster.go\" "
                                        "shows how this struct is updated on heartbeats and can "
                                        "guide customized reporter implementations.",
    "io.k8s.api.autoscaling.v1.Scale": "Scale represents a scaling request for a resource.",
    "io.k8s.api.autoscaling.v1.ScaleSpec": "ScaleSpec describes the attributes of a scale "
                                           "subresource.",
    "io.k8s.api.autoscaling.v1.ScaleStatus": "ScaleStatus represents the current status of a "
                                             "scale subresource.",
    "io.k8s.api.policy.v1.Eviction": "Eviction evicts a pod from its node subject to certain "
                                     "policies and safety constraints. This is a subresource "
                                     "of Pod.  A request to cause such an eviction is created "
                                     "by POSTing to .../pods/<pod name>/evictions.",
    "io.k8s.api.authentication.v1.TokenRequest": "TokenRequest requests a token for a given "
                                                 "service account.",
    "io.k8s.api.authentication.v1.TokenRequestSpec": "TokenRequestSpec contains client "
                                                     "provided parameters of a token request.",
    "io.k8s.api.authentication.v1.TokenRequestStatus": "TokenRequestStatus is the result of a "
                                                       "token request.",
    "io.k8s.api.authentication.v1.BoundObjectReference": "BoundObjectReference is a reference "
                                                         "to an object that a token is bound "
                                                         "to.",
    _M + "ObjectMeta": "ObjectMeta is metadata that all persisted resources must have, which "
                       "includes all objects users must create.",
    _M + "ListMeta": "ListMeta describes metadata that synthetic resources must have, "
                     "including lists and various status objects. A resource may have only one "
                     "of {ObjectMeta, ListMeta}.",
    _M + "LabelSelector": "A label selector is a label query over a set of resources. The "
                          "result of matchLabels and matchExpressions are ANDed. An empty label "
                          "selector matches all objects. A null label selector matches no "
                          "objects.",
    _M + "LabelSelectorRequirement": "A label selector requirement is a selector that contains "
                                     "values, a key, and an operator that relates the key and "
                                     "values.",
    _M + "OwnerReference": "OwnerReference contains enough information to let you identify an "
                           "owning object. An owning object must be in the same namespace as "
                           "the dependent, or be cluster-scoped, so there is no namespace "
                           "field.",
    _M + "ManagedFieldsEntry": "ManagedFieldsEntry is a workflow-id, a FieldSet and the group "
                               "version of the resource that the fieldset applies to.",
    _M + "Status": "Status is a return value for calls that don't return other objects.",
    _M + "StatusDetails": "StatusDetails is a set of additional properties that MAY be set by "
                          "the server to provide additional information about a response. The "
                          "Reason field of a Status object defines what attributes will be "
                          "set. Clients must ignore fields that do not match the defined type "
                          "of each attribute, and should assume that any attribute may be "
                          "empty, invalid, or under defined.",
    _M + "StatusCause": "StatusCause provides more information about an api.Status failure, "
                        "including cases when multiple errors are encountered.",
    _M + "DeleteOptions": "DeleteOptions may be provided when deleting an API object.",
    _M + "Preconditions": "Preconditions must be fulfilled before an operation (update, delete, "
                          "etc.) is carried out.",
    _M + "Condition": "Condition contains details for one aspect of the current state of this "
                      "API Resource.",
    _M + "WatchEvent": "Event represents a single event to a watched resource.",
    _M + "APIResource": "APIResource specifies the name of a resource and whether it is "
                        "namespaced.",
    _M + "APIResourceList": "APIResourceList is a list of APIResource, it is used to expose the "
                            "name of the resources supported in a specific group and version, "
                            "and if the resource is namespaced.",
    _M + "APIGroup": "APIGroup contains the name, the supported versions, and the preferred "
                     "version of a group.",
    _M + "APIGroupList": "APIGroupList is a list of APIGroup, to allow clients to discover the "
                         "API at /apis.",
    _M + "APIVersions": "APIVersions lists the versions that are available, to allow clients to "
                        "discover the API at /api, which is the root path of the legacy v1 API.",
    _M + "GroupVersionForDiscovery": "GroupVersion contains the \"group/version\" and "
                                     "\"version\" string of a version. It is made a struct to "
                                     "keep extensibility.",
    _M + "ServerAddressByClientCIDR": "ServerAddressByClientCIDR helps the client to determine "
                                      "the server address that they should use, depending on "
                                      "the clientCIDR that they match.",
}

# Descriptions of the volume sources, shared by Volume (which inlines VolumeSource).
_VOLUME_SOURCES = {
    "hostPath": "hostPath represents a pre-existing file or directory on the host machine that "
                "is directly exposed to the container. This is generally used for system "
                "agents or other privileged things that are allowed to see the host machine. "
                "Most containers will NOT need this. More info: "
                "https://kubernetes.io/docs/concepts/storage/volumes#hostpath",
    "emptyDir": "emptyDir represents a temporary directory that shares a pod's lifetime. More "
                "info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir",
    "gcePersistentDisk": "gcePersistentDisk represents a GCE Disk resource that is attached to a "
                         "kubelet's host machine and then exposed to the pod. More info: "
                         "https://kubernetes.io/docs/concepts/storage/volumes#gcepersistentdisk",
    "awsElasticBlockStore": "awsElasticBlockStore represents an AWS Disk resource that is "
                            "attached to a kubelet's host machine and then exposed to the pod. "
                            "More info: https://kubernetes.io/docs/concepts/storage/volumes"
                            "#awselasticblockstore",
    "gitRepo": "gitRepo represents a git repository at a particular revision. DEPRECATED: "
               "GitRepo is deprecated. To provision a container with a git repo, mount an "
               "EmptyDir into an InitContainer that clones the repo using git, then mount the "
               "EmptyDir into the Pod's container.",
    "secret": "secret represents a secret that should populate this volume. More info: "
              "https://kubernetes.io/docs/concepts/storage/volumes#secret",
    "nfs": "nfs represents an NFS mount on the host that shares a pod's lifetime More info: "
           "https://kubernetes.io/docs/concepts/storage/volumes#nfs",
    "iscsi": "iscsi represents an ISCSI Disk resource that is attached to a kubelet's host "
             "machine and then exposed to the pod. More info: "
             "https://examples.k8s.io/volumes/iscsi/README.md",
    "glusterfs": "glusterfs represents a Glusterfs mount on the host that shares a pod's "
                 "lifetime. More info: https://examples.k8s.io/volumes/glusterfs/README.md",
    "persistentVolumeClaim": "persistentVolumeClaimVolumeSource represents a reference to a "
                             "PersistentVolumeClaim in the same namespace. More info: "
                             "https://kubernetes.io/docs/concepts/storage/persistent-volumes"
                             "#persistentvolumeclaims",
    "rbd": "rbd represents a Rados Block Device mount on the host that shares a pod's lifetime. "
           "More info: https://examples.k8s.io/volumes/rbd/README.md",
    "flexVolume": "flexVolume represents a generic volume resource that is provisioned/attached "
                  "using an exec based plugin.",
    "cinder": "cinder represents a cinder volume attached and mounted on kubelets host machine. "
              "More info: https://examples.k8s.io/mysql-cinder-pd/README.md",
    "cephfs": "cephFS represents a Ceph FS mount on the host that shares a pod's lifetime",
    "flocker": "flocker represents a Flocker volume attached to a kubelet's host machine. This "
               "depends on the Flocker control service being running",
    "downwardAPI": "downwardAPI represents downward API about the pod that should populate this "
                   "volume",
    "fc": "fc represents a Fibre Channel resource that is attached to a kubelet's host machine "
          "and then exposed to the pod.",
    "azureFile": "azureFile represents an Azure File Service mount on the host and bind mount to "
                 "the pod.",
    "configMap": "configMap represents a configMap that should populate this volume",
    "vsphereVolume": "vsphereVolume represents a vSphere volume attached and mounted on kubelets "
                     "host machine",
    "quobyte": "quobyte represents a Quobyte mount on the host that shares a pod's lifetime",
    "azureDisk": "azureDisk represents an Azure Data Disk mount on the host and bind mount to "
                 "the pod.",
    "photonPersistentDisk": "photonPersistentDisk represents a PhotonController persistent disk "
                            "attached and mounted on kubelets host machine",
    "projected": "projected items for all in one resources secrets, configmaps, and downward API",
    "portworxVolume": "portworxVolume represents a portworx volume attached and mounted on "
                      "kubelets host machine",
    "scaleIO": "scaleIO represents a ScaleIO persistent volume attached and mounted on "
               "Kubernetes nodes.",
    "storageos": "storageOS represents a StorageOS volume attached and mounted on Kubernetes "
                 "nodes.",
    "csi": "csi (Container Storage Interface) represents ephemeral storage that is handled by "
           "certain external CSI drivers (Beta feature).",
    "ephemeral": "ephemeral represents a volume that is handled by a cluster storage driver. The "
                 "volume's lifecycle is tied to the pod that defines it - it will be created "
                 "before the pod starts, and deleted when the pod is removed.\n\nUse this if: a) "
                 "the volume is only needed while the pod runs, b) features of normal volumes "
                 "like restoring from snapshot or capacity\n   tracking are needed,\nc) the "
                 "storage driver is specified through a storage class, and d) the storage "
                 "driver supports dynamic volume provisioning through\n   a "
                 "PersistentVolumeClaim (see EphemeralVolumeSource for more\n   information on "
                 "the connection between this volume type\n   and PersistentVolumeClaim).\n\n"
                 "Use PersistentVolumeClaim or one of the vendor-specific APIs for volumes that "
                 "persist for longer than the lifecycle of an individual pod.\n\nUse CSI for "
                 "light-weight local ephemeral volumes if the CSI driver is meant to be used "
                 "that way - see the documentation of the driver for more information.\n\nA pod "
                 "can use both types of ephemeral volumes and persistent volumes at the same "
                 "time.",
    "image": "image represents an OCI object (a container image or artifact) pulled and mounted "
             "on the kubelet's host machine. The volume is resolved at pod startup depending on "
             "which PullPolicy value is provided:\n\n- Always: the kubelet always attempts to "
             "pull the reference. Container creation will fail If the pull fails. - Never: the "
             "kubelet never pulls the reference and only uses a local image or artifact. "
             "Container creation will fail if the reference isn't present. - IfNotPresent: the "
             "kubelet pulls if the reference isn't already present on disk. Container creation "
             "will fail if the reference isn't present and the pull fails.\n\nThe volume gets "
             "re-resolved if the pod gets deleted and recreated, which means that new remote "
             "content will become available on pod recreation. A failure to resolve or pull "
             "the image during pod startup will block containers from starting and may add "
             "significant latency. Failures will be retried using normal volume backoff and "
             "will be reported on the pod reason and message. The types of objects that may be "
             "mounted by this volume are defined by the container runtime implementation on a "
             "host machine and at minimum must include all valid types supported by the "
             "container image field. The OCI object gets mounted in a single directory "
             "(spec.containers[*].volumeMounts.mountPath) by merging the manifest layers in the "
             "same way as for container images. The volume will be mounted read-only (ro) and "
             "non-executable files (noexec). Sub path mounts for containers are not supported "
             "(spec.containers[*].volumeMounts.subpath). The field spec.securityContext."
             "fsGroupChangePolicy has no effect on this volume type.",
}

_SPEC = f"Specification of the desired behavior of the pod. {SPEC_STATUS}"
_CONTAINER = {
    "lifecycle": "Actions that the management system should take in response to container "
                 "lifecycle events. Cannot be updated.",
    "livenessProbe": "Periodic probe of container liveness. Container will be restarted if the "
                     f"probe fails. Cannot be updated. {_PROBE}",
    "readinessProbe": "Periodic probe of container service readiness. Container will be removed "
                      f"from service endpoints if the probe fails. Cannot be updated. {_PROBE}",
    "resources": "Compute Resources required by this container. Cannot be updated. More info: "
                 "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
    "securityContext": "SecurityContext defines the security options the container should be run "
                       "with. If set, the fields of SecurityContext override the equivalent "
                       "fields of PodSecurityContext. More info: https://kubernetes.io/docs/"
                       "tasks/configure-pod-container/security-context/",
    "startupProbe": "StartupProbe indicates that the Pod has successfully initialized. If "
                    "specified, no other probes are executed until this completes successfully. "
                    "If this probe fails, the Pod will be restarted, just as if the livenessProbe "
                    "failed. This can be used to provide different probe parameters at the "
                    "beginning of a Pod's lifecycle, when it might take a long time to load data "
                    "or warm a cache, than during steady-state operation. This cannot be "
                    f"updated. {_PROBE}",
}
_EPHEMERAL = {
    "lifecycle": "Lifecycle is not allowed for ephemeral containers.",
    "livenessProbe": "Probes are not allowed for ephemeral containers.",
    "readinessProbe": "Probes are not allowed for ephemeral containers.",
    "startupProbe": "Probes are not allowed for ephemeral containers.",
    "resources": "Resources are not allowed for ephemeral containers. Ephemeral containers use "
                 "spare resources already allocated to the pod.",
    "securityContext": "Optional: SecurityContext defines the security options the ephemeral "
                       "container should be run with. If set, the fields of SecurityContext "
                       "override the equivalent fields of PodSecurityContext.",
}
_HANDLER = {"exec": "Exec specifies the action to take.",
            "httpGet": "HTTPGet specifies the http request to perform.",
            "tcpSocket": "TCPSocket specifies an action involving a TCP port.",
            "grpc": "GRPC specifies an action involving a GRPC port."}
_LOAD = {"metadata": OBJECT_META}

_FIELDS: dict[str, dict[str, str]] = {
    _C + "Pod": {**_LOAD, "spec": _SPEC,
                 "status": "Most recently observed status of the pod. This data may not be up to "
                           f"date. Populated by the system. Read-only. {SPEC_STATUS}"},
    _C + "PodTemplateSpec": {**_LOAD, "spec": _SPEC},
    _C + "PodSpec": {
        "affinity": "If specified, the pod's scheduling constraints",
        "dnsConfig": "Specifies the DNS parameters of a pod. Parameters specified here will be "
                     "merged to the generated DNS configuration based on DNSPolicy.",
        "securityContext": "SecurityContext holds pod-level security attributes and common "
                           "container settings. Optional: Defaults to empty.  See type "
                           "description for default values of each field.",
        "os": "Specifies the OS of the containers in the pod. Some pod and container fields are "
              "restricted if this is set.\n\nIf the OS field is set to linux, the following "
              "fields must be unset: -securityContext.windowsOptions\n\nIf the OS field is set "
              "to windows, following fields must be unset: - spec.hostPID - spec.hostIPC - "
              "spec.hostUsers - spec.securityContext.appArmorProfile - spec.securityContext."
              "seLinuxOptions - spec.securityContext.seccompProfile - spec.securityContext."
              "fsGroup - spec.securityContext.fsGroupChangePolicy - spec.securityContext."
              "sysctls - spec.shareProcessNamespace - spec.securityContext.runAsUser - "
              "spec.securityContext.runAsGroup - spec.securityContext.supplementalGroups - "
              "spec.securityContext.supplementalGroupsPolicy - spec.containers[*]."
              "securityContext.appArmorProfile - spec.containers[*].securityContext."
              "seLinuxOptions - spec.containers[*].securityContext.seccompProfile - "
              "spec.containers[*].securityContext.capabilities - spec.containers[*]."
              "securityContext.readOnlyRootFilesystem - spec.containers[*].securityContext."
              "privileged - spec.containers[*].securityContext.allowPrivilegeEscalation - "
              "spec.containers[*].securityContext.procMount - spec.containers[*]."
              "securityContext.runAsUser - spec.containers[*].securityContext.runAsGroup",
        "resources": "Resources is the total amount of CPU and Memory resources required by all "
                     "containers in the pod. It supports specifying Requests and Limits for "
                     "\"cpu\" and \"memory\" resource names only. ResourceClaims are not "
                     "supported.\n\nThis field enables fine-grained control over resource "
                     "allocation for the entire pod, allowing resource sharing among containers "
                     "in a pod.\n\nThis is an alpha field and requires enabling the "
                     "PodLevelResources feature gate.",
    },
    _C + "PodSecurityContext": {
        "appArmorProfile": "appArmorProfile is the AppArmor options to use by the containers in "
                           "this pod. Note that this field cannot be set when spec.os.name is "
                           "windows.",
        "seLinuxOptions": "The SELinux context to be applied to all containers. If unspecified, "
                          "the container runtime will allocate a random SELinux context for "
                          "each container.  May also be set in SecurityContext.  If set in both "
                          "SecurityContext and PodSecurityContext, the value specified in "
                          "SecurityContext takes precedence for that container. Note that this "
                          "field cannot be set when spec.os.name is windows.",
        "seccompProfile": "The seccomp options to use by the containers in this pod. Note that "
                          "this field cannot be set when spec.os.name is windows.",
        "windowsOptions": "The Windows specific settings applied to all containers. If "
                          "unspecified, the options within a container's SecurityContext will be "
                          "used. If set in both SecurityContext and PodSecurityContext, the value "
                          "specified in SecurityContext takes precedence. Note that this field "
                          "cannot be set when spec.os.name is linux.",
    },
    _C + "SecurityContext": {
        "appArmorProfile": "appArmorProfile is the AppArmor options to use by this container. If "
                           "set, this profile overrides the pod's appArmorProfile. Note that "
                           "this field cannot be set when spec.os.name is windows.",
        "capabilities": "The capabilities to add/drop when running containers. Defaults to the "
                        "default set of capabilities granted by the container runtime. Note that "
                        "this field cannot be set when spec.os.name is windows.",
        "seLinuxOptions": "The SELinux context to be applied to the container. If unspecified, "
                          "the container runtime will allocate a random SELinux context for "
                          "each container.  May also be set in PodSecurityContext.  If set in "
                          "both SecurityContext and PodSecurityContext, the value specified in "
                          "SecurityContext takes precedence. Note that this field cannot be set "
                          "when spec.os.name is windows.",
        "seccompProfile": "The seccomp options to use by this container. If seccomp options are "
                          "provided at both the pod & container level, the container options "
                          "override the pod options. Note that this field cannot be set when "
                          "spec.os.name is windows.",
        "windowsOptions": "The Windows specific settings applied to all containers. If "
                          "unspecified, the options from the PodSecurityContext will be used. If "
                          "set in both SecurityContext and PodSecurityContext, the value "
                          "specified in SecurityContext takes precedence. Note that this field "
                          "cannot be set when spec.os.name is linux.",
    },
    _C + "Container": _CONTAINER,
    _C + "EphemeralContainer": _EPHEMERAL,
    _C + "ContainerState": {"running": "Details about a running container",
                            "terminated": "Details about a terminated container",
                            "waiting": "Details about a waiting container"},
    _C + "ContainerStatus": {
        "state": "State holds details about the container's current condition.",
        "lastState": "LastTerminationState holds the last termination state of the container to "
                     "help debug container crashes and restarts. This field is not populated if "
                     "the container is still running and RestartCount is 0.",
        "resources": "Resources represents the compute resource requests and limits that have "
                     "been successfully enacted on the running container after it has been "
                     "started or has been successfully resized.",
        "user": "User represents user identity information initially attached to the first "
                "process of the container",
    },
    _C + "ContainerUser": {"linux": "Linux holds user identity information initially attached "
                                    "to the first process of the containers in Linux. Note that "
                                    "the actual running identity can be changed if the process "
                                    "has enough privilege to do so."},
    _C + "Probe": _HANDLER,
    _C + "LifecycleHandler": {
        **_HANDLER,
        "sleep": "Sleep represents a duration that the container should sleep.",
        "tcpSocket": "Deprecated. TCPSocket is NOT supported as a LifecycleHandler and kept for "
                     "backward compatibility. There is no validation of this field and "
                     "lifecycle hooks will fail at runtime when it is specified.",
    },
    _C + "Lifecycle": {
        "postStart": "PostStart is called immediately after a container is created. If the "
                     "handler fails, the container is terminated and restarted according to its "
                     "restart policy. Other management of the container blocks until the hook "
                     "completes. More info: https://kubernetes.io/docs/concepts/containers/"
                     "container-lifecycle-hooks/#container-hooks",
        "preStop": "PreStop is called immediately before a container is terminated due to an API "
                   "request or management event such as liveness/startup probe failure, "
                   "preemption, resource contention, etc. The handler is not called if the "
                   "container crashes or exits. The Pod's termination grace period countdown "
                   "begins before the PreStop hook is executed. Regardless of the outcome of the "
                   "handler, the container will eventually terminate within the Pod's "
                   "termination grace period (unless delayed by finalizers). Other management of "
                   "the container blocks until the hook completes or until the termination grace "
                   "period is reached. More info: https://kubernetes.io/docs/concepts/"
                   "containers/container-lifecycle-hooks/#container-hooks",
    },
    _C + "EnvVar": {"valueFrom": "Source for the environment variable's value. Cannot be used "
                                 "if value is not empty."},
    _C + "EnvVarSource": {
        "configMapKeyRef": "Selects a key of a ConfigMap.",
        "fieldRef": "Selects a field of the pod: supports metadata.name, metadata.namespace, "
                    "`metadata.labels['<KEY>']`, `metadata.annotations['<KEY>']`, spec.nodeName, "
                    "spec.serviceAccountName, status.hostIP, status.podIP, status.podIPs.",
        "resourceFieldRef": "Selects a resource of the container: only resources limits and "
                            "requests (limits.cpu, limits.memory, limits.ephemeral-storage, "
                            "requests.cpu, requests.memory and requests.ephemeral-storage) are "
                            "currently supported.",
        "secretKeyRef": "Selects a key of a secret in the pod's namespace",
    },
    _C + "EnvFromSource": {"configMapRef": "The ConfigMap to select from",
                           "secretRef": "The Secret to select from"},
    _C + "DownwardAPIVolumeFile": {
        "fieldRef": "Required: Selects a field of the pod: only annotations, labels, name, "
                    "namespace and uid are supported.",
        "resourceFieldRef": "Selects a resource of the container: only resources limits and "
                            "requests (limits.cpu, limits.memory, requests.cpu and "
                            "requests.memory) are currently supported.",
    },
    _C + "Volume": _VOLUME_SOURCES,
    _C + "VolumeProjection": {
        "secret": "secret information about the secret data to project",
        "downwardAPI": "downwardAPI information about the downwardAPI data to project",
        "configMap": "configMap information about the configMap data to project",
        "serviceAccountToken": "serviceAccountToken is information about the "
                               "serviceAccountToken data to project",
        "clusterTrustBundle": "ClusterTrustBundle allows a pod to access the `.spec.trustBundle` "
                              "field of ClusterTrustBundle objects in an auto-updating file.\n\n"
                              "Alpha, gated by the ClusterTrustBundleProjection feature gate.\n\n"
                              "ClusterTrustBundle objects can either be selected by name, or by "
                              "the combination of signer name and a label selector.\n\nKubelet "
                              "performs aggressive normalization of the PEM contents written "
                              "into the pod filesystem.  Esoteric PEM features such as "
                              "inter-block comments and block headers are stripped.  "
                              "Certificates are deduplicated. The ordering of certificates "
                              "within the file is arbitrary, and Kubelet may change the order "
                              "over time.",
    },
    _C + "ClusterTrustBundleProjection": {
        "labelSelector": "Select all ClusterTrustBundles that match this label selector.  Only "
                         "has effect if signerName is set.  Mutually-exclusive with name.  If "
                         "unset, interpreted as \"match nothing\".  If set but empty, "
                         "interpreted as \"match everything\"."},
    _C + "CSIVolumeSource": {
        "nodePublishSecretRef": "nodePublishSecretRef is a reference to the secret object "
                                "containing sensitive information to pass to the CSI driver to "
                                "complete the CSI NodePublishVolume and NodeUnpublishVolume "
                                "calls. This field is optional, and  may be empty if no secret "
                                "is required. If the secret object contains more than one "
                                "secret, all secret references are passed."},
    _C + "CephFSVolumeSource": {"secretRef": "secretRef is Optional: SecretRef is reference to "
                                             "the authentication secret for User, default is "
                                             "empty. More info: https://examples.k8s.io/volumes/"
                                             "cephfs/README.md#how-to-use-it"},
    _C + "CinderVolumeSource": {"secretRef": "secretRef is optional: points to a secret object "
                                             "containing parameters used to connect to "
                                             "OpenStack."},
    _C + "FlexVolumeSource": {"secretRef": "secretRef is Optional: secretRef is reference to the "
                                           "secret object containing sensitive information to "
                                           "pass to the plugin scripts. This may be empty if no "
                                           "secret object is specified. If the secret object "
                                           "contains more than one secret, all secrets are "
                                           "passed to the plugin scripts."},
    _C + "ISCSIVolumeSource": {"secretRef": "secretRef is the CHAP Secret for iSCSI target and "
                                            "initiator authentication"},
    _C + "RBDVolumeSource": {"secretRef": "secretRef is name of the authentication secret for "
                                          "RBDUser. If provided overrides keyring. Default is "
                                          "nil. More info: https://examples.k8s.io/volumes/rbd/"
                                          "README.md#how-to-use-it"},
    _C + "ScaleIOVolumeSource": {"secretRef": "secretRef references to the secret for ScaleIO "
                                              "user and other sensitive information. If this is "
                                              "not provided, Login operation will fail."},
    _C + "StorageOSVolumeSource": {"secretRef": "secretRef specifies the secret to use for "
                                                "obtaining the StorageOS API credentials.  If "
                                                "not specified, default values will be "
                                                "attempted."},
    _C + "EphemeralVolumeSource": {
        "volumeClaimTemplate": "Will be used to create a stand-alone PVC to provision the "
                               "volume. The pod in which this EphemeralVolumeSource is embedded "
                               "will be the owner of the PVC, i.e. the PVC will be deleted "
                               "together with the pod.  The name of the PVC will be `<pod "
                               "name>-<volume name>` where `<volume name>` is the name from the "
                               "`PodSpec.Volumes` array entry. Pod validation will reject the "
                               "pod if the concatenated name is not valid for a PVC (for "
                               "example, too long).\n\nAn existing PVC with that name that is "
                               "not owned by the pod will *not* be used for the pod to avoid "
                               "using an unrelated volume by mistake. Starting the pod is then "
                               "blocked until the unrelated PVC is removed. If such a "
                               "pre-created PVC is meant to be used by the pod, the PVC has to "
                               "updated with an owner reference to the pod once the pod exists. "
                               "Normally this should not be necessary, but it may be useful "
                               "when manually reconstructing a broken cluster.\n\nThis field is "
                               "read-only and no changes will be made by Kubernetes to the PVC "
                               "after it has been created.\n\nRequired, must not be nil."},
    _C + "PersistentVolumeClaimTemplate": {
        "metadata": "May contain labels and annotations that will be copied into the PVC when "
                    "creating it. No other fields are allowed and will be rejected during "
                    "validation.",
        "spec": "The specification for the PersistentVolumeClaim. The entire content is copied "
                "unchanged into the PVC that gets created from this template. The same fields "
                "as in a PersistentVolumeClaim are also valid here."},
    _C + "PersistentVolumeClaimSpec": {
        "selector": "selector is a label query over volumes to consider for binding.",
        "resources": "resources represents the minimum resources the volume should have. If "
                     "RecoverVolumeExpansionFailure feature is enabled users are allowed to "
                     "specify resource requirements that are lower than previous value but must "
                     "still be higher than capacity recorded in the status field of the claim. "
                     "More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes"
                     "#resources",
        "dataSource": "dataSource field can be used to specify either: * An existing "
                      "VolumeSnapshot object (snapshot.storage.k8s.io/VolumeSnapshot) * An "
                      "existing PVC (PersistentVolumeClaim) If the provisioner or an external "
                      "controller can support the specified data source, it will create a new "
                      "volume based on the contents of the specified data source. When the "
                      "AnyVolumeDataSource feature gate is enabled, dataSource contents will be "
                      "copied to dataSourceRef, and dataSourceRef contents will be copied to "
                      "dataSource when dataSourceRef.namespace is not specified. If the "
                      "namespace is specified, then dataSourceRef will not be copied to "
                      "dataSource.",
        "dataSourceRef": "dataSourceRef specifies the object from which to populate the volume "
                         "with data, if a non-empty volume is desired. This may be any object "
                         "from a non-empty API group (non core object) or a "
                         "PersistentVolumeClaim object. When this field is specified, volume "
                         "binding will only succeed if the type of the specified object matches "
                         "some installed volume populator or dynamic provisioner. This field "
                         "will replace the functionality of the dataSource field and as such if "
                         "both fields are non-empty, they must have the same value. For "
                         "backwards compatibility, when namespace isn't specified in "
                         "dataSourceRef, both fields (dataSource and dataSourceRef) will be set "
                         "to the same value automatically if one of them is empty and the other "
                         "is non-empty. When namespace is specified in dataSourceRef, "
                         "dataSource isn't set to the same value and must be empty. There are "
                         "three important differences between dataSource and dataSourceRef: * "
                         "While dataSource only allows two specific types of objects, "
                         "dataSourceRef\n  allows any non-core object, as well as "
                         "PersistentVolumeClaim objects.\n* While dataSource ignores disallowed "
                         "values (dropping them), dataSourceRef\n  preserves all values, and "
                         "generates an error if a disallowed value is\n  specified.\n* While "
                         "dataSource only allows local objects, dataSourceRef allows objects\n  "
                         "in any namespaces.\n(Beta) Using this field requires the "
                         "AnyVolumeDataSource feature gate to be enabled. (Alpha) Using the "
                         "namespace field of dataSourceRef requires the "
                         "CrossNamespaceVolumeDataSource feature gate to be enabled.",
    },
    _C + "Affinity": {
        "nodeAffinity": "Describes node affinity scheduling rules for the pod.",
        "podAffinity": "Describes pod affinity scheduling rules (e.g. co-locate this pod in the "
                       "same node, zone, etc. as some other pod(s)).",
        "podAntiAffinity": "Describes pod anti-affinity scheduling rules (e.g. avoid putting "
                           "this pod in the same node, zone, etc. as some other pod(s)).",
    },
    _C + "NodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": (
            "If the affinity requirements specified by this field are not met at scheduling "
            "time, the pod will not be scheduled onto the node. If the affinity requirements "
            "specified by this field cease to be met at some point during pod execution (e.g. "
            "due to an update), the system may or may not try to eventually evict the pod from "
            "its node.")},
    _C + "PodAffinityTerm": {
        "labelSelector": "A label query over a set of resources, in this case pods. If it's "
                         "null, this PodAffinityTerm matches with no Pods.",
        "namespaceSelector": "A label query over the set of namespaces that the term applies to. "
                             "The term is applied to the union of the namespaces selected by "
                             "this field and the ones listed in the namespaces field. null "
                             "selector and null or empty namespaces list means \"this pod's "
                             "namespace\". An empty selector ({}) matches all namespaces.",
    },
    _C + "WeightedPodAffinityTerm": {"podAffinityTerm": "Required. A pod affinity term, "
                                                        "associated with the corresponding "
                                                        "weight."},
    _C + "PreferredSchedulingTerm": {"preference": "A node selector term, associated with the "
                                                   "corresponding weight."},
    _C + "TopologySpreadConstraint": {
        "labelSelector": "LabelSelector is used to find matching pods. Pods that match this "
                         "label selector are counted to determine the number of pods in their "
                         "corresponding topology domain."},
    _C + "ReplicationController": {
        "metadata": "If the Labels of a ReplicationController are empty, they are defaulted to "
                    "be the same as the Pod(s) that the replication controller manages. Standard "
                    f"object's metadata. More info: {_CONV}#metadata",
        "spec": "Spec defines the specification of the desired behavior of the replication "
                f"controller. {SPEC_STATUS}",
        "status": "Status is the most recently observed status of the replication controller. "
                  "This data may be out of date by some window of time. Populated by the "
                  f"system. Read-only. {SPEC_STATUS}",
    },
    _C + "ReplicationControllerSpec": {
        "template": "Template is the object that describes the pod that will be created if "
                    "insufficient replicas are detected. This takes precedence over a "
                    "TemplateRef. The only allowed template.spec.restartPolicy value is "
                    "\"Always\". More info: https://kubernetes.io/docs/concepts/workloads/"
                    "controllers/replicationcontroller#pod-template"},
    _C + "Service": {**_LOAD,
                     "spec": f"Spec defines the behavior of a service. {_CONV}#spec-and-status",
                     "status": "Most recently observed status of the service. Populated by the "
                               f"system. Read-only. {SPEC_STATUS}"},
    _C + "ServiceSpec": {"sessionAffinityConfig": "sessionAffinityConfig contains the "
                                                  "configurations of session affinity."},
    _C + "ServiceStatus": {"loadBalancer": "LoadBalancer contains the current status of the "
                                           "load-balancer, if one is present."},
    _C + "SessionAffinityConfig": {"clientIP": "clientIP contains the configurations of Client "
                                               "IP based session affinity."},
    _C + "ServiceAccount": _LOAD,
    _C + "Endpoints": _LOAD,
    _C + "EndpointAddress": {"targetRef": "Reference to object providing the endpoint."},
    _C + "Node": {**_LOAD, "spec": f"Spec defines the behavior of a node. {_CONV}#spec-and-status",
                  "status": "Most recently observed status of the node. Populated by the system. "
                            f"Read-only. {SPEC_STATUS}"},
    _C + "NodeSpec": {"configSource": "Deprecated: Previously used to specify the source of the "
                                      "node's configuration for the DynamicKubeletConfig "
                                      "feature. This feature is removed."},
    _C + "NodeStatus": {
        "daemonEndpoints": "Endpoints of daemons running on the Node.",
        "nodeInfo": "Set of ids/uuids to uniquely identify the node. More info: "
                    "https://kubernetes.io/docs/concepts/nodes/node/#info",
        "config": "Status of the config assigned to the node via the dynamic Kubelet config "
                  "feature.",
        "features": "Features describes the set of features implemented by the CRI "
                    "implementation.",
    },
    _C + "NodeDaemonEndpoints": {"kubeletEndpoint": "Endpoint on which Kubelet is listening."},
    _C + "NodeConfigSource": {"configMap": "ConfigMap is a reference to a Node's ConfigMap"},
    _C + "NodeConfigStatus": {
        "assigned": "Assigned reports the checkpointed config the node will try to use. When "
                    "Node.Spec.ConfigSource is updated, the node checkpoints the associated "
                    "config payload to local disk, along with a record indicating intended "
                    "config. The node refers to this record to choose its config checkpoint, "
                    "and reports this record in Assigned. Assigned only updates in the status "
                    "after the record has been checkpointed to disk. When the Kubelet is "
                    "restarted, it tries to make the Assigned config the Active config by "
                    "loading and validating the checkpointed payload identified by Assigned.",
        "active": "Active reports the checkpointed config the node is actively using. Active "
                  "will represent either the current version of the Assigned config, or the "
                  "current LastKnownGood config, depending on whether attempting to use the "
                  "Assigned config results in an error.",
        "lastKnownGood": "LastKnownGood reports the checkpointed config the node will fall back "
                         "to when it encounters an error attempting to use the Assigned config. "
                         "The Assigned config becomes the LastKnownGood config when the node "
                         "determines that the Assigned config is stable and correct. This is "
                         "currently implemented as a 10-minute soak period starting when the "
                         "local record of Assigned config is updated. If the Assigned config is "
                         "Active at the end of this period, it becomes the LastKnownGood. Note "
                         "that if Spec.ConfigSource is reset to nil (use local defaults), the "
                         "LastKnownGood is also immediately reset to nil, because the local "
                         "default config is always assumed good. You should not make "
                         "assumptions about the node's method of determining config stability "
                         "and correctness, as this may change or become configurable in the "
                         "future.",
    },
    _C + "NodeRuntimeHandler": {"features": "Supported features."},
    _C + "Namespace": {**_LOAD, "spec": f"Spec defines the behavior of the Namespace. "
                                        f"{SPEC_STATUS}",
                       "status": f"Status describes the current status of a Namespace. "
                                 f"{SPEC_STATUS}"},
    _C + "Binding": {**_LOAD, "target": "The target object that you want to bind to the "
                                        "standard object."},
    _C + "ConfigMap": _LOAD,
    _C + "ConfigMapList": {"metadata": f"More info: {_CONV}#metadata"},
    _C + "Secret": _LOAD,
    _C + "Event": {**_LOAD,
                   "involvedObject": "The object that this event is about.",
                   "source": "The component reporting this event. Should be a short machine "
                             "understandable string.",
                   "series": "Data about the Event series this event represents or nil if it's "
                             "a singleton Event.",
                   "related": "Optional secondary object for more complex actions."},
    _A + "Deployment": {**_LOAD,
                        "spec": "Specification of the desired behavior of the Deployment.",
                        "status": "Most recently observed status of the Deployment."},
    _A + "DeploymentList": {"metadata": "Standard list metadata."},
    _A + "DeploymentSpec": {
        "selector": "Label selector for pods. Existing ReplicaSets whose pods are selected by "
                    "this will be the ones affected by this deployment. It must match the pod "
                    "template's labels.",
        "template": "Template describes the pods that will be created. The only allowed "
                    "template.spec.restartPolicy value is \"Always\".",
        "strategy": "The deployment strategy to use to replace existing pods with new ones.",
    },
    _A + "DeploymentStrategy": {"rollingUpdate": "Rolling update config params. Present only if "
                                                 "DeploymentStrategyType = RollingUpdate."},
    _A + "ReplicaSet": {
        "metadata": "If the Labels of a ReplicaSet are empty, they are defaulted to be the same "
                    "as the Pod(s) that the ReplicaSet manages. Standard object's metadata. "
                    f"More info: {_CONV}#metadata",
        "spec": "Spec defines the specification of the desired behavior of the ReplicaSet. "
                f"{SPEC_STATUS}",
        "status": "Status is the most recently observed status of the ReplicaSet. This data may "
                  "be out of date by some window of time. Populated by the system. Read-only. "
                  f"{SPEC_STATUS}",
    },
    _A + "ReplicaSetSpec": {
        "selector": "Selector is a label query over pods that should match the replica count. "
                    "Label keys and values that must match in order to be controlled by this "
                    "replica set. It must match the pod template's labels. More info: "
                    "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/"
                    "#label-selectors",
        "template": "Template is the object that describes the pod that will be created if "
                    "insufficient replicas are detected. More info: https://kubernetes.io/docs/"
                    "concepts/workloads/controllers/replicationcontroller#pod-template",
    },
    "io.k8s.api.coordination.v1.Lease": {
        "metadata": f"More info: {_CONV}#metadata",
        "spec": f"spec contains the specification of the Lease. {SPEC_STATUS}"},
    "io.k8s.api.coordination.v1.LeaseList": {"metadata": f"Standard list metadata. More info: "
                                                         f"{_CONV}#metadata"},
    "io.k8s.api.discovery.v1.EndpointSlice": {"metadata": "Standard object's metadata."},
    "io.k8s.api.discovery.v1.EndpointSliceList": {"metadata": "Standard list metadata."},
    "io.k8s.api.discovery.v1.Endpoint": {
        "conditions": "conditions contains information about the current status of the "
                      "endpoint.",
        "targetRef": "targetRef is a reference to a Kubernetes object that represents this "
                     "endpoint.",
        "hints": "hints contains information associated with how an endpoint should be "
                 "consumed."},
    "io.k8s.api.events.v1.Event": {
        **_LOAD,
        "regarding": "regarding contains the object this Event is about. In most cases it's an "
                     "Object reporting controller implements, e.g. ReplicaSetController "
                     "implements ReplicaSets and this event is emitted because it acts on some "
                     "changes in a ReplicaSet object.",
        "related": "related is the optional secondary object for more complex actions. E.g. "
                   "when regarding object triggers a creation or deletion of related object.",
        "series": "series is data about the Event series this event represents or nil if it's a "
                  "singleton Event.",
        "deprecatedSource": "deprecatedSource is the deprecated field assuring backward "
                            "compatibility with core.v1 Event type.",
    },
    "io.k8s.api.events.v1.EventList": {"metadata": f"Standard list metadata. More info: "
                                                   f"{_CONV}#metadata"},
    "io.k8s.api.autoscaling.v1.Scale": {
        "metadata": f"Standard object metadata; More info: {_CONV}#metadata.",
        "spec": f"spec defines the behavior of the scale. More info: {_CONV}#spec-and-status.",
        "status": "status is the current status of the scale. More info: "
                  f"{_CONV}#spec-and-status. Read-only."},
    "io.k8s.api.policy.v1.Eviction": {
        "metadata": "ObjectMeta describes the pod that is being evicted.",
        "deleteOptions": "DeleteOptions may be provided"},
    "io.k8s.api.authentication.v1.TokenRequest": {
        **_LOAD,
        "spec": "Spec holds information about the request being evaluated",
        "status": "Status is filled in by the server and indicates whether the token can be "
                  "authenticated."},
    "io.k8s.api.authentication.v1.TokenRequestSpec": {
        "boundObjectRef": "BoundObjectRef is a reference to an object that the token will be "
                          "bound to. The token will only be valid for as long as the bound "
                          "object exists. NOTE: The API server's TokenReview endpoint will "
                          "validate the BoundObjectRef, but other audiences may not. Keep "
                          "ExpirationSeconds small if you want prompt revocation."},
    _M + "APIGroup": {"preferredVersion": "preferredVersion is the version preferred by the API "
                                          "server, which probably is the storage version."},
    _M + "DeleteOptions": {"preconditions": "Must be fulfilled before a deletion is carried "
                                            "out. If not possible, a 409 Conflict status will "
                                            "be returned."},
    _M + "Status": {
        "metadata": LIST_META,
        "details": "Extended data associated with the reason.  Each reason may define its own "
                   "extended details. This field is optional and the data returned is not "
                   "guaranteed to conform to any schema except that defined by the reason "
                   "type."},
}
for _list in ("PodList", "ReplicationControllerList", "ServiceList", "ServiceAccountList",
              "EndpointsList", "NodeList", "NamespaceList", "SecretList", "EventList"):
    _FIELDS[_C + _list] = {"metadata": LIST_META}
_FIELDS[_A + "ReplicaSetList"] = {"metadata": LIST_META}

#: (definition name, json field name) -> the field's description.
FIELDS: dict[tuple[str, str], str] = {
    (type_name, field): text
    for type_name, fields in _FIELDS.items() for field, text in fields.items()
}
