"""A pod's phase, as the kubelet's getPhase derives it from its container statuses.

Pending, Running, Succeeded or Failed is not stored anywhere by the containers: the kubelet
computes it each time from the container statuses, the restart policy, and whether the
pod is finished for good (deleted and stopped).  The rules are getPhase's, in its order,
including the init-container and sidecar cases, since the phase decides what ``kubectl
get`` prints and when controllers count a pod as done.
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


def is_sidecar(spec: JSON) -> bool:
    return spec.get("restartPolicy") == "Always"


def any_started(regular: list[JSON]) -> bool:
    """HasAnyRegularContainerStarted: one is running or has terminated."""
    return any("running" in s["state"] or "terminated" in s["state"] for s in regular)


def get_phase(spec: JSON, init: list[JSON], regular: list[JSON], *, terminal: bool) -> str:
    """kubelet's getPhase, on API container statuses."""
    by_name = {s["name"]: s for s in init + regular}
    pending_init = pending_sidecars = failed_init = 0
    unknown = running = waiting = stopped = succeeded = 0
    for container in spec.get("initContainers") or []:
        status = by_name.get(container.get("name"))
        state = (status or {}).get("state") or {}
        last = (status or {}).get("lastState") or {}
        if is_sidecar(container):
            if status is None:
                unknown += 1
            elif "running" in state:
                pending_sidecars += 0 if status.get("started") else 1
                running += 1
            elif "waiting" in state and "terminated" not in last:
                pending_sidecars += 1
                waiting += 1
            continue
        if status is None or "running" in state:
            pending_init += 1
        elif "terminated" in state:
            failed_init += state["terminated"].get("exitCode", 0) != 0
        elif "waiting" in state:
            if "terminated" in last:
                failed_init += last["terminated"].get("exitCode", 0) != 0
            else:
                pending_init += 1
        else:
            pending_init += 1
    for container in spec.get("containers") or []:
        status = by_name.get(container.get("name"))
        state = (status or {}).get("state") or {}
        if status is None:
            unknown += 1
        elif "running" in state:
            running += 1
        elif "terminated" in state:
            stopped += 1
            succeeded += state["terminated"].get("exitCode", 0) == 0
        elif "waiting" in state:
            if "terminated" in ((status.get("lastState") or {})):
                stopped += 1
            else:
                waiting += 1
        else:
            unknown += 1
    policy = spec.get("restartPolicy") or "Always"
    if failed_init and policy == "Never":
        return "Failed"
    regular_started = any_started(regular)
    if pending_init or (pending_sidecars and not regular_started) or waiting:
        return "Pending"
    if running and not unknown:
        return "Running"
    if not running and stopped and not unknown:
        if terminal:
            return "Succeeded" if stopped == succeeded else "Failed"
        if policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        return "Failed" if policy == "Never" else "Running"
    return "Pending"
