"""Scores and choices: spreading replicas, resource scores, ties, determinism, speed."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from kitlib.sim.scheduler.algorithm import schedule_pod
from kitlib.sim.scheduler.cache import Cache
from kitlib.sim.scheduler.podinfo import pod_info
from kitlib.sim.scheduler.scoring import (balanced_allocation, default_normalize,
                                          least_allocated, pod_topology_spread, total_scores)

CONTROL_PLANE = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def cluster(workers: int, *, cpu: str = "8", memory: str = "16Gi", pods: str = "110",
            zones: int = 0) -> Cache:
    cache = Cache()
    for i in range(workers + 1):
        name = "cp" if i == 0 else f"w{i:03}"
        labels = {"kubernetes.io/hostname": name}
        if zones:
            labels["topology.kubernetes.io/zone"] = f"z{i % zones}"
        cache.set_node({"metadata": {"name": name, "labels": labels},
                        "spec": {"taints": [CONTROL_PLANE] if i == 0 else []},
                        "status": {"allocatable": {"cpu": cpu, "memory": memory, "pods": pods}}})
    return cache


def replica(i: int, *, owner: str = "rs-1", kind: str = "ReplicaSet",
            requests: dict[str, str] | None = None, **spec: Any) -> Any:
    container: dict[str, Any] = {"name": "c", "image": "nginx"}
    if requests:
        container["resources"] = {"requests": requests}
    meta: dict[str, Any] = {"name": f"web-{owner}-{i}", "namespace": "default",
                            "uid": f"{owner}{i}"}
    if owner:
        meta["ownerReferences"] = [{"kind": kind, "name": owner, "uid": owner, "controller": True}]
    return pod_info({"metadata": meta, "spec": {"containers": [container], **spec}})


def place(cache: Cache, pods: list[Any], seed: int = 1) -> Counter[str]:
    rng = random.Random(seed)
    placed: Counter[str] = Counter()
    for pod in pods:
        decision = schedule_pod(pod, cache.node_list(), rng=rng)
        assert decision.node, decision.message
        cache.add_pod(pod, decision.node)
        placed[decision.node] += 1
    return placed


def test_replicas_spread_evenly_and_skip_the_control_plane() -> None:
    placed = place(cluster(2), [replica(i) for i in range(10)])
    assert placed == {"w001": 5, "w002": 5}


def test_replicas_of_two_replica_sets_spread_independently() -> None:
    cache = cluster(3)
    place(cache, [replica(i, owner="a") for i in range(3)])
    # A second set's replicas spread too, one per node, whatever the first left behind.
    placed = place(cache, [replica(i, owner="b") for i in range(3)])
    assert sorted(placed.values()) == [1, 1, 1]


def test_spreading_over_many_nodes_stays_within_one() -> None:
    placed = place(cluster(40), [replica(i) for i in range(200)])
    assert len(placed) == 40 and max(placed.values()) - min(placed.values()) <= 1


def test_bare_pods_spread_by_least_allocated() -> None:
    placed = place(cluster(2), [replica(i, owner="") for i in range(6)])
    assert placed == {"w001": 3, "w002": 3}


def test_same_seed_same_placement() -> None:
    pods = [replica(i, owner="") for i in range(30)]

    def run(seed: int) -> list[str]:
        cache, rng, out = cluster(5), random.Random(seed), []
        for pod in pods:
            node = schedule_pod(pod, cache.node_list(), rng=rng).node
            cache.add_pod(pod, node)
            out.append(node)
        return out

    assert run(7) == run(7)
    assert any(run(7) != run(s) for s in range(8, 14))    # ties really are drawn at random


def test_least_allocated_and_balanced_scores() -> None:
    cache = cluster(1, cpu="4", memory="8Gi")
    node = cache.nodes["w001"]
    pod = replica(0, owner="", requests={"cpu": "1", "memory": "1Gi"})
    # cpu: (4000-1000)*100/4000 = 75; memory: (8Gi-1Gi)*100/8Gi = 87 -> (75+87)//2
    assert least_allocated(pod, node) == 81
    # fractions 0.25 and 0.125: 1 - 0.0625 -> 93
    assert balanced_allocation(pod, node) == 93
    # Without requests, the non-zero defaults count for the least-allocated score.
    empty = replica(1, owner="")
    assert least_allocated(empty, node) == ((4000 - 100) * 100 // 4000
                                            + (8 * 2**30 - 200 * 2**20) * 100 // (8 * 2**30)) // 2
    assert balanced_allocation(empty, node) == 100


def test_topology_spread_normalization() -> None:
    cache = cluster(3)
    for i in range(4):
        cache.add_pod(replica(i), "w001")
    cache.add_pod(replica(9), "w002")
    feasible = [cache.nodes[n] for n in ("w001", "w002", "w003")]
    scores = pod_topology_spread(replica(10), feasible, cache.node_list())
    # raw = count*ln(5) + 2 -> 8, 4, 2 (rounded); 100*(8+2-s)/8
    assert scores == [25, 75, 100]
    # Zones, when labelled, add their own term: z0 holds both replicas.
    # raw = host count*ln(6) + 2  +  zone count*ln(4) + 4  ->  6, 11, 6, 11; 100*(17-s)/11
    zoned = cluster(4, zones=2)
    zoned.add_pod(replica(0), "w002")
    zoned.add_pod(replica(1), "w004")
    feasible = [zoned.nodes[f"w00{i}"] for i in range(1, 5)]
    assert pod_topology_spread(replica(2), feasible, zoned.node_list()) == [100, 54, 100, 54]


def test_jobs_are_not_spread_by_default() -> None:
    cache = cluster(2)
    assert pod_topology_spread(replica(0, kind="Job"), list(cache.node_list()[1:]),
                               cache.node_list()) is None


def test_prefer_no_schedule_and_preferred_affinity() -> None:
    cache = cluster(2)
    cache.nodes["w001"].soft_taints = (("spot", "", "PreferNoSchedule"),)
    cache.nodes["w002"].labels["disk"] = "ssd"
    plain = replica(0, owner="")
    feasible = cache.node_list()[1:]
    totals = total_scores(plain, feasible, cache.node_list())
    assert totals[1] - totals[0] == 3 * 100          # TaintToleration, weight 3
    prefers = replica(1, owner="", affinity={"nodeAffinity": {
        "preferredDuringSchedulingIgnoredDuringExecution": [
            {"weight": 50, "preference": {"matchExpressions": [
                {"key": "disk", "operator": "In", "values": ["ssd"]}]}}]}})
    totals = total_scores(prefers, feasible, cache.node_list())
    assert totals[1] - totals[0] == 3 * 100 + 2 * 100
    assert default_normalize([0, 5, 10], reverse=True) == [100, 50, 0]
    assert default_normalize([0, 0], reverse=True) == [100, 100]


def test_a_thousand_pods_on_a_hundred_nodes() -> None:
    # The scale the benchmarks use (about 0.15 s of CPU here): each decision is O(nodes).
    cache = cluster(99)
    pods = [replica(i, requests={"cpu": "10m", "memory": "16Mi"}) for i in range(1000)]
    placed = place(cache, pods)
    assert len(placed) == 99 and max(placed.values()) - min(placed.values()) <= 1
    assert cache.nodes["w001"].requested.cpu == 10 * placed["w001"]
