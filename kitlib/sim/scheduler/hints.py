"""Queueing hints: could this node event make that unschedulable pod schedulable?

kube-scheduler (1.32, SchedulerQueueingHints on) asks, for every pod in its
unschedulablePods pool, only the plugins that rejected the pod, and each answers for
itself: NodeAffinity says "queue" when a node now matches the pod's selector that did
not before, TaintToleration when a taint the pod did not tolerate is gone, NodeResourcesFit
when a node appeared or grew and the pod now fits it, and so on.  A pod moves back to the
queues if any of its rejecting plugins says so; otherwise it keeps waiting.  Changes that
concern no plugin (heartbeats, condition times, annotations) are not events at all.

The rule for the per-node plugins is one and the same here: the plugin rejected the pod on
the node as it was (or the node is new) and passes it on the node as it is now.  The
cluster-wide plugins (PodTopologySpread, InterPodAffinity) look at topology labels: a new
node, or a node whose labels changed, may help them.
"""

from __future__ import annotations

from kitlib.sim.scheduler.cache import NodeInfo
from kitlib.sim.scheduler.filters import PLUGINS, Filter
from kitlib.sim.scheduler.podinfo import PodInfo

_NODE_FILTERS: dict[str, Filter] = dict(PLUGINS)
#: Plugins that judge a pod against all nodes' labels (their topology domains).
TOPOLOGY_PLUGINS = frozenset({"PodTopologySpread", "InterPodAffinity"})


def node_snapshot(node: NodeInfo) -> NodeInfo:
    """A copy of ``node`` as it is, to compare with it after an update (shallow: the
    update replaces the node's own fields, never its pods' totals)."""
    copy = NodeInfo(node.name)
    for slot in NodeInfo.__slots__:
        setattr(copy, slot, getattr(node, slot))
    return copy


def node_change_helps(pod: PodInfo, plugins: frozenset[str], old: NodeInfo | None,
                      new: NodeInfo) -> bool:
    """Whether any plugin that rejected ``pod`` says "queue" for the node ``old`` -> ``new``
    (``old`` None: the node was added, or was absent before)."""
    for plugin in plugins:
        check = _NODE_FILTERS.get(plugin)
        if check is not None:
            if check(pod, new) is None and (old is None or check(pod, old) is not None):
                return True
        elif plugin in TOPOLOGY_PLUGINS:
            if old is None or old.labels != new.labels:
                return True
    return False
