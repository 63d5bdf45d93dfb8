"""The arithmetic of a rollout: counts, fenceposts, orderings and proportions.

Pure functions over the JSON of a Deployment and its ReplicaSets (pkg/controller/
deployment/util in Kubernetes): which ReplicaSet is the new one, how many pods a rolling
update may add above the desired count (maxSurge, rounded up) or keep unavailable
(maxUnavailable, rounded down), how a resize is shared between ReplicaSets in proportion
to their size, and the orders the controller visits them in.
"""

from __future__ import annotations

import functools
from typing import Any, Iterable, Sequence

from kitlib.sim.controllers.deployment.hashing import without_hash
from kitlib.sim.controllers.deployment.history import (desired_replicas_annotation,
                                                       max_replicas_annotation)

JSON = dict[str, Any]
RS = JSON


def _int(value: Any, default: int = 0) -> int:
    return default if value is None else int(value)


def spec_replicas(obj: JSON) -> int:
    """``spec.replicas`` (defaulted to 1 by the API, so almost always present)."""
    return _int((obj.get("spec") or {}).get("replicas"), 1)


def status_of(obj: JSON, field: str) -> int:
    return _int((obj.get("status") or {}).get(field))


def uid_of(obj: JSON | None) -> str:
    return ((obj or {}).get("metadata") or {}).get("uid", "")


def name_of(obj: JSON) -> str:
    return obj["metadata"]["name"]


# --- fenceposts ----------------------------------------------------------------------------

def is_rolling_update(deployment: JSON) -> bool:
    strategy = (deployment.get("spec") or {}).get("strategy") or {}
    return strategy.get("type", "RollingUpdate") == "RollingUpdate"


def scaled_value(value: int | str | None, total: int, *, round_up: bool) -> int:
    """``GetScaledValueFromIntOrPercent``: an int as it is, ``"25%"`` of ``total``."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    text = str(value)
    if not text.endswith("%"):
        return int(text)
    share = int(text[:-1]) * total
    return -(-share // 100) if round_up else share // 100


def resolve_fenceposts(surge: int | str | None, unavailable: int | str | None,
                       desired: int) -> tuple[int, int]:
    """maxSurge rounded up and maxUnavailable rounded down; never both zero."""
    up = scaled_value(surge, desired, round_up=True)
    down = scaled_value(unavailable, desired, round_up=False)
    if up == 0 and down == 0:
        down = 1        # rounding made both zero: allow one unavailable pod to make progress
    return up, down


def _fenceposts(deployment: JSON) -> tuple[int, int]:
    rolling = ((deployment.get("spec") or {}).get("strategy") or {}).get("rollingUpdate") or {}
    return resolve_fenceposts(rolling.get("maxSurge"), rolling.get("maxUnavailable"),
                              spec_replicas(deployment))


def max_surge(deployment: JSON) -> int:
    if not is_rolling_update(deployment):
        return 0
    return _fenceposts(deployment)[0]


def max_unavailable(deployment: JSON) -> int:
    desired = spec_replicas(deployment)
    if not is_rolling_update(deployment) or desired == 0:
        return 0
    return min(_fenceposts(deployment)[1], desired)


# --- counting --------------------------------------------------------------------------------

def present(replica_sets: Iterable[RS | None]) -> list[RS]:
    return [rs for rs in replica_sets if rs is not None]


def active(replica_sets: Iterable[RS | None]) -> list[RS]:
    """The ReplicaSets asked to run pods (``FilterActiveReplicaSets``)."""
    return [rs for rs in present(replica_sets) if spec_replicas(rs) > 0]


def replica_count(replica_sets: Iterable[RS | None]) -> int:
    """Pods asked for (``spec.replicas``) across ReplicaSets."""
    return sum(spec_replicas(rs) for rs in present(replica_sets))


def actual_count(replica_sets: Iterable[RS | None]) -> int:
    return sum(status_of(rs, "replicas") for rs in present(replica_sets))


def ready_count(replica_sets: Iterable[RS | None]) -> int:
    return sum(status_of(rs, "readyReplicas") for rs in present(replica_sets))


def available_count(replica_sets: Iterable[RS | None]) -> int:
    return sum(status_of(rs, "availableReplicas") for rs in present(replica_sets))


# --- orderings -------------------------------------------------------------------------------

def _created(rs: RS) -> tuple[str, str]:
    meta = rs["metadata"]
    return meta.get("creationTimestamp") or "", meta["name"]


def by_creation(replica_sets: Iterable[RS]) -> list[RS]:
    """Oldest first; ties (one-second timestamps) broken by name."""
    return sorted(replica_sets, key=_created)


def by_size_older(replica_sets: Iterable[RS]) -> list[RS]:
    """Largest first; among equals the oldest first (for scaling down)."""
    return sorted(replica_sets, key=lambda rs: (-spec_replicas(rs), _created(rs)))


def by_size_newer(replica_sets: Iterable[RS]) -> list[RS]:
    """Largest first; among equals the newest first (for scaling up)."""
    def compare(a: RS, b: RS) -> int:
        if spec_replicas(a) != spec_replicas(b):
            return spec_replicas(b) - spec_replicas(a)
        ka, kb = _created(a), _created(b)
        return (ka < kb) - (ka > kb)
    return sorted(replica_sets, key=functools.cmp_to_key(compare))


# --- which ReplicaSet is which ---------------------------------------------------------------

def find_new_replica_set(deployment: JSON, replica_sets: Sequence[RS]) -> RS | None:
    """The oldest ReplicaSet whose template is the Deployment's (``FindNewReplicaSet``)."""
    wanted = without_hash((deployment.get("spec") or {}).get("template"))
    for rs in by_creation(replica_sets):
        if without_hash((rs.get("spec") or {}).get("template")) == wanted:
            return rs
    return None


def old_replica_sets(replica_sets: Sequence[RS], new_rs: RS | None) -> list[RS]:
    new_uid = uid_of(new_rs) if new_rs is not None else None
    return [rs for rs in replica_sets if uid_of(rs) != new_uid]


def find_active_or_latest(new_rs: RS | None, old: Sequence[RS]) -> RS | None:
    """The one ReplicaSet with pods (or the newest, if none has any); None if several do."""
    if new_rs is None and not old:
        return None
    newest_first = list(reversed(by_creation(old)))
    running = active([*newest_first, new_rs])
    if not running:
        return new_rs if new_rs is not None else newest_first[0]
    return running[0] if len(running) == 1 else None


def new_rs_new_replicas(deployment: JSON, all_rss: Sequence[RS | None], new_rs: RS) -> int:
    """How large the new ReplicaSet may be now (``NewRSNewReplicas``)."""
    desired = spec_replicas(deployment)
    if not is_rolling_update(deployment):
        return desired
    rolling = (deployment["spec"].get("strategy") or {}).get("rollingUpdate") or {}
    surge = scaled_value(rolling.get("maxSurge"), desired, round_up=True)
    current = replica_count(all_rss)
    ceiling = desired + surge
    if current >= ceiling:
        return spec_replicas(new_rs)     # already at the surge limit
    return spec_replicas(new_rs) + min(ceiling - current, desired - spec_replicas(new_rs))


def is_saturated(deployment: JSON, rs: RS | None) -> bool:
    """The new ReplicaSet is at full size, for this size, and every pod is available."""
    if rs is None:
        return False
    desired = spec_replicas(deployment)
    return (spec_replicas(rs) == desired and desired_replicas_annotation(rs) == desired
            and status_of(rs, "availableReplicas") == desired)


def _round(value: float) -> int:
    return int(value - 0.5) if value < 0 else int(value + 0.5)


def fraction(rs: RS, deployment: JSON) -> int:
    """How many pods ``rs`` gains (or loses) if the Deployment's new size is shared out."""
    desired = spec_replicas(deployment)
    if desired == 0:
        return -spec_replicas(rs)
    total = desired + max_surge(deployment)
    annotated = max_replicas_annotation(rs)
    if annotated is None:
        annotated = status_of(deployment, "replicas")
    if annotated == 0:
        return 0
    return _round(spec_replicas(rs) * total / annotated) - spec_replicas(rs)


def proportion(rs: RS | None, deployment: JSON, to_add: int, added: int) -> int:
    """``GetProportion``: this ReplicaSet's share of a resize, within what is left of it."""
    if rs is None or spec_replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    share = fraction(rs, deployment)
    allowed = to_add - added
    return min(share, allowed) if to_add > 0 else max(share, allowed)
