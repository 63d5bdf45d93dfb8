"""A Deployment's status: its counts, and the Available and Progressing conditions.

``kubectl rollout status`` reads exactly this: ``observedGeneration`` (has the controller
seen the latest spec?), ``updatedReplicas``, ``replicas`` and ``availableReplicas``, and
the Progressing condition, whose reason says where a rollout is (NewReplicaSetCreated,
ReplicaSetUpdated, NewReplicaSetAvailable) or that it is stuck
(ProgressDeadlineExceeded, once ``progressDeadlineSeconds`` pass without progress).
The reasons and messages are those of pkg/controller/deployment/util.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Sequence

from kitlib.sim.controllers.deployment import replicas as counts

JSON = dict[str, Any]

PROGRESSING = "Progressing"
AVAILABLE = "Available"
REPLICA_FAILURE = "ReplicaFailure"

NEW_RS_CREATED = "NewReplicaSetCreated"
FOUND_NEW_RS = "FoundNewReplicaSet"
RS_UPDATED = "ReplicaSetUpdated"
NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
TIMED_OUT = "ProgressDeadlineExceeded"
PAUSED = "DeploymentPaused"
RESUMED = "DeploymentResumed"
FAILED_RS_CREATE = "ReplicaSetCreateError"
MINIMUM_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_UNAVAILABLE = "MinimumReplicasUnavailable"

#: ``progressDeadlineSeconds`` of MaxInt32 means "no deadline".
NO_DEADLINE = 2**31 - 1

# DeploymentStatus fields in their Go order; zero counts are omitted (omitempty).
_COUNTS = ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
           "availableReplicas", "unavailableReplicas")


def condition(kind: str, status: str, reason: str, message: str, *, now: str) -> JSON:
    return {"type": kind, "status": status, "lastUpdateTime": now, "lastTransitionTime": now,
            "reason": reason, "message": message}


def get_condition(status: JSON, kind: str) -> JSON | None:
    for cond in status.get("conditions") or []:
        if cond.get("type") == kind:
            return cond
    return None


def set_condition(status: JSON, cond: JSON) -> None:
    """``SetDeploymentCondition``: replace the condition of its type, moving it last.

    The same status and reason leave the old one untouched; the same status keeps its
    ``lastTransitionTime``.
    """
    current = get_condition(status, cond["type"])
    if current is not None and current.get("status") == cond["status"] \
            and current.get("reason") == cond["reason"]:
        return
    if current is not None and current.get("status") == cond["status"]:
        cond = {**cond, "lastTransitionTime": current.get("lastTransitionTime")}
    others = [c for c in status.get("conditions") or [] if c.get("type") != cond["type"]]
    status["conditions"] = [*others, cond]


def remove_condition(status: JSON, kind: str) -> None:
    if "conditions" in status:
        status["conditions"] = [c for c in status["conditions"] if c.get("type") != kind]
        if not status["conditions"]:
            del status["conditions"]


def has_progress_deadline(deployment: JSON) -> bool:
    deadline = (deployment.get("spec") or {}).get("progressDeadlineSeconds")
    return deadline is not None and deadline != NO_DEADLINE


def calculate_status(all_rss: Sequence[JSON | None], new_rs: JSON | None, deployment: JSON, *,
                     now: str) -> JSON:
    """The counts from the ReplicaSets' statuses, and the Available condition."""
    rss = counts.present(all_rss)
    available = counts.available_count(rss)
    unavailable = max(counts.replica_count(rss) - available, 0)
    old = deployment.get("status") or {}
    values = {
        "observedGeneration": (deployment.get("metadata") or {}).get("generation", 0),
        "replicas": counts.actual_count(rss),
        "updatedReplicas": counts.actual_count([new_rs]),
        "readyReplicas": counts.ready_count(rss),
        "availableReplicas": available,
        "unavailableReplicas": unavailable,
    }
    status: JSON = {key: values[key] for key in _COUNTS if values[key]}
    if old.get("conditions"):
        status["conditions"] = [dict(c) for c in old["conditions"]]
    if old.get("collisionCount") is not None:
        status["collisionCount"] = old["collisionCount"]
    desired = counts.spec_replicas(deployment)
    if available >= desired - counts.max_unavailable(deployment):
        set_condition(status, condition(AVAILABLE, "True", MINIMUM_AVAILABLE,
                                        "Deployment has minimum availability.", now=now))
    else:
        set_condition(status, condition(AVAILABLE, "False", MINIMUM_UNAVAILABLE,
                                        "Deployment does not have minimum availability.",
                                        now=now))
    return status


def ordered(status: JSON) -> JSON:
    """The status with its fields in Go's order (conditions and collisionCount last)."""
    out = {key: status[key] for key in _COUNTS if status.get(key)}
    for key in ("conditions", "collisionCount"):
        if status.get(key) is not None:
            out[key] = status[key]
    return out


def deployment_complete(deployment: JSON, status: JSON) -> bool:
    """Every replica updated and available, and the latest spec observed."""
    desired = counts.spec_replicas(deployment)
    generation = (deployment.get("metadata") or {}).get("generation", 0)
    return (status.get("updatedReplicas", 0) == desired and status.get("replicas", 0) == desired
            and status.get("availableReplicas", 0) == desired
            and status.get("observedGeneration", 0) >= generation)


def deployment_progressing(deployment: JSON, status: JSON) -> bool:
    """More pods updated, fewer old ones, or more ready or available than last time."""
    old = deployment.get("status") or {}
    old_pending = old.get("replicas", 0) - old.get("updatedReplicas", 0)
    new_pending = status.get("replicas", 0) - status.get("updatedReplicas", 0)
    return (status.get("updatedReplicas", 0) > old.get("updatedReplicas", 0)
            or new_pending < old_pending
            or status.get("readyReplicas", 0) > old.get("readyReplicas", 0)
            or status.get("availableReplicas", 0) > old.get("availableReplicas", 0))


def parse_time(stamp: str | None) -> float:
    if not stamp:
        return 0.0
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def deployment_timed_out(deployment: JSON, status: JSON, *, now: float) -> bool:
    """No progress recorded for ``progressDeadlineSeconds``."""
    if not has_progress_deadline(deployment):
        return False
    cond = get_condition(status, PROGRESSING)
    if cond is None or cond.get("reason") == NEW_RS_AVAILABLE:
        return False
    if cond.get("reason") == TIMED_OUT:
        return True
    deadline = deployment["spec"]["progressDeadlineSeconds"]
    return parse_time(cond.get("lastUpdateTime")) + deadline < now


def replica_failures(all_rss: Sequence[JSON | None], new_rs: JSON | None) -> list[JSON]:
    """ReplicaFailure conditions of the new ReplicaSet, else of any, as Deployment ones."""
    def failures(rs: JSON) -> list[JSON]:
        return [{"type": REPLICA_FAILURE, "status": c.get("status"),
                 "lastUpdateTime": c.get("lastTransitionTime"),
                 "lastTransitionTime": c.get("lastTransitionTime"),
                 "reason": c.get("reason"), "message": c.get("message")}
                for c in (rs.get("status") or {}).get("conditions") or []
                if c.get("type") == REPLICA_FAILURE]
    if new_rs is not None and (found := failures(new_rs)):
        return found
    return [c for rs in counts.present(all_rss) for c in failures(rs)]


def rollout_status(all_rss: Sequence[JSON | None], new_rs: JSON | None, deployment: JSON, *,
                   now: str, now_seconds: float) -> JSON:
    """``syncRolloutStatus``'s new status: counts, Available, Progressing, ReplicaFailure."""
    status = calculate_status(all_rss, new_rs, deployment, now=now)
    if not has_progress_deadline(deployment):
        remove_condition(status, PROGRESSING)
    current = get_condition(deployment.get("status") or {}, PROGRESSING)
    complete = (status.get("replicas", 0) == status.get("updatedReplicas", 0)
                and current is not None and current.get("reason") == NEW_RS_AVAILABLE)
    name = new_rs["metadata"]["name"] if new_rs is not None else ""
    if has_progress_deadline(deployment) and not complete:
        if deployment_complete(deployment, status):
            set_condition(status, condition(
                PROGRESSING, "True", NEW_RS_AVAILABLE,
                f'ReplicaSet "{name}" has successfully progressed.', now=now))
        elif deployment_progressing(deployment, status):
            cond = condition(PROGRESSING, "True", RS_UPDATED,
                             f'ReplicaSet "{name}" is progressing.', now=now)
            if current is not None:
                if current.get("status") == "True":
                    cond["lastTransitionTime"] = current.get("lastTransitionTime")
                remove_condition(status, PROGRESSING)
            set_condition(status, cond)
        elif deployment_timed_out(deployment, status, now=now_seconds):
            set_condition(status, condition(
                PROGRESSING, "False", TIMED_OUT,
                f'ReplicaSet "{name}" has timed out progressing.', now=now))
    failures = replica_failures(all_rss, new_rs)
    if failures:
        set_condition(status, failures[0])
    else:
        remove_condition(status, REPLICA_FAILURE)
    return status
