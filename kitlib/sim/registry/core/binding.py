"""Binding a pod to a node: what ``POST pods/NAME/binding`` does (the scheduler's write).

Binding sets ``spec.nodeName`` exactly once and marks the pod PodScheduled; a pod that is
already bound, or being deleted, cannot be bound again (409 Conflict, real message).
"""

from __future__ import annotations

from typing import Any

from kitlib.sim.machinery import errors

JSON = dict[str, Any]


def assign(pod: JSON, *, node: str, annotations: dict[str, str] | None = None,
           now: str) -> JSON:
    """The pod bound to ``node`` (changed in place and returned)."""
    meta, spec = pod["metadata"], pod.setdefault("spec", {})
    name = meta.get("name", "")
    if meta.get("deletionTimestamp"):
        raise errors.Conflict(resource="pods/binding", name=name,
                              detail=f"pod {name} is being deleted, cannot be assigned to a "
                                     f"host")
    if spec.get("nodeName"):
        raise errors.Conflict(resource="pods/binding", name=name,
                              detail=f'pod {name} is already assigned to node '
                                     f'"{spec["nodeName"]}"')
    spec["nodeName"] = node
    if annotations:
        meta.setdefault("annotations", {}).update(annotations)
    status = pod.setdefault("status", {})
    conditions = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"]
    conditions.append({"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                       "lastTransitionTime": now})
    status["conditions"] = conditions
    return pod
