"""Golden rows for ``kubectl get nodes``."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from kitlib.sim.printers import to_table

JSON = dict[str, Any]
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


def node(name: str = "kind-control-plane", *, ready: str | None = "True",
         labels: JSON | None = None, unschedulable: bool = False,
         addresses: list[JSON] | None = None, info: JSON | None = None) -> JSON:
    conditions = [{"lastHeartbeatTime": "2024-05-01T11:59:00Z",
                   "lastTransitionTime": "2024-04-20T08:00:00Z",
                   "message": "kubelet has sufficient memory available",
                   "reason": "KubeletHasSufficientMemory", "status": "False",
                   "type": "MemoryPressure"}]
    if ready is not None:
        conditions.append({"lastHeartbeatTime": "2024-05-01T11:59:00Z",
                           "lastTransitionTime": "2024-04-20T08:00:30Z",
                           "message": "kubelet is posting ready status",
                           "reason": "KubeletReady", "status": ready, "type": "Ready"})
    spec: JSON = {"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"],
                  "providerID": f"kind://docker/kind/{name}"}
    if unschedulable:
        spec["unschedulable"] = True
        spec["taints"] = [{"effect": "NoSchedule", "key": "node.kubernetes.io/unschedulable",
                           "timeAdded": "2024-05-01T11:00:00Z"}]
    default_info = {"architecture": "amd64", "bootID": "b1", "containerRuntimeVersion":
                    "containerd://1.7.18", "kernelVersion": "6.8.0-31-generic",
                    "kubeProxyVersion": "v1.32.0", "kubeletVersion": "v1.32.0",
                    "machineID": "m1", "operatingSystem": "linux",
                    "osImage": "Debian GNU/Linux 12 (bookworm)", "systemUUID": "s1"}
    return {"kind": "Node", "apiVersion": "v1",
            "metadata": {"name": name, "uid": "n-" + name, "resourceVersion": "600",
                         "creationTimestamp": "2024-04-20T08:00:00Z",
                         "labels": labels if labels is not None else {
                             "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                             "node-role.kubernetes.io/control-plane": ""}},
            "spec": spec,
            "status": {"addresses": addresses if addresses is not None else [
                           {"address": "172.18.0.2", "type": "InternalIP"},
                           {"address": name, "type": "Hostname"}],
                       "conditions": conditions, "nodeInfo": info or default_info}}


def cells(obj: JSON) -> list[Any]:
    table = to_table(group="", resource="nodes", objects=[obj], now=NOW, resource_version="9")
    return table["rows"][0]["cells"]


def test_ready_control_plane_node() -> None:
    assert cells(node()) == ["kind-control-plane", "Ready", "control-plane", "11d", "v1.32.0",
                             "172.18.0.2", "<none>", "Debian GNU/Linux 12 (bookworm)",
                             "6.8.0-31-generic", "containerd://1.7.18"]


def test_cordoned_and_not_ready_nodes() -> None:
    assert cells(node(unschedulable=True))[1] == "Ready,SchedulingDisabled"
    assert cells(node(ready="False"))[1] == "NotReady"
    assert cells(node(ready="Unknown"))[1] == "NotReady"
    assert cells(node(ready=None, unschedulable=True))[1] == "Unknown,SchedulingDisabled"


def test_roles() -> None:
    worker = node("kind-worker", labels={"kubernetes.io/hostname": "kind-worker"})
    assert cells(worker)[2] == "<none>"
    several = node(labels={"node-role.kubernetes.io/worker": "", "kubernetes.io/role": "infra",
                           "node-role.kubernetes.io/": "", "node-role.kubernetes.io/etcd": "x"})
    assert cells(several)[2] == "etcd,infra,worker"


def test_addresses_and_missing_info() -> None:
    obj = node(addresses=[{"address": "203.0.113.5", "type": "ExternalIP"},
                          {"address": "10.0.0.5", "type": "InternalIP"},
                          {"address": "203.0.113.6", "type": "ExternalIP"}],
               info={"kubeletVersion": "v1.32.0"})
    assert cells(obj)[5:] == ["10.0.0.5", "203.0.113.5", "<unknown>", "<unknown>",
                              "<unknown>"]


def test_node_columns() -> None:
    table = to_table(group="", resource="nodes", objects=[], now=NOW, resource_version="9")
    assert [(c["name"], c["priority"]) for c in table["columnDefinitions"]] == [
        ("Name", 0), ("Status", 0), ("Roles", 0), ("Age", 0), ("Version", 0),
        ("Internal-IP", 1), ("External-IP", 1), ("OS-Image", 1), ("Kernel-Version", 1),
        ("Container-Runtime", 1)]
    assert table["columnDefinitions"][1]["description"] == (
        "Ready or NotReady from the node's Ready condition (Unknown without one), plus "
        "SchedulingDisabled when it is cordoned.")
