"""The status a ReplicaSet sync writes (calculateStatus), from golden inputs."""

from __future__ import annotations

import dataclasses
from typing import Any

from kitlib.sim.controllers.podcontrol import PodFacts
from kitlib.sim.controllers.replicaset import Claimed, calculate_status
from kitlib.sim.machinery import errors

NOW = 1_800_000_000.0
STAMP = "2027-01-15T08:00:00Z"
POD = PodFacts(rv=1, uid="u", node="n", phase="Running", ready=False, ready_since=None,
               restarts=0, created=NOW, deleting=False, deletion_cost=0, controller=None)


def owner(*, replicas: int = 3, min_ready: int = 0, status: dict[str, Any] | None = None
          ) -> dict[str, Any]:
    return {"metadata": {"name": "web", "generation": 2},
            "spec": {"replicas": replicas, "minReadySeconds": min_ready,
                     "template": {"metadata": {"labels": {"app": "web", "tier": "fe"}}}},
            "status": status or {"replicas": 0}}


def claimed(name: str, labels: dict[str, str], **facts: Any) -> Claimed:
    return Claimed(name, labels, dataclasses.replace(POD, uid=name, **facts))


FULL = {"app": "web", "tier": "fe"}


def test_counts_and_zero_fields_omitted() -> None:
    pods = [claimed("a", FULL, ready=True, ready_since=NOW - 10),
            claimed("b", {"app": "web"}, ready=True, ready_since=NOW - 1),
            claimed("c", {**FULL, "extra": "x"})]
    status = calculate_status(owner(min_ready=5), pods, None, now=NOW, stamp=STAMP)
    assert status == {"replicas": 3, "fullyLabeledReplicas": 2, "readyReplicas": 2,
                      "availableReplicas": 1}
    assert calculate_status(owner(), [], None, now=NOW, stamp=STAMP) == {"replicas": 0}


def test_observed_generation_is_kept_for_the_caller_to_bump() -> None:
    status = calculate_status(owner(status={"replicas": 1, "observedGeneration": 1}),
                              [claimed("a", FULL)], None, now=NOW, stamp=STAMP)
    assert status == {"replicas": 1, "fullyLabeledReplicas": 1, "observedGeneration": 1}


def test_replica_failure_is_added_once_and_removed_on_success() -> None:
    failure = errors.Forbidden('pods "web-x" is forbidden: exceeded quota')
    status = calculate_status(owner(), [claimed("a", FULL)], failure, now=NOW, stamp=STAMP)
    assert status["conditions"] == [{"type": "ReplicaFailure", "status": "True",
                                     "lastTransitionTime": STAMP, "reason": "FailedCreate",
                                     "message": 'pods "web-x" is forbidden: exceeded quota'}]
    again = calculate_status(owner(status=status), [claimed("a", FULL)],
                             errors.Forbidden("another"), now=NOW + 60,
                             stamp="2027-01-15T08:01:00Z")
    assert again["conditions"] == status["conditions"]      # not replaced while it holds
    surplus = calculate_status(owner(replicas=0), [claimed("a", FULL)], failure, now=NOW,
                               stamp=STAMP)
    assert surplus["conditions"][0]["reason"] == "FailedDelete"
    healed = calculate_status(owner(status=status), [claimed("a", FULL)], None, now=NOW,
                              stamp=STAMP)
    assert "conditions" not in healed
