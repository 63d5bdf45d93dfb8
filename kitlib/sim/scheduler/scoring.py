"""The score plugins: of the nodes that fit, which is best?

The default profile of kube-scheduler 1.32, with its weights and its integer arithmetic:

- NodeResourcesFit (weight 1), LeastAllocated: the more CPU and memory a node has left
  after this pod (counting 100m / 200Mi for containers that request nothing), the better.
- NodeResourcesBalancedAllocation (weight 1): nodes whose CPU and memory fill up evenly.
- PodTopologySpread (weight 2) with its system default constraints: pods of one
  ReplicaSet, ReplicationController or StatefulSet prefer the node (``kubernetes.io/
  hostname``, maxSkew 3) and zone (``topology.kubernetes.io/zone``, maxSkew 5) running
  fewest of them.  This is what spreads a Deployment's replicas over the workers.
- TaintToleration (weight 3): fewer untolerated PreferNoSchedule taints.
- NodeAffinity (weight 2): the weights of the matching preferred terms.

Plugins that would give every node the same score are skipped: adding a constant to all
totals cannot change the winner.  The winner among equal totals is drawn at random, as
selectHost's reservoir sampling does, from the cluster's seeded source.
"""

from __future__ import annotations

import math
import random
from typing import Sequence

from kitlib.sim.scheduler.cache import NodeInfo
from kitlib.sim.scheduler.podinfo import PodInfo, tolerated

MAX_NODE_SCORE = 100
HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
#: PodTopologySpread's system defaults: (topology key, maxSkew), both ScheduleAnyway.
DEFAULT_CONSTRAINTS = ((HOSTNAME, 3), (ZONE, 5))

WEIGHTS = {"TaintToleration": 3, "NodeAffinity": 2, "NodeResourcesFit": 1,
           "PodTopologySpread": 2, "NodeResourcesBalancedAllocation": 1}


def _least(capacity: int, requested: int) -> int:
    return (capacity - requested) * MAX_NODE_SCORE // capacity if requested <= capacity else 0


def least_allocated(pod: PodInfo, node: NodeInfo) -> int:
    """leastResourceScorer over cpu and memory (weight 1 each), non-zero requests."""
    cpu, memory = node.allocatable.cpu, node.allocatable.memory
    if cpu and memory:
        return (_least(cpu, node.non_zero_cpu + pod.non_zero_cpu)
                + _least(memory, node.non_zero_memory + pod.non_zero_memory)) // 2
    if cpu:
        return _least(cpu, node.non_zero_cpu + pod.non_zero_cpu)
    if memory:
        return _least(memory, node.non_zero_memory + pod.non_zero_memory)
    return 0


def balanced_allocation(pod: PodInfo, node: NodeInfo) -> int:
    """balancedResourceScorer: 1 - the spread of the cpu and memory fractions, actual requests.

    With a single resource (or none) allocatable there is no spread: the score is 100.
    """
    cpu, memory = node.allocatable.cpu, node.allocatable.memory
    if not (cpu and memory):
        return MAX_NODE_SCORE
    cpu_fraction = (node.requested.cpu + pod.requests.cpu) / cpu
    memory_fraction = (node.requested.memory + pod.requests.memory) / memory
    std = abs(min(cpu_fraction, 1.0) - min(memory_fraction, 1.0)) / 2
    return int((1 - std) * MAX_NODE_SCORE)


def default_normalize(scores: list[int], *, reverse: bool) -> list[int]:
    """framework.DefaultNormalizeScore."""
    highest = max(scores, default=0)
    if highest == 0:
        return [MAX_NODE_SCORE] * len(scores) if reverse else scores
    normalized = [MAX_NODE_SCORE * s // highest for s in scores]
    return [MAX_NODE_SCORE - s for s in normalized] if reverse else normalized


def taint_toleration(pod: PodInfo, feasible: Sequence[NodeInfo]) -> list[int] | None:
    if not any(n.soft_taints for n in feasible):
        return None
    # Only tolerations that could tolerate PreferNoSchedule count.
    usable = tuple(t for t in pod.tolerations if t.effect in ("", "PreferNoSchedule"))
    raw = [sum(1 for taint in n.soft_taints if not tolerated(usable, *taint)) for n in feasible]
    return default_normalize(raw, reverse=True)


def node_affinity(pod: PodInfo, feasible: Sequence[NodeInfo]) -> list[int] | None:
    if not pod.preferred:
        return None
    raw = [sum(weight for weight, term in pod.preferred if term.matches(n.labels, n.name))
           for n in feasible]
    return default_normalize(raw, reverse=False)


def pod_topology_spread(pod: PodInfo, feasible: Sequence[NodeInfo],
                        all_nodes: Sequence[NodeInfo]) -> list[int] | None:
    """PodTopologySpread Score + NormalizeScore with the system default constraints."""
    if not pod.owner:
        return None
    owner, required = pod.owner, pod.required
    # Zone domains: those of the feasible nodes ("" for nodes without the label).
    zones = {n.labels.get(ZONE, "") for n in feasible}
    weights = {HOSTNAME: math.log(len(feasible) + 2), ZONE: math.log(len(zones) + 2)}
    per_zone: dict[str, int] = {}
    if any(ZONE in n.labels for n in feasible):
        # NodeInclusionPolicy Honor: only nodes matching the pod's node affinity count.
        for n in all_nodes:
            zone = n.labels.get(ZONE, "")
            if zone in zones and (required is None or required.matches(n.labels, n.name)):
                per_zone[zone] = per_zone.get(zone, 0) + n.owners.get(owner, 0)
    raw = []
    for n in feasible:
        score = 0.0
        for key, max_skew in DEFAULT_CONSTRAINTS:
            if key not in n.labels:
                continue
            count = n.owners.get(owner, 0) if key == HOSTNAME else per_zone.get(n.labels[key], 0)
            score += count * weights[key] + (max_skew - 1)
        raw.append(int(math.floor(score + 0.5)))     # math.Round: half away from zero
    highest, lowest = max(raw), min(raw)
    if highest == 0:
        return [MAX_NODE_SCORE] * len(raw)
    return [MAX_NODE_SCORE * (highest + lowest - s) // highest for s in raw]


def total_scores(pod: PodInfo, feasible: Sequence[NodeInfo],
                 all_nodes: Sequence[NodeInfo]) -> list[int]:
    """The weighted sum of every score plugin, per feasible node."""
    totals = [least_allocated(pod, n) + balanced_allocation(pod, n) for n in feasible]
    for plugin, scores in (("TaintToleration", taint_toleration(pod, feasible)),
                           ("NodeAffinity", node_affinity(pod, feasible)),
                           ("PodTopologySpread", pod_topology_spread(pod, feasible, all_nodes))):
        if scores is not None:
            weight = WEIGHTS[plugin]
            totals = [t + weight * s for t, s in zip(totals, scores)]
    return totals


def select_host(feasible: Sequence[NodeInfo], totals: Sequence[int],
                rng: random.Random) -> NodeInfo:
    """selectHost: the highest total; among equals, each is equally likely."""
    best = max(totals)
    tied = [n for n, t in zip(feasible, totals) if t == best]
    return tied[0] if len(tied) == 1 else tied[rng.randrange(len(tied))]
