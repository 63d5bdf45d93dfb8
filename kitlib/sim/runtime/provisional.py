"""A provisional container runtime: honest about the little it knows.

It knows a catalogue of images (``images.yaml``): those pull, anything else fails as a
kind cluster's containerd fails it.  It predicts from the command line what a process
does (``commands.py``): servers run until stopped, ``sleep 5`` exits 0 after five simulated
seconds, ``sh -c "exit 3"`` exits 3.  It runs no code.

What a probe finds is not known yet (the container-runtime issue brings simulated images
that really serve HTTP): until then a probe passes, unless the pod says otherwise with an
annotation, which may be changed at any time with ``kubectl annotate``::

    sim.kit.dev/probe.<container>.<liveness|readiness|startup>: "pass" | "fail" | "fail:<detail>"
    sim.kit.dev/probe.<liveness|readiness|startup>: ...        (every container of the pod)

``fail:<detail>``: an exec probe prints ``<detail>`` and exits 1; an HTTP probe answers
``<detail>`` as its status code when it is a number (else 500); a TCP or gRPC probe is
refused.  Ports a known image does not listen on (nginx: only 80) refuse connections.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Callable

from kitlib.sim.clock import Clock
from kitlib.sim.runtime.answers import AnnotationLookup, ProbeAnswers
from kitlib.sim.runtime.catalogue import Catalogue, ImageInfo, default_catalogue
from kitlib.sim.runtime.commands import ProcessPlan, plan_process
from kitlib.sim.runtime.faults import PullFaults
from kitlib.sim.runtime.interface import (EXIT_SIGKILL, EXIT_SIGTERM, CRIError, ContainerConfig,
                                          ExitStatus, Image, PodSandbox, Pulled, StartError)
from kitlib.sim.runtime.pulls import ImageStore
from kitlib.sim.runtime.reference import parse_reference



@dataclass(eq=False)
class _Container:
    id: str
    sandbox: PodSandbox
    config: ContainerConfig
    image: Image
    info: ImageInfo | None
    plan: ProcessPlan
    exited: asyncio.Future[ExitStatus]
    state: str = "created"                  # created | running | exited
    started_at: float = 0.0
    hung: bool = False
    timers: list[asyncio.Task[None]] = field(default_factory=list)


class ProvisionalRuntime(ProbeAnswers):
    name = "containerd"
    version = "2.0.2"

    def __init__(self, *, node: str, clock: Clock, profile: str = "fast",
                 catalogue: Catalogue | None = None, pull_faults: PullFaults | None = None,
                 annotations: AnnotationLookup | None = None) -> None:
        self.node = node
        self.clock = clock
        self.catalogue = catalogue or default_catalogue()
        self.timing = self.catalogue.timing(profile)
        self.pull_faults = pull_faults if pull_faults is not None else PullFaults()
        self._annotations = annotations or (lambda _ns, _name: {})
        self.images = ImageStore(catalogue=self.catalogue, timing=self.timing, clock=clock,
                                 pull_faults=self.pull_faults)
        self._sandboxes: dict[str, PodSandbox] = {}
        self._containers: dict[str, _Container] = {}

    def _id(self) -> str:
        return f"{self.clock.random.getrandbits(256):064x}"

    def _jitter(self, bounds: tuple[float, float]) -> float:
        return self.clock.jitter(*bounds)

    # --- images -------------------------------------------------------------------------

    def image_status(self, image: str) -> Image | None:
        return self.images.image_status(image)

    async def pull_image(self, image: str, *, sandbox: PodSandbox) -> Pulled:
        return await self.images.pull_image(image, sandbox=sandbox)

    # --- sandboxes ----------------------------------------------------------------------

    def run_pod_sandbox(self, *, namespace: str, name: str, uid: str, ip: str,
                        host_network: bool = False, hostname: str = "",
                        volumes: tuple[dict, ...] = ()) -> PodSandbox:
        sandbox = PodSandbox(id=self._id(), namespace=namespace, name=name, uid=uid,
                             node=self.node, ip=ip, host_network=host_network,
                             hostname=hostname or name, volumes=volumes)
        self._sandboxes[sandbox.id] = sandbox
        return sandbox

    def stop_pod_sandbox(self, sandbox_id: str) -> None:
        self._sandboxes.pop(sandbox_id, None)

    # --- containers ---------------------------------------------------------------------

    def create_container(self, sandbox: PodSandbox, config: ContainerConfig,
                         image: Image) -> str:
        info = self.catalogue.find(parse_reference(config.image))
        plan = plan_process(command=config.command, args=config.args, image=info,
                            interactive=config.stdin or config.tty)
        container = _Container(id=self._id(), sandbox=sandbox, config=config, image=image,
                               info=info, plan=plan,
                               exited=asyncio.get_running_loop().create_future())
        self._containers[container.id] = container
        return container.id

    def _get(self, container_id: str) -> _Container:
        container = self._containers.get(container_id)
        if container is None:
            raise CRIError(f'an error occurred when try to find container "{container_id}": '
                           "not found")
        return container

    def start_container(self, container_id: str) -> float:
        container = self._get(container_id)
        container.state, container.started_at = "running", self.clock.time()
        plan = container.plan
        if plan.start_error:
            self._finish(container, plan.exit_code, "StartError", plan.start_error)
            raise StartError(plan.start_error)
        if plan.runs_for is not None:
            delay = plan.runs_for or self._jitter(self.timing.exit_latency)
            self._after(container, delay, lambda: self._finish(container, plan.exit_code))
        return container.started_at

    def restore_container(self, sandbox: PodSandbox, config: ContainerConfig, *,
                          container_id: str, image: str, started_at: float) -> None:
        ref = parse_reference(image)
        found = self.images.adopt(image)
        info = self.catalogue.find(ref)
        plan = plan_process(command=config.command, args=config.args, image=info,
                            interactive=config.stdin or config.tty)
        container = _Container(id=container_id, sandbox=sandbox, config=config, image=found,
                               info=info, plan=plan, state="running", started_at=started_at,
                               exited=asyncio.get_running_loop().create_future())
        self._containers[container_id] = container
        if plan.runs_for is not None:
            remaining = max(0.0, started_at + plan.runs_for - self.clock.time())
            self._after(container, remaining, lambda: self._finish(container, plan.exit_code))

    def wait_container(self, container_id: str) -> asyncio.Future[ExitStatus]:
        return self._get(container_id).exited

    def stop_container(self, container_id: str, *, timeout: float) -> None:
        container = self._containers.get(container_id)
        if container is not None and container.state == "created":
            self._finish(container, EXIT_SIGKILL)       # never started: nothing to signal
            return
        if container is None or container.state != "running":
            return
        behaviour = "ignore" if container.hung else container.plan.on_sigterm
        if behaviour != "ignore":
            code = 0 if behaviour == "graceful" else EXIT_SIGTERM
            self._after(container, self._jitter(self.timing.stop_latency),
                        lambda: self._finish(container, code))
        # Whatever the process does with SIGTERM, SIGKILL ends it when the time is up.
        self._after(container, max(0.0, timeout), lambda: self._finish(container, EXIT_SIGKILL))

    def remove_container(self, container_id: str) -> None:
        container = self._containers.pop(container_id, None)
        if container is not None:
            for timer in container.timers:
                timer.cancel()

    def close(self) -> None:
        for container in self._containers.values():
            for timer in container.timers:
                timer.cancel()
            container.timers.clear()

    def _after(self, container: _Container, seconds: float, action: Callable[[], None]) -> None:
        async def later() -> None:
            await self.clock.sleep(seconds)
            action()

        container.timers.append(asyncio.ensure_future(later()))

    def _finish(self, container: _Container, exit_code: int, reason: str = "",
                message: str = "") -> None:
        if container.exited.done():
            return
        container.state = "exited"
        for timer in container.timers:
            if timer is not asyncio.current_task():
                timer.cancel()
        container.timers.clear()
        container.exited.set_result(ExitStatus(
            exit_code=exit_code, reason=reason or ("Completed" if exit_code == 0 else "Error"),
            started_at=container.started_at, finished_at=self.clock.time(), message=message))

    # --- faults -------------------------------------------------------------------------

    def crash_container(self, container_id: str, *, exit_code: int = 1,
                        reason: str = "") -> bool:
        container = self._containers.get(container_id)
        if container is None or container.state != "running":
            return False
        self._finish(container, exit_code, reason)
        return True

    def hang_container(self, container_id: str, *, hang: bool = True) -> bool:
        container = self._containers.get(container_id)
        if container is None:
            return False
        container.hung = hang
        return True
