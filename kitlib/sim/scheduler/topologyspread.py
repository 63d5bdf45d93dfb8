"""PodTopologySpread with a pod's own ``topologySpreadConstraints``.

For each constraint the PreFilter counts, per domain (value of the constraint's node
label), the existing pods its selector matches -- in the pod's namespace, not being
deleted, on nodes that carry every constraint's label and pass the inclusion policies
(the pod's node affinity unless ``nodeAffinityPolicy: Ignore``; its tolerations only if
``nodeTaintsPolicy: Honor``).  A ``DoNotSchedule`` constraint then rejects a node when
placing the pod there would make ``count + self - global minimum`` exceed ``maxSkew`` (the
minimum counts as 0 while there are fewer domains than ``minDomains``); a node without
the label is rejected for good.  ``ScheduleAnyway`` constraints only score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from kitlib.sim.scheduler.cache import NodeInfo
from kitlib.sim.scheduler.filters import Status, untolerated_taint
from kitlib.sim.scheduler.podinfo import PodInfo
from kitlib.sim.scheduler.podterms import SpreadConstraint

NOT_MATCH = "node(s) didn't match pod topology spread constraints"
SKEWED = Status("PodTopologySpread", (NOT_MATCH,), False)
MISSING_LABEL = Status("PodTopologySpread", (NOT_MATCH + " (missing required label)",), True)


def count_matching(node: NodeInfo, constraint: SpreadConstraint, namespace: str) -> int:
    """countPodsMatchSelector: pods being deleted do not count."""
    selector = constraint.selector
    if selector.nothing:
        return 0
    return sum(1 for p in node.pods.values()
               if not p.terminating and p.namespace == namespace and selector.matches(p.labels))


def included(pod: PodInfo, node: NodeInfo, constraint: SpreadConstraint) -> bool:
    """matchNodeInclusionPolicies."""
    if constraint.honor_affinity and pod.required is not None \
            and not pod.required.matches(node.labels, node.name):
        return False
    if constraint.honor_taints and untolerated_taint(pod.tolerations, node.taints) is not None:
        return False
    return True


def domain_counts(pod: PodInfo, constraints: Sequence[SpreadConstraint],
                  nodes: Sequence[NodeInfo]) -> list[dict[str, int]]:
    """Matching pods per topology value, for each constraint."""
    counts: list[dict[str, int]] = [{} for _ in constraints]
    for node in nodes:
        if any(c.topology_key not in node.labels for c in constraints):
            continue
        for i, constraint in enumerate(constraints):
            if included(pod, node, constraint):
                value = node.labels[constraint.topology_key]
                counts[i][value] = counts[i].get(value, 0) + count_matching(
                    node, constraint, pod.namespace)
    return counts


@dataclass(slots=True)
class SpreadState:
    pod: PodInfo
    constraints: tuple[SpreadConstraint, ...]
    counts: list[dict[str, int]]

    def filter(self, node: NodeInfo) -> Status | None:
        for i, constraint in enumerate(self.constraints):
            value = node.labels.get(constraint.topology_key)
            if value is None:
                return MISSING_LABEL
            domains = self.counts[i]
            minimum = min(domains.values()) if domains else 0
            if len(domains) < constraint.min_domains:
                minimum = 0
            own = 1 if constraint.selector.matches(self.pod.labels) else 0
            if domains.get(value, 0) + own - minimum > constraint.max_skew:
                return SKEWED
        return None


def prefilter(pod: PodInfo, nodes: Sequence[NodeInfo]) -> SpreadState | None:
    hard = tuple(c for c in pod.spread if c.hard)
    if not hard:
        return None
    return SpreadState(pod, hard, domain_counts(pod, hard, nodes))
