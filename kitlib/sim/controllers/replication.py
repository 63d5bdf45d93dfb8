"""The replication manager: ReplicationControllers, the original way to keep N pods.

kube-controller-manager runs ReplicationControllers with the ReplicaSet controller's own
code, treating a ReplicationController as an older version of a ReplicaSet: only the API
(``v1``, ``replicationcontrollers``), the selector (a plain map rather than a
LabelSelector) and the name on its events (``replication-controller``) differ.  This
module is that adapter.
"""

from __future__ import annotations

from kitlib.sim.controllers.replicaset import ReplicaKind, ReplicaSetController
from kitlib.sim.machinery.labels import from_map

REPLICATION_CONTROLLER = ReplicaKind(resource="replicationcontrollers",
                                     kind="ReplicationController",
                                     selector=lambda spec: from_map(spec.get("selector")))


class ReplicationManager(ReplicaSetController):
    name = "replication-controller"
    kind = REPLICATION_CONTROLLER
