"""Revisions: the annotations that make ``kubectl rollout history`` and ``undo`` work.

Each ReplicaSet of a Deployment is one revision of its pod template.  The controller
numbers them in ``deployment.kubernetes.io/revision`` (on the ReplicaSet, and the current
one on the Deployment), keeps the numbers a template had before it came back in
``revision-history``, and copies the Deployment's own annotations onto its newest
ReplicaSet, so ``kubernetes.io/change-cause`` shows up in the history.  It also notes on
every ReplicaSet the size it was scaled for (``desired-replicas``, ``max-replicas``), which
proportional scaling reads back.  ``kubectl rollout undo`` is client-side: it finds the
ReplicaSet of a revision and patches its template and annotations into the Deployment.
"""

from __future__ import annotations

from typing import Any, Iterable

JSON = dict[str, Any]

REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
CHANGE_CAUSE = "kubernetes.io/change-cause"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
ROLLBACK_TO = "deprecated.deployment.rollback.to"

#: Annotations of a Deployment never copied to its ReplicaSets (nor back by ``undo``).
SKIPPED = frozenset({LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
                     MAX_REPLICAS, ROLLBACK_TO})

#: The longest revision-history annotation kept (older numbers are dropped first).
MAX_HISTORY_CHARS = 2000


def annotations_of(obj: JSON) -> dict[str, str]:
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta.get("annotations"), dict):
        meta["annotations"] = {}
    return meta["annotations"]


def revision(rs: JSON | None) -> int:
    """A ReplicaSet's revision number; 0 when it has none (or an unreadable one)."""
    if rs is None:
        return 0
    value = ((rs.get("metadata") or {}).get("annotations") or {}).get(REVISION, "")
    try:
        return int(value)
    except ValueError:
        return 0


def max_revision(replica_sets: Iterable[JSON | None]) -> int:
    return max((revision(rs) for rs in replica_sets if rs is not None), default=0)


def copy_deployment_annotations(deployment: JSON, rs: JSON) -> bool:
    """Copy the Deployment's annotations (all but ``SKIPPED``) onto ``rs``; True if any changed."""
    source = (deployment.get("metadata") or {}).get("annotations") or {}
    target = annotations_of(rs)
    changed = False
    for key, value in source.items():
        if key in SKIPPED or target.get(key) == value:
            continue
        target[key] = value
        changed = True
    return changed


def set_replicas_annotations(rs: JSON, desired: int, maximum: int) -> bool:
    """Note the Deployment size ``rs`` was scaled for; True if anything changed."""
    annotations = annotations_of(rs)
    changed = False
    for key, value in ((DESIRED_REPLICAS, str(desired)), (MAX_REPLICAS, str(maximum))):
        if annotations.get(key) != value:
            annotations[key] = value
            changed = True
    return changed


def replicas_annotations_need_update(rs: JSON, desired: int, maximum: int) -> bool:
    annotations = (rs.get("metadata") or {}).get("annotations") or {}
    return (annotations.get(DESIRED_REPLICAS) != str(desired)
            or annotations.get(MAX_REPLICAS) != str(maximum))


def desired_replicas_annotation(rs: JSON) -> int | None:
    return _int_annotation(rs, DESIRED_REPLICAS)


def max_replicas_annotation(rs: JSON) -> int | None:
    return _int_annotation(rs, MAX_REPLICAS)


def _int_annotation(rs: JSON, key: str) -> int | None:
    value = ((rs.get("metadata") or {}).get("annotations") or {}).get(key)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def set_new_replica_set_annotations(deployment: JSON, rs: JSON, new_revision: int, *,
                                    exists: bool, desired: int, maximum: int) -> bool:
    """Bring the newest ReplicaSet's annotations up to date; True if any changed.

    A template that comes back (a rollback) gets the new revision number and remembers
    its old ones in ``revision-history``; a ReplicaSet about to be created also gets its
    replicas annotations.
    """
    changed = copy_deployment_annotations(deployment, rs)
    annotations = annotations_of(rs)
    had = REVISION in annotations
    old = annotations.get(REVISION, "")
    try:
        old_number = int(old) if old else 0
    except ValueError:
        return False            # an unreadable revision is left as it is, as the real one does
    if old_number < new_revision:
        annotations[REVISION] = str(new_revision)
        changed = True
        if had:
            _remember(annotations, old)
    if not exists and set_replicas_annotations(rs, desired, maximum):
        changed = True
    return changed


def _remember(annotations: dict[str, str], old: str) -> None:
    history = annotations.get(REVISION_HISTORY, "")
    if not history:
        annotations[REVISION_HISTORY] = old
        return
    numbers = history.split(",")
    total = len(history) + len(old) + 1
    start = 0
    while total > MAX_HISTORY_CHARS and start < len(numbers):
        total -= len(numbers[start]) + 1
        start += 1
    if total <= MAX_HISTORY_CHARS:
        annotations[REVISION_HISTORY] = ",".join(numbers[start:] + [old])


def set_deployment_revision(deployment: JSON, value: str) -> bool:
    """Record the current revision on the Deployment; True if it changed."""
    annotations = annotations_of(deployment)
    if annotations.get(REVISION) == value:
        return False
    annotations[REVISION] = value
    return True
