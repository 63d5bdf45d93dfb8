"""Preemption's choices: which pods to evict, and on which node."""

from __future__ import annotations

import random
from typing import Any

from kitlib.sim.scheduler.algorithm import schedule_pod, victims_on
from kitlib.sim.scheduler.cache import Cache
from kitlib.sim.scheduler.podinfo import pod_info
from kitlib.sim.scheduler.preemption import pick_node


def pod(name: str, cpu: str, priority: int = 0) -> Any:
    return pod_info({"metadata": {"name": name, "namespace": "default", "uid": name},
                     "spec": {"priority": priority, "containers": [
                         {"name": "c", "resources": {"requests": {"cpu": cpu}}}]}})


def two_nodes() -> Cache:
    cache = Cache()
    for name in ("a", "b"):
        cache.set_node({"metadata": {"name": name, "labels": {}},
                        "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "10"}}})
    return cache


def test_victims_are_the_fewest_lowest_priority_pods() -> None:
    cache = two_nodes()
    for victim in (pod("low-1", "1", 1), pod("low-2", "1", 1), pod("mid", "2", 50)):
        cache.add_pod(victim, "a")
    # Needs 2 of the 4 CPUs, all taken: evicting both low pods is enough, "mid" is spared.
    victims = victims_on(pod("high", "2", 100), cache.nodes["a"])
    assert sorted(v.name for v in victims) == ["low-1", "low-2"]
    # Pods of equal or higher priority are never victims.
    assert victims_on(pod("peer", "2", 1), cache.nodes["a"]) == []


def test_the_node_with_the_least_important_victims_wins() -> None:
    assert pick_node({"a": [pod("x", "1", 10)], "b": [pod("y", "1", 5)]}) == "b"
    assert pick_node({"a": [pod("x", "1", 5), pod("z", "1", 5)],
                      "b": [pod("y", "1", 5)]}) == "b"


def test_a_feasible_preemption_leaves_no_postfilter_message() -> None:
    cache = two_nodes()
    cache.add_pod(pod("low-a", "4", 0), "a")
    cache.add_pod(pod("low-b", "4", 0), "b")
    decision = schedule_pod(pod("high", "3", 1000), cache.node_list(), rng=random.Random(1))
    assert decision.node == ""
    assert decision.message == "0/2 nodes are available: 2 Insufficient cpu."
    assert sorted(decision.candidates) == ["a", "b"]
