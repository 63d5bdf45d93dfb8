"""Is a node still there?  The node lifecycle controller's bookkeeping of heartbeats.

A kubelet proves it is alive by renewing its Lease in ``kube-node-lease`` (every 10 s) and
by posting node status.  The controller does not trust the kubelet's clock: it notes *its
own* time whenever it sees a new heartbeat (the "probe timestamp"), and once no heartbeat
has been seen for the grace period (``--node-monitor-grace-period``, 50 s in 1.32; 60 s
for a node that never reported), it sets the node's Ready, MemoryPressure, DiskPressure
and PIDPressure conditions to Unknown ("Kubelet stopped posting node status.").  This
module is that bookkeeping (tryUpdateNodeHealth), free of any I/O.

One liberty: the real controller, looking every 5 s, sees a heartbeat within 5 s of its
making.  Here the clock can be fast-forwarded past a heartbeat it had no chance to see, so
a new heartbeat counts from its own timestamp (never later than now, never earlier than
the last one), not from the moment it is noticed.  A node first seen (at start-up, say,
with heartbeats restored from disk) counts from now.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

JSON = dict[str, Any]

MONITOR_GRACE = 50.0
STARTUP_GRACE = 60.0
#: The conditions a silent node can no longer vouch for (not NetworkUnavailable: that one
#: is the network plugin's).
WATCHED_CONDITIONS = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")


@dataclass
class NodeHealth:
    #: Our clock when we last saw a sign of life.
    probe: float
    #: Our clock when we last saw the Ready condition change.
    transition: float
    #: The Ready condition as last seen (None: the kubelet never posted one).
    ready: JSON | None
    #: The lease's renewTime as last seen.
    lease: str = ""


def condition(node: JSON, kind: str) -> JSON | None:
    for entry in (node.get("status") or {}).get("conditions") or []:
        if entry.get("type") == kind:
            return entry
    return None


def _seconds(stamp: str | None) -> float:
    if not stamp:
        return 0.0
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def observe(node: JSON, health: NodeHealth | None, lease_renewed: str, *,
            now: float) -> tuple[NodeHealth, JSON, float]:
    """Take in what the node and its lease show now.

    Returns the updated health, the Ready condition as observed (a stand-in Unknown one
    dated at the node's creation if there is none) and the grace period that applies.
    """
    ready = condition(node, "Ready")
    created = node["metadata"].get("creationTimestamp")
    if ready is None:
        observed = {"type": "Ready", "status": "Unknown", "lastHeartbeatTime": created,
                    "lastTransitionTime": created}
        grace = STARTUP_GRACE
        if health is None:
            health = NodeHealth(probe=_seconds(created), transition=_seconds(created),
                                ready=None)
    else:
        observed = copy.deepcopy(ready)
        grace = MONITOR_GRACE
    saved = health.ready if health is not None else None
    saved_lease = health.lease if health is not None else ""
    if health is None or (saved is not None and ready is None):
        health = NodeHealth(probe=now, transition=now, ready=copy.deepcopy(ready))
    elif saved is None and ready is not None:       # its first status report
        health = NodeHealth(probe=_made(ready.get("lastHeartbeatTime"), now, health.probe),
                            transition=now, ready=copy.deepcopy(ready))
    elif saved is not None and ready is not None and \
            saved.get("lastHeartbeatTime") != ready.get("lastHeartbeatTime"):
        moved = saved.get("lastTransitionTime") != ready.get("lastTransitionTime")
        health = NodeHealth(probe=_made(ready.get("lastHeartbeatTime"), now, health.probe),
                            transition=now if moved else health.transition,
                            ready=copy.deepcopy(ready))
    health.lease = health.lease or saved_lease
    if lease_renewed and (not saved_lease or _seconds(saved_lease) < _seconds(lease_renewed)):
        health.lease = lease_renewed
        health.probe = max(health.probe, _made(lease_renewed, now, health.probe))
    return health, observed, grace


def _made(stamp: str | None, now: float, last: float) -> float:
    """When a heartbeat stamped ``stamp`` was made, as far as we may believe it."""
    return max(last, min(now, _seconds(stamp) or now))


def mark_unknown(node: JSON, *, stamp: str) -> None:
    """Set the watched conditions Unknown, in place, as the controller posts them."""
    status = node.setdefault("status", {})
    conditions = status.setdefault("conditions", [])
    created = node["metadata"].get("creationTimestamp")
    for kind in WATCHED_CONDITIONS:
        current = condition(node, kind)
        if current is None:
            conditions.append({"type": kind, "status": "Unknown",
                               "lastHeartbeatTime": created, "lastTransitionTime": stamp,
                               "reason": "NodeStatusNeverUpdated",
                               "message": "Kubelet never posted node status."})
        elif current.get("status") != "Unknown":
            current.update({"status": "Unknown", "reason": "NodeStatusUnknown",
                            "message": "Kubelet stopped posting node status.",
                            "lastTransitionTime": stamp})
