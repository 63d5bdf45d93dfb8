"""Picking a pod up again from its saved status, after the simulator itself restarted.

A simulated cluster can be stopped and started on the same state file.  Its nodes then
behave as if they had never been interrupted: the containers the saved status shows
running are running (same IDs, same start times), the pod keeps its IP, the kubelet's
books are rebuilt from the status it last wrote.  Nothing is written if nothing changed,
so a clean restart leaves every pod byte for byte as it was.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from kitlib.sim.kubelet.actions import container_config
from kitlib.sim.kubelet.books import Termination
from kitlib.sim.kubelet.env import EnvError
from kitlib.sim.kubelet.probes import start_probes
from kitlib.sim.runtime.interface import ContainerConfig, ExitStatus

if TYPE_CHECKING:
    from kitlib.sim.kubelet.books import ContainerBook
    from kitlib.sim.kubelet.podworker import PodWorker

JSON = dict[str, Any]


def _time(value: Any) -> float:
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=timezone.utc).timestamp()
    except ValueError:
        return 0.0


def _termination(data: JSON | None, fallback_id: str = "") -> Termination | None:
    if not data:
        return None
    status = ExitStatus(exit_code=int(data.get("exitCode", 0)), reason=data.get("reason", ""),
                        started_at=_time(data.get("startedAt")),
                        finished_at=_time(data.get("finishedAt")),
                        message=data.get("message", ""), signal=int(data.get("signal", 0)))
    container_id = str(data.get("containerID") or fallback_id).removeprefix("containerd://")
    return Termination(status, container_id)


def _restore_container(worker: PodWorker, book: ContainerBook, saved: JSON) -> None:
    runtime, pod = worker.kubelet.runtime, worker.book
    state, last = saved.get("state") or {}, (saved.get("lastState") or {}).get("terminated")
    container_id = str(saved.get("containerID") or "").removeprefix("containerd://")
    book.attempts = int(saved.get("restartCount") or 0) + (1 if container_id else 0)
    book.previous = _termination(last)
    image = book.spec.get("image", "")
    if "running" in state and pod.sandbox is not None and container_id:
        spec = book.spec
        try:
            config = container_config(worker, book)
        except EnvError:                # its ConfigMap went away: run it as it was spelt
            config = ContainerConfig(name=book.name, image=image,
                                     command=tuple(spec.get("command") or ()),
                                     args=tuple(spec.get("args") or ()), kind=book.kind,
                                     stdin=bool(spec.get("stdin")), tty=bool(spec.get("tty")),
                                     mounts=tuple(spec.get("volumeMounts") or ()))
        started_at = _time(state["running"].get("startedAt"))
        runtime.restore_container(pod.sandbox, config, container_id=container_id, image=image,
                                  started_at=started_at)
        book.container_id, book.state, book.started_at = container_id, "running", started_at
        book.image = runtime.image_status(image)
        book.running_spec = spec
        future = runtime.wait_container(container_id)
        future.add_done_callback(lambda _f: worker.poke())
        book.exit_future = future
        start_probes(worker, book)
        book.started, book.ready = bool(saved.get("started")), bool(saved.get("ready"))
        if book.kind == "regular":
            pod.initialized = True
    elif "terminated" in state:
        book.exit = _termination(state["terminated"], container_id)
        book.container_id = book.exit.container_id if book.exit else ""
        book.state = "exited"
        book.succeeded = book.kind == "init" and state["terminated"].get("exitCode") == 0
        if book.kind == "regular":
            pod.initialized = True
    elif last is not None:
        book.exit, book.previous = book.previous, None      # crash-looping: decide again
        book.container_id = book.exit.container_id if book.exit else ""
        book.state = "exited"
    if book.attempts and saved.get("imageID"):
        book.image = book.image or runtime.image_status(image)


def restore(worker: PodWorker, status: JSON) -> bool:
    """Rebuild the books from the status a kubelet wrote before; False for a new pod."""
    pod, kubelet = worker.book, worker.kubelet
    if not status.get("startTime") or "containerStatuses" not in status:
        return False
    pod.admitted, pod.start_time, pod.volumes = True, status["startTime"], "mounted"
    sandbox_ready = any(c.get("type") == "PodReadyToStartContainers" and
                        c.get("status") == "True" for c in status.get("conditions") or [])
    pod.ip = status.get("podIP", "")
    host_network = bool(pod.spec.get("hostNetwork"))
    if sandbox_ready and not pod.deleting:
        if pod.ip and not host_network:
            kubelet.ips.reserve(pod.ip)
        pod.sandbox = kubelet.runtime.run_pod_sandbox(
            namespace=pod.namespace, name=pod.name, uid=pod.uid, ip=pod.ip,
            host_network=host_network, hostname=pod.spec.get("hostname") or pod.name,
            volumes=tuple(pod.spec.get("volumes") or ()))
        pod.sandbox_state = "ready"
    elif status.get("phase") in ("Succeeded", "Failed"):
        pod.sandbox_state = "stopped"
    saved = {s.get("name"): s for s in (status.get("initContainerStatuses") or [])
             + (status.get("containerStatuses") or [])}
    for book in pod.containers:
        if book.name in saved:
            _restore_container(worker, book, saved[book.name])
    return True
