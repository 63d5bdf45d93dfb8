"""The nodes as kind makes them, registered and kept alive by their kubelets.

``kubectl get nodes -o wide`` shows kit-control-plane (role control-plane, tainted),
kit-worker and kit-worker2, Ready, v1.32.2, on 172.18.0.x with containerd 2.0.2.  Each
kubelet renews its Lease in kube-node-lease every 10 s; a stopped kubelet stops renewing.
A one-node cluster keeps its control plane untainted, as kind does.  A cluster restarted
from its state file finds its nodes and pods as it left them.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

import pytest
from kubernetes import client

from kitlib.sim.cluster import SimConfig, ThreadedCluster
from tests.cluster.kubelet_lab import (advance, container, in_loop, is_ready, kubectl,
                                       make_pod, pod, wait_for)

NODES = ("kit-control-plane", "kit-worker", "kit-worker2")


@pytest.fixture
def core(api_client: Any) -> client.CoreV1Api:
    return client.CoreV1Api(api_client)


@pytest.fixture
def leases(api_client: Any) -> client.CoordinationV1Api:
    return client.CoordinationV1Api(api_client)


def renewed(leases: client.CoordinationV1Api, node: str) -> datetime:
    return leases.read_namespaced_lease(node, "kube-node-lease").spec.renew_time


def test_get_nodes_wide(sim: Any, kubectl_path: str) -> None:
    out = kubectl(sim, kubectl_path, "get", "nodes", "-o", "wide")
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP",
                                "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION",
                                "CONTAINER-RUNTIME"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert sorted(rows) == sorted(NODES)
    for index, name in enumerate(NODES):
        role = "control-plane" if index == 0 else "<none>"
        assert re.match(rf"{name}\s+Ready\s+{role}\s+\S+\s+v1\.32\.2\s+172\.18\.0\.{2 + index}"
                        r"\s+<none>\s+Debian GNU/Linux 12 \(bookworm\)\s+\S+\s+"
                        r"containerd://2\.0\.2$", rows[name]), rows[name]


def test_node_objects_look_like_kind(core: client.CoreV1Api) -> None:
    plane, worker = core.read_node("kit-control-plane"), core.read_node("kit-worker2")
    assert plane.metadata.labels["node-role.kubernetes.io/control-plane"] == ""
    assert [(t.key, t.effect) for t in plane.spec.taints] == [
        ("node-role.kubernetes.io/control-plane", "NoSchedule")]
    assert worker.spec.taints is None
    assert worker.metadata.labels == {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": "kit-worker2",
        "kubernetes.io/os": "linux"}
    assert (plane.spec.pod_cidr, worker.spec.pod_cid_rs) == ("10.244.0.0/24", ["10.244.2.0/24"])
    assert worker.spec.provider_id == "kind://docker/kit/kit-worker2"
    status = worker.status
    assert status.capacity["pods"] == "110" and status.allocatable == status.capacity
    assert [(c.type, c.status, c.reason) for c in status.conditions] == [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID"),
        ("Ready", "True", "KubeletReady")]
    assert status.conditions[-1].message == "kubelet is posting ready status"
    assert [(a.type, a.address) for a in status.addresses] == [("InternalIP", "172.18.0.4"),
                                                               ("Hostname", "kit-worker2")]
    assert status.daemon_endpoints.kubelet_endpoint.port == 10250
    info = status.node_info
    assert (info.kubelet_version, info.container_runtime_version, info.os_image,
            info.operating_system, info.architecture) == (
        "v1.32.2", "containerd://2.0.2", "Debian GNU/Linux 12 (bookworm)", "linux", "amd64")
    assert re.fullmatch(r"[0-9a-f]{32}", info.machine_id)
    events = core.list_namespaced_event(
        "default", field_selector="involvedObject.name=kit-worker2,source=kubelet").items
    assert {"Starting", "NodeReady", "NodeHasSufficientMemory"} <= {e.reason for e in events}


def test_leases_renew_and_stop_with_the_kubelet(sim: Any,
                                                leases: client.CoordinationV1Api) -> None:
    lease = leases.read_namespaced_lease("kit-worker", "kube-node-lease")
    assert (lease.spec.holder_identity, lease.spec.lease_duration_seconds) == ("kit-worker", 40)
    assert lease.metadata.owner_references[0].kind == "Node"
    before = {node: renewed(leases, node) for node in NODES}
    fleet = sim.cluster.fleet
    in_loop(sim, fleet.stop_kubelet, "kit-worker2")
    try:
        advance(sim, 10)
        wait_for(lambda: renewed(leases, "kit-worker") > before["kit-worker"],
                 what="kit-worker renewing")
        assert renewed(leases, "kit-control-plane") > before["kit-control-plane"]
        assert renewed(leases, "kit-worker2") == before["kit-worker2"]
    finally:
        in_loop(sim, fleet.start_kubelet, "kit-worker2")
    advance(sim, 10)
    wait_for(lambda: renewed(leases, "kit-worker2") > before["kit-worker2"],
             what="kit-worker2 renewing again")


def test_pods_go_on_once_the_kubelet_is_back(core: client.CoreV1Api, sim: Any,
                                             namespace: str) -> None:
    fleet = sim.cluster.fleet
    in_loop(sim, fleet.stop_kubelet, "kit-worker")
    try:
        make_pod(core, namespace, "waits", [container("web", "nginx")])
        advance(sim, 1)
        assert pod(core, namespace, "waits").status.container_statuses is None
    finally:
        in_loop(sim, fleet.start_kubelet, "kit-worker")
    wait_for(lambda: is_ready(core, namespace, "waits"), what="Ready once the kubelet is back")


@pytest.fixture(scope="module")
def single() -> Iterator[ThreadedCluster]:
    with ThreadedCluster(SimConfig(seed=2, nodes=1)) as cluster:
        yield cluster


def test_single_node_cluster_has_an_untainted_control_plane(single: ThreadedCluster) -> None:
    api = single.cluster.context.client("test")
    wait_for(lambda: api.list("nodes"), what="the node")
    nodes = api.list("nodes")
    assert [n["metadata"]["name"] for n in nodes] == ["kit-control-plane"]
    assert "taints" not in nodes[0]["spec"]
    assert "node-role.kubernetes.io/control-plane" in nodes[0]["metadata"]["labels"]


def test_restart_from_state_keeps_nodes_and_pods(tmp_path: Path) -> None:
    config = SimConfig(seed=3, nodes=2, state=tmp_path / "state.db")
    with ThreadedCluster(config) as first:
        api = first.cluster.context.client("test")
        wait_for(lambda: api.get("nodes", name="kit-worker"), what="the worker")
        first.call(api.create("pods", {"metadata": {"name": "keep"}, "spec": {
            "nodeName": "kit-worker", "containers": [{"name": "web", "image": "nginx"}]}},
            namespace="default"))
        wait_for(lambda: (api.get("pods", namespace="default", name="keep")["status"]
                          .get("phase")) == "Running", what="Running")
        time.sleep(0.2)                         # let the last status write land
        saved = api.get("pods", namespace="default", name="keep")
        node_uid = api.get("nodes", name="kit-worker")["metadata"]["uid"]
    with ThreadedCluster(SimConfig(seed=3, nodes=2, state=tmp_path / "state.db")) as second:
        api = second.cluster.context.client("test")
        time.sleep(0.5)
        again = api.get("pods", namespace="default", name="keep")
        assert again == saved                   # not a byte written
        assert api.get("nodes", name="kit-worker")["metadata"]["uid"] == node_uid
        kubelet = second.cluster.fleet.kubelet("kit-worker")
        worker = kubelet.worker_for("default", "keep")
        assert worker is not None and worker.book.containers[0].state == "running"
        assert saved["status"]["podIP"] in kubelet.ips


import time  # noqa: E402  (used by the restart test only)
