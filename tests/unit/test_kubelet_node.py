"""The kind-shaped nodes: names, addresses, CIDRs, labels, taints and the status posted."""

from __future__ import annotations

import random

from kitlib.sim.kubelet.node import (identities, lease_object, node_names, node_object,
                                     node_status, status_differs)


def test_names_as_kind_gives_them() -> None:
    assert node_names(1) == ["kit-control-plane"]
    assert node_names(4) == ["kit-control-plane", "kit-worker", "kit-worker2", "kit-worker3"]


def test_identities() -> None:
    nodes = identities(3, rng=random.Random(1))
    assert [(n.internal_ip, n.pod_cidr) for n in nodes] == [
        ("172.18.0.2", "10.244.0.0/24"), ("172.18.0.3", "10.244.1.0/24"),
        ("172.18.0.4", "10.244.2.0/24")]
    assert [(n.control_plane, n.tainted) for n in nodes] == [(True, True), (False, False),
                                                             (False, False)]
    assert nodes == identities(3, rng=random.Random(1))          # seeded: the same IDs
    single = identities(1, rng=random.Random(1))[0]
    assert single.control_plane and not single.tainted
    assert "taints" not in node_object(single)["spec"]


def test_node_object_and_status() -> None:
    plane = identities(2, rng=random.Random(1))[0]
    node = node_object(plane)
    assert node["spec"]["taints"] == [{"key": "node-role.kubernetes.io/control-plane",
                                       "effect": "NoSchedule"}]
    assert node["spec"]["providerID"] == "kind://docker/kit/kit-control-plane"
    assert node["metadata"]["labels"]["node.kubernetes.io/exclude-from-external-load-balancers"] \
        == ""
    status = node_status(plane, runtime="containerd://2.0.2", previous={}, now="T1")
    assert [c["type"] for c in status["conditions"]] == ["MemoryPressure", "DiskPressure",
                                                         "PIDPressure", "Ready"]
    assert status["nodeInfo"]["kubeletVersion"] == "v1.32.2"
    later = node_status(plane, runtime="containerd://2.0.2", previous=status, now="T2")
    assert {c["lastTransitionTime"] for c in later["conditions"]} == {"T1"}
    assert {c["lastHeartbeatTime"] for c in later["conditions"]} == {"T2"}
    assert not status_differs(status, later)
    quiet = node_status(plane, runtime="containerd://2.0.2", previous=status, now="T3",
                        heartbeat=False)
    assert {c["lastHeartbeatTime"] for c in quiet["conditions"]} == {"T1"}
    lost = dict(status, conditions=[dict(c, status="Unknown") if c["type"] == "Ready" else c
                                    for c in status["conditions"]])
    back = node_status(plane, runtime="containerd://2.0.2", previous=lost, now="T4",
                       heartbeat=False)
    assert status_differs(lost, back)
    assert back["conditions"][-1]["lastTransitionTime"] == "T4"


def test_lease() -> None:
    worker = identities(2, rng=random.Random(1))[1]
    lease = lease_object(worker, node_uid="uid", renew="2026-01-01T00:00:00.000000Z")
    assert lease["spec"] == {"holderIdentity": "kit-worker", "leaseDurationSeconds": 40,
                             "renewTime": "2026-01-01T00:00:00.000000Z"}
    assert lease["metadata"]["namespace"] == "kube-node-lease"
