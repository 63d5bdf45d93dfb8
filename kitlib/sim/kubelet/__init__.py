"""The nodes' agents: one simulated kubelet per node, driving a container runtime.

``fleet`` builds the nodes and routes pods to their kubelets; ``kubelet`` is the
component; ``heartbeat`` registers the node and keeps its lease; ``podworker`` walks each
pod through the lifecycle written as data in ``stages.yaml``; ``status`` builds what the
kubelet writes; ``probes`` runs liveness, readiness and startup probes.
"""

from __future__ import annotations

from kitlib.sim.kubelet.fleet import Fleet
from kitlib.sim.kubelet.kubelet import Kubelet
from kitlib.sim.kubelet.node import NodeIdentity, node_names

__all__ = ["Fleet", "Kubelet", "NodeIdentity", "node_names"]
