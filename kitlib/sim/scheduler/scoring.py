"""The score plugins: of the nodes that fit, which is best?

The default profile of kube-scheduler 1.32, with its weights and its integer arithmetic:

- NodeResourcesFit (weight 1), LeastAllocated: the more CPU and memory a node has left
  after this pod (counting 100m / 200Mi for containers that request nothing), the better.
- NodeResourcesBalancedAllocation (weight 1): nodes whose CPU and memory fill up evenly.
- PodTopologySpread (weight 2) with its system default constraints: pods of one
  ReplicaSet, ReplicationController or StatefulSet prefer the node (``kubernetes.io/
  hostname``, maxSkew 3) and zone (``topology.kubernetes.io/zone``, maxSkew 5) running
  fewest of them.  This is what spreads a Deployment's replicas over the workers.  A pod
  with ``topologySpreadConstraints`` of its own is scored by its ScheduleAnyway ones.
- TaintToleration (weight 3): fewer untolerated PreferNoSchedule taints.
- NodeAffinity (weight 2): the weights of the matching preferred terms.
- InterPodAffinity (weight 2): preferred pod (anti-)affinity, see ``interpodaffinity``.

Plugins that would give every node the same score are skipped: adding a constant to all
totals cannot change the winner.  The winner among equal totals is drawn at random, as
selectHost's reservoir sampling does, from the cluster's seeded source.
"""

from __future__ import annotations

import math
import random
from typing import Sequence

from kitlib.sim.scheduler import interpodaffinity
from kitlib.sim.scheduler.cache import NodeInfo
from kitlib.sim.scheduler.podinfo import PodInfo, tolerated
from kitlib.sim.scheduler.podterms import NamespaceLabels, SpreadConstraint
from kitlib.sim.scheduler.topologyspread import count_matching, included

MAX_NODE_SCORE = 100
HOSTNAME = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
#: PodTopologySpread's system defaults: (topology key, maxSkew), both ScheduleAnyway.
DEFAULT_CONSTRAINTS = ((HOSTNAME, 3), (ZONE, 5))

WEIGHTS = {"TaintToleration": 3, "NodeAffinity": 2, "NodeResourcesFit": 1,
           "PodTopologySpread": 2, "InterPodAffinity": 2, "NodeResourcesBalancedAllocation": 1}


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


def _normalize_spread(raw: Sequence[int | None]) -> list[int]:
    """PodTopologySpread NormalizeScore: fewer matching pods, higher score; ignored nodes 0."""
    kept = [r for r in raw if r is not None]
    if not kept:
        return [0] * len(raw)
    highest, lowest = max(kept), min(kept)
    if highest == 0:
        return [0 if r is None else MAX_NODE_SCORE for r in raw]
    return [0 if r is None else MAX_NODE_SCORE * (highest + lowest - r) // highest for r in raw]


def _round(score: float) -> int:
    return int(math.floor(score + 0.5))     # math.Round, for non-negative scores


def pod_topology_spread(pod: PodInfo, feasible: Sequence[NodeInfo],
                        all_nodes: Sequence[NodeInfo]) -> list[int] | None:
    """PodTopologySpread Score + NormalizeScore: the pod's ScheduleAnyway constraints, or the
    system defaults for pods of a ReplicaSet, ReplicationController or StatefulSet."""
    if pod.spread:
        soft = tuple(c for c in pod.spread if not c.hard)
        return _explicit_spread(pod, soft, feasible, all_nodes) if soft else None
    if not pod.owner:
        return None
    owner, required = pod.owner, pod.required
    host_weight = math.log(len(feasible) + 2)
    if not any(ZONE in n.labels for n in feasible):
        # The common case (no zones): only the hostname term, count*ln(n+2) + (3-1).
        return _normalize_spread([int(n.owners.get(owner, 0) * host_weight + 2.5)
                                  if HOSTNAME in n.labels else 0 for n in feasible])
    # Zone domains: those of the feasible nodes ("" for nodes without the label).
    zones = {n.labels.get(ZONE, "") for n in feasible}
    weights = {HOSTNAME: host_weight, ZONE: math.log(len(zones) + 2)}
    per_zone: dict[str, int] = {}
    # NodeInclusionPolicy Honor: only nodes matching the pod's node affinity count.
    for n in all_nodes:
        zone = n.labels.get(ZONE, "")
        if zone in zones and (required is None or required.matches(n.labels, n.name)):
            per_zone[zone] = per_zone.get(zone, 0) + n.owners.get(owner, 0)
    raw: list[int | None] = []
    for n in feasible:
        score = 0.0
        for key, max_skew in DEFAULT_CONSTRAINTS:
            if key not in n.labels:
                continue
            count = n.owners.get(owner, 0) if key == HOSTNAME else per_zone.get(n.labels[key], 0)
            score += count * weights[key] + (max_skew - 1)
        raw.append(_round(score))
    return _normalize_spread(raw)


def _explicit_spread(pod: PodInfo, constraints: tuple[SpreadConstraint, ...],
                     feasible: Sequence[NodeInfo], all_nodes: Sequence[NodeInfo]) -> list[int]:
    """The pod's own ScheduleAnyway constraints: nodes missing a key are ignored (score 0)."""
    def has_keys(n: NodeInfo) -> bool:
        return all(c.topology_key in n.labels for c in constraints)

    kept = [n for n in feasible if has_keys(n)]
    weights = []
    for c in constraints:
        size = len(kept) if c.topology_key == HOSTNAME \
            else len({n.labels[c.topology_key] for n in kept})
        weights.append(math.log(size + 2))
    domains: list[dict[str, int]] = []
    for c in constraints:
        wanted = {n.labels[c.topology_key] for n in kept}
        counts: dict[str, int] = {}
        if c.topology_key != HOSTNAME:
            for n in all_nodes:
                value = n.labels.get(c.topology_key)
                if value in wanted and has_keys(n) and included(pod, n, c):
                    counts[value] = counts.get(value, 0) + count_matching(n, c, pod.namespace)
        domains.append(counts)
    raw: list[int | None] = []
    for n in feasible:
        if not has_keys(n):
            raw.append(None)
            continue
        score = 0.0
        for c, weight, counts in zip(constraints, weights, domains):
            value = n.labels[c.topology_key]
            count = count_matching(n, c, pod.namespace) if c.topology_key == HOSTNAME \
                else counts.get(value, 0)
            score += count * weight + (c.max_skew - 1)
        raw.append(_round(score))
    return _normalize_spread(raw)


def total_scores(pod: PodInfo, feasible: Sequence[NodeInfo], all_nodes: Sequence[NodeInfo],
                 namespace_labels: NamespaceLabels = lambda _ns: {}) -> list[int]:
    """The weighted sum of every score plugin, per feasible node."""
    totals = [least_allocated(pod, n) + balanced_allocation(pod, n) for n in feasible]
    for plugin, scores in (("TaintToleration", taint_toleration(pod, feasible)),
                           ("NodeAffinity", node_affinity(pod, feasible)),
                           ("PodTopologySpread", pod_topology_spread(pod, feasible, all_nodes)),
                           ("InterPodAffinity", interpodaffinity.scores(
                               pod, feasible, all_nodes, namespace_labels))):
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
