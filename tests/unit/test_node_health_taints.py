"""Node heartbeats, zone states, eviction rate limits, taints and tolerations."""

from __future__ import annotations

from typing import Any

import pytest

from kitlib.sim.controllers.nodehealth import (MONITOR_GRACE, STARTUP_GRACE, NodeHealth,
                                               condition, mark_unknown, observe)
from kitlib.sim.controllers.nodezones import (FULL_DISRUPTION, NORMAL, PARTIAL_DISRUPTION,
                                              ZoneTainter, rate_for, zone_key, zone_state)
from kitlib.sim.controllers.taints import (matching_tolerations, min_toleration_seconds,
                                           swap_taints, tolerates)

T0 = 1_800_000_000.0          # 2027-01-15T08:00:00Z
STAMP0 = "2027-01-15T08:00:00Z"


def node(*, heartbeat: str | None = STAMP0, transition: str = STAMP0) -> dict[str, Any]:
    obj: dict[str, Any] = {"metadata": {"name": "n1", "creationTimestamp": STAMP0},
                           "status": {}}
    if heartbeat is not None:
        obj["status"]["conditions"] = [
            {"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": heartbeat,
             "lastTransitionTime": transition, "reason": "KubeletHasSufficientMemory",
             "message": "kubelet has sufficient memory available"},
            {"type": "Ready", "status": "True", "lastHeartbeatTime": heartbeat,
             "lastTransitionTime": transition, "reason": "KubeletReady",
             "message": "kubelet is posting ready status"}]
    return obj


def test_first_sight_counts_from_now() -> None:
    health, observed, grace = observe(node(), None, "", now=T0 + 30)
    assert (health.probe, grace, observed["status"]) == (T0 + 30, MONITOR_GRACE, "True")


def test_a_node_that_never_reported_counts_from_its_creation() -> None:
    health, observed, grace = observe(node(heartbeat=None), None, "", now=T0 + 30)
    assert (health.probe, grace) == (T0, STARTUP_GRACE)
    assert observed == {"type": "Ready", "status": "Unknown", "lastHeartbeatTime": STAMP0,
                        "lastTransitionTime": STAMP0}


def test_heartbeats_and_lease_renewals_move_the_probe() -> None:
    health, _, _ = observe(node(), None, "", now=T0)
    health, _, _ = observe(node(), health, "", now=T0 + 40)
    assert health.probe == T0                                   # nothing new
    health, _, _ = observe(node(), health, "2027-01-15T08:00:20.500000Z", now=T0 + 40)
    assert health.probe == T0 + 20.5                            # the renewal's own time
    health, _, _ = observe(node(heartbeat="2027-01-15T08:00:30Z"), health,
                           "2027-01-15T08:00:20.500000Z", now=T0 + 90)
    assert health.probe == T0 + 30
    # A heartbeat stamped in the future never counts beyond now.
    health, _, _ = observe(node(heartbeat="2027-01-15T09:00:00Z"), health,
                           "2027-01-15T08:00:20.500000Z", now=T0 + 95)
    assert health.probe == T0 + 95


def test_renewal_older_than_the_last_is_ignored() -> None:
    health = NodeHealth(probe=T0 + 50, transition=T0, ready=node()["status"]["conditions"][1],
                        lease="2027-01-15T08:00:50.000000Z")
    health, _, _ = observe(node(), health, "2027-01-15T08:00:40.000000Z", now=T0 + 60)
    assert health.probe == T0 + 50


def test_mark_unknown_as_the_controller_posts_it() -> None:
    silent = node()
    mark_unknown(silent, stamp="2027-01-15T08:01:00Z")
    ready = condition(silent, "Ready")
    assert ready == {"type": "Ready", "status": "Unknown", "lastHeartbeatTime": STAMP0,
                     "lastTransitionTime": "2027-01-15T08:01:00Z",
                     "reason": "NodeStatusUnknown",
                     "message": "Kubelet stopped posting node status."}
    missing = condition(silent, "PIDPressure")
    assert missing is not None and (missing["reason"], missing["message"]) == (
        "NodeStatusNeverUpdated", "Kubelet never posted node status.")
    assert missing["lastHeartbeatTime"] == STAMP0
    again = [dict(c) for c in silent["status"]["conditions"]]
    mark_unknown(silent, stamp="2027-01-15T08:05:00Z")
    assert silent["status"]["conditions"] == again              # Unknown stays as it was


@pytest.mark.parametrize(("statuses", "state"), [
    (["True", "True", "Unknown"], NORMAL),
    (["Unknown", "False"], FULL_DISRUPTION),
    (["True", "Unknown", "Unknown", "Unknown"], PARTIAL_DISRUPTION),
    (["True", "Unknown", "Unknown"], NORMAL),         # partial needs more than 2 down
    ([None, "True"], NORMAL),
])
def test_zone_state(statuses: list[str | None], state: str) -> None:
    assert zone_state(statuses)[1] == state


def test_zone_key_and_rates() -> None:
    assert zone_key({}) == ""
    assert zone_key({"topology.kubernetes.io/zone": "a",
                     "topology.kubernetes.io/region": "r"}) == "r:\x00:a"
    assert rate_for(NORMAL, 3) == 0.1 and rate_for(FULL_DISRUPTION, 3) == 0.1
    assert rate_for(PARTIAL_DISRUPTION, 3) == 0.0 and rate_for(PARTIAL_DISRUPTION, 51) == 0.01


def test_zone_tainter_lets_one_node_through_every_ten_seconds() -> None:
    tainter = ZoneTainter(qps=0.1, now=T0)
    assert tainter.add("a", now=T0) and tainter.add("b", now=T0)
    assert not tainter.add("a", now=T0)
    assert tainter.due(now=T0) == ["a"]
    tainter.done("a")
    assert tainter.due(now=T0 + 5) == []
    assert tainter.due(now=T0 + 10) == ["b"]
    tainter.done("b")
    assert not tainter.add("a", now=T0 + 20)        # handled, still known
    assert tainter.remove("a") and tainter.add("a", now=T0 + 20)
    tainter.swap_limiter(0.0, now=T0 + 20)
    assert tainter.due(now=T0 + 100) == []


def test_tolerations() -> None:
    taint = {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}
    assert tolerates({"key": taint["key"], "operator": "Exists", "effect": "NoExecute"}, taint)
    assert tolerates({"operator": "Exists"}, taint)
    assert not tolerates({"key": taint["key"], "operator": "Exists", "effect": "NoSchedule"},
                         taint)
    assert tolerates({"key": "k", "value": "v"}, {"key": "k", "value": "v",
                                                   "effect": "NoExecute"})
    assert not tolerates({"key": "k", "value": "w"}, {"key": "k", "value": "v"})
    ok, used = matching_tolerations([taint], [{"operator": "Exists", "tolerationSeconds": 300}])
    assert ok and min_toleration_seconds(used) == 300
    assert matching_tolerations([taint], [{"key": "other", "operator": "Exists"}]) == (False, [])
    assert min_toleration_seconds([{"operator": "Exists"}]) == -1
    assert min_toleration_seconds([{"tolerationSeconds": 30}, {"tolerationSeconds": 0}]) == 0
    assert min_toleration_seconds([]) == 0


def test_swap_taints_stamps_what_it_adds() -> None:
    obj: dict[str, Any] = {"spec": {"taints": [{"key": "a", "effect": "NoSchedule"},
                                               {"key": "x", "effect": "NoExecute"}]}}
    assert swap_taints(obj, [{"key": "u", "effect": "NoExecute"}],
                       [{"key": "x", "effect": "NoExecute"}], now=STAMP0)
    assert obj["spec"]["taints"] == [{"key": "a", "effect": "NoSchedule"},
                                     {"key": "u", "effect": "NoExecute", "timeAdded": STAMP0}]
    assert not swap_taints(obj, [], [{"key": "gone", "effect": "NoExecute"}], now=STAMP0)
    assert swap_taints(obj, [], [{"key": "a", "effect": "NoSchedule"},
                                 {"key": "u", "effect": "NoExecute"}], now=STAMP0)
    assert "taints" not in obj["spec"]
