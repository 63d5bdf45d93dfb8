"""Taints and tolerations: how a node keeps pods away, and how a pod says it does not mind.

The node lifecycle controller taints nodes that stop reporting (``unreachable``) or report
trouble (``not-ready``, ``memory-pressure``, ...); the taint eviction controller removes
pods from nodes with ``NoExecute`` taints they do not tolerate, after the tolerations'
``tolerationSeconds``.  These helpers follow k8s.io/api's ToleratesTaint and the
controllers' taint utilities.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

JSON = dict[str, Any]

UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"

#: Node condition -> {condition status: the NoSchedule taint it brings}.
CONDITION_TAINTS: dict[str, dict[str, str]] = {
    "Ready": {"False": NOT_READY, "Unknown": UNREACHABLE},
    "MemoryPressure": {"True": "node.kubernetes.io/memory-pressure"},
    "DiskPressure": {"True": "node.kubernetes.io/disk-pressure"},
    "NetworkUnavailable": {"True": "node.kubernetes.io/network-unavailable"},
    "PIDPressure": {"True": "node.kubernetes.io/pid-pressure"},
}
CONDITION_TAINT_KEYS = frozenset(key for table in CONDITION_TAINTS.values()
                                 for key in table.values())


def tolerates(toleration: Mapping[str, Any], taint: Mapping[str, Any]) -> bool:
    if toleration.get("effect") and toleration["effect"] != taint.get("effect"):
        return False
    if toleration.get("key") and toleration["key"] != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    if operator == "Equal":
        return (toleration.get("value") or "") == (taint.get("value") or "")
    return False


def matching_tolerations(taints: list[JSON],
                         tolerations: list[JSON]) -> tuple[bool, list[JSON]]:
    """Whether every taint is tolerated, and the first toleration used for each."""
    used = []
    for taint in taints:
        found = next((t for t in tolerations if tolerates(t, taint)), None)
        if found is None:
            return False, []
        used.append(found)
    return True, used


def min_toleration_seconds(used: list[JSON]) -> float:
    """How long the pod may stay: the shortest tolerationSeconds, 0 when none were used,
    -1 when it tolerates forever."""
    if not used:
        return 0.0
    shortest: float | None = None
    for toleration in used:
        seconds = toleration.get("tolerationSeconds")
        if seconds is None:
            continue
        if seconds <= 0:
            return 0.0
        shortest = seconds if shortest is None else min(shortest, seconds)
    return -1.0 if shortest is None else float(shortest)


def no_execute(taints: Iterable[JSON] | None) -> list[JSON]:
    return [t for t in taints or [] if t.get("effect") == "NoExecute"]


def has_taint(taints: Iterable[JSON] | None, key: str, effect: str) -> bool:
    return any(t.get("key") == key and t.get("effect") == effect for t in taints or [])


def swap_taints(node: JSON, add: list[JSON], remove: list[JSON], *, now: str) -> bool:
    """Add (stamped ``timeAdded``) and remove taints by key and effect, in place; True if
    the node's taints changed (SwapNodeControllerTaint)."""
    spec = node.setdefault("spec", {})
    taints = list(spec.get("taints") or [])
    before = [dict(t) for t in taints]
    for wanted in add:
        stamped = {"key": wanted["key"], "effect": wanted["effect"], "timeAdded": now}
        for i, taint in enumerate(taints):
            if taint.get("key") == wanted["key"] and taint.get("effect") == wanted["effect"]:
                taints[i] = stamped
                break
        else:
            taints.append(stamped)
    gone = {(t["key"], t["effect"]) for t in remove}
    taints = [t for t in taints if (t.get("key"), t.get("effect")) not in gone]
    if taints == before:
        return False
    if taints:
        spec["taints"] = taints
    else:
        spec.pop("taints", None)
    return True
