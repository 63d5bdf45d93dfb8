"""PodStatus as the kubelet writes it: container statuses, the phase, the conditions.

The rules are the kubelet's (kubelet_pods.go getPhase and convertToAPIContainerStatuses,
status/generate.go for the conditions), kept in the same order and with the same reasons
and messages, because they are exactly what ``kubectl get`` and ``kubectl describe``
turn into the STATUS column and the Conditions table.  Keys are written in Go's field
order, so a raw GET reads like a real server's answer.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from kitlib.sim.kubelet.books import ContainerBook, PodBook, Termination
from kitlib.sim.kubelet.phase import any_started, get_phase, is_sidecar

JSON = dict[str, Any]
KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                      "PodScheduled")


def rfc3339(moment: float) -> str:
    return datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _terminated(term: Termination) -> JSON:
    status = term.status
    out: JSON = {"exitCode": status.exit_code}
    if status.signal:
        out["signal"] = status.signal
    out["reason"] = status.reason
    if status.message:
        out["message"] = status.message
    out["startedAt"] = rfc3339(status.started_at)
    out["finishedAt"] = rfc3339(status.finished_at)
    out["containerID"] = f"containerd://{term.container_id}"
    return out


def _volume_mounts(spec: JSON) -> list[JSON]:
    out = []
    for mount in spec.get("volumeMounts") or []:
        item: JSON = {"name": mount.get("name", ""), "mountPath": mount.get("mountPath", "")}
        if mount.get("readOnly"):
            item["readOnly"] = True
            item["recursiveReadOnly"] = "Disabled"
        out.append(item)
    return out


def container_status(book: ContainerBook, *, default_reason: str) -> JSON:
    """One ContainerStatus.  ``default_reason``: ContainerCreating, or PodInitializing in a
    pod with init containers."""
    state: JSON
    last: JSON = {}
    current_id = book.container_id
    if book.state in ("running", "stopping") and book.started_at is not None:
        state = {"running": {"startedAt": rfc3339(book.started_at)}}
        if book.previous:
            last = {"terminated": _terminated(book.previous)}
    elif book.exit is not None and book.state in ("exited", "new", "pulled", "created"):
        state = {"terminated": _terminated(book.exit)}
        current_id = book.exit.container_id
        if book.previous:
            last = {"terminated": _terminated(book.previous)}
    else:
        waiting: JSON = {"reason": default_reason}
        if book.state == "waiting" and book.reason:
            waiting = {"reason": book.reason}
            if book.message:
                waiting["message"] = book.message
        state = {"waiting": waiting}
        ended = book.exit or book.previous
        if ended:
            last = {"terminated": _terminated(ended)}
            current_id = current_id or ended.container_id
    has_run = book.image is not None and book.attempts > 0
    out: JSON = {"name": book.name, "state": state, "lastState": last,
                 "ready": book.ready and book.state == "running",
                 "restartCount": max(0, book.attempts - 1),
                 "image": book.image.reference if has_run and book.image else
                 book.spec.get("image", ""),
                 "imageID": book.image.id if has_run and book.image else ""}
    if current_id:
        out["containerID"] = f"containerd://{current_id}"
    out["started"] = book.started and book.state == "running"
    mounts = _volume_mounts(book.spec)
    if mounts:
        out["volumeMounts"] = mounts
    return out


def _condition(kind: str, status: str, reason: str = "", message: str = "") -> JSON:
    out: JSON = {"type": kind, "status": status}
    if reason:
        out["reason"] = reason
    if message:
        out["message"] = message
    return out


def _names(names: list[str]) -> str:
    return "[" + " ".join(names) + "]"          # Go's %s of a []string


def conditions(pod: PodBook, spec: JSON, init: list[JSON], regular: list[JSON],
               phase: str) -> list[JSON]:
    """The five kubelet-owned conditions, in the kubelet's order (transition times later)."""
    statuses = {s["name"]: s for s in init + regular}
    out = [_condition("PodReadyToStartContainers",
                      "True" if pod.sandbox_state == "ready" else "False")]
    incomplete = []
    for container in spec.get("initContainers") or []:
        status = statuses.get(container.get("name")) or {}
        if is_sidecar(container):
            if not status.get("started"):
                incomplete.append(container["name"])
            continue
        term = (status.get("state") or {}).get("terminated")
        if not term or term.get("exitCode", 0) != 0:
            incomplete.append(container["name"])
    regular_started = any_started(regular)
    if phase == "Succeeded":
        out.append(_condition("Initialized", "True", "PodCompleted"))
    elif regular_started or not incomplete:
        out.append(_condition("Initialized", "True"))
    else:
        out.append(_condition("Initialized", "False", "ContainersNotInitialized",
                              f"containers with incomplete status: {_names(incomplete)}"))
    unready = [c["name"] for c in spec.get("initContainers") or []
               if is_sidecar(c) and not (statuses.get(c["name"]) or {}).get("ready")]
    unready += [c["name"] for c in spec.get("containers") or []
                if not (statuses.get(c["name"]) or {}).get("ready")]
    if phase in ("Succeeded", "Failed"):
        ready = _condition("ContainersReady", "False",
                           "PodCompleted" if phase == "Succeeded" else "PodFailed")
    elif unready:
        ready = _condition("ContainersReady", "False", "ContainersNotReady",
                           f"containers with unready status: {_names(unready)}")
    else:
        ready = _condition("ContainersReady", "True")
    pod_ready = dict(ready, type="Ready")
    if ready["status"] == "True":
        pod_ready = _readiness_gates(spec, pod.pod) or pod_ready
    out += [pod_ready, ready, _condition("PodScheduled", "True")]
    return out


def _readiness_gates(spec: JSON, pod: JSON) -> JSON | None:
    existing = {c.get("type"): c for c in (pod.get("status") or {}).get("conditions") or []}
    missing = []
    for gate in spec.get("readinessGates") or []:
        kind = gate.get("conditionType", "")
        found = existing.get(kind)
        if found is None:
            missing.append(f'corresponding condition of pod readiness gate "{kind}" does not '
                           "exist.")
        elif found.get("status") != "True":
            missing.append(f'the status of pod readiness gate "{kind}" is not "True", but '
                           f'{found.get("status")}')
    if not missing:
        return None
    return _condition("Ready", "False", "ReadinessGatesNotReady", ", ".join(missing))


def _with_times(new: list[JSON], old: list[JSON], now: str) -> list[JSON]:
    """lastProbeTime null; lastTransitionTime kept while a condition's status holds."""
    before = {c.get("type"): c for c in old}
    out = []
    for condition in new:
        previous = before.get(condition["type"]) or {}
        moment = previous.get("lastTransitionTime") if previous.get("status") == \
            condition["status"] else None
        item = {"type": condition["type"], "status": condition["status"],
                "lastProbeTime": None, "lastTransitionTime": moment or now}
        for key in ("reason", "message"):
            if key in condition:
                item[key] = condition[key]
        out.append(item)
    return out


def pod_status(pod: PodBook, *, node_ip: str, terminal: bool, now: str,
               previous: list[JSON]) -> JSON:
    """The kubelet-owned part of status: what the kubelet writes over the current one."""
    spec = pod.spec
    default = "PodInitializing" if spec.get("initContainers") else "ContainerCreating"
    init = [container_status(b, default_reason=default) for b in pod.init_books()]
    regular = [container_status(b, default_reason=default) for b in pod.regular_books()]
    phase = get_phase(spec, init, regular, terminal=terminal)
    status: JSON = {"phase": phase,
                    "conditions": _with_times(conditions(pod, spec, init, regular, phase),
                                              previous, now),
                    "hostIP": node_ip, "hostIPs": [{"ip": node_ip}]}
    if pod.ip:
        status["podIP"] = pod.ip
        status["podIPs"] = [{"ip": pod.ip}]
    status["startTime"] = pod.start_time or now
    if init:
        status["initContainerStatuses"] = init
    status["containerStatuses"] = regular
    return status


def merge_status(current: JSON, kubelet: JSON) -> JSON:
    """The pod's status with the kubelet's part written over it (mergePodStatus): others'
    conditions (readiness gates, DisruptionTarget) stay first, other fields are kept."""
    merged = {k: v for k, v in current.items()
              if k not in ("phase", "conditions", "hostIP", "hostIPs", "podIP", "podIPs",
                           "startTime", "initContainerStatuses", "containerStatuses")}
    foreign = [c for c in current.get("conditions") or []
               if c.get("type") not in KUBELET_CONDITIONS]
    ordered: JSON = {"phase": kubelet["phase"],
                     "conditions": foreign + kubelet["conditions"]}
    for key in ("message", "reason", "nominatedNodeName"):
        if key in merged:
            ordered[key] = merged.pop(key)
    for key in ("hostIP", "hostIPs", "podIP", "podIPs", "startTime", "initContainerStatuses",
                "containerStatuses"):
        if key in kubelet:
            ordered[key] = kubelet[key]
    ordered.update(merged)          # qosClass and anything else keeps its value
    return ordered
