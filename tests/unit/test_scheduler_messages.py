"""FailedScheduling texts, golden: the wording, counts and order kube-scheduler 1.32 prints."""

from __future__ import annotations

import random
from typing import Any

from kitlib.sim.scheduler import messages
from kitlib.sim.scheduler.algorithm import schedule_pod
from kitlib.sim.scheduler.cache import Cache, NodeInfo
from kitlib.sim.scheduler.podinfo import pod_info

CONTROL_PLANE = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
TOLERATIONS = [{"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                "effect": "NoExecute", "tolerationSeconds": 300},
               {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                "effect": "NoExecute", "tolerationSeconds": 300}]


def kind_cluster(workers: int = 2, **allocatable: str) -> list[NodeInfo]:
    cache = Cache()
    names = ["kit-control-plane"] + [f"kit-worker{i if i > 1 else ''}"
                                     for i in range(1, workers + 1)]
    for name in names:
        cache.set_node({
            "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
            "spec": {"taints": [CONTROL_PLANE] if name.endswith("control-plane") else []},
            "status": {"allocatable": {"cpu": "8", "memory": "16318284Ki", "pods": "110",
                                       **allocatable}}})
    return cache.node_list()


def pod(**spec: Any) -> Any:
    containers = spec.pop("containers", [{"name": "nginx", "image": "nginx"}])
    return pod_info({"metadata": {"name": "nginx", "namespace": "default", "uid": "u1"},
                     "spec": {"containers": containers, "tolerations": TOLERATIONS,
                              "priority": 0, **spec}})


def message(nodes: list[NodeInfo], **spec: Any) -> str:
    decision = schedule_pod(pod(**spec), nodes, rng=random.Random(1))
    assert not decision.node
    return decision.message


def test_node_selector_on_a_kind_cluster() -> None:
    assert message(kind_cluster(), nodeSelector={"disktype": "ssd"}) == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node "
        "affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful "
        "for scheduling.")


def test_insufficient_cpu_mixes_both_preemption_reasons() -> None:
    big = [{"name": "nginx", "image": "nginx", "resources": {"requests": {"cpu": "100"}}}]
    assert message(kind_cluster(), containers=big) == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes "
        "are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims "
        "found for incoming pod.")


def test_one_node_can_give_several_reasons() -> None:
    huge = [{"name": "nginx", "image": "nginx",
             "resources": {"requests": {"cpu": "100", "memory": "100Gi"}}}]
    assert message(kind_cluster(), containers=huge) == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu, 2 Insufficient memory. "
        "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod.")


def test_counts_sort_as_strings() -> None:
    # Go's sort.Strings on "<count> <reason>": "10 ..." comes before "2 ...".
    assert messages.histogram([("b",)] * 2 + [("a",)] * 10) == ["10 a", "2 b"]
    nodes = kind_cluster(workers=11)
    assert message(nodes, nodeSelector={"disktype": "ssd"}).startswith(
        "0/12 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 11 node(s) didn't match Pod's node "
        "affinity/selector.")


def test_no_nodes_at_all() -> None:
    assert message([]) == "no nodes available to schedule pods"


def test_preemption_policy_never() -> None:
    assert message(kind_cluster(), nodeSelector={"a": "b"}, preemptionPolicy="Never") == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node "
        "affinity/selector. preemption: not eligible due to preemptionPolicy=Never.")


def test_nodes_left_out_by_match_fields() -> None:
    # A DaemonSet pod names its node: the others are "absent", counted under NodeAffinity.
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchFields": [
            {"key": "metadata.name", "operator": "In", "values": ["kit-worker"]}]}]}}}
    big = [{"name": "nginx", "image": "nginx", "resources": {"requests": {"cpu": "100"}}}]
    assert message(kind_cluster(), affinity=affinity, containers=big) == (
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) "
        "[NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found "
        "for incoming pod, 2 Preemption is not helpful for scheduling.")


def test_conflicting_match_fields() -> None:
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchFields": [
            {"key": "metadata.name", "operator": "In", "values": ["kit-worker"]},
            {"key": "metadata.name", "operator": "In", "values": ["kit-worker2"]}]}]}}}
    assert message(kind_cluster(), affinity=affinity) == (
        "0/3 nodes are available: pod affinity terms conflict. preemption: 0/3 nodes are "
        "available: 3 Preemption is not helpful for scheduling.")


def test_cordoned_and_too_many_pods() -> None:
    nodes = kind_cluster(pods="0")
    nodes[1].unschedulable = True
    assert message(nodes) == (
        "0/3 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. preemption: "
        "0/3 nodes are available: 1 No preemption victims found for incoming pod, "
        "2 Preemption is not helpful for scheduling.")


def test_lower_priority_pods_that_would_not_make_room() -> None:
    nodes = kind_cluster(cpu="1")
    small = pod_info({"metadata": {"name": "low", "namespace": "default", "uid": "low"},
                      "spec": {"containers": [{"name": "c", "resources": {
                          "requests": {"cpu": "100m"}}}], "priority": 0}})
    nodes[1].add_pod(small)
    big = [{"name": "nginx", "image": "nginx", "resources": {"requests": {"cpu": "2"}}}]
    # Evicting "low" from kit-worker would still leave too little: the filter's reason again.
    assert message(nodes, containers=big, priority=1000) == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes "
        "are available: 1 Insufficient cpu, 1 No preemption victims found for incoming pod, "
        "1 Preemption is not helpful for scheduling.")


def test_note_is_cut_at_1024_bytes() -> None:
    long = "x" * 2000
    cut = messages.truncate_note(long)
    assert len(cut.encode()) == 1024 and cut.endswith(" ...")
    assert messages.truncate_note("short") == "short"


def test_scheduled_note() -> None:
    assert messages.scheduled("default", "nginx", "kit-worker") == (
        "Successfully assigned default/nginx to kit-worker")
