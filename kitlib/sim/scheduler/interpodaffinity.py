"""InterPodAffinity: pods that want to be near (or away from) other pods.

Unlike the node-local filters, this plugin looks at the whole cluster first (its
PreFilter): for each topology domain -- a (node label, value) pair such as
(``kubernetes.io/hostname``, ``kit-worker``) -- how many existing pods match each of the
incoming pod's required terms, and how many existing pods' required anti-affinity terms
the incoming pod matches.  A node is then judged by its domains, in the plugin's order:
affinity (UnschedulableAndUnresolvable), the pod's anti-affinity, the existing pods'
anti-affinity (both Unschedulable).  The first pod of a group whose affinity names its own
labels may go anywhere its topology keys exist.  Scoring adds up the weights of preferred
terms (and of existing pods' terms about this pod) per domain.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from kitlib.sim.scheduler.cache import NodeInfo
from kitlib.sim.scheduler.filters import Status
from kitlib.sim.scheduler.podinfo import PodInfo
from kitlib.sim.scheduler.podterms import AffinityTerm, NamespaceLabels

AFFINITY_MISMATCH = Status("InterPodAffinity", ("node(s) didn't match pod affinity rules",), True)
ANTI_AFFINITY_MISMATCH = Status("InterPodAffinity",
                                ("node(s) didn't match pod anti-affinity rules",), False)
EXISTING_ANTI_AFFINITY = Status("InterPodAffinity",
                                ("node(s) didn't satisfy existing pods anti-affinity rules",),
                                False)
HARD_POD_AFFINITY_WEIGHT = 1    # InterPodAffinityArgs.hardPodAffinityWeight
Pair = tuple[str, str]


def _count(counts: Counter[Pair], term: AffinityTerm, node: NodeInfo) -> None:
    value = node.labels.get(term.topology_key)
    if value is not None:
        counts[(term.topology_key, value)] += 1


@dataclass(slots=True)
class AffinityState:
    pod: PodInfo
    affinity: Counter[Pair]
    anti_affinity: Counter[Pair]
    existing_anti: Counter[Pair]
    matches_own_terms: bool

    def filter(self, node: NodeInfo) -> Status | None:
        terms = self.pod.terms
        if terms.affinity:
            found = True
            for term in terms.affinity:
                value = node.labels.get(term.topology_key)
                if value is None:
                    return AFFINITY_MISMATCH        # every topology key must be there
                if self.affinity[(term.topology_key, value)] <= 0:
                    found = False
            if not found and not (not self.affinity and self.matches_own_terms):
                return AFFINITY_MISMATCH
        if self.anti_affinity:
            for term in terms.anti_affinity:
                value = node.labels.get(term.topology_key)
                if value is not None and self.anti_affinity[(term.topology_key, value)] > 0:
                    return ANTI_AFFINITY_MISMATCH
        if self.existing_anti:
            for pair in node.labels.items():
                if self.existing_anti[pair] > 0:
                    return EXISTING_ANTI_AFFINITY
        return None


def prefilter(pod: PodInfo, nodes: Sequence[NodeInfo],
              namespace_labels: NamespaceLabels) -> AffinityState | None:
    """The per-domain counts, or None when neither the pod nor any existing pod cares."""
    terms = pod.terms
    existing: Counter[Pair] = Counter()
    for node in nodes:
        for other in node.with_terms.values():
            for term in other.terms.anti_affinity:
                if term.matches(pod.namespace, pod.labels, namespace_labels):
                    _count(existing, term, node)
    if not (terms.affinity or terms.anti_affinity) and not existing:
        return None
    affinity: Counter[Pair] = Counter()
    anti: Counter[Pair] = Counter()
    if terms.affinity or terms.anti_affinity:
        for node in nodes:
            for other in node.pods.values():
                for term in terms.affinity:
                    if term.matches(other.namespace, other.labels, namespace_labels):
                        _count(affinity, term, node)
                for term in terms.anti_affinity:
                    if term.matches(other.namespace, other.labels, namespace_labels):
                        _count(anti, term, node)
    own = all(t.matches(pod.namespace, pod.labels, namespace_labels) for t in terms.affinity)
    return AffinityState(pod, affinity, anti, existing, own)


def scores(pod: PodInfo, feasible: Sequence[NodeInfo], nodes: Sequence[NodeInfo],
           namespace_labels: NamespaceLabels) -> list[int] | None:
    """InterPodAffinity PreScore/Score/NormalizeScore; None when it has nothing to say."""
    terms = pod.terms
    mine = bool(terms.preferred_affinity or terms.preferred_anti_affinity)
    if not mine and not any(n.with_terms for n in nodes):
        return None
    topology: Counter[Pair] = Counter()

    def add(term: AffinityTerm, weight: int, namespace: str, labels: dict[str, str],
            node: NodeInfo) -> None:
        value = node.labels.get(term.topology_key)
        if value is not None and term.matches(namespace, labels, namespace_labels):
            topology[(term.topology_key, value)] += weight

    for node in nodes:
        if not node.labels:
            continue
        others = node.pods.values() if mine else node.with_terms.values()
        for other in others:
            for weight, term in terms.preferred_affinity:
                add(term, weight, other.namespace, other.labels, node)
            for weight, term in terms.preferred_anti_affinity:
                add(term, -weight, other.namespace, other.labels, node)
            for term in other.terms.affinity:
                add(term, HARD_POD_AFFINITY_WEIGHT, pod.namespace, pod.labels, node)
            for weight, term in other.terms.preferred_affinity:
                add(term, weight, pod.namespace, pod.labels, node)
            for weight, term in other.terms.preferred_anti_affinity:
                add(term, -weight, pod.namespace, pod.labels, node)
    if not topology:
        return None
    raw = [sum(topology.get(pair, 0) for pair in n.labels.items()) for n in feasible]
    low, high = min(raw), max(raw)
    if high == low:
        return [0] * len(raw)
    return [int(100 * ((s - low) / (high - low))) for s in raw]
