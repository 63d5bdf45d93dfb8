"""One scheduling decision: PreFilter, Filter, Score, pick a node -- or explain why none.

schedulePod and its helpers, as pure functions over the cache: given a pod and the
nodes, they return the chosen node, or the FailedScheduling text and the plugins that
rejected the pod (the queue wakes the pod again on events those plugins care about).
When no node fits, the DefaultPreemption PostFilter is consulted for its part of the
message: nodes rejected for good (a taint, a selector) are "not helpful" to preempt on;
nodes short of resources or ports say whether lower-priority pods could make room.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Sequence

from kitlib.sim.scheduler import interpodaffinity, messages, topologyspread
from kitlib.sim.scheduler.cache import NodeInfo
from kitlib.sim.scheduler.filters import Filter, Status, filters_for, run_filters
from kitlib.sim.scheduler.podinfo import PodInfo
from kitlib.sim.scheduler.podterms import NamespaceLabels
from kitlib.sim.scheduler.scoring import select_host, total_scores


def _no_labels(_namespace: str) -> dict[str, str]:
    return {}


@dataclass(slots=True)
class Decision:
    node: str = ""                    # the chosen node; "" when the pod does not fit
    message: str = ""                 # the FitError text when it does not
    #: The plugins that rejected the pod (Diagnosis.UnschedulablePlugins).
    plugins: frozenset[str] = frozenset()
    #: Nodes where evicting lower-priority pods would make room (preemption candidates).
    candidates: list[str] = field(default_factory=list)
    #: Preemption ran and found nothing: a nominatedNodeName from before is cleared.
    clear_nomination: bool = False


def cluster_filters(pod: PodInfo, nodes: Sequence[NodeInfo],
                    namespace_labels: NamespaceLabels) -> tuple[Filter, ...]:
    """PodTopologySpread and InterPodAffinity: PreFilter over all nodes, then a Filter."""
    chosen: list[Filter] = []
    spread = topologyspread.prefilter(pod, nodes)
    if spread is not None:
        chosen.append(lambda _pod, node, state=spread: state.filter(node))
    affinity = interpodaffinity.prefilter(pod, nodes, namespace_labels)
    if affinity is not None:
        chosen.append(lambda _pod, node, state=affinity: state.filter(node))
    return tuple(chosen)


def schedule_pod(pod: PodInfo, nodes: Sequence[NodeInfo], *, rng: random.Random,
                 namespace_labels: NamespaceLabels = _no_labels) -> Decision:
    if not nodes:
        return Decision(message=messages.NO_NODES)
    names = pod.required.node_names if pod.required is not None else None
    if names is not None and not names:
        text = messages.fit_error(len(nodes), {}, prefilter=messages.TERMS_CONFLICT,
                                  postfilter=messages.preemption(len(nodes), {}))
        return Decision(message=text, plugins=frozenset({"NodeAffinity"}))
    plugins = filters_for(pod) + cluster_filters(pod, nodes, namespace_labels)
    candidates = nodes if names is None else [n for n in nodes if n.name in names]
    feasible: list[NodeInfo] = []
    statuses: dict[str, Status] = {}
    for node in candidates:
        status = run_filters(pod, node, plugins)
        if status is None:
            feasible.append(node)
        else:
            statuses[node.name] = status
    if feasible:
        if len(feasible) == 1:
            return Decision(node=feasible[0].name)
        totals = total_scores(pod, feasible, nodes, namespace_labels)
        return Decision(node=select_host(feasible, totals, rng).name)
    return _unschedulable(pod, nodes, statuses, narrowed=names is not None,
                          namespace_labels=namespace_labels)


def _unschedulable(pod: PodInfo, nodes: Sequence[NodeInfo], statuses: dict[str, Status], *,
                   narrowed: bool, namespace_labels: NamespaceLabels) -> Decision:
    rejectors = {s.plugin for s in statuses.values()}
    absent: tuple[str, ...] = ()
    if narrowed:
        absent = (messages.absent_reason(["NodeAffinity"]),)
        rejectors.add("NodeAffinity")
    reasons = {name: s.reasons for name, s in statuses.items()}
    postfilter, candidates = preemption_outcome(pod, nodes, statuses, namespace_labels)
    text = messages.fit_error(len(nodes), reasons, absent_reasons=absent, postfilter=postfilter)
    return Decision(message=text, plugins=frozenset(rejectors), candidates=candidates,
                    clear_nomination=postfilter.startswith("preemption: 0/"))


def fits_without(pod: PodInfo, node: NodeInfo, victims: list[PodInfo],
                 nodes: Sequence[NodeInfo], namespace_labels: NamespaceLabels) -> Status | None:
    """Every filter again, as if ``victims`` had left ``node`` (the preemption dry run)."""
    trial = node.without(victims)
    others = [trial if n is node else n for n in nodes]
    return run_filters(pod, trial, filters_for(pod) + cluster_filters(pod, others,
                                                                      namespace_labels))


def preemption_outcome(pod: PodInfo, nodes: Sequence[NodeInfo], statuses: dict[str, Status],
                       namespace_labels: NamespaceLabels = _no_labels
                       ) -> tuple[str, list[str]]:
    """DefaultPreemption.PostFilter's message, and the nodes where preemption would work."""
    if pod.preempt_never:
        return "preemption: " + messages.NEVER_PREEMPTS, []
    by_name = {n.name: n for n in nodes}
    nominated = by_name.get(pod.nominated) if pod.nominated else None
    if nominated is not None and not getattr(statuses.get(pod.nominated), "unresolvable", False):
        if any(p.priority < pod.priority and p.terminating for p in nominated.pods.values()):
            return "preemption: " + messages.TERMINATING_VICTIM, []
    explicit: dict[str, tuple[str, ...]] = {}
    candidates: list[str] = []
    for name, status in statuses.items():
        if status.unresolvable or name not in by_name:
            continue
        node = by_name[name]
        victims = [p for p in node.pods.values() if p.priority < pod.priority]
        if not victims:
            explicit[name] = (messages.NO_VICTIMS,)
            continue
        retry = fits_without(pod, node, victims, nodes, namespace_labels)
        if retry is None:
            candidates.append(name)
        else:
            explicit[name] = retry.reasons
    if candidates:
        return "", candidates        # preemption succeeds: the FitError has no PostFilter part
    return messages.preemption(len(nodes), explicit), []


def victims_on(pod: PodInfo, node: NodeInfo, nodes: Sequence[NodeInfo] = (),
               namespace_labels: NamespaceLabels = _no_labels) -> list[PodInfo]:
    """SelectVictimsOnNode: the fewest lower-priority pods whose eviction lets ``pod`` fit.

    All lower-priority pods are removed, then given back ("reprieved") highest priority
    first while the pod still fits.
    """
    everyone = list(nodes) or [node]
    lower = sorted((p for p in node.pods.values() if p.priority < pod.priority),
                   key=lambda p: (-p.priority, p.namespace, p.name))
    victims = list(lower)
    for candidate in lower:
        trial = [v for v in victims if v is not candidate]
        if fits_without(pod, node, trial, everyone, namespace_labels) is None:
            victims = trial
    return victims
