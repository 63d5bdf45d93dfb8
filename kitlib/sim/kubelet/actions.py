"""The verbs a stage may ``do``: the kubelet's calls to the container runtime and the API.

Each verb is what the real kubelet does at that point of SyncPod (admit the pod, run its
sandbox, pull, create, start, stop, observe an exit, record a restart, delete the pod when
it is done), with the book-keeping that goes with it.  A verb that fails raises
ActionError; the stage's ``onError`` then says what follows.  Nothing here decides *when*
a verb runs: that is the stages' business.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Awaitable, Callable

from kitlib.sim.kubelet import env as envs
from kitlib.sim.kubelet.books import ContainerBook, PodBook, Termination
from kitlib.sim.kubelet.durations import go_duration, truncate_ms
from kitlib.sim.kubelet.probes import start_probes
from kitlib.sim.machinery.quantity import QuantityError, parse_quantity
from kitlib.sim.machinery.sharing import intern
from kitlib.sim.registry.options import DeleteOptions
from kitlib.sim.runtime.interface import (ContainerConfig, CRIError, ExitStatus, PullError,
                                          StartError)
from kitlib.sim.runtime.reference import ReferenceError, apply_default_tag

if TYPE_CHECKING:
    from kitlib.sim.kubelet.podworker import PodWorker

log = logging.getLogger("kitlib.sim.kubelet")
Subject = PodBook | ContainerBook
Verb = Callable[["PodWorker", Subject], Awaitable[dict[str, str] | None]]


class ActionError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def admit_pod(worker: PodWorker, pod: Subject) -> None:
    assert isinstance(pod, PodBook)
    pod.admitted = True
    pod.start_time = pod.start_time or worker.kubelet.clock.timestamp()


#: Volume sources whose object must exist before the pod can start (unless optional).
_MOUNTED_OBJECTS = (("configMap", "name", "configmaps", "configmap"),
                    ("secret", "secretName", "secrets", "secret"))


async def mount_volumes(worker: PodWorker, pod: Subject) -> None:
    """The volume manager's SetUp: a ConfigMap or Secret volume needs its object."""
    assert isinstance(pod, PodBook)
    for volume in pod.spec.get("volumes") or []:
        for key, field, resource, kind in _MOUNTED_OBJECTS:
            source = volume.get(key)
            if not isinstance(source, dict) or source.get("optional"):
                continue
            name = source.get(field, "")
            if worker.kubelet.read(resource, pod.namespace, name) is None:
                raise ActionError(f'MountVolume.SetUp failed for volume "{volume.get("name")}" '
                                  f': {kind} "{name}" not found')


async def run_pod_sandbox(worker: PodWorker, pod: Subject) -> None:
    assert isinstance(pod, PodBook)
    kubelet = worker.kubelet
    if pod.spec.get("hostNetwork"):
        pod.ip = kubelet.identity.internal_ip
    else:
        try:
            pod.ip = kubelet.ips.allocate()
        except RuntimeError as exc:             # kindnet's host-local range is used up
            raise ActionError('rpc error: code = Unknown desc = failed to setup network for '
                              'sandbox: plugin type="ptp" failed (add): failed to allocate '
                              f"for range 0: {exc}") from None
    pod.sandbox = kubelet.runtime.run_pod_sandbox(
        namespace=pod.namespace, name=pod.name, uid=pod.uid, ip=pod.ip,
        host_network=bool(pod.spec.get("hostNetwork")),
        hostname=pod.spec.get("hostname") or pod.name,
        volumes=tuple(pod.spec.get("volumes") or ()))


async def stop_pod_sandbox(worker: PodWorker, pod: Subject) -> None:
    assert isinstance(pod, PodBook)
    release_sandbox(worker, pod)


def release_sandbox(worker: PodWorker, pod: PodBook) -> None:
    """Remove the pod's containers and sandbox from the runtime; free its IP."""
    runtime = worker.kubelet.runtime
    for book in pod.containers:
        book.stop_probes()
        # A finished pod keeps its containers (and their logs) until it is deleted.
        if book.container_id and pod.deleting:
            runtime.remove_container(book.container_id)
    if pod.sandbox is not None:
        runtime.stop_pod_sandbox(pod.sandbox.id)
        pod.sandbox = None
    if pod.ip and not pod.spec.get("hostNetwork"):
        worker.kubelet.ips.release(pod.ip)       # the status keeps showing it, as on kind


async def delete_pod(worker: PodWorker, pod: Subject) -> None:
    """The pod's containers are stopped: post the final status, then delete it for good."""
    assert isinstance(pod, PodBook)
    await worker.publish(final=True)
    await worker.kubelet.client.delete("pods", namespace=pod.namespace, name=pod.name,
                                       options=DeleteOptions(grace_period_seconds=0,
                                                             precondition_uid=pod.uid))


async def forget_pod(worker: PodWorker, pod: Subject) -> None:
    worker.finished = True


async def retire_pod(worker: PodWorker, pod: Subject) -> None:
    """A finished pod: write its last status, then stop working on it."""
    await worker.publish(final=True)
    worker.finished = True


def _image_backoff_key(worker: PodWorker, book: ContainerBook) -> str:
    return f"{worker.book.uid}/{book.spec.get('image', '')}"


async def pull_image(worker: PodWorker, book: Subject) -> dict[str, str]:
    assert isinstance(book, ContainerBook)
    kubelet, clock = worker.kubelet, worker.kubelet.clock
    image = book.spec.get("image", "")
    asked = clock.time()
    async with kubelet.image_pulls:                  # serializeImagePulls: one at a time
        waited = clock.time() - asked
        try:
            pulled = await kubelet.runtime.pull_image(apply_default_tag(image),
                                                      sandbox=worker.book.sandbox)
        except (PullError, ReferenceError) as exc:
            book.pull_failed_at = clock.time()
            kubelet.image_backoff.next(_image_backoff_key(worker, book),
                                       moment=book.pull_failed_at, now=book.pull_failed_at)
            raise ActionError(getattr(exc, "message", str(exc))) from None
    book.image = pulled.image
    return {"pullTime": go_duration(truncate_ms(pulled.seconds)),
            "pullTotal": go_duration(truncate_ms(pulled.seconds + waited)),
            "imageSize": str(pulled.image.size)}


async def use_image(worker: PodWorker, book: Subject) -> None:
    assert isinstance(book, ContainerBook)
    book.image = worker.kubelet.runtime.image_status(book.spec.get("image", ""))


def container_config(worker: PodWorker, book: ContainerBook) -> ContainerConfig:
    """The CRI ContainerConfig of the container's next attempt (EnvError if its
    environment cannot be made)."""
    kubelet, pod = worker.kubelet, worker.book
    spec = book.spec
    variables = envs.container_env(
        pod.pod, spec, get=kubelet.read, services=kubelet.services_for(pod),
        node_ip=kubelet.identity.internal_ip, pod_ip=pod.ip,
        allocatable=kubelet.allocatable)
    # The runtime keeps the config while the container lives: strings that every replica
    # repeats are interned, not copies out of this pod's parse.
    return ContainerConfig(
        name=book.name, image=intern(spec.get("image", "")),
        command=tuple(envs.expand(str(c), variables) for c in spec.get("command") or ()),
        args=tuple(envs.expand(str(a), variables) for a in spec.get("args") or ()),
        env=tuple(variables.items()), working_dir=intern(spec.get("workingDir", "")),
        ports=tuple(spec.get("ports") or ()), mounts=tuple(spec.get("volumeMounts") or ()),
        attempt=book.attempts, kind=book.kind, stdin=bool(spec.get("stdin")),
        stdin_once=bool(spec.get("stdinOnce")), tty=bool(spec.get("tty")),
        termination_message_path=intern(spec.get("terminationMessagePath")
                                         or "/dev/termination-log"),
        termination_message_policy=intern(spec.get("terminationMessagePolicy") or "File"),
        memory_limit=_memory_limit(spec))


def _memory_limit(spec: dict) -> int:
    value = ((spec.get("resources") or {}).get("limits") or {}).get("memory")
    try:
        return int(parse_quantity(str(value)).value) if value else 0
    except (QuantityError, ValueError):
        return 0


async def create_container(worker: PodWorker, book: Subject) -> None:
    assert isinstance(book, ContainerBook)
    kubelet, pod = worker.kubelet, worker.book
    try:
        config = container_config(worker, book)
    except envs.EnvError as exc:
        raise ActionError(str(exc)) from None
    if book.image is None:
        raise ActionError(f'image "{config.image}" is not present')
    assert pod.sandbox is not None
    if book.exit is not None:
        book.previous, book.exit = book.exit, None      # the ended container is lastState now
    book.container_id = kubelet.runtime.create_container(pod.sandbox, config, book.image)
    book.attempts += 1
    book.exit_future = None
    book.running_spec = book.spec
    book.restart_requested = False


async def start_container(worker: PodWorker, book: Subject) -> None:
    assert isinstance(book, ContainerBook)
    runtime = worker.kubelet.runtime
    future = runtime.wait_container(book.container_id)
    book.exit_future = future
    future.add_done_callback(worker.exited)
    try:
        book.started_at = runtime.start_container(book.container_id)
    except StartError as exc:
        observe(book, future.result())
        raise ActionError(exc.message) from None
    if book.kind == "regular":
        worker.book.initialized = True
    start_probes(worker, book)


def observe(book: ContainerBook, status: ExitStatus) -> None:
    """Record how the container's process ended."""
    book.exit = Termination(status, book.container_id)
    book.stop_probes()
    book.ready = book.started = False
    book.liveness = book.startup = "unknown"
    if book.kind == "init" and status.exit_code == 0:
        book.succeeded = True


async def observe_exit(worker: PodWorker, book: Subject) -> None:
    assert isinstance(book, ContainerBook) and book.exit_future is not None
    observe(book, book.exit_future.result())


def grace_period(pod: PodBook, book: ContainerBook, reason: str) -> float:
    """Seconds a container gets between SIGTERM and SIGKILL."""
    meta, spec = pod.pod.get("metadata") or {}, pod.spec
    if pod.deleting and meta.get("deletionGracePeriodSeconds") is not None:
        return float(meta["deletionGracePeriodSeconds"])
    probe = book.spec.get(f"{reason}Probe") or {}
    if probe.get("terminationGracePeriodSeconds") is not None:
        return float(probe["terminationGracePeriodSeconds"])
    grace = spec.get("terminationGracePeriodSeconds")
    return float(grace) if isinstance(grace, int) and grace >= 0 else 30.0


async def stop_container(worker: PodWorker, book: Subject) -> None:
    assert isinstance(book, ContainerBook)
    reason = "liveness" if book.liveness == "failure" else \
        "startup" if book.startup == "failure" else ""
    book.stop_probes()
    book.ready = False
    if book.spec is not book.running_spec and not worker.book.deleting:
        book.restart_requested = True               # definition changed: run the new one
    runtime = worker.kubelet.runtime
    if book.exit_future is None and book.container_id:
        # Created but never started (the pod was deleted in between): its end is what
        # the stopping container waits for, so watch it here.
        book.exit_future = runtime.wait_container(book.container_id)
        book.exit_future.add_done_callback(worker.exited)
    try:
        runtime.stop_container(
            book.container_id, timeout=grace_period(worker.book, book, reason))
    except CRIError as exc:
        log.warning("stopping %s: %s", book.container_id, exc.message)


async def record_restart(worker: PodWorker, book: Subject) -> None:
    assert isinstance(book, ContainerBook) and book.exit is not None
    clock = worker.kubelet.clock
    worker.kubelet.crash_backoff.next(worker.crash_key(book),
                                      moment=book.exit.status.finished_at, now=clock.time())


VERBS_BY_NAME: dict[str, Verb] = {
    "AdmitPod": admit_pod, "MountVolumes": mount_volumes, "RunPodSandbox": run_pod_sandbox,
    "StopPodSandbox": stop_pod_sandbox,
    "DeletePod": delete_pod, "ForgetPod": forget_pod, "RetirePod": retire_pod,
    "PullImage": pull_image,
    "UseImage": use_image, "CreateContainer": create_container,
    "StartContainer": start_container, "ObserveExit": observe_exit,
    "StopContainer": stop_container, "RecordRestart": record_restart,
}
VERBS = frozenset(VERBS_BY_NAME)
