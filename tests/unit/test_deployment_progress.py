"""Deployment status: counts, Available, and the Progressing verdicts with real texts."""

from __future__ import annotations

from typing import Any

from kitlib.sim.controllers.deployment import progress as p

JSON = dict[str, Any]
T0 = "2026-01-01T00:00:00Z"
T1 = "2026-01-01T00:05:00Z"


def deployment(replicas: int = 3, *, status: JSON | None = None, generation: int = 1,
               deadline: int | None = 600) -> JSON:
    spec: JSON = {"replicas": replicas, "strategy": {
        "type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}}
    if deadline is not None:
        spec["progressDeadlineSeconds"] = deadline
    return {"metadata": {"name": "web", "generation": generation}, "spec": spec,
            "status": status or {}}


def rs(name: str, size: int, *, ready: int = 0, available: int = 0, running: int | None = None
       ) -> JSON:
    return {"metadata": {"name": name}, "spec": {"replicas": size},
            "status": {"replicas": size if running is None else running,
                       "readyReplicas": ready, "availableReplicas": available}}


def reasons(status: JSON) -> list[tuple[str, str, str]]:
    return [(c["type"], c["status"], c["reason"]) for c in status.get("conditions", [])]


def test_counts_and_minimum_availability() -> None:
    new, old = rs("web-new", 3, ready=2, available=2), rs("web-old", 1, ready=1, available=1)
    status = p.calculate_status([old, new], new, deployment(), now=T0)
    assert {k: v for k, v in status.items() if k != "conditions"} == {
        "observedGeneration": 1, "replicas": 4, "updatedReplicas": 3, "readyReplicas": 3,
        "availableReplicas": 3, "unavailableReplicas": 1}
    assert status["conditions"] == [{
        "type": "Available", "status": "True", "lastUpdateTime": T0, "lastTransitionTime": T0,
        "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability."}]
    empty = p.calculate_status([rs("web-new", 3)], rs("web-new", 3), deployment(), now=T0)
    assert "replicas" in empty and "readyReplicas" not in empty     # zeros are omitted
    assert empty["conditions"][0]["message"] == "Deployment does not have minimum availability."


def test_progressing_then_complete() -> None:
    created = p.condition(p.PROGRESSING, "True", p.NEW_RS_CREATED,
                          'Created new replica set "web-1"', now=T0)
    d = deployment(status={"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3,
                           "conditions": [created]})
    new = rs("web-1", 3, ready=1, available=1)
    status = p.rollout_status([new], new, d, now=T1, now_seconds=p.parse_time(T1))
    progressing = p.get_condition(status, p.PROGRESSING)
    assert progressing is not None
    assert (progressing["reason"], progressing["message"]) == (
        "ReplicaSetUpdated", 'ReplicaSet "web-1" is progressing.')
    assert progressing["lastTransitionTime"] == T0 and progressing["lastUpdateTime"] == T1
    assert reasons(status)[-1][0] == "Progressing"                 # moved last
    done = rs("web-1", 3, ready=3, available=3)
    status = p.rollout_status([done], done, d, now=T1, now_seconds=p.parse_time(T1))
    final = p.get_condition(status, p.PROGRESSING)
    assert final is not None and final["reason"] == "NewReplicaSetAvailable"
    assert final["message"] == 'ReplicaSet "web-1" has successfully progressed.'
    assert p.deployment_complete(d, status)


def test_no_progress_past_the_deadline_times_out() -> None:
    updated = p.condition(p.PROGRESSING, "True", p.RS_UPDATED, 'ReplicaSet "web-2" is '
                          'progressing.', now=T0)
    d = deployment(deadline=60, status={"observedGeneration": 1, "replicas": 3,
                                        "updatedReplicas": 1, "conditions": [updated]})
    stuck = rs("web-2", 1)
    early = p.rollout_status([rs("web-1", 2), stuck], stuck, d, now=T0,
                             now_seconds=p.parse_time(T0) + 30)
    assert p.get_condition(early, p.PROGRESSING)["reason"] == "ReplicaSetUpdated"
    late = p.rollout_status([rs("web-1", 2), stuck], stuck, d, now=T1,
                            now_seconds=p.parse_time(T0) + 61)
    cond = p.get_condition(late, p.PROGRESSING)
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "False", "ProgressDeadlineExceeded", 'ReplicaSet "web-2" has timed out progressing.')


def test_without_a_deadline_there_is_no_progressing_condition() -> None:
    d = deployment(deadline=p.NO_DEADLINE, status={"conditions": [p.condition(
        p.PROGRESSING, "True", p.NEW_RS_CREATED, "x", now=T0)]})
    status = p.rollout_status([rs("a", 3)], rs("a", 3), d, now=T0, now_seconds=0)
    assert p.get_condition(status, p.PROGRESSING) is None


def test_set_condition_keeps_transition_time_and_skips_same_reason() -> None:
    status: JSON = {}
    p.set_condition(status, p.condition(p.AVAILABLE, "True", "A", "first", now=T0))
    p.set_condition(status, p.condition(p.AVAILABLE, "True", "A", "second", now=T1))
    assert status["conditions"][0]["message"] == "first"
    p.set_condition(status, p.condition(p.AVAILABLE, "True", "B", "third", now=T1))
    assert status["conditions"][0]["lastTransitionTime"] == T0
    assert status["conditions"][0]["lastUpdateTime"] == T1
    p.set_condition(status, p.condition(p.AVAILABLE, "False", "C", "fourth", now=T1))
    assert status["conditions"][0]["lastTransitionTime"] == T1


def test_replica_failures_of_the_new_replica_set_first() -> None:
    failing = {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate",
               "message": "pods is forbidden", "lastTransitionTime": T0}
    old = {**rs("old", 1), "status": {"conditions": [{**failing, "message": "old"}]}}
    new = {**rs("new", 1), "status": {"conditions": [failing]}}
    found = p.replica_failures([old, new], new)
    assert [c["message"] for c in found] == ["pods is forbidden"]
    assert found[0]["lastUpdateTime"] == T0
    assert [c["message"] for c in p.replica_failures([old, rs("new", 1)], rs("new", 1))] == \
        ["old"]
