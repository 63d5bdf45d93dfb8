"""The Node objects the kubelets register, shaped like the nodes of a kind cluster.

``kind create cluster`` with N nodes gives ``kit-control-plane``, ``kit-worker``,
``kit-worker2``, ...: Debian containers on the docker network 172.18.0.0/16, each with a
/24 of the pod network 10.244.0.0/16, running kubelet v1.32.2 and containerd 2.0.2.  The
control-plane node carries kubeadm's role labels and its NoSchedule taint, except in a
single-node cluster, where kind removes the taint so that workloads can run.  What a
kubelet reports (capacity, conditions, addresses, nodeInfo) follows the real kubelet's
setters, field for field.
"""

from __future__ import annotations

import ipaddress
import random
import uuid
from dataclasses import dataclass, replace
from typing import Any

JSON = dict[str, Any]

KUBELET_VERSION = "v1.32.2"
KUBELET_PORT = 10250
OS_IMAGE = "Debian GNU/Linux 12 (bookworm)"
KERNEL_VERSION = "6.8.0-51-generic"
NODE_NETWORK = ipaddress.ip_network("172.18.0.0/16")
POD_NETWORK = ipaddress.ip_network("10.244.0.0/16")
CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane"
#: What every kind node has (the host's resources, seen from each node container).
CAPACITY = {"cpu": "8", "ephemeral-storage": "102626232Ki", "hugepages-1Gi": "0",
            "hugepages-2Mi": "0", "memory": "16318284Ki", "pods": "110"}
LEASE_NAMESPACE = "kube-node-lease"
LEASE_DURATION = 40

#: (type, reason, message) of each condition while all is well, in the kubelet's order.
HEALTHY_CONDITIONS = (
    ("MemoryPressure", "False", "KubeletHasSufficientMemory",
     "kubelet has sufficient memory available"),
    ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
)


#: The events a kubelet records when a condition turns to (type, status).
CONDITION_EVENTS = {
    ("MemoryPressure", "False"): "NodeHasSufficientMemory",
    ("MemoryPressure", "True"): "NodeHasInsufficientMemory",
    ("DiskPressure", "False"): "NodeHasNoDiskPressure",
    ("DiskPressure", "True"): "NodeHasDiskPressure",
    ("PIDPressure", "False"): "NodeHasSufficientPID",
    ("PIDPressure", "True"): "NodeHasInsufficientPID",
    ("Ready", "True"): "NodeReady",
    ("Ready", "False"): "NodeNotReady",
}


@dataclass(frozen=True, kw_only=True)
class NodeIdentity:
    """Everything fixed about one simulated node."""

    name: str
    cluster: str
    internal_ip: str
    pod_cidr: str
    control_plane: bool
    tainted: bool
    machine_id: str
    system_uuid: str
    boot_id: str

    @property
    def gateway(self) -> str:
        return str(ipaddress.ip_network(self.pod_cidr).network_address + 1)

    def adopt(self, node: JSON) -> NodeIdentity:
        """The same node as already registered: keep the IDs it reported before."""
        info = (node.get("status") or {}).get("nodeInfo") or {}
        return replace(self, machine_id=info.get("machineID") or self.machine_id,
                       system_uuid=info.get("systemUUID") or self.system_uuid,
                       boot_id=info.get("bootID") or self.boot_id)


def node_names(count: int, *, cluster: str = "kit") -> list[str]:
    """kind's names: NAME-control-plane, NAME-worker, NAME-worker2, ..."""
    names = [f"{cluster}-control-plane"]
    names += [f"{cluster}-worker" + (str(i) if i > 1 else "") for i in range(1, count)]
    return names


def identities(count: int, *, rng: random.Random, cluster: str = "kit") -> list[NodeIdentity]:
    out = []
    for index, name in enumerate(node_names(count, cluster=cluster)):
        out.append(NodeIdentity(
            name=name, cluster=cluster,
            internal_ip=str(NODE_NETWORK.network_address + 2 + index),
            pod_cidr=str(ipaddress.ip_network(
                (int(POD_NETWORK.network_address) + (index << 8), 24))),
            control_plane=index == 0, tainted=index == 0 and count > 1,
            machine_id=f"{rng.getrandbits(128):032x}",
            system_uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            boot_id=str(uuid.UUID(int=rng.getrandbits(128), version=4))))
    return out


def node_labels(identity: NodeIdentity) -> dict[str, str]:
    labels = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": identity.name,
              "kubernetes.io/os": "linux"}
    if identity.control_plane:
        labels[CONTROL_PLANE_ROLE] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    return labels


def node_object(identity: NodeIdentity) -> JSON:
    """The Node as first registered (metadata and spec; status is posted separately)."""
    spec: JSON = {"podCIDR": identity.pod_cidr, "podCIDRs": [identity.pod_cidr],
                  "providerID": f"kind://docker/{identity.cluster}/{identity.name}"}
    if identity.tainted:
        spec["taints"] = [{"key": CONTROL_PLANE_ROLE, "effect": "NoSchedule"}]
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {
            "name": identity.name, "labels": node_labels(identity),
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket":
                    "unix:///run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
        "spec": spec,
    }


def conditions(previous: list[JSON], *, now: str, heartbeat: bool) -> list[JSON]:
    """The kubelet's four conditions.  A transition time changes only with the status; the
    heartbeat time moves when ``heartbeat`` (each report), else it stays as it was."""
    before = {c.get("type"): c for c in previous if isinstance(c, dict)}
    out = []
    for kind, status, reason, message in HEALTHY_CONDITIONS:
        old = before.get(kind) or {}
        same = old.get("status") == status
        out.append({"type": kind, "status": status,
                    "lastHeartbeatTime": now if heartbeat or not same
                    else old.get("lastHeartbeatTime", now),
                    "lastTransitionTime": old.get("lastTransitionTime", now) if same else now,
                    "reason": reason, "message": message})
    # Conditions others added (a node-problem-detector, a test) are kept.
    out += [c for kind, c in before.items() if kind not in {h[0] for h in HEALTHY_CONDITIONS}]
    return out


def node_status(identity: NodeIdentity, *, runtime: str, previous: JSON, now: str,
                heartbeat: bool = True) -> JSON:
    """status as the kubelet posts it, keeping transition times from ``previous``."""
    return {
        "capacity": dict(CAPACITY),
        "allocatable": dict(CAPACITY),
        "conditions": conditions(previous.get("conditions") or [], now=now, heartbeat=heartbeat),
        "addresses": [{"type": "InternalIP", "address": identity.internal_ip},
                      {"type": "Hostname", "address": identity.name}],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": KUBELET_PORT}},
        "nodeInfo": {
            "machineID": identity.machine_id, "systemUUID": identity.system_uuid,
            "bootID": identity.boot_id, "kernelVersion": KERNEL_VERSION, "osImage": OS_IMAGE,
            "containerRuntimeVersion": runtime, "kubeletVersion": KUBELET_VERSION,
            "kubeProxyVersion": KUBELET_VERSION, "operatingSystem": "linux",
            "architecture": "amd64"},
        "runtimeHandlers": [
            {"name": "", "features": {"recursiveReadOnlyMounts": True, "userNamespaces": True}},
            {"name": "runc",
             "features": {"recursiveReadOnlyMounts": True, "userNamespaces": True}}],
    }


def status_differs(current: JSON, wanted: JSON) -> bool:
    """Whether posting ``wanted`` changes anything beyond heartbeat times."""
    def strip(status: JSON) -> JSON:
        copy = {k: v for k, v in status.items() if k != "conditions"}
        copy["conditions"] = [{k: v for k, v in c.items() if k != "lastHeartbeatTime"}
                              for c in status.get("conditions") or []]
        return copy
    return strip(current) != strip(wanted)


def lease_object(identity: NodeIdentity, *, node_uid: str, renew: str) -> JSON:
    return {
        "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
        "metadata": {"name": identity.name, "namespace": LEASE_NAMESPACE,
                     "ownerReferences": [{"apiVersion": "v1", "kind": "Node",
                                          "name": identity.name, "uid": node_uid}]},
        "spec": {"holderIdentity": identity.name, "leaseDurationSeconds": LEASE_DURATION,
                 "renewTime": renew},
    }
