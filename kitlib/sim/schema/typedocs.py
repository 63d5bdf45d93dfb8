"""Our own descriptions for the types and fields the client models leave undescribed.

``kubectl explain`` reads the ``description`` of every definition and property in the OpenAPI
documents this server publishes.  The schema builder takes field descriptions from the
official Python client's models, but those models carry none for a type itself, and none for
a field whose value is another object (their generator discards the text next to a ``$ref``).
This module fills those gaps for the types the kit serves.  The texts are written for the kit,
in our words: they state how Kubernetes 1.32 behaves (defaults, allowed values, what cannot be
changed), not how its reference documentation phrases it.
"""

from __future__ import annotations

_C = "io.k8s.api.core.v1."
_A = "io.k8s.api.apps.v1."
_M = "io.k8s.apimachinery.pkg.apis.meta.v1."
_REF = "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/"
_META_URL = f"{_REF}object-meta/"
_STORAGE = "https://kubernetes.io/docs/concepts/storage/volumes#"

OBJECT_META = ("Identity and bookkeeping for this object: name, namespace, labels, annotations, "
               "owners and finalizers, plus fields the server fills in such as uid and "
               f"resourceVersion. See {_META_URL}")
LIST_META = ("Data about the collection as a whole: the resourceVersion it was read at and, for "
             "paged reads, the continue token and a count of what is left. See "
             f"{_REF}list-meta/")
SPEC_STATUS = "See https://kubernetes.io/docs/concepts/overview/working-with-objects/" \
              "#object-spec-and-status"
_PROBE = "See https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes"
_POD_TEMPLATE = ("https://kubernetes.io/docs/concepts/workloads/controllers/"
                 "replicationcontroller#pod-template")


def _listing(kind: str) -> str:
    return f"A collection of {kind} objects, as returned by a list request."


_EVENT_CAVEAT = ("Events expire after a retention period, and the reasons and messages "
                 "components emit may change between releases, so treat them as best-effort "
                 "hints for people rather than something to build logic on.")

#: Definition name -> the type's own description.
TYPES: dict[str, str] = {
    _C + "Pod": "The smallest unit Kubernetes runs: one or more containers scheduled together "
                "onto a single node, sharing its network identity, volumes and lifecycle. "
                "Clients (or controllers acting for them) create pods; the scheduler picks the "
                "node.",
    _C + "PodList": _listing("Pod"),
    _C + "PodSpec": "The desired state of a pod: its containers, volumes, scheduling "
                    "constraints, restart behaviour and security settings.",
    _C + "PodStatus": "What the system last observed about a pod: phase, conditions, IP "
                      "addresses and the state of every container. It can lag behind reality, "
                      "for example while the pod's node is cut off from the control plane.",
    _C + "PodTemplateSpec": "The metadata and spec a controller (ReplicaSet, Job, ...) stamps "
                            "onto each pod it creates.",
    _C + "PodCondition": "One entry of a pod's condition list, such as Ready or PodScheduled, "
                         "with its status and when and why it last changed.",
    _C + "PodIP": "One IP address given to the pod; a dual-stack pod has one per address family.",
    _C + "HostIP": "One IP address of the node the pod is running on.",
    _C + "PodOS": "The operating system (linux or windows) the pod's containers need; it "
                  "limits which fields the pod and its containers may set.",
    _C + "PodDNSConfig": "Extra resolver settings (nameservers, search domains, options) added "
                         "to the DNS configuration the kubelet derives from dnsPolicy.",
    _C + "PodDNSConfigOption": "One resolver option for the pod's resolv.conf: a name and an "
                               "optional value, for example ndots with 2.",
    _C + "PodReadinessGate": "Names an additional pod condition that has to be True before the "
                             "pod counts as ready.",
    _C + "PodSchedulingGate": "A named hold on a pod: the scheduler leaves the pod alone until "
                              "every gate has been removed from spec.schedulingGates.",
    _C + "PodResourceClaim": "Gives a pod-local name to one dynamic resource allocation claim: "
                             "either an existing ResourceClaim or a ResourceClaimTemplate from "
                             "which a claim is generated for this pod. Containers ask for the "
                             "claim by that name.",
    _C + "PodResourceClaimStatus": "For a pod resource claim made from a ResourceClaimTemplate, "
                                   "records the name of the ResourceClaim generated for this "
                                   "pod.",
    _C + "PodSecurityContext": "Security settings for the whole pod, which also act as defaults "
                               "for its containers. When a container's securityContext sets the "
                               "same field, the container's value is used.",
    _C + "SecurityContext": "Security settings for one container: user and group, "
                            "capabilities, privilege, seccomp and so on. Fields that also exist "
                            "at pod level override the pod's value for this container.",
    _C + "SELinuxOptions": "The SELinux user, role, type and level to label a container with.",
    _C + "SeccompProfile": "Chooses the seccomp filter of a pod or container: the runtime's "
                           "default, a profile file on the node, or none (Unconfined). Give "
                           "exactly one source.",
    _C + "AppArmorProfile": "Chooses the AppArmor profile of a pod or container: the runtime's "
                            "default, a profile already loaded on the node, or none "
                            "(Unconfined).",
    _C + "WindowsSecurityContextOptions": "Settings that only matter on Windows nodes: the user "
                                          "name to run as, GMSA credential specs and "
                                          "HostProcess mode.",
    _C + "Capabilities": "Linux capabilities to grant to, or take away from, a container's "
                         "processes.",
    _C + "Sysctl": "A kernel parameter name and the value to set it to for the pod.",
    _C + "Container": "One application container of a pod: the image to run, its command and "
                      "arguments, environment, ports, resources, probes and mounts.",
    _C + "EphemeralContainer": "A short-lived container added to a running pod, usually to "
                               "debug it (kubectl debug). It is added through the pod's "
                               "ephemeralcontainers subresource, gets neither guaranteed resources "
                               "nor scheduling guarantees, and is never restarted, not even "
                               "when the pod is; "
                               "once added it cannot be removed. If it pushes the pod past its "
                               "resource allocation, the kubelet may evict the pod.",
    _C + "ContainerPort": "A network port a container listens on, with an optional name, "
                          "protocol and host binding.",
    _C + "ContainerResizePolicy": "For one resource (cpu or memory), whether changing it in "
                                  "place needs the container to be restarted.",
    _C + "ContainerState": "Where a container is in its life. At most one of waiting, running "
                           "and terminated is set; when none is, read it as waiting.",
    _C + "ContainerStateRunning": "Details of a container that is running, such as when it "
                                  "started.",
    _C + "ContainerStateTerminated": "Details of a container that has stopped: exit code, "
                                     "signal, reason, message, start and finish times.",
    _C + "ContainerStateWaiting": "Details of a container that has not started yet or is "
                                  "waiting to be restarted, with the reason, for example "
                                  "ContainerCreating or CrashLoopBackOff.",
    _C + "ContainerStatus": "The kubelet's report on one container of the pod: state, "
                            "readiness, restart count, image and resources.",
    _C + "ContainerUser": "The identity a container's first process was started with, as "
                          "reported by the container runtime.",
    _C + "LinuxContainerUser": "The uid, gid and supplementary groups a Linux container's first "
                               "process was started with.",
    _C + "ContainerImage": "An image stored on a node, with the names (tags, digests) it is "
                           "known by and its size.",
    _C + "EnvVar": "One environment variable of a container, set either to a literal value or "
                   "from a reference.",
    _C + "EnvVarSource": "Where an environment variable gets its value: a ConfigMap key, a "
                         "Secret key, a field of the pod, or a resource amount of the "
                         "container.",
    _C + "EnvFromSource": "Imports all keys of a ConfigMap or a Secret as environment "
                          "variables, with an optional name prefix.",
    _C + "ConfigMapEnvSource": "Names a ConfigMap whose data keys all become environment "
                               "variables, one per key, holding that key's value.",
    _C + "SecretEnvSource": "Names a Secret whose data keys all become environment variables, "
                            "one per key, holding that key's value.",
    _C + "ConfigMapKeySelector": "Names a ConfigMap of the pod's namespace and one of its keys.",
    _C + "SecretKeySelector": "Names a Secret of the pod's namespace and one of its keys.",
    _C + "ObjectFieldSelector": "Picks a field of the pod by its path, optionally interpreted in "
                                "a given API version.",
    _C + "ResourceFieldSelector": "Picks one of a container's resource requests or limits (cpu, "
                                  "memory, ...) together with a divisor that sets the unit of "
                                  "the value produced.",
    _C + "ResourceRequirements": "The compute resources a container asks for (requests), the "
                                 "most it may use (limits), and the dynamic resource claims it "
                                 "uses.",
    _C + "VolumeResourceRequirements": "How much storage a claim asks for and, optionally, an "
                                       "upper bound.",
    _C + "ResourceClaim": "Lets a container use one of the pod's resource claims, named as in "
                          "spec.resourceClaims.",
    _C + "ResourceHealth": "The latest known health of one device allocated to the pod "
                           "(Healthy, Unhealthy or Unknown). Part of the alpha device health "
                           "work of KEP-4680.",
    _C + "ResourceStatus": "For one resource allocated to a pod, the health of each device "
                           "that backs it.",
    _C + "Probe": "A check the kubelet repeats against a container (by command, HTTP, TCP or "
                  "gRPC) to find out whether it is alive, ready for traffic, or done starting.",
    _C + "ExecAction": "Runs a command inside the container; exit status 0 means success.",
    _C + "HTTPGetAction": "Sends an HTTP GET to the container; any status from 200 to 399 means "
                          "success.",
    _C + "HTTPHeader": "A custom header name and value to send with an HTTP probe.",
    _C + "TCPSocketAction": "Tries to connect to a TCP port of the container; an accepted "
                            "connection means success.",
    _C + "GRPCAction": "Calls the standard gRPC health checking service on a port of the "
                       "container.",
    _C + "SleepAction": "Waits for a number of seconds; mostly used as a preStop hook.",
    _C + "Lifecycle": "Hooks the kubelet runs around a container's life: postStart right after "
                      "it is created, preStop before it is stopped. While a hook is running the "
                      "kubelet holds off other work on that container, unless the container's "
                      "process dies, which cuts the hook short.",
    _C + "LifecycleHandler": "What a lifecycle hook does: run a command (exec), send an HTTP "
                             "request (httpGet) or wait (sleep). Set exactly one of them; "
                             "tcpSocket is accepted only for compatibility and does not work.",
    _C + "VolumeMount": "Mounts one of the pod's volumes into the container at a path.",
    _C + "VolumeMountStatus": "How a volume ended up mounted in a container, including the "
                              "recursive read-only mode actually in effect.",
    _C + "VolumeDevice": "Exposes a raw block volume to the container as a device file at a "
                         "path.",
    _C + "Volume": "A named volume of the pod that any of its containers can mount. Exactly one "
                   "source (emptyDir, configMap, persistentVolumeClaim, ...) is set.",
    _C + "Affinity": "Scheduling rules that place a pod relative to nodes and to other pods.",
    _C + "NodeAffinity": "Hard or soft rules that steer a pod onto nodes with matching labels.",
    _C + "PodAffinity": "Rules that draw a pod towards topology domains (a node, a zone, ...) "
                        "where certain other pods already run.",
    _C + "PodAntiAffinity": "Rules that keep a pod out of topology domains where certain other "
                            "pods already run.",
    _C + "PodAffinityTerm": "Names a group of pods (by label selector, within the chosen "
                            "namespaces) and a topologyKey. The pod is placed together with that "
                            "group, or apart from it: two nodes are in the same domain when they "
                            "have the same value for the topologyKey label.",
    _C + "WeightedPodAffinityTerm": "A soft pod affinity or anti-affinity term with a weight. "
                                    "For every candidate node the scheduler adds up the weights "
                                    "of the terms it satisfies and favours the highest sums.",
    _C + "NodeSelector": "A list of node selector terms joined by OR: a node is selected when "
                         "any one of the terms matches it.",
    _C + "NodeSelectorTerm": "Node requirements that must all hold (AND). A null or empty term "
                             "selects no node. TopologySelectorTerm supports a subset of this "
                             "type.",
    _C + "NodeSelectorRequirement": "One test on a node's labels or fields: a key, an operator "
                                    "(In, NotIn, Exists, DoesNotExist, Gt, Lt) and the values to "
                                    "compare with.",
    _C + "PreferredSchedulingTerm": "A node selector term with a weight, for soft node "
                                    "affinity. An empty term matches every node with weight 0 "
                                    "and a null one matches none, so neither changes anything.",
    _C + "Toleration": "Lets the pod run on nodes carrying a matching taint. The taint matches "
                       "when its key, value and effect fit the toleration under its operator "
                       "(Equal or Exists).",
    _C + "Taint": "A mark on a node that repels pods: a pod without a matching toleration gets "
                  "the taint's effect (NoSchedule, PreferNoSchedule or NoExecute).",
    _C + "TopologySpreadConstraint": "Asks the scheduler to spread matching pods across "
                                     "topology domains (zones, nodes, ...) so that their counts "
                                     "differ by no more than maxSkew.",
    _C + "HostAlias": "An IP address and the host names that should resolve to it, written into "
                      "the pod's /etc/hosts.",
    _C + "LocalObjectReference": "Refers to another object by name, in the same namespace.",
    _C + "ObjectReference": "A full pointer to another object (kind, namespace, name, uid, API "
                            "version, resource version and optionally a field path), enough to "
                            "read or change it.",
    _C + "TypedLocalObjectReference": "Refers to an object of a given API group and kind by "
                                      "name, in the same namespace.",
    _C + "TypedObjectReference": "Refers to an object of a given API group and kind by name, "
                                 "possibly in another namespace.",
    _C + "KeyToPath": "Writes one key of a ConfigMap or Secret to a chosen file path inside a "
                      "volume, optionally with its own file mode.",
    _C + "HostPathVolumeSource": "A file or directory of the node mounted into the pod. "
                                 "Kubernetes changes neither its ownership nor its SELinux "
                                 "labels.",
    _C + "EmptyDirVolumeSource": "A directory that is empty when the pod lands on a node and is "
                                 "deleted along with the pod. Its ownership and SELinux labels "
                                 "are managed for the pod.",
    _C + "SecretVolumeSource": "Shows a Secret as files: every key of its data becomes a file "
                               "of that name. Ownership and SELinux labels are managed for the "
                               "pod.",
    _C + "ConfigMapVolumeSource": "Shows a ConfigMap as files: each data key becomes a file of "
                                  "that name, unless items maps chosen keys to chosen paths. "
                                  "Ownership and SELinux labels are managed for the pod.",
    _C + "ProjectedVolumeSource": "Merges several sources (Secrets, ConfigMaps, downward API "
                                  "data, service account tokens, trust bundles) into one volume "
                                  "directory.",
    _C + "VolumeProjection": "One source of a projected volume; set exactly one field.",
    _C + "SecretProjection": "A Secret's keys written as files inside a projected volume. Works "
                             "like a secret volume, minus the defaultMode setting.",
    _C + "ConfigMapProjection": "A ConfigMap's keys written as files inside a projected volume, "
                                "by default one file per key or as mapped by items. Works like a "
                                "configMap volume, minus the defaultMode setting.",
    _C + "DownwardAPIProjection": "Pod and container information written as files inside a "
                                  "projected volume. Works like a downwardAPI volume, minus the "
                                  "defaultMode setting.",
    _C + "DownwardAPIVolumeSource": "A volume whose files hold information about the pod "
                                    "(labels, annotations, resources, ...). Ownership and "
                                    "SELinux labels are managed for the pod.",
    _C + "DownwardAPIVolumeFile": "One file of a downward API volume and the pod field or "
                                  "container resource it contains.",
    _C + "ServiceAccountTokenProjection": "Writes a token for the pod's service account into a "
                                          "projected volume, so processes in the pod can "
                                          "authenticate to the Kubernetes API server or another "
                                          "audience. The kubelet renews it before it expires.",
    _C + "ClusterTrustBundleProjection": "Picks ClusterTrustBundle objects, by name or by "
                                         "signer and labels, and writes their certificates into "
                                         "a file of a projected volume.",
    _C + "PersistentVolumeClaimVolumeSource": "Mounts the volume bound to a "
                                              "PersistentVolumeClaim of the pod's namespace. The "
                                              "pod only names the claim; the storage behind it "
                                              "is provided and managed by the cluster.",
    _C + "EphemeralVolumeSource": "A volume from a regular storage driver, provisioned through a "
                                  "claim that is created for the pod and removed with it.",
    _C + "PersistentVolumeClaimTemplate": "The metadata and spec from which the per-pod "
                                          "PersistentVolumeClaim of an ephemeral volume is "
                                          "made.",
    _C + "PersistentVolumeClaimSpec": "What a claim wants from storage: access modes, size, "
                                      "storage class and volume mode, and optionally a selector "
                                      "or a data source to fill the volume from.",
    _C + "CSIVolumeSource": "An inline volume that an external CSI driver supplies, mounted "
                            "for the lifetime of the pod.",
    _C + "ImageVolumeSource": "Mounts the content of an OCI image or artifact as a read-only "
                              "volume.",
    _C + "NFSVolumeSource": "An NFS export mounted for as long as the pod lives. Kubernetes "
                            "changes neither its ownership nor its SELinux labels.",
    _C + "GitRepoVolumeSource": "Deprecated: a volume filled with a clone of a git repository. "
                                "Its SELinux labels are managed, its ownership is not. Use an "
                                "init container that runs git clone into an emptyDir volume "
                                "shared with the application containers instead.",
    _C + "Service": "A stable virtual IP address and DNS name in front of a set of pods, "
                    "usually picked by a label selector. Connections to the service's ports "
                    "are spread over the matching pods.",
    _C + "ServiceList": _listing("Service"),
    _C + "ServiceSpec": "The settings a user picks for a Service: type, selector, ports, "
                        "cluster IPs, session affinity and traffic policies.",
    _C + "ServiceStatus": "The observed state of a Service: its load balancer, if any, and its "
                          "conditions.",
    _C + "ServicePort": "One port the Service offers, where it forwards on the pods "
                        "(targetPort), and for NodePort and LoadBalancer services the port "
                        "opened on every node.",
    _C + "SessionAffinityConfig": "Tuning for the Service's session affinity.",
    _C + "ClientIPConfig": "Settings for ClientIP session affinity, chiefly how long a client "
                           "sticks to the same pod.",
    _C + "LoadBalancerStatus": "The external load balancer provisioned for a Service, if any.",
    _C + "LoadBalancerIngress": "One entry point (IP address or host name) of a load balancer; "
                                "clients reach the Service by sending their traffic to it.",
    _C + "PortStatus": "How one load balancer port fared, with an error reason if it could not "
                       "be set up.",
    _C + "ServiceAccount": "An identity for the processes that run in pods. It combines a name "
                           "that people and outside systems can recognise, a principal the API "
                           "server can authenticate and authorise, and the secrets (including "
                           "image pull secrets) that go with it.",
    _C + "ServiceAccountList": _listing("ServiceAccount"),
    _C + "Endpoints": "The network addresses that serve a Service, grouped into subsets whose "
                      "addresses all share the same ports. EndpointSlice is the newer API for "
                      "the same data. For instance, one subset with the addresses 10.0.0.5 and "
                      "10.0.0.6 and the ports web=8080 and metrics=9090 stands for four "
                      "endpoints.",
    _C + "EndpointsList": _listing("Endpoints"),
    _C + "EndpointSubset": "Addresses that all serve the same ports. Each address is paired "
                           "with each port, so addresses 10.0.0.5 and 10.0.0.6 with the single "
                           "port web=8080 yield web: 10.0.0.5:8080 and 10.0.0.6:8080.",
    _C + "EndpointAddress": "One IP address of an endpoint, with the host name, node and object "
                            "behind it.",
    _C + "EndpointPort": "One port of an endpoint: number, protocol, optional name and "
                         "application protocol.",
    _C + "Node": "A machine, physical or virtual, that runs pods; its kubelet registers it with "
                 "the cluster. Node names are unique cluster-wide.",
    _C + "NodeList": "All Node objects registered with the cluster, as returned by a list "
                     "request.",
    _C + "NodeSpec": "How a node is set up: pod CIDRs, provider ID, taints, and whether new "
                     "pods may be scheduled on it.",
    _C + "NodeStatus": "What is currently known about a node: capacity and allocatable "
                       "resources, conditions, addresses, system information, images and "
                       "attached volumes.",
    _C + "NodeCondition": "One aspect of a node's health (Ready, MemoryPressure, DiskPressure, "
                          "PIDPressure, NetworkUnavailable), with its status and heartbeat and "
                          "transition times.",
    _C + "NodeAddress": "One address of the node and its kind (InternalIP, ExternalIP, "
                        "Hostname, ...).",
    _C + "NodeSystemInfo": "Identifiers and versions the node reports: machine and system "
                           "UUIDs, boot ID, kernel, OS image, container runtime, kubelet "
                           "version and architecture.",
    _C + "NodeDaemonEndpoints": "The ports on which daemons of the node, like the kubelet, "
                                "listen.",
    _C + "DaemonEndpoint": "The port of one daemon running on the node.",
    _C + "NodeConfigSource": "Deprecated since 1.22, when dynamic kubelet configuration went "
                             "away: where a node's configuration came from. Only one source "
                             "besides metadata may be set.",
    _C + "ConfigMapNodeConfigSource": "Deprecated since 1.22: the ConfigMap (namespace, name, "
                                      "kubelet config key) that held a node's configuration "
                                      "for the removed dynamic kubelet config feature.",
    _C + "NodeConfigStatus": "Deprecated: how the configuration assigned to a node through "
                             "spec.configSource is doing.",
    _C + "NodeFeatures": "Features of the node's container runtime (CRI) implementation that do "
                         "not depend on a runtime handler, such as supplementalGroupsPolicy.",
    _C + "NodeRuntimeHandler": "A runtime handler offered by the node's container runtime, with "
                               "the features it supports.",
    _C + "NodeRuntimeHandlerFeatures": "Features one runtime handler supports, such as "
                                       "recursive read-only mounts and user namespaces.",
    _C + "AttachedVolume": "A volume attached to the node and the device path it shows up at.",
    _C + "Namespace": "A scope for object names: a name only has to be unique within its "
                      "namespace. Dividing a cluster into namespaces is optional.",
    _C + "NamespaceList": _listing("Namespace"),
    _C + "NamespaceSpec": "The settings of a namespace, which in practice are the finalizers "
                          "that must be cleared before it can go away.",
    _C + "NamespaceStatus": "The observed state of a namespace: its phase (Active or "
                            "Terminating) and its conditions.",
    _C + "NamespaceCondition": "One condition of a namespace, typically explaining why its "
                               "deletion is not finishing.",
    _C + "ConfigMap": "Non-secret configuration as key-value pairs (text in data, bytes in "
                      "binaryData) that pods read as environment variables, command arguments "
                      "or files.",
    _C + "ConfigMapList": _listing("ConfigMap"),
    _C + "Secret": "A small amount of sensitive data (passwords, tokens, keys) as key-value "
                   "pairs, with a type telling what shape the data has. The values together "
                   "have to stay under the 1 MiB size limit.",
    _C + "SecretList": _listing("Secret"),
    _C + "Event": "A record, written by some component, that something happened to an object "
                  f"in the cluster. {_EVENT_CAVEAT}",
    _C + "EventList": _listing("Event"),
    _C + "EventSeries": "Tracks something that keeps happening: how often it has happened so "
                        "far and when it was last seen.",
    _C + "EventSource": "The component, and the host it runs on, that reported an event.",
    _C + "ReplicationController": "The older controller that keeps a fixed number of copies of "
                                  "a pod running; ReplicaSets managed by Deployments have taken "
                                  "its place.",
    _C + "ReplicationControllerList": _listing("ReplicationController"),
    _C + "ReplicationControllerSpec": "How many pods a replication controller keeps, which pods "
                                      "count (selector), and the template for new ones.",
    _C + "ReplicationControllerStatus": "The replica counts a replication controller last "
                                        "observed, and its conditions.",
    _C + "ReplicationControllerCondition": "A condition reported by a replication "
                                           "controller, such as ReplicaFailure, with when and "
                                           "why it last changed.",
    _C + "Binding": "Attaches one object to another. The scheduler uses it to assign a pod to a "
                    "node by posting it to the pod's binding subresource.",
    _A + "Deployment": "Runs a set of identical pods through ReplicaSets and rolls changes out "
                       "to them declaratively, at a controlled pace and with rollback.",
    _A + "DeploymentList": _listing("Deployment"),
    _A + "DeploymentSpec": "What a Deployment should run: the replica count, the pod selector "
                           "and template, and how to roll out updates.",
    _A + "DeploymentStatus": "A Deployment's progress as its controller last saw it: replica "
                             "counts by state, the generation it observed, and conditions.",
    _A + "DeploymentStrategy": "How old pods make way for new ones when the template changes: "
                               "Recreate, or RollingUpdate (the default).",
    _A + "RollingUpdateDeployment": "The limits of a rolling update: maxUnavailable and "
                                    "maxSurge.",
    _A + "DeploymentCondition": "A condition reported for a Deployment, such as "
                                "Available or Progressing, with when and why it last "
                                "changed.",
    _A + "ReplicaSet": "Keeps a steady number of identical pods running at all times. Usually "
                       "managed by a Deployment rather than created directly.",
    _A + "ReplicaSetList": _listing("ReplicaSet"),
    _A + "ReplicaSetSpec": "How many pods a ReplicaSet keeps, which pods count (selector), and "
                           "the template for new ones.",
    _A + "ReplicaSetStatus": "The replica counts a ReplicaSet last observed, and its "
                             "conditions.",
    _A + "ReplicaSetCondition": "A condition reported for a ReplicaSet, such as "
                                "ReplicaFailure, with when and why it last changed.",
    "io.k8s.api.coordination.v1.Lease": "A lightweight lock with a holder and a renewal time, "
                                        "used for leader election between controller replicas "
                                        "and for node heartbeats in the kube-node-lease "
                                        "namespace.",
    "io.k8s.api.coordination.v1.LeaseList": _listing("Lease"),
    "io.k8s.api.coordination.v1.LeaseSpec": "Who holds the lease, for how long it is valid, and "
                                            "when it was acquired and last renewed.",
    "io.k8s.api.discovery.v1.EndpointSlice": "Part of the endpoints that serve a Service. A "
                                             "Service may have several slices, found through "
                                             "labels (kubernetes.io/service-name); taken "
                                             "together they give its complete set of "
                                             "endpoints.",
    "io.k8s.api.discovery.v1.EndpointSliceList": _listing("EndpointSlice"),
    "io.k8s.api.discovery.v1.Endpoint": "One backend of a Service: its addresses, readiness, "
                                        "and the node, zone and object it belongs to.",
    "io.k8s.api.discovery.v1.EndpointConditions": "Whether an endpoint is ready, serving and "
                                                  "terminating.",
    "io.k8s.api.discovery.v1.EndpointHints": "Advice for consumers such as kube-proxy on how to "
                                             "route to an endpoint, e.g. which zones should use "
                                             "it with topology-aware routing.",
    "io.k8s.api.discovery.v1.EndpointPort": "A port shared by all endpoints of an "
                                            "EndpointSlice.",
    "io.k8s.api.discovery.v1.ForZone": "A zone whose clients should be sent to this endpoint.",
    "io.k8s.api.events.v1.Event": "A record that something happened in the cluster, usually a "
                                  f"change of state. {_EVENT_CAVEAT}",
    "io.k8s.api.events.v1.EventList": _listing("Event"),
    "io.k8s.api.events.v1.EventSeries": "Tracks something that keeps happening: a count and "
                                        "the last time it was seen. Reporters choose how often "
                                        "to update it; the event broadcaster in client-go "
                                        "(k8s.io/client-go/tools/events) refreshes it on a "
                                        "heartbeat and is the model to follow.",
    "io.k8s.api.autoscaling.v1.Scale": "The scale subresource of a workload: how many replicas "
                                       "it should have and how many it has.",
    "io.k8s.api.autoscaling.v1.ScaleSpec": "The desired number of replicas.",
    "io.k8s.api.autoscaling.v1.ScaleStatus": "The observed number of replicas and the label "
                                             "selector of the pods counted.",
    "io.k8s.api.policy.v1.Eviction": "Asks for a pod to be removed from its node while honouring "
                                     "PodDisruptionBudgets and other policies. Send it with a "
                                     "POST to the pod's eviction subresource "
                                     "(.../pods/<name>/eviction).",
    "io.k8s.api.authentication.v1.TokenRequest": "Asks the API server to issue a token for a "
                                                 "service account.",
    "io.k8s.api.authentication.v1.TokenRequestSpec": "What the client wants from a token: its "
                                                     "audiences, lifetime, and optionally an "
                                                     "object to bind it to.",
    "io.k8s.api.authentication.v1.TokenRequestStatus": "The issued token and when it "
                                                       "expires.",
    "io.k8s.api.authentication.v1.BoundObjectReference": "The object, such as a Pod or a "
                                                         "Secret, whose lifetime a token is "
                                                         "tied to.",
    _M + "ObjectMeta": "The metadata every stored object carries, including all objects users "
                       "create: name, namespace, labels, annotations, owners, finalizers, and "
                       "fields managed by the system.",
    _M + "ListMeta": "The metadata of objects that are not stored themselves, such as lists and "
                     "status responses: resourceVersion, continue token, remaining item count. "
                     "An object has either ObjectMeta or ListMeta, not both.",
    _M + "LabelSelector": "Selects objects by label. Every matchLabels entry and every "
                          "matchExpressions entry must hold. An empty selector selects every "
                          "object; a null one selects nothing.",
    _M + "LabelSelectorRequirement": "One label test: a key, an operator (In, NotIn, Exists, "
                                     "DoesNotExist) and a list of values.",
    _M + "OwnerReference": "Names an object that owns this one, for garbage collection and "
                           "controllers. The owner lives in the dependent's namespace or is "
                           "cluster-scoped, which is why no namespace is given.",
    _M + "ManagedFieldsEntry": "Records, for server-side apply, the fields one manager owns: "
                               "manager name, operation, API version and the set of fields.",
    _M + "Status": "The response body of an API call that has no object to return, most "
                   "often an error: a code, a reason and a message.",
    _M + "StatusDetails": "Extra data about a Status response, whose meaning depends on the "
                          "Status reason. Clients should skip fields of an unexpected type and "
                          "be ready for any of them to be missing or incomplete.",
    _M + "StatusCause": "One specific cause of a failed request, for example a single invalid "
                        "field; a Status can list several.",
    _M + "DeleteOptions": "Options that can accompany a delete request: grace period, "
                          "preconditions, propagation policy, dry run.",
    _M + "Preconditions": "A uid and/or resourceVersion the object must still have for an "
                          "operation such as a delete or an update to go ahead.",
    _M + "Condition": "The common shape of a status condition: type, status (True, False or "
                      "Unknown), reason, message, observed generation and time of the last "
                      "transition.",
    _M + "WatchEvent": "One notification on a watch stream: its type (ADDED, MODIFIED, DELETED, "
                       "BOOKMARK or ERROR) and the object concerned.",
    _M + "APIResource": "One resource of an API group version as discovery reports it: name, "
                        "kind, whether it is namespaced, and the verbs it supports.",
    _M + "APIResourceList": "The resources served by one group version, as discovery returns "
                            "them at /api/v1 or /apis/<group>/<version>.",
    _M + "APIGroup": "An API group as discovery reports it: its name, the versions served and "
                     "the preferred one.",
    _M + "APIGroupList": "Every API group the server offers, returned at /apis for discovery.",
    _M + "APIVersions": "The versions of the legacy core API, returned at /api for discovery.",
    _M + "GroupVersionForDiscovery": "One version of an API group, given both as "
                                     "\"group/version\" and as the bare version string.",
    _M + "ServerAddressByClientCIDR": "Tells clients from a given CIDR which server address to "
                                      "connect to.",
}

# The volume sources, as fields of Volume (which inlines VolumeSource).
_VOLUME_SOURCES = {
    "hostPath": "A file or directory that already exists on the node, handed straight to the "
                "container. Meant for system agents and other privileged workloads that must "
                f"see the host; ordinary containers should not need it. See {_STORAGE}hostpath",
    "emptyDir": f"A scratch directory that exists as long as the pod. See {_STORAGE}emptydir",
    "gcePersistentDisk": "A Google Compute Engine persistent disk, attached to the node and "
                         f"then made available to the pod. See {_STORAGE}gcepersistentdisk",
    "awsElasticBlockStore": "An AWS EBS volume, attached to the node and then made available "
                            f"to the pod. See {_STORAGE}awselasticblockstore",
    "gitRepo": "Deprecated: a git repository checked out at some revision. Clone the repository "
               "from an init container into an emptyDir that the app container also mounts "
               "instead.",
    "secret": f"A Secret whose keys fill the volume as files. See {_STORAGE}secret",
    "nfs": f"An NFS share mounted for as long as the pod lives. See {_STORAGE}nfs",
    "iscsi": "An iSCSI disk, attached to the node and then made available to the pod. See "
             f"{_STORAGE}iscsi",
    "glusterfs": "A GlusterFS mount that lives as long as the pod.",
    "persistentVolumeClaim": "Uses the volume bound to a PersistentVolumeClaim in the pod's "
                             "namespace. See https://kubernetes.io/docs/concepts/storage/"
                             "persistent-volumes#persistentvolumeclaims",
    "rbd": "A Ceph RADOS block device mounted for as long as the pod lives.",
    "flexVolume": "A generic volume that an exec-based FlexVolume driver provisions and "
                  "attaches.",
    "cinder": "An OpenStack Cinder volume, attached to and mounted on the node.",
    "cephfs": "A CephFS mount that lives as long as the pod.",
    "flocker": "A Flocker-managed volume, attached to the node; the Flocker control service "
               "has to be running.",
    "downwardAPI": "Files holding information about the pod, from the downward API.",
    "fc": "A Fibre Channel disk, attached to the node and then made available to the pod.",
    "azureFile": "An Azure Files share mounted on the node and bind-mounted into the pod.",
    "configMap": "A ConfigMap whose keys fill the volume as files.",
    "vsphereVolume": "A vSphere volume, attached to and mounted on the node.",
    "quobyte": "A Quobyte mount that lives as long as the pod.",
    "azureDisk": "An Azure data disk mounted on the node and bind-mounted into the pod.",
    "photonPersistentDisk": "A Photon Controller persistent disk, attached to and mounted on "
                            "the node.",
    "projected": "One volume that combines Secrets, ConfigMaps, downward API data, service "
                 "account tokens and trust bundles.",
    "portworxVolume": "A Portworx volume, attached to and mounted on the node.",
    "scaleIO": "A persistent volume from ScaleIO, attached to and mounted on the node.",
    "storageos": "A StorageOS volume, attached to and mounted on the node.",
    "csi": "An inline, ephemeral volume from a CSI driver that supports being used this way.",
    "ephemeral": "A volume from a cluster storage driver, tied to the pod: it comes into being "
                 "ahead of the pod's containers and goes away together with the pod. A good "
                 "fit when the data only matters during the pod's run, when features of regular "
                 "volumes (restoring from a snapshot, capacity tracking) are wanted, and when "
                 "the driver, chosen by storage class, provisions dynamically through a "
                 "PersistentVolumeClaim. Data that must outlive the pod belongs in a "
                 "PersistentVolumeClaim or a vendor volume; light local scratch space may suit "
                 "a CSI driver made for inline use (see its documentation). A pod can mix "
                 "ephemeral and persistent volumes.",
    "image": "An OCI image or artifact, pulled by the kubelet and mounted as a volume. "
             "pullPolicy decides the pull: Always pulls every time, and container creation "
             "fails if the pull does; Never only uses what is already on the node and fails if "
             "it is missing; IfNotPresent pulls only when it is absent and fails if that pull "
             "fails. The reference is resolved again whenever the pod is recreated, which is "
             "when new remote content shows up. Until the image can be pulled, the containers "
             "do not start, which can add real delay; retries use the normal volume backoff, "
             "and the pod's reason and message report the failure. What kinds of objects can "
             "be mounted is up to the container runtime, but at least everything the "
             "container image field accepts works. The layers are merged into the single "
             "directory named by the container's volumeMounts mountPath, read-only and "
             "noexec. Container subPath mounts of it are not supported, and "
             "spec.securityContext.fsGroupChangePolicy has no effect on it.",
}

_SPEC = f"The pod's desired state: containers, volumes, scheduling and security. {SPEC_STATUS}"
_OS_NOTE = (
    "The operating system the pod's containers need; setting it restricts other fields. With "
    "linux, securityContext.windowsOptions must be unset. With windows, these must be unset: "
    "spec.hostPID, spec.hostIPC, spec.hostUsers, spec.shareProcessNamespace; in the pod's "
    "securityContext appArmorProfile, seLinuxOptions, seccompProfile, fsGroup, "
    "fsGroupChangePolicy, sysctls, runAsUser, runAsGroup, supplementalGroups and "
    "supplementalGroupsPolicy; and in each container's securityContext appArmorProfile, "
    "seLinuxOptions, seccompProfile, capabilities, readOnlyRootFilesystem, privileged, "
    "allowPrivilegeEscalation, procMount, runAsUser and runAsGroup."
)
_CONTAINER = {
    "lifecycle": "Hooks to run right after the container starts and just before it stops. "
                 "Immutable.",
    "livenessProbe": "Checked periodically; when it fails, the kubelet restarts the container. "
                     f"Immutable. {_PROBE}",
    "readinessProbe": "Checked periodically; while it fails, the pod is taken out of the "
                      f"Service endpoints. Immutable. {_PROBE}",
    "resources": "The compute resources this container requests and its limits. Immutable. "
                 "See https://kubernetes.io/docs/concepts/configuration/"
                 "manage-resources-containers/",
    "securityContext": "Security options for this container; where they overlap with the "
                       "pod's securityContext, these are the ones used. See "
                       "https://kubernetes.io/docs/tasks/configure-pod-container/"
                       "security-context/",
    "startupProbe": "Tells when the container has finished starting. Until it succeeds, no "
                    "other probe runs; if it fails, the container is restarted just as after "
                    "a failed liveness probe. Handy for slow starters (loading data, warming "
                    "caches) that need other timings at startup than in steady state. "
                    f"Immutable. {_PROBE}",
}
_NO_PROBES = "Ephemeral containers cannot have probes."
_EPHEMERAL = {
    "lifecycle": "Ephemeral containers cannot have lifecycle hooks.",
    "livenessProbe": _NO_PROBES,
    "readinessProbe": _NO_PROBES,
    "startupProbe": _NO_PROBES,
    "resources": "Not allowed: an ephemeral container lives on resources the pod already "
                 "holds.",
    "securityContext": "Optional security options for the ephemeral container; they override "
                       "the matching pod-level settings.",
}
_HANDLER = {"exec": "Run a command in the container.",
            "httpGet": "Send an HTTP GET request.",
            "tcpSocket": "Open a TCP connection to a port.",
            "grpc": "Query a gRPC health service on a port."}
_HOOKS = "See https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/" \
         "#container-hooks"
_LOAD = {"metadata": OBJECT_META}
_NOT_WINDOWS = "Not allowed when spec.os.name is windows."

_FIELDS: dict[str, dict[str, str]] = {
    _C + "Pod": {**_LOAD, "spec": _SPEC,
                 "status": "The pod's state as last observed, which may be stale. Written by the "
                           f"system; read-only. {SPEC_STATUS}"},
    _C + "PodTemplateSpec": {**_LOAD, "spec": _SPEC},
    _C + "PodSpec": {
        "affinity": "Optional scheduling rules relative to nodes and other pods.",
        "dnsConfig": "Additional DNS settings, merged into the configuration generated from "
                     "dnsPolicy.",
        "securityContext": "Pod-wide security attributes and defaults for all containers. "
                           "Empty when omitted; each field's default is given on the "
                           "PodSecurityContext type.",
        "os": _OS_NOTE,
        "resources": "Total cpu and memory requests and limits for the whole pod, shared by its "
                     "containers. Only those two resource names are allowed, and resource "
                     "claims are not. Alpha in 1.32: needs the PodLevelResources feature gate.",
    },
    _C + "PodSecurityContext": {
        "appArmorProfile": f"The AppArmor profile of the pod's containers. {_NOT_WINDOWS}",
        "seLinuxOptions": "SELinux labels for every container of the pod; without them the "
                          "runtime picks a random context per container. A container's own "
                          f"securityContext value wins over this one. {_NOT_WINDOWS}",
        "seccompProfile": f"The seccomp profile of the pod's containers. {_NOT_WINDOWS}",
        "windowsOptions": "Windows settings for every container, used when a container does "
                          "not set its own; a container's own value wins. Not allowed when "
                          "spec.os.name is linux.",
    },
    _C + "SecurityContext": {
        "appArmorProfile": "The AppArmor profile of this container, replacing the pod-level "
                           f"one. {_NOT_WINDOWS}",
        "capabilities": "Capabilities to add or drop; without it the container gets the "
                        f"container runtime's default set. {_NOT_WINDOWS}",
        "seLinuxOptions": "SELinux labels for this container, replacing the pod-level value; "
                          "when neither is set, the runtime assigns a random context. "
                          f"{_NOT_WINDOWS}",
        "seccompProfile": "The seccomp profile of this container; it replaces one set at pod "
                          f"level. {_NOT_WINDOWS}",
        "windowsOptions": "Windows settings for this container; the pod's value applies when it "
                          "is unset, and this one wins when both are. Not allowed when "
                          "spec.os.name is linux.",
    },
    _C + "Container": _CONTAINER,
    _C + "EphemeralContainer": _EPHEMERAL,
    _C + "ContainerState": {"running": "Set while the container runs.",
                            "terminated": "Set once the container has exited.",
                            "waiting": "Set while the container has yet to start, or waits "
                                       "to be restarted."},
    _C + "ContainerStatus": {
        "state": "The container's current state.",
        "lastState": "The state the container was in when it last terminated, kept to help "
                     "debug crashes and restarts. Empty while it is still on its first run "
                     "(restartCount 0).",
        "resources": "The requests and limits actually applied to the running container, at "
                     "start or after a successful resize.",
        "user": "The identity the container's first process started with.",
    },
    _C + "ContainerUser": {"linux": "The uid, gid and groups of the first process on Linux. A "
                                    "process with enough privilege may switch identity "
                                    "afterwards."},
    _C + "Probe": _HANDLER,
    _C + "LifecycleHandler": {
        **_HANDLER,
        "sleep": "Wait for the given number of seconds.",
        "tcpSocket": "Deprecated and not supported for lifecycle hooks; kept only so old "
                     "objects still load. It is not validated, and a hook using it fails when "
                     "it runs.",
    },
    _C + "Lifecycle": {
        "postStart": "Runs right after the container is created. If it fails, the container "
                     "is killed and dealt with according to its restart policy; nothing else "
                     f"happens to the container until the hook returns. {_HOOKS}",
        "preStop": "Runs just before the container is stopped by an API request or a "
                   "management event (failed liveness or startup probe, preemption, resource "
                   "contention, ...), not when the container crashes or exits by itself. The "
                   "termination grace period is already running when the hook starts, and the "
                   "container is stopped by its end whatever the hook does (unless finalizers "
                   "hold things up); until then the kubelet waits for the hook to finish. "
                   f"{_HOOKS}",
    },
    _C + "EnvVar": {"valueFrom": "Where to read the value from; only allowed when value is "
                                 "empty."},
    _C + "EnvVarSource": {
        "configMapKeyRef": "One key of a ConfigMap.",
        "fieldRef": "A field of the pod. Allowed paths: metadata.name, metadata.namespace, "
                    "`metadata.labels['<KEY>']`, `metadata.annotations['<KEY>']`, "
                    "spec.nodeName, spec.serviceAccountName, status.hostIP, status.podIP and "
                    "status.podIPs.",
        "resourceFieldRef": "A resource amount of the container. Allowed: limits.cpu, "
                            "limits.memory, limits.ephemeral-storage, requests.cpu, "
                            "requests.memory and requests.ephemeral-storage.",
        "secretKeyRef": "One key of a Secret from the pod's own namespace.",
    },
    _C + "EnvFromSource": {"configMapRef": "The ConfigMap whose keys are imported.",
                           "secretRef": "The Secret whose keys are imported."},
    _C + "DownwardAPIVolumeFile": {
        "fieldRef": "Required: the pod field written to the file. Allowed: the pod's name, "
                    "namespace, uid, labels and annotations.",
        "resourceFieldRef": "A resource amount of a container to write to the file. Allowed: "
                            "limits.cpu, limits.memory, requests.cpu and requests.memory.",
    },
    _C + "Volume": _VOLUME_SOURCES,
    _C + "VolumeProjection": {
        "secret": "A Secret to project.",
        "downwardAPI": "Downward API data to project.",
        "configMap": "A ConfigMap to project.",
        "serviceAccountToken": "A service account token to project.",
        "clusterTrustBundle": "Writes the .spec.trustBundle of matching ClusterTrustBundle "
                              "objects into a file that is kept up to date. Alpha, behind the "
                              "ClusterTrustBundleProjection feature gate. Bundles are picked "
                              "either by name or by signer name plus a label selector. The "
                              "kubelet normalises the PEM it writes: comments between blocks "
                              "and block headers are dropped, duplicate certificates removed, "
                              "and the order of certificates is arbitrary and may change.",
    },
    _C + "ClusterTrustBundleProjection": {
        "labelSelector": "Picks bundles by label; only used together with signerName, and not "
                         "allowed together with name. Unset, it matches nothing; set but empty, "
                         "it matches every bundle."},
    _C + "CSIVolumeSource": {
        "nodePublishSecretRef": "Optional Secret with sensitive data that is handed to the CSI "
                                "driver in its NodePublishVolume and NodeUnpublishVolume "
                                "calls. Leave it out when the driver needs none; when the "
                                "Secret has several keys, all of them are passed."},
    _C + "CephFSVolumeSource": {"secretRef": "Optional Secret holding the user's "
                                             "authentication key; empty by default."},
    _C + "CinderVolumeSource": {"secretRef": "Optional Secret with the parameters for "
                                             "connecting to OpenStack."},
    _C + "FlexVolumeSource": {"secretRef": "Optional Secret whose content is handed to the "
                                           "plugin scripts; may be omitted, and every key it "
                                           "holds is passed."},
    _C + "ISCSIVolumeSource": {"secretRef": "Secret with the CHAP credentials used to "
                                            "authenticate target and initiator."},
    _C + "RBDVolumeSource": {"secretRef": "Secret with the authentication key of the RBD user; "
                                          "takes the place of the keyring when given. Unset "
                                          "(nil) by default."},
    _C + "ScaleIOVolumeSource": {"secretRef": "Secret with the ScaleIO user's credentials and "
                                              "other sensitive data; without it, logging in "
                                              "fails."},
    _C + "StorageOSVolumeSource": {"secretRef": "Secret holding the StorageOS API credentials; "
                                                "when it is missing, default values are "
                                                "tried."},
    _C + "EphemeralVolumeSource": {
        "volumeClaimTemplate": "Required. The template for the PVC that provisions this volume. "
                               "The PVC is made for the pod, named <pod name>-<volume name>, "
                               "and owned by the pod, so it is deleted along with it; a pod "
                               "whose combined name would not be a valid PVC name (too long, "
                               "say) is rejected. A PVC of that name which already exists and "
                               "belongs to something else is never used: the pod waits until it "
                               "is deleted, or until someone adds the pod as its owner, which "
                               "is mainly useful when repairing a broken cluster by hand. "
                               "Kubernetes does not change the PVC after creating it."},
    _C + "PersistentVolumeClaimTemplate": {
        "metadata": "Labels and annotations to copy into the generated PVC; any other "
                    "metadata field fails validation.",
        "spec": "The claim's spec, copied as it is into the generated PVC; it takes the same "
                "fields as a PersistentVolumeClaim."},
    _C + "PersistentVolumeClaimSpec": {
        "selector": "Limits which volumes may be bound to the claim, by their labels.",
        "resources": "The least the volume must provide. With the "
                     "RecoverVolumeExpansionFailure feature, a request may be lowered again, "
                     "but never below the capacity recorded in the claim's status. See "
                     "https://kubernetes.io/docs/concepts/storage/persistent-volumes#resources",
        "dataSource": "Fills the new volume from an existing VolumeSnapshot "
                      "(snapshot.storage.k8s.io) or PersistentVolumeClaim, as long as a "
                      "provisioner or external controller can do that. With the "
                      "AnyVolumeDataSource gate on and no namespace in dataSourceRef, this "
                      "field and dataSourceRef are kept in step; when dataSourceRef names a "
                      "namespace, it is not copied here.",
        "dataSourceRef": "The object to fill a non-empty volume from: any object of a non-core "
                         "API group, or a PersistentVolumeClaim. Binding only succeeds if an "
                         "installed volume populator or dynamic provisioner handles that kind. "
                         "It supersedes dataSource: without a namespace the two are kept in "
                         "step automatically and must agree if both are set; with a namespace, "
                         "dataSource has to stay empty. Compared with dataSource it accepts any "
                         "non-core kind, reports disallowed values as errors instead of "
                         "silently dropping them, and may point into another namespace. Needs "
                         "the AnyVolumeDataSource gate (beta); its namespace field also needs "
                         "CrossNamespaceVolumeDataSource (alpha).",
    },
    _C + "Affinity": {
        "nodeAffinity": "Node affinity rules of the pod.",
        "podAffinity": "Rules for placing this pod near other pods, e.g. on the same node or "
                       "in the same zone.",
        "podAntiAffinity": "Rules for keeping this pod away from other pods, e.g. off their "
                           "node or out of their zone.",
    },
    _C + "NodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": (
            "A hard rule: the pod is only scheduled onto nodes that match it. If a node stops "
            "matching later (say its labels change), the pod may or may not be evicted.")},
    _C + "PodAffinityTerm": {
        "labelSelector": "Picks the pods this term is about; when null, the term matches no "
                         "pods.",
        "namespaceSelector": "Picks namespaces by label; the term covers these plus those in "
                             "the namespaces list. When both are null or empty, only the pod's "
                             "own namespace counts; an empty selector ({}) means every "
                             "namespace.",
    },
    _C + "WeightedPodAffinityTerm": {"podAffinityTerm": "Required: the term this weight "
                                                        "applies to."},
    _C + "PreferredSchedulingTerm": {"preference": "The node selector term this weight "
                                                   "applies to."},
    _C + "TopologySpreadConstraint": {
        "labelSelector": "Finds the pods to count in each topology domain."},
    _C + "ReplicationController": {
        "metadata": "The controller's metadata. When it has no labels, it takes those of the "
                    f"pods it manages. See {_META_URL}",
        "spec": f"How the replication controller should behave. {SPEC_STATUS}",
        "status": "The controller's state as last observed, which may be out of date. Written "
                  f"by the system; read-only. {SPEC_STATUS}",
    },
    _C + "ReplicationControllerSpec": {
        "template": "The pod to create whenever there are too few replicas; wins over "
                    "templateRef. Its spec.restartPolicy may only be Always. "
                    f"See {_POD_TEMPLATE}"},
    _C + "Service": {**_LOAD,
                     "spec": f"How the service behaves. {SPEC_STATUS}",
                     "status": "The service's state as last observed. Written by the system; "
                               f"read-only. {SPEC_STATUS}"},
    _C + "ServiceSpec": {"sessionAffinityConfig": "Settings for session affinity."},
    _C + "ServiceStatus": {"loadBalancer": "The load balancer provisioned for the service, "
                                           "when there is one."},
    _C + "SessionAffinityConfig": {"clientIP": "Settings for affinity by client IP."},
    _C + "ServiceAccount": _LOAD,
    _C + "Endpoints": _LOAD,
    _C + "EndpointAddress": {"targetRef": "The object, usually a pod, behind this address."},
    _C + "Node": {**_LOAD, "spec": f"How the node is set up. {SPEC_STATUS}",
                  "status": "The node's state as last observed. Written by the system; "
                            f"read-only. {SPEC_STATUS}"},
    _C + "NodeSpec": {"configSource": "Deprecated and unused: it pointed the kubelet at its "
                                      "configuration for the DynamicKubeletConfig feature, "
                                      "which has been removed."},
    _C + "NodeStatus": {
        "daemonEndpoints": "Where the node's daemons listen.",
        "nodeInfo": "IDs, UUIDs and versions that identify the node. See "
                    "https://kubernetes.io/docs/concepts/nodes/node/#info",
        "config": "How the configuration assigned through the removed dynamic kubelet config "
                  "feature is doing.",
        "features": "Features the node's CRI implementation supports.",
    },
    _C + "NodeDaemonEndpoints": {"kubeletEndpoint": "Where the kubelet listens."},
    _C + "NodeConfigSource": {"configMap": "The ConfigMap holding the node's configuration."},
    _C + "NodeConfigStatus": {
        "assigned": "The configuration the node means to use. After spec.configSource "
                    "changes, the node checkpoints the referenced payload on local disk, "
                    "together with a record of intent, and reports that record here only once "
                    "it is saved. On restart, the kubelet loads and validates this checkpoint "
                    "and tries to make it the active configuration.",
        "active": "The saved configuration the node runs with now: the current assigned one or, "
                  "if using that failed, the last-known-good one.",
        "lastKnownGood": "The configuration the node goes back to when the assigned one fails. "
                         "An assigned configuration becomes last-known-good once it proves "
                         "stable, at present when it is still active 10 minutes after the local "
                         "record of it was updated. Resetting spec.configSource to nil (local "
                         "defaults) clears this at once, since local defaults are always "
                         "trusted. How stability is judged may change; do not rely on it.",
    },
    _C + "NodeRuntimeHandler": {"features": "What this handler supports."},
    _C + "Namespace": {**_LOAD, "spec": f"How the namespace behaves. {SPEC_STATUS}",
                       "status": f"The namespace's current state. {SPEC_STATUS}"},
    _C + "Binding": {**_LOAD, "target": "The object to bind to, e.g. the node a pod is "
                                        "assigned to."},
    _C + "ConfigMap": _LOAD,
    _C + "ConfigMapList": {"metadata": LIST_META},
    _C + "Secret": _LOAD,
    _C + "Event": {**_LOAD,
                   "involvedObject": "The object the event is about.",
                   "source": "The component that reported the event; a short name meant for "
                             "machines.",
                   "series": "Information about the series this event belongs to; nil for a "
                             "one-off event.",
                   "related": "An optional second object, for actions that involve more than "
                              "one."},
    _A + "Deployment": {**_LOAD,
                        "spec": "What the Deployment should look like.",
                        "status": "The Deployment's state as last observed."},
    _A + "DeploymentList": {"metadata": LIST_META},
    _A + "DeploymentSpec": {
        "selector": "Picks the pods this Deployment manages; existing ReplicaSets whose pods it "
                    "picks are affected by it. Must match the template's labels.",
        "template": "The pods to create. Its spec.restartPolicy may only be Always.",
        "strategy": "How existing pods are replaced by new ones.",
    },
    _A + "DeploymentStrategy": {"rollingUpdate": "Parameters of a rolling update; only present "
                                                 "when type is RollingUpdate."},
    _A + "ReplicaSet": {
        "metadata": "The ReplicaSet's metadata. When it has no labels, it takes those of the "
                    f"pods it manages. See {_META_URL}",
        "spec": f"How the ReplicaSet should behave. {SPEC_STATUS}",
        "status": "The ReplicaSet's state as last observed, which may be out of date. Written "
                  f"by the system; read-only. {SPEC_STATUS}",
    },
    _A + "ReplicaSetSpec": {
        "selector": "Decides, by label, which pods count towards the replica count; must match "
                    "the template's labels. See https://kubernetes.io/docs/concepts/overview/"
                    "working-with-objects/labels/#label-selectors",
        "template": "The pod to create when there are fewer replicas than wanted. "
                    f"See {_POD_TEMPLATE}",
    },
    "io.k8s.api.coordination.v1.Lease": {
        **_LOAD,
        "spec": f"The lease's holder and timing. {SPEC_STATUS}"},
    "io.k8s.api.coordination.v1.LeaseList": {"metadata": LIST_META},
    "io.k8s.api.discovery.v1.EndpointSlice": _LOAD,
    "io.k8s.api.discovery.v1.EndpointSliceList": {"metadata": LIST_META},
    "io.k8s.api.discovery.v1.Endpoint": {
        "conditions": "Whether the endpoint is ready, serving or terminating right now.",
        "targetRef": "The Kubernetes object, typically a pod, this endpoint stands for.",
        "hints": "Advice on how consumers should route to this endpoint."},
    "io.k8s.api.events.v1.Event": {
        **_LOAD,
        "regarding": "The object the event is about. Usually one the reporting controller "
                     "manages: the ReplicaSet controller, say, reports about a ReplicaSet it "
                     "acted on.",
        "related": "An optional second object, for actions that involve two, e.g. an object "
                   "created or deleted because of the first.",
        "series": "Data about the series this event stands for; nil for a one-off event.",
        "deprecatedSource": "Legacy field, kept for compatibility with the core/v1 Event "
                            "type.",
    },
    "io.k8s.api.events.v1.EventList": {"metadata": LIST_META},
    "io.k8s.api.autoscaling.v1.Scale": {
        **_LOAD,
        "spec": f"The desired scale. {SPEC_STATUS}",
        "status": f"The observed scale; read-only. {SPEC_STATUS}"},
    "io.k8s.api.policy.v1.Eviction": {
        "metadata": "Identifies the pod to evict.",
        "deleteOptions": "Optional delete options to apply when the pod is removed."},
    "io.k8s.api.authentication.v1.TokenRequest": {
        **_LOAD,
        "spec": "The parameters of the request.",
        "status": "Set by the server: the issued token and when it expires."},
    "io.k8s.api.authentication.v1.TokenRequestSpec": {
        "boundObjectRef": "An object to tie the token to: the token stops being valid once "
                          "that object is gone. The API server's TokenReview checks this, but "
                          "other audiences may not, so keep expirationSeconds short when quick "
                          "revocation matters."},
    _M + "APIGroup": {"preferredVersion": "The version the server would like clients to use, "
                                          "usually the one it stores objects in."},
    _M + "DeleteOptions": {"preconditions": "Conditions that must hold for the deletion to go "
                                            "ahead; if they do not, the server answers 409 "
                                            "Conflict."},
    _M + "Status": {
        "metadata": LIST_META,
        "details": "More data about the reason. Its shape depends on the reason; it is "
                   "optional and follows no schema beyond what that reason defines."},
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
