"""The filter plugins: can this pod run on this node at all?

One function per plugin of the default profile that has a Filter, named and ordered as in
kube-scheduler 1.32 (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
NodePorts, NodeResourcesFit).  Each returns None when the node passes, or a ``Status``
with the reasons the real plugin gives, word for word, since they end up in the
FailedScheduling event a learner reads.  A node is rejected by the first plugin that
fails, so each rejected node contributes one plugin's reasons.

A NotReady or unreachable node is rejected through its taints
(``node.kubernetes.io/not-ready`` etc., put there by the node lifecycle controller),
exactly as the real scheduler does: it never looks at node conditions itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kitlib.sim.scheduler.cache import NodeInfo
from kitlib.sim.scheduler.podinfo import PodInfo, Toleration, tolerated


@dataclass(frozen=True, slots=True)
class Status:
    """A plugin's verdict on one node: Unschedulable, or UnschedulableAndUnresolvable
    (``unresolvable``: evicting pods would not help, so preemption skips the node)."""

    plugin: str
    reasons: tuple[str, ...]
    unresolvable: bool


UNSCHEDULABLE = Status("NodeUnschedulable", ("node(s) were unschedulable",), True)
NAME_MISMATCH = Status("NodeName", ("node(s) didn't match the requested node name",), True)
AFFINITY_MISMATCH = Status("NodeAffinity", ("node(s) didn't match Pod's node affinity/selector",),
                           True)
PORTS_TAKEN = Status("NodePorts", ("node(s) didn't have free ports for the requested pod ports",),
                     False)

#: The taint kubectl cordon is mirrored by; a pod tolerating it ignores spec.unschedulable.
_CORDON_TAINT = ("node.kubernetes.io/unschedulable", "", "NoSchedule")


def node_unschedulable(pod: PodInfo, node: NodeInfo) -> Status | None:
    if node.unschedulable and not tolerated(pod.tolerations, *_CORDON_TAINT):
        return UNSCHEDULABLE
    return None


def node_name(pod: PodInfo, node: NodeInfo) -> Status | None:
    if pod.node_name and pod.node_name != node.name:
        return NAME_MISMATCH
    return None


def untolerated_taint(tolerations: tuple[Toleration, ...],
                      taints: tuple[tuple[str, str, str], ...]) -> tuple[str, str, str] | None:
    """FindMatchingUntoleratedTaint: the first taint no toleration covers."""
    for taint in taints:
        if not tolerated(tolerations, *taint):
            return taint
    return None


def taint_toleration(pod: PodInfo, node: NodeInfo) -> Status | None:
    if not node.taints:
        return None
    taint = untolerated_taint(pod.tolerations, node.taints)
    if taint is None:
        return None
    return Status("TaintToleration",
                  (f"node(s) had untolerated taint {{{taint[0]}: {taint[1]}}}",), True)


def node_affinity(pod: PodInfo, node: NodeInfo) -> Status | None:
    required = pod.required
    if required is None or required.matches(node.labels, node.name):
        return None
    return AFFINITY_MISMATCH


def node_ports(pod: PodInfo, node: NodeInfo) -> Status | None:
    """HostPortInfo.CheckConflict: 0.0.0.0 clashes with every address, others with their own."""
    for ip, protocol, port in pod.ports:
        if ip == "0.0.0.0":
            clash = node.port_numbers[(protocol, port)] > 0
        else:
            clash = (node.ports[("0.0.0.0", protocol, port)] > 0
                     or node.ports[(ip, protocol, port)] > 0)
        if clash:
            return PORTS_TAKEN
    return None


def insufficient(pod: PodInfo, node: NodeInfo) -> list[str]:
    """fitsRequest: every resource the node lacks for this pod, as the plugin words it."""
    reasons = []
    if len(node.pods) + 1 > node.allowed_pods:
        reasons.append("Too many pods")
    want, free, used = pod.requests, node.allocatable, node.requested
    if not (want.cpu or want.memory or want.storage or want.scalars):
        return reasons
    if want.cpu > 0 and want.cpu > free.cpu - used.cpu:
        reasons.append("Insufficient cpu")
    if want.memory > 0 and want.memory > free.memory - used.memory:
        reasons.append("Insufficient memory")
    if want.storage > 0 and want.storage > free.storage - used.storage:
        reasons.append("Insufficient ephemeral-storage")
    for name, quantity in want.scalars.items():
        if quantity and quantity > free.scalars.get(name, 0) - used.scalars.get(name, 0):
            reasons.append(f"Insufficient {name}")
    return reasons


def node_resources_fit(pod: PodInfo, node: NodeInfo) -> Status | None:
    reasons = insufficient(pod, node)
    return Status("NodeResourcesFit", tuple(reasons), False) if reasons else None


Filter = Callable[[PodInfo, NodeInfo], "Status | None"]

#: The default profile's Filter plugins, in the order they run.
PLUGINS: tuple[tuple[str, Filter], ...] = (
    ("NodeUnschedulable", node_unschedulable),
    ("NodeName", node_name),
    ("TaintToleration", taint_toleration),
    ("NodeAffinity", node_affinity),
    ("NodePorts", node_ports),
    ("NodeResourcesFit", node_resources_fit),
)


def filters_for(pod: PodInfo) -> tuple[Filter, ...]:
    """The plugins that can reject this pod anywhere (PreFilter's Skip, in effect)."""
    chosen: list[Filter] = [node_unschedulable]
    if pod.node_name:
        chosen.append(node_name)
    chosen.append(taint_toleration)
    if pod.required is not None:
        chosen.append(node_affinity)
    if pod.ports:
        chosen.append(node_ports)
    chosen.append(node_resources_fit)
    return tuple(chosen)


def run_filters(pod: PodInfo, node: NodeInfo,
                plugins: tuple[Filter, ...] | None = None) -> Status | None:
    """RunFilterPlugins: the first rejection, or None when the node fits."""
    for plugin in plugins if plugins is not None else filters_for(pod):
        status = plugin(pod, node)
        if status is not None:
            return status
    return None
