"""The scheduler's cache: every node with running totals of the pods assigned to it.

Like kube-scheduler's cache (backend/cache), this is kept current from pod and node
events instead of being recomputed: each node carries the sum of its pods' requests, its
pod count, the host ports in use and how many pods of each controller it runs.  A pod the
scheduler has just chosen a node for is *assumed* there at once, before its binding is
written and seen again through the watch, so the next decision already counts it.
Terminated pods (Succeeded, Failed) and deleted ones free what they held.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kitlib.sim.scheduler.podinfo import PodInfo
from kitlib.sim.scheduler.resources import Resource, amount

JSON = dict[str, Any]
Key = tuple[str, str]


class NodeInfo:
    """One node: what it offers (from the Node object) and what its pods take."""

    __slots__ = ("name", "present", "labels", "taints", "soft_taints", "unschedulable",
                 "allocatable", "allowed_pods", "requested", "non_zero_cpu",
                 "non_zero_memory", "pods", "ports", "port_numbers", "owners", "with_terms")

    def __init__(self, name: str) -> None:
        self.name = name
        self.present = False            # False: pods name this node, but the Node is gone
        self.labels: dict[str, str] = {}
        self.taints: tuple[tuple[str, str, str], ...] = ()       # NoSchedule, NoExecute
        self.soft_taints: tuple[tuple[str, str, str], ...] = ()  # PreferNoSchedule
        self.unschedulable = False
        self.allocatable = Resource()
        self.allowed_pods = 0
        self.requested = Resource()
        self.non_zero_cpu = 0
        self.non_zero_memory = 0
        self.pods: dict[Key, PodInfo] = {}
        self.ports: Counter[tuple[str, str, int]] = Counter()
        self.port_numbers: Counter[tuple[str, int]] = Counter()   # (protocol, port), any IP
        self.owners: Counter[str] = Counter()
        #: The pods here with pod (anti-)affinity terms (PodsWithAffinity).
        self.with_terms: dict[Key, PodInfo] = {}

    # --- the node itself ----------------------------------------------------------------

    def set_node(self, obj: JSON) -> bool:
        """Take the Node's scheduling-relevant fields; True if any of them changed."""
        spec, status = obj.get("spec") or {}, obj.get("status") or {}
        meta = obj.get("metadata") or {}
        labels = dict(meta.get("labels") or {})
        hard, soft = [], []
        for taint in spec.get("taints") or []:
            if not isinstance(taint, dict):
                continue
            entry = (str(taint.get("key") or ""), str(taint.get("value") or ""),
                     str(taint.get("effect") or ""))
            if entry[2] in ("NoSchedule", "NoExecute"):
                hard.append(entry)
            elif entry[2] == "PreferNoSchedule":
                soft.append(entry)
        allocatable = status.get("allocatable") or {}
        resources = Resource.of({k: v for k, v in allocatable.items() if k != "pods"})
        pods = amount("pods", allocatable.get("pods", "0"))
        before = (self.present, self.labels, self.taints, self.soft_taints,
                  self.unschedulable, self.allocatable, self.allowed_pods)
        self.present = True
        self.labels, self.taints, self.soft_taints = labels, tuple(hard), tuple(soft)
        self.unschedulable = bool(spec.get("unschedulable"))
        self.allocatable, self.allowed_pods = resources, pods
        return before != (self.present, self.labels, self.taints, self.soft_taints,
                          self.unschedulable, self.allocatable, self.allowed_pods)

    # --- its pods -----------------------------------------------------------------------

    def add_pod(self, pod: PodInfo) -> None:
        self.pods[pod.key] = pod
        self.requested.add(pod.requests)
        self.non_zero_cpu += pod.non_zero_cpu
        self.non_zero_memory += pod.non_zero_memory
        for ip, protocol, port in pod.ports:
            self.ports[(ip, protocol, port)] += 1
            self.port_numbers[(protocol, port)] += 1
        if pod.owner and not pod.terminating:
            self.owners[pod.owner] += 1
        if pod.terms:
            self.with_terms[pod.key] = pod

    def remove_pod(self, key: Key) -> PodInfo | None:
        pod = self.pods.pop(key, None)
        if pod is None:
            return None
        self.requested.add(pod.requests, -1)
        self.non_zero_cpu -= pod.non_zero_cpu
        self.non_zero_memory -= pod.non_zero_memory
        for ip, protocol, port in pod.ports:
            _decrement(self.ports, (ip, protocol, port))
            _decrement(self.port_numbers, (protocol, port))
        if pod.owner and not pod.terminating:
            _decrement(self.owners, pod.owner)
        self.with_terms.pop(key, None)
        return pod

    def mark_terminating(self, key: Key) -> None:
        """A pod being deleted still holds its resources, but no longer counts as a replica."""
        pod = self.pods.get(key)
        if pod is not None and not pod.terminating:
            pod.terminating = True
            if pod.owner:
                _decrement(self.owners, pod.owner)

    def without(self, victims: list[PodInfo]) -> NodeInfo:
        """A copy as if ``victims`` were gone (what preemption would leave)."""
        copy = NodeInfo(self.name)
        copy.set_node_from(self)
        gone = {v.key for v in victims}
        for key, pod in self.pods.items():
            if key not in gone:
                copy.add_pod(pod)
        return copy

    def set_node_from(self, other: NodeInfo) -> None:
        self.present, self.labels = other.present, other.labels
        self.taints, self.soft_taints = other.taints, other.soft_taints
        self.unschedulable = other.unschedulable
        self.allocatable, self.allowed_pods = other.allocatable, other.allowed_pods


def _decrement(counter: Counter[Any], key: Any) -> None:
    left = counter[key] - 1
    if left > 0:
        counter[key] = left
    else:
        del counter[key]


class Cache:
    """All nodes, and which node each assigned (or assumed) pod is on."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeInfo] = {}
        self.assigned: dict[Key, str] = {}
        self._listed: list[NodeInfo] | None = None

    def node_list(self) -> list[NodeInfo]:
        """The nodes that exist, in name order (rebuilt only when nodes come and go)."""
        if self._listed is None:
            self._listed = sorted((n for n in self.nodes.values() if n.present),
                                  key=lambda n: n.name)
        return self._listed

    def _info(self, name: str) -> NodeInfo:
        info = self.nodes.get(name)
        if info is None:
            info = self.nodes[name] = NodeInfo(name)
        return info

    def set_node(self, obj: JSON) -> tuple[NodeInfo, bool]:
        info = self._info(str((obj.get("metadata") or {}).get("name") or ""))
        was_present = info.present
        changed = info.set_node(obj)
        if not was_present:
            self._listed = None
        return info, changed

    def remove_node(self, name: str) -> None:
        info = self.nodes.get(name)
        if info is None:
            return
        info.present = False
        self._listed = None
        if not info.pods:
            del self.nodes[name]

    def add_pod(self, pod: PodInfo, node: str) -> None:
        """Count a pod on ``node`` (assume it, or confirm an assignment seen in the API)."""
        self.remove_pod(pod.key)
        self.assigned[pod.key] = node
        self._info(node).add_pod(pod)

    def remove_pod(self, key: Key) -> tuple[str, PodInfo] | None:
        node = self.assigned.pop(key, None)
        if node is None:
            return None
        info = self.nodes.get(node)
        pod = info.remove_pod(key) if info is not None else None
        if info is not None and not info.present and not info.pods:
            del self.nodes[node]
        return (node, pod) if pod is not None else None

    def pod_on(self, key: Key) -> PodInfo | None:
        node = self.assigned.get(key)
        info = self.nodes.get(node) if node is not None else None
        return info.pods.get(key) if info is not None else None
