"""What a ReplicaSet sync counts (its Tally) and the status it writes (calculateStatus)."""

from __future__ import annotations

import dataclasses
from typing import Any

from kitlib.sim.controllers.podcontrol import PodFacts
from kitlib.sim.controllers.replicaset import Claimed, Tally, calculate_status
from kitlib.sim.machinery import errors

NOW = 1_800_000_000.0
STAMP = "2027-01-15T08:00:00Z"
POD = PodFacts(rv=1, uid="u", node="n", phase="Running", ready=False, ready_since=None,
               restarts=0, created=NOW, deleting=False, deletion_cost=0, controller=None)
FULL = {"app": "web", "tier": "fe"}


def owner(*, replicas: int = 3, status: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"metadata": {"name": "web", "generation": 2}, "spec": {"replicas": replicas},
            "status": status or {"replicas": 0}}


def claimed(name: str, labels: dict[str, str], **facts: Any) -> Claimed:
    return Claimed(name, labels, dataclasses.replace(POD, uid=name, **facts))


def test_the_tally_counts_labels_readiness_and_availability() -> None:
    tally = Tally(basis=(), template_labels=FULL, scanned=NOW)
    tally.add(claimed("a", FULL, ready=True, ready_since=NOW - 10))
    tally.add(claimed("b", {"app": "web"}, ready=True, ready_since=NOW - 1))
    tally.add(claimed("c", {**FULL, "extra": "x"}))
    assert (len(tally.pods), tally.labeled, tally.ready) == (3, 2, 2)
    assert tally.available(5, NOW) == 1 and tally.available(0, NOW) == 2
    tally.add(claimed("c", FULL, ready=True, ready_since=NOW))     # a new version of c
    assert (len(tally.pods), tally.labeled, tally.ready) == (3, 2, 3)
    tally.discard("a")
    tally.discard("nobody")
    assert (len(tally.pods), tally.labeled, tally.ready) == (2, 1, 2)


def test_zero_counts_are_omitted() -> None:
    status = calculate_status(owner(), replicas=3, labeled=2, ready=2, available=1,
                              failure=None, stamp=STAMP)
    assert status == {"replicas": 3, "fullyLabeledReplicas": 2, "readyReplicas": 2,
                      "availableReplicas": 1}
    assert calculate_status(owner(), replicas=0, labeled=0, ready=0, available=0,
                            failure=None, stamp=STAMP) == {"replicas": 0}


def test_observed_generation_is_kept_for_the_caller_to_bump() -> None:
    status = calculate_status(owner(status={"replicas": 1, "observedGeneration": 1}),
                              replicas=1, labeled=1, ready=0, available=0, failure=None,
                              stamp=STAMP)
    assert status == {"replicas": 1, "fullyLabeledReplicas": 1, "observedGeneration": 1}


def test_replica_failure_is_added_once_and_removed_on_success() -> None:
    def status_of(o: dict[str, Any], failure: errors.StatusError | None, stamp: str = STAMP
                  ) -> dict[str, Any]:
        return calculate_status(o, replicas=1, labeled=1, ready=0, available=0,
                                failure=failure, stamp=stamp)

    failure = errors.Forbidden('pods "web-" is forbidden: exceeded quota')
    status = status_of(owner(), failure)
    assert status["conditions"] == [{"type": "ReplicaFailure", "status": "True",
                                     "lastTransitionTime": STAMP, "reason": "FailedCreate",
                                     "message": 'pods "web-" is forbidden: exceeded quota'}]
    again = status_of(owner(status=status), errors.Forbidden("another"), "2027-01-15T08:01:00Z")
    assert again["conditions"] == status["conditions"]      # kept while the failure lasts
    assert status_of(owner(replicas=0), failure)["conditions"][0]["reason"] == "FailedDelete"
    assert "conditions" not in status_of(owner(status=status), None)
