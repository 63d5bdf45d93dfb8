"""Liveness, readiness and startup probes, run on the simulated clock.

One probe loop per probe of a running container, as the kubelet's prober runs one worker
per probe: the first probe comes ``initialDelaySeconds`` after the container started (at
the earliest one period, except for readiness, which the kubelet triggers at once), then
one every ``periodSeconds``; ``failureThreshold`` failures (or ``successThreshold`` successes)
in a row change the result.  Until a startup probe has passed, the other two wait.  Every
failed probe is an ``Unhealthy`` event with the prober's own wording.  What a probe
*finds* is the runtime's answer (exec, HTTP GET, TCP connect, gRPC health), so a richer
runtime changes the answers without this module changing.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from kitlib.sim.kubelet.books import ContainerBook
from kitlib.sim.runtime.interface import CRIError, NetworkError

if TYPE_CHECKING:
    from kitlib.sim.kubelet.podworker import PodWorker

log = logging.getLogger("kitlib.sim.kubelet")
JSON = dict[str, Any]
PROBES = (("startup", "startupProbe"), ("readiness", "readinessProbe"),
          ("liveness", "livenessProbe"))


def _port(book: ContainerBook, value: Any) -> int:
    if isinstance(value, int):
        return value
    text = str(value)
    if text.isdigit():
        return int(text)
    for port in book.spec.get("ports") or []:
        if port.get("name") == text:
            return int(port.get("containerPort", 0))
    raise CRIError(f"couldn't find port: {text} in {book.name}")


async def run_probe(worker: PodWorker, book: ContainerBook, kind: str, spec: JSON,
                    container_id: str) -> tuple[str, str]:
    """One probe: ("success" | "failure" | "unknown", output)."""
    runtime, timeout = worker.kubelet.runtime, float(spec.get("timeoutSeconds") or 1)
    ip = worker.book.ip
    try:
        if "exec" in spec:
            result = await runtime.exec_sync(container_id,
                                             tuple(spec["exec"].get("command") or ()),
                                             timeout=timeout, probe=kind)
            return ("success" if result.exit_code == 0 else "failure"), result.output
        if "httpGet" in spec:
            http = spec["httpGet"]
            port, host = _port(book, http.get("port")), http.get("host") or ip
            scheme = (http.get("scheme") or "HTTP").lower()
            url = f"{scheme}://{host}:{port}{http.get('path') or '/'}"
            try:
                response = await runtime.http_get(
                    container_id, port=port, path=http.get("path") or "/",
                    scheme=http.get("scheme") or "HTTP", host=http.get("host") or "",
                    headers=tuple((h.get("name", ""), h.get("value", ""))
                                  for h in http.get("httpHeaders") or []),
                    timeout=timeout, probe=kind)
            except NetworkError as exc:
                return "failure", f'Get "{url}": {exc.message}'
            if 200 <= response.status < 400:
                return "success", ""
            return "failure", f"HTTP probe failed with statuscode: {response.status}"
        if "tcpSocket" in spec:
            tcp = spec["tcpSocket"]
            try:
                await runtime.tcp_connect(container_id, port=_port(book, tcp.get("port")),
                                          host=tcp.get("host") or "", timeout=timeout,
                                          probe=kind)
            except NetworkError as exc:
                return "failure", exc.message
            return "success", ""
        if "grpc" in spec:
            grpc = spec["grpc"]
            port = int(grpc.get("port", 0))
            try:
                serving = await runtime.grpc_health(container_id, port=port,
                                                    service=grpc.get("service") or "",
                                                    timeout=timeout, probe=kind)
            except NetworkError:
                return "failure", (f'timeout: failed to connect service "{ip}:{port}" within '
                                   f"{int(timeout)}s")
            if serving == "SERVING":
                return "success", ""
            return "failure", f'service unhealthy (responded with "{serving}")'
    except CRIError as exc:
        return "unknown", exc.message
    return "unknown", "missing probe handler"


async def probe_loop(worker: PodWorker, book: ContainerBook, kind: str, spec: JSON,
                     container_id: str) -> None:
    clock = worker.kubelet.clock
    period = float(spec.get("periodSeconds") or 10)
    started = book.started_at or clock.time()
    first = float(spec.get("initialDelaySeconds") or 0)
    if kind != "readiness":
        # The prober ticks every period; only readiness is also run at once when a
        # container starts (the kubelet triggers it to become Ready sooner).
        first = max(first, period)
    await clock.sleep(max(0.0, started + first - clock.time()))
    last, run = "", 0
    success_needed = int(spec.get("successThreshold") or 1)
    failures_allowed = int(spec.get("failureThreshold") or 3)
    while book.container_id == container_id and book.state == "running":
        if kind == "startup" and book.started:
            return
        if kind == "startup" or book.started:
            outcome, output = await run_probe(worker, book, kind, spec, container_id)
            if book.container_id != container_id or book.state != "running":
                return
            name = kind.capitalize()
            if outcome == "failure":
                await worker.record(book, "Warning", "Unhealthy", f"{name} probe failed: {output}")
            elif outcome == "unknown":
                await worker.record(book, "Warning", "Unhealthy",
                                    f"{name} probe errored and resulted in unknown state: "
                                    f"{output}")
                outcome = "failure"
            run = run + 1 if outcome == last else 1
            last = outcome
            if (outcome == "failure" and run >= failures_allowed) or \
                    (outcome == "success" and run >= success_needed):
                worker.probe_result(book, kind, outcome)
                if kind != "readiness" and outcome == "failure":
                    return          # the container will be restarted: stop probing it
        await clock.sleep(period)


def start_probes(worker: PodWorker, book: ContainerBook) -> None:
    """Start a container attempt's probes; results begin as the kubelet's do."""
    book.stop_probes()
    book.started = "startupProbe" not in book.spec
    book.ready = book.started and "readinessProbe" not in book.spec
    book.liveness = book.startup = "unknown"
    for kind, key in PROBES:
        spec = book.spec.get(key)
        if isinstance(spec, dict):
            task = asyncio.ensure_future(probe_loop(worker, book, kind, spec, book.container_id))
            task.add_done_callback(_report)
            if book.probe_tasks is None:
                book.probe_tasks = []
            book.probe_tasks.append(task)


def _report(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("probe failed", exc_info=task.exception())
