"""Zones and how fast their nodes may be tainted for eviction.

When nodes stop answering, the node lifecycle controller taints them ``NoExecute`` so
their pods are evicted, but at a limited rate per zone (``--node-eviction-rate``: one node
every 10 s), and not at all when it looks like the controller, not the nodes, is cut off:
a zone where most nodes are down ("partial disruption") slows to the secondary rate in
big clusters and stops in small ones, and when every zone is down ("full disruption" of
the whole cluster) all evictions stop and the taints come off.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Mapping

REGION_LABEL = "topology.kubernetes.io/region"
ZONE_LABEL = "topology.kubernetes.io/zone"
BETA_REGION_LABEL = "failure-domain.beta.kubernetes.io/region"
BETA_ZONE_LABEL = "failure-domain.beta.kubernetes.io/zone"

EVICTION_QPS = 0.1
SECONDARY_EVICTION_QPS = 0.01
LARGE_CLUSTER_THRESHOLD = 50
UNHEALTHY_ZONE_THRESHOLD = 0.55

NORMAL = "Normal"
PARTIAL_DISRUPTION = "PartialDisruption"
FULL_DISRUPTION = "FullDisruption"
INITIAL = "Initial"


def zone_key(labels: Mapping[str, str]) -> str:
    """GetZoneKey: "region:\\x00:zone", or "" for a node with neither label."""
    region = labels.get(REGION_LABEL) or labels.get(BETA_REGION_LABEL, "")
    zone = labels.get(ZONE_LABEL) or labels.get(BETA_ZONE_LABEL, "")
    if not region and not zone:
        return ""
    return f"{region}:\x00:{zone}"


def zone_state(ready_statuses: list[str | None]) -> tuple[int, str]:
    """(how many nodes are not ready, the zone's state) from their Ready statuses."""
    ready = sum(1 for status in ready_statuses if status == "True")
    not_ready = len(ready_statuses) - ready
    if ready == 0 and not_ready > 0:
        return not_ready, FULL_DISRUPTION
    if not_ready > 2 and not_ready / (not_ready + ready) >= UNHEALTHY_ZONE_THRESHOLD:
        return not_ready, PARTIAL_DISRUPTION
    return not_ready, NORMAL


def rate_for(state: str, zone_size: int) -> float:
    if state == PARTIAL_DISRUPTION:
        return SECONDARY_EVICTION_QPS if zone_size > LARGE_CLUSTER_THRESHOLD else 0.0
    return EVICTION_QPS


class ZoneTainter:
    """A zone's queue of nodes to taint, drained by a token bucket (burst 1).

    Like RateLimitedTimedQueue over a UniqueQueue: a node stays known after it was
    handled, so it is not queued again until ``remove`` forgets it.
    """

    def __init__(self, *, qps: float, now: float) -> None:
        self._queue: OrderedDict[str, float] = OrderedDict()   # node -> process at
        self._known: set[str] = set()
        self.qps = qps
        self._tokens = 1.0
        self._refilled = now

    def add(self, node: str, *, now: float) -> bool:
        if node in self._known:
            return False
        self._known.add(node)
        self._queue[node] = now
        return True

    def remove(self, node: str) -> bool:
        self._queue.pop(node, None)
        if node in self._known:
            self._known.discard(node)
            return True
        return False

    def swap_limiter(self, qps: float, *, now: float) -> None:
        if qps != self.qps:
            self._take_time(now)
            self.qps = qps
            self._tokens = min(self._tokens, 1.0)

    def _take_time(self, now: float) -> None:
        if self.qps > 0:
            self._tokens = min(1.0, self._tokens + (now - self._refilled) * self.qps)
        self._refilled = now

    def due(self, *, now: float) -> list[str]:
        """Nodes whose turn has come now, each one paid for with a token."""
        self._take_time(now)
        ready = []
        for node, when in list(self._queue.items()):
            if when > now or self.qps <= 0 or self._tokens < 1.0:
                break
            self._tokens -= 1.0
            ready.append(node)
        return ready

    def done(self, node: str) -> None:
        """Handled: out of the queue, still known."""
        self._queue.pop(node, None)

    def retry(self, node: str, *, at: float) -> None:
        if node in self._known:
            self._queue[node] = at
            self._queue.move_to_end(node)

    def __len__(self) -> int:
        return len(self._queue)
