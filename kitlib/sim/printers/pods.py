"""``kubectl get pods``: NAME READY STATUS RESTARTS AGE (wide: IP NODE NOMINATED NODE
READINESS GATES).

The STATUS cell is not a field of the pod: the server's pod printer derives it, and it is
what learners read first, so every branch of the real rules is kept, in their order:

1. ``status.phase``, replaced by ``status.reason`` if set (``Evicted``, ``NodeLost``...),
   or ``SchedulingGated`` when the PodScheduled condition says so;
2. the init containers, in order, until one has not finished: ``Init:Error``,
   ``Init:ExitCode:N``, ``Init:Signal:N``, ``Init:<waiting reason>``, else ``Init:i/n``
   (a started sidecar, i.e. a ``restartPolicy: Always`` init container, does not block);
3. once initialised, the app containers *last to first*, so the first container with a
   waiting or terminated reason wins (``CrashLoopBackOff``, ``OOMKilled``, ``ExitCode:N``);
   ``Completed`` with a container still running reads ``Running`` or ``NotReady``;
4. a deletion timestamp makes it ``Terminating`` (``Unknown`` for a lost node).

RESTARTS is a string: ``3`` or ``3 (5m ago)`` from the newest ``lastState.terminated``.
Succeeded and Failed pods carry a ``Completed`` row condition.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kitlib.sim.printers.humanize import parse_time, since
from kitlib.sim.printers.table import AGE, NAME, Column, Printer, Row, creation_of, name_of

JSON = dict[str, Any]

COLUMNS = (
    NAME,
    Column("Ready", description="How many of the pod's containers (sidecars included) are "
                                "ready, out of how many it has."),
    Column("Status", description="A one-word summary of the pod's state, worked out from its "
                                 "phase and its containers, e.g. Running or CrashLoopBackOff."),
    Column("Restarts", description="How many times the pod's containers have been restarted, "
                                   "and how long ago the last restart was."),
    AGE,
    Column("IP", priority=1, description="The pod's IP address inside the cluster, once it has "
                                         "been given one."),
    Column("Node", priority=1, description="The node the pod is scheduled to, if any."),
    Column("Nominated Node", priority=1, description=(
        "The node the scheduler freed up room on for this pod by preemption; the pod may still "
        "end up on another node.")),
    Column("Readiness Gates", priority=1, description=(
        "How many of the pod's extra readiness gates have their condition True, out of how "
        "many it declares.")),
)

SUCCEEDED = {"type": "Completed", "status": "True", "reason": "Succeeded",
             "message": "The pod has completed successfully."}
FAILED = {"type": "Completed", "status": "True", "reason": "Failed", "message": "The pod failed."}


def _is_sidecar(container: JSON | None) -> bool:
    """``IsRestartableInitContainer``: an init container with ``restartPolicy: Always``."""
    return bool(container) and container.get("restartPolicy") == "Always"


def _newer(candidate: datetime | None, current: datetime | None) -> datetime | None:
    if candidate is not None and (current is None or current < candidate):
        return candidate
    return current


def _last_termination(status: JSON) -> datetime | None:
    terminated = (status.get("lastState") or {}).get("terminated")
    return parse_time(terminated.get("finishedAt")) if terminated is not None else None


def _exit_reason(terminated: JSON, prefix: str) -> str:
    """A terminated container without a reason: ``Signal:N`` if signalled, else ``ExitCode:N``."""
    signal = terminated.get("signal") or 0
    if signal:
        return f"{prefix}Signal:{signal}"
    return f"{prefix}ExitCode:{terminated.get('exitCode') or 0}"


def _condition_true(conditions: list[JSON], kind: str, *, first_only: bool) -> bool:
    for condition in conditions:
        if condition.get("type") != kind:
            continue
        if first_only or condition.get("status") == "True":
            return condition.get("status") == "True"
    return False


def _pod_ip(status: JSON) -> str:
    # v1 -> internal conversion: podIP wins over podIPs[0] when both are set.
    if status.get("podIP"):
        return status["podIP"]
    ips = status.get("podIPs") or []
    return (ips[0] or {}).get("ip", "") if ips else ""


def _readiness_gates(spec: JSON, conditions: list[JSON]) -> str:
    gates = spec.get("readinessGates") or []
    if not gates:
        return "<none>"
    passed = 0
    for gate in gates:
        for condition in conditions:
            if condition.get("type") == gate.get("conditionType"):
                passed += condition.get("status") == "True"
                break
    return f"{passed}/{len(gates)}"


def print_pod(pod: JSON, now: datetime) -> Row:
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    conditions = status.get("conditions") or []
    init_containers = spec.get("initContainers") or []
    init_by_name = {container.get("name"): container for container in init_containers}

    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    for condition in conditions:
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    row_conditions = [SUCCEEDED] if phase == "Succeeded" else [FAILED] if phase == "Failed" else []

    total = len(spec.get("containers") or []) + sum(map(_is_sidecar, init_containers))
    ready = 0
    restarts = sidecar_restarts = 0
    last_restart: datetime | None = None
    last_sidecar_restart: datetime | None = None

    initializing = False
    for index, container in enumerate(status.get("initContainerStatuses") or []):
        restarts += container.get("restartCount") or 0
        last_restart = _newer(_last_termination(container), last_restart)
        sidecar = _is_sidecar(init_by_name.get(container.get("name")))
        if sidecar:
            sidecar_restarts += container.get("restartCount") or 0
            last_sidecar_restart = _newer(_last_termination(container), last_sidecar_restart)
        state = container.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and (terminated.get("exitCode") or 0) == 0:
            continue                                    # finished: look at the next one
        if sidecar and container.get("started") is True:
            ready += bool(container.get("ready"))
            continue                                    # a running sidecar does not block
        if terminated is not None:
            reason = ("Init:" + terminated["reason"] if terminated.get("reason")
                      else _exit_reason(terminated, "Init:"))
        elif waiting is not None and waiting.get("reason") not in (None, "", "PodInitializing"):
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{index}/{len(init_containers)}"
        initializing = True
        break

    if not initializing or _condition_true(conditions, "Initialized", first_only=True):
        restarts, last_restart = sidecar_restarts, last_sidecar_restart
        has_running = False
        for container in reversed(status.get("containerStatuses") or []):
            restarts += container.get("restartCount") or 0
            last_restart = _newer(_last_termination(container), last_restart)
            state = container.get("state") or {}
            terminated, waiting = state.get("terminated"), state.get("waiting")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif terminated is not None:
                reason = terminated.get("reason") or _exit_reason(terminated, "")
            elif container.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            ready_condition = _condition_true(conditions, "Ready", first_only=False)
            reason = "Running" if ready_condition else "NotReady"

    if meta.get("deletionTimestamp") is not None:
        if status.get("reason") == "NodeLost":
            reason = "Unknown"
        elif phase not in ("Succeeded", "Failed"):
            reason = "Terminating"

    restarts_cell = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_cell = f"{restarts} ({since(last_restart, now=now)} ago)"

    cells: list[Any] = [name_of(pod), f"{ready}/{total}", reason, restarts_cell,
                        since(parse_time(creation_of(pod)), now=now)]
    cells += [_pod_ip(status) or "<none>", spec.get("nodeName") or "<none>",
              status.get("nominatedNodeName") or "<none>", _readiness_gates(spec, conditions)]
    return Row(cells, row_conditions)


PODS = Printer(COLUMNS, print_pod)
