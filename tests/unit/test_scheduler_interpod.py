"""Pod affinity, anti-affinity and topology spread constraints: filters, scores, messages."""

from __future__ import annotations

import random
from typing import Any

from kitlib.sim.scheduler.algorithm import schedule_pod
from kitlib.sim.scheduler.cache import Cache
from kitlib.sim.scheduler.podinfo import pod_info

HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
CONTROL_PLANE = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def cluster(*zones: str) -> Cache:
    """A tainted control plane "cp" and one worker per zone given ("" for no zone label)."""
    cache = Cache()
    for i, zone in enumerate(("",) + zones):
        name = "cp" if i == 0 else f"w{i}"
        labels = {HOST: name}
        if zone:
            labels[ZONE] = zone
        cache.set_node({"metadata": {"name": name, "labels": labels},
                        "spec": {"taints": [CONTROL_PLANE] if i == 0 else []},
                        "status": {"allocatable": {"cpu": "8", "memory": "16Gi",
                                                   "pods": "110"}}})
    return cache


def pod(name: str, labels: dict[str, str], namespace: str = "default", **spec: Any) -> Any:
    return pod_info({"metadata": {"name": name, "namespace": namespace, "uid": name,
                                  "labels": labels},
                     "spec": {"containers": [{"name": "c"}], **spec}})


def term(key: str = HOST, **match: str) -> dict[str, Any]:
    return {"labelSelector": {"matchLabels": match}, "topologyKey": key}


def anti(*terms: dict[str, Any]) -> dict[str, Any]:
    return {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": list(terms)}}


def near(*terms: dict[str, Any]) -> dict[str, Any]:
    return {"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": list(terms)}}


def place(cache: Cache, p: Any, seed: int = 1) -> str:
    decision = schedule_pod(p, cache.node_list(), rng=random.Random(seed))
    if decision.node:
        cache.add_pod(p, decision.node)
        return decision.node
    return decision.message


def test_required_anti_affinity_one_per_node() -> None:
    cache = cluster("", "")
    placed = [place(cache, pod(f"web-{i}", {"app": "web"}, affinity=anti(term(app="web"))))
              for i in range(3)]
    assert sorted(placed[:2]) == ["w1", "w2"]
    assert placed[2] == (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod anti-affinity "
        "rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for "
        "scheduling, 2 No preemption victims found for incoming pod.")


def test_existing_pods_anti_affinity_repels_newcomers() -> None:
    cache = cluster("", "")
    cache.add_pod(pod("loner", {"app": "db"}, affinity=anti(term(app="web"))), "w1")
    assert place(cache, pod("web", {"app": "web"})) == "w2"
    assert place(cache, pod("web2", {"app": "web"}), seed=2) == "w2"
    # Another namespace is not covered by the term (it names its own namespace only).
    assert place(cache, pod("web3", {"app": "web"}, namespace="other"), seed=3) in ("w1", "w2")
    blocked = cluster("")
    blocked.add_pod(pod("loner", {"app": "db"}, affinity=anti(term(app="web"))), "w1")
    assert "1 node(s) didn't satisfy existing pods anti-affinity rules" in place(
        blocked, pod("web", {"app": "web"}))


def test_required_affinity_follows_its_partner() -> None:
    cache = cluster("", "")
    cache.add_pod(pod("cache", {"app": "cache"}), "w2")
    for i in range(3):
        assert place(cache, pod(f"web-{i}", {"app": "web"}, affinity=near(term(app="cache"))),
                     seed=i) == "w2"
    lonely = pod("web", {"app": "web"}, affinity=near(term(app="nothing")))
    assert "2 node(s) didn't match pod affinity rules" in place(cluster("", ""), lonely)


def test_first_pod_of_a_self_affine_group_may_go_anywhere() -> None:
    cache = cluster("", "")
    first = place(cache, pod("a", {"app": "grp"}, affinity=near(term(app="grp"))))
    assert first in ("w1", "w2")
    assert place(cache, pod("b", {"app": "grp"}, affinity=near(term(app="grp"))), seed=5) == first


def test_affinity_by_zone() -> None:
    cache = cluster("a", "b", "a")
    cache.add_pod(pod("cache", {"app": "cache"}), "w3")        # zone a
    placed = {place(cache, pod(f"web-{i}", {"app": "web"},
                               affinity=near(term(ZONE, app="cache"))), seed=i)
              for i in range(8)}
    assert placed <= {"w1", "w3"} and placed


def test_preferred_anti_affinity_spreads_bare_pods() -> None:
    cache = cluster("", "", "")
    affinity = {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 100, "podAffinityTerm": term(app="web")}]}}
    placed = [place(cache, pod(f"web-{i}", {"app": "web"}, affinity=affinity), seed=i)
              for i in range(3)]
    assert sorted(placed) == ["w1", "w2", "w3"]


def test_topology_spread_do_not_schedule() -> None:
    cache = cluster("a", "a", "b")
    constraint = {"maxSkew": 1, "topologyKey": ZONE, "whenUnsatisfiable": "DoNotSchedule",
                  "labelSelector": {"matchLabels": {"app": "web"}}}
    zones = []
    for i in range(4):
        node = place(cache, pod(f"web-{i}", {"app": "web"},
                                topologySpreadConstraints=[constraint]), seed=i)
        zones.append({"w1": "a", "w2": "a", "w3": "b"}[node])
    assert sorted(zones) == ["a", "a", "b", "b"]
    # With zone b's only node cordoned, a fifth replica would skew zone a to 3 vs 2: fine
    # (maxSkew 1 is 3-2); a sixth would not be.
    cache.nodes["w3"].unschedulable = True
    place(cache, pod("web-4", {"app": "web"}, topologySpreadConstraints=[constraint]))
    assert place(cache, pod("web-5", {"app": "web"}, topologySpreadConstraints=[constraint])) == (
        "0/4 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable, 2 node(s) "
        "didn't match pod topology spread constraints. preemption: 0/4 nodes are available: "
        "2 No preemption victims found for incoming pod, 2 Preemption is not helpful for "
        "scheduling.")


def test_topology_spread_missing_label() -> None:
    cache = cluster("a", "")
    constraint = {"maxSkew": 1, "topologyKey": ZONE, "whenUnsatisfiable": "DoNotSchedule",
                  "labelSelector": {"matchLabels": {"app": "web"}}}
    assert place(cache, pod("p", {"app": "web"}, topologySpreadConstraints=[constraint])) == "w1"


def test_topology_spread_schedule_anyway_scores() -> None:
    cache = cluster("", "", "")
    constraint = {"maxSkew": 1, "topologyKey": HOST, "whenUnsatisfiable": "ScheduleAnyway",
                  "labelSelector": {"matchLabels": {"app": "web"}}}
    placed = [place(cache, pod(f"web-{i}", {"app": "web"},
                               topologySpreadConstraints=[constraint]), seed=i)
              for i in range(6)]
    assert sorted(placed) == ["w1", "w1", "w2", "w2", "w3", "w3"]
