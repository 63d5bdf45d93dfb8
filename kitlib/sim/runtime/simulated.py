"""The simulated container runtime: containers whose processes are simulated programs.

Behind the same ContainerRuntime interface as the provisional runtime, a container here
*runs*: its image's program (nginx, redis, whoami, a shell script through the sandboxed
shell) runs in the cluster's event loop on the simulated clock, with a filesystem in
memory (its image's files, its own writable layer, its pod's volumes) and its pod's
network.  What it writes is its log; probes are answered by the container itself (nginx
answers an httpGet, ``cat /tmp/healthy`` fails once the script removed the file); exec,
attach, logs and port-forward reach it through ``sessions.py``.  Nothing reaches the
host.  The fault injection of the provisional runtime (crash, OOM kill, hang, failing
pulls) and its probe-answer annotations work here too.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import Any, Callable, Mapping

import orjson

from kitlib.sim.clock import Clock
from kitlib.sim.machinery.sharing import ShareTable
from kitlib.sim.network.api import PodNetwork
from kitlib.sim.runtime.catalogue import Catalogue, default_catalogue
from kitlib.sim.runtime.container import Container
from kitlib.sim.runtime.environ import Environment
from kitlib.sim.runtime.faults import PullFaults
from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.fs.memory import ContainerFS
from kitlib.sim.runtime.fs.nodes import ContainerLayer, File, Layer, Node, Tree
from kitlib.sim.runtime.fs.volumes import Disks, Getter, VolumeContext
from kitlib.sim.runtime.images import ImageFiles, ImageRoot
from kitlib.sim.runtime.interface import (EXIT_SIGKILL, ContainerConfig, CRIError, ExitStatus,
                                          Image, PodSandbox, Pulled, StartError)
from kitlib.sim.runtime.launch import DEFAULT_PATH, ExecError, Launcher, container_argv
from kitlib.sim.runtime.logs import ContainerLog
from kitlib.sim.runtime.podnet import ContainerNetwork, LoopbackNetwork
from kitlib.sim.runtime.probing import ContainerProbes
from kitlib.sim.runtime.process import Limits, ProcessContext
from kitlib.sim.runtime.programs import PROGRAMS
from kitlib.sim.runtime.pulls import ImageStore
from kitlib.sim.runtime.reference import parse_reference
from kitlib.sim.runtime.sandbox import POD_FILES, PodState
from kitlib.sim.runtime.sessions import ContainerSessions
from kitlib.sim.runtime.streams import Pipe, closed_input
from kitlib.sim.runtime.task import Task

log = logging.getLogger("kitlib.sim.runtime")
JSON = dict[str, Any]
#: Makes a sandbox's network namespace from the sandbox and its pod (the cluster network's
#: ``pod_network``); the runtime calls its ``release()`` when the sandbox stops.
NetworkFactory = Callable[[PodSandbox, JSON], PodNetwork]
AnnotationLookup = Callable[[str, str], Mapping[str, str]]
RUNC_START = ("failed to create containerd task: failed to create shim task: OCI runtime "
              "create failed: runc create failed: unable to start container process: error "
              "during container init: {detail}: unknown")
_FILES: dict[int, ImageFiles] = {}
#: (image root, mount paths) -> the image's root with those mount points made.
_MOUNT_POINTS: ShareTable[tuple[int, tuple[str, ...]], Node] = ShareTable(limit=256)
#: The stdin of every container without one: closed, empty, the same for all.
_NO_INPUT = closed_input()


#: Volumes JSON without the volumes' names, one copy of each (bounded: a fresh table once
#: full): every replica of a Deployment has the same volumes but its own token volume name.
_VOLUMES: ShareTable[bytes, bytes] = ShareTable(limit=1024)


def _volumes_json(volumes: tuple[JSON, ...]) -> tuple[bytes, tuple[str | None, ...]]:
    """(the volumes as shared JSON with empty names, their names): ``PodSandbox``'s
    ``volumes_json`` and ``volume_names``."""
    names = tuple(volume.get("name") if "name" in volume else None for volume in volumes)
    text = orjson.dumps([{**volume, "name": ""} if "name" in volume else volume
                         for volume in volumes])
    # A bytes object of its own size (orjson's own output keeps a 4 kB buffer).
    return _VOLUMES.get(text, lambda: memoryview(text).tobytes()), names


class _TerminationLog(Layer):
    """The layer of a container's termination-message file, which also makes the (empty)
    file when it is first used (one object rather than a layer and a builder)."""

    __slots__ = ()

    def __call__(self) -> File:
        return File(b"", mode=0o666, layer=self)


class SimulatedRuntime(ContainerProbes, ContainerSessions):
    name = "containerd"
    version = "2.0.2"

    def __init__(self, *, node: str, clock: Clock, profile: str = "fast",
                 catalogue: Catalogue | None = None, pull_faults: PullFaults | None = None,
                 annotations: AnnotationLookup | None = None, objects: Getter | None = None,
                 network: NetworkFactory | None = None, node_network: PodNetwork | None = None,
                 disks: Disks | None = None, limits: Limits | None = None,
                 allocatable: dict[str, str] | None = None) -> None:
        self.node = node
        self.clock = clock
        #: The clock's ``time``, one bound method that every pod, log and filesystem of
        #: this node shares (``clock.time`` makes a new one each time it is read).
        self.now: Callable[[], float] = clock.time
        self.catalogue = catalogue or default_catalogue()
        self.timing = self.catalogue.timing(profile)
        self.pull_faults = pull_faults if pull_faults is not None else PullFaults()
        self.images = ImageStore(catalogue=self.catalogue, timing=self.timing, clock=clock,
                                 pull_faults=self.pull_faults)
        self.files = _FILES.setdefault(id(self.catalogue), ImageFiles(self.catalogue))
        self._annotations: AnnotationLookup = annotations or (lambda _ns, _name: {})
        self._objects: Getter = objects or (lambda _r, _ns, _name: None)
        self._network = network
        #: Where the kubelet's probes come from (the node's own network namespace).
        self.node_network = node_network
        self.disks = disks or Disks()
        self.limits = limits or Limits()
        self.allocatable = allocatable or {}
        self._pods: dict[str, PodState] = {}
        self._by_pod: dict[tuple[str, str], str] = {}
        self._containers: dict[str, Container] = {}
        self._launchers: dict[int, Launcher] = {}           # one per image root

    def _id(self) -> str:
        return f"{self.clock.random.getrandbits(256):064x}"

    def use_network(self, network: NetworkFactory | None, *,
                    node_network: PodNetwork | None = None) -> None:
        """The cluster network for sandboxes made from now on (None: each pod alone)."""
        self._network = network
        self.node_network = node_network

    # --- images ---------------------------------------------------------------------------

    def image_status(self, image: str) -> Image | None:
        return self.images.image_status(image)

    async def pull_image(self, image: str, *, sandbox: PodSandbox) -> Pulled:
        return await self.images.pull_image(image, sandbox=sandbox)

    # --- sandboxes ------------------------------------------------------------------------

    def run_pod_sandbox(self, *, namespace: str, name: str, uid: str, ip: str,
                        host_network: bool = False, hostname: str = "",
                        volumes: tuple[JSON, ...] = ()) -> PodSandbox:
        volumes_json, volume_names = _volumes_json(volumes)
        sandbox = PodSandbox(id=self._id(), namespace=namespace, name=name, uid=uid,
                             node=self.node, ip=ip, host_network=host_network,
                             hostname=hostname or name, volumes_json=volumes_json,
                             volume_names=volume_names)
        pod = self.sandbox_pod(sandbox)
        net = self._network(sandbox, pod) if self._network else \
            LoopbackNetwork(ip=ip, hostname=sandbox.hostname)
        self._pods[sandbox.id] = PodState(sandbox, net=net, pod=pod, host=self)
        self._by_pod[(namespace, name)] = sandbox.id
        return sandbox

    # --- what the sandboxes ask (sandbox.SandboxHost) ----------------------------------------

    @property
    def disk_limit(self) -> int:
        return self.limits.disk

    def sandbox_pod(self, sandbox: PodSandbox) -> JSON:
        """The pod as the cluster has it now (or as much as the sandbox knows of it)."""
        namespace, name, uid = sandbox.namespace, sandbox.name, sandbox.uid
        pod = self._objects("pods", namespace, name) or {}
        if (pod.get("metadata") or {}).get("uid") != uid:
            pod = {"metadata": {"name": name, "namespace": namespace, "uid": uid},
                   "spec": {"volumes": list(sandbox.volume_specs())}}
        return {**pod, "status": {**(pod.get("status") or {}), "podIP": sandbox.ip}}

    def volume_context(self, pod: JSON) -> VolumeContext:
        return VolumeContext(pod=pod, get=self._objects, now=self.now,
                             random_bits=self.clock.random.getrandbits, node=self.node,
                             disks=self.disks, disk_limit=self.limits.disk,
                             allocatable=self.allocatable)

    def stop_pod_sandbox(self, sandbox_id: str) -> None:
        """The sandbox's network goes; its ended containers stay (``kubectl logs`` of a
        completed pod) until they are removed or the pod is forgotten."""
        pod = self._pods.get(sandbox_id)
        if pod is None:
            return
        for ids in pod.containers.values():
            for container_id in ids:
                container = self._containers.get(container_id)
                if container is not None and container.running:
                    self._finish(container, EXIT_SIGKILL)
        release = getattr(pod.net, "release", None) or getattr(pod.net, "close", None)
        if callable(release):
            release()
        if not any(pod.containers.values()):
            self._drop(sandbox_id)

    def forget_pod(self, namespace: str, name: str, uid: str = "") -> None:
        """The pod was deleted: remove what is left of its sandboxes and containers."""
        for sandbox_id, pod in list(self._pods.items()):
            sandbox = pod.sandbox
            if (sandbox.namespace, sandbox.name) == (namespace, name) and \
                    (not uid or sandbox.uid == uid):
                for ids in list(pod.containers.values()):
                    for container_id in list(ids):
                        self.remove_container(container_id)
                self.stop_pod_sandbox(sandbox_id)
                self._drop(sandbox_id)

    def _drop(self, sandbox_id: str) -> None:
        pod = self._pods.pop(sandbox_id, None)
        if pod is not None:
            key = (pod.sandbox.namespace, pod.sandbox.name)
            if self._by_pod.get(key) == sandbox_id:
                del self._by_pod[key]

    # --- containers -----------------------------------------------------------------------

    def create_container(self, sandbox: PodSandbox, config: ContainerConfig,
                         image: Image) -> str:
        return self._create(sandbox, config, image, self._id()).id

    def _create(self, sandbox: PodSandbox, config: ContainerConfig, image: Image,
                container_id: str) -> Container:
        pod = self._pods.get(sandbox.id)
        if pod is None:
            raise CRIError(f'failed to get sandbox "{sandbox.id}": not found')
        ref = parse_reference(config.image)
        info = self.catalogue.find(ref)
        root = self.files.root(info, ref.tag or "latest")
        env: dict[str, str] = {"PATH": DEFAULT_PATH, "HOSTNAME": sandbox.hostname}
        env.update(root.env)
        env.update(config.env)
        env.setdefault("HOME", "/root")
        layer = ContainerLayer(container_id, limit=self.limits.disk)
        termination_layer = _TerminationLog("termination-log", limit=4096 * 4)
        termination = Tree(layer=termination_layer, build=termination_layer)
        rootfs = Tree(self._mount_points(root, pod, config), layer=layer)
        fs = pod.container_fs(rootfs, config, env, termination)
        shared = Environment(env, hostname=sandbox.hostname
                             if env["HOSTNAME"] == sandbox.hostname else None)
        # What only creating it needed (the variables are in ``shared``, the mounts in
        # ``fs``) is not kept: ten thousand containers' copies add up.
        config = replace(config, env=(), mounts=())
        cwd = config.working_dir or (info.workdir if info else "") or "/"
        if cwd != "/" and not fs.exists(cwd):
            fs.mkdir(cwd, parents=True)
        launcher = self._launchers.get(id(root))
        if launcher is None:
            launcher = self._launchers[id(root)] = Launcher(
                info=info, root=root, programs=PROGRAMS, system=self.catalogue.system)
        history = pod.containers.setdefault(config.name, [])
        container = Container(
            id=container_id, pod=pod, config=config, image=image, info=info, root=root,
            fs=fs, termination=termination, log=ContainerLog(now=self.now),
            launcher=launcher, env=shared, cwd=cwd,
            net=ContainerNetwork(pod.net, owner=f"{sandbox.namespace}/{sandbox.name}/"
                                                f"{config.name}"),
            stdin=Pipe() if config.stdin else _NO_INPUT,
            exited=asyncio.get_running_loop().create_future(),
            previous=history[-1] if history else "")
        for old in history[:-1]:            # the kubelet keeps one dead container per name
            self.remove_container(old)
        history[:] = [*history[-1:], container_id]
        self._containers[container_id] = container
        return container

    def _mount_points(self, root: ImageRoot, pod: PodState, config: ContainerConfig) -> Node:
        """The image's root with the directories its mounts need (``/var/run/secrets/
        kubernetes.io``...) made, shared by every container with the same mount paths:
        left to each container, making them would copy ``/``, ``/var`` and ``/run`` into
        every container's writable layer (overlayfs keeps them in the image's snapshot
        too, where the runtime creates mount points once)."""
        paths = (*sorted(str(m.get("mountPath", "")) for m in config.mounts), *POD_FILES,
                 config.termination_message_path or "/dev/termination-log", "/dev/shm")

        def make() -> Node:
            layer = Layer("mount-points")
            tree = Tree(root.root, layer=layer)
            view = ContainerFS(tree, now=self.now)
            for path in paths:
                try:
                    view.canonical(path)
                except FsError:
                    pass            # the container's own mount reports it
            layer.read_only = True
            return tree.root
        return _MOUNT_POINTS.get((id(root), paths), make)

    def _get(self, container_id: str) -> Container:
        container = self._containers.get(container_id)
        if container is None:
            raise CRIError(f'an error occurred when try to find container "{container_id}": '
                           "not found")
        return container

    def _context(self, container: Container, argv: list[str], *, env: dict[str, str] | None = None,
                 **streams: Any) -> ProcessContext:
        config = container.config
        limits = self.limits
        if config.memory_limit:
            limits = Limits(steps=limits.steps, output=limits.output, disk=limits.disk,
                            memory=config.memory_limit)
        return ProcessContext(argv=argv, env=container.env if env is None else env,
                              cwd=container.cwd,
                              fs=container.fs, net=streams.pop("net", container.net),
                              clock=self.clock, hostname=container.pod.sandbox.hostname,
                              limits=limits, find_program=container.launcher.finder,
                              send_signal=container.signal,
                              list_processes=container.processes,
                              **streams)

    def start_container(self, container_id: str) -> float:
        container = self._get(container_id)
        container.state, container.started_at = "running", self.clock.time()
        config = container.config
        out = container.log.writer("stdout")
        ctx = self._context(container, container_argv(container.info, config.command,
                                                      config.args),
                            stdin=container.stdin, stdout=out,
                            stderr=out if config.tty else container.log.writer("stderr"),
                            tty=config.tty)
        try:
            if not ctx.argv:
                raise ExecError("ENOENT", "", "no command specified")
            program, ctx.argv = container.launcher.find(ctx.argv, ctx)
        except ExecError as exc:
            message = RUNC_START.format(detail=exc.detail)
            self._finish(container, 128, "StartError", message)
            raise StartError(message) from None
        container.ctx = ctx
        container.task = Task(program, ctx)
        container.task.done.add_done_callback(container.process_ended)
        return container.started_at

    def container_ended(self, container: Container) -> None:
        """Its main process ended (``Container.process_ended``)."""
        assert container.task is not None
        code, reason = container.task.done.result()
        self._finish(container, code, reason)

    def _finish(self, container: Container, code: int, reason: str = "",
                message: str = "") -> None:
        if container.exited.done():
            return
        container.state = "exited"
        for timer in container.timers:
            if timer is not asyncio.current_task():
                timer.cancel()
        container.timers = ()
        for task in list(container.execs):
            task.kill()
        if container.task is not None:
            container.task.kill(code, reason)
        container.net.close()
        container.stdin.close()
        container.log.close()
        for session in list(container.attached):
            session.ended()
        container.attached = ()
        reason = reason or ("Completed" if code == 0 else "Error")
        container.exited.set_result(ExitStatus(
            exit_code=code, reason=reason, started_at=container.started_at,
            finished_at=self.clock.time(), message=message or self._termination(container,
                                                                                code)))

    def _termination(self, container: Container, code: int) -> str:
        """The termination message: the file the container wrote, or its log's tail."""
        tree = container.termination
        root = tree.root if tree.built else None
        text = bytes(root.data)[:4096] if isinstance(root, File) else b""
        if not text and code != 0 and \
                container.config.termination_message_policy == "FallbackToLogsOnError":
            text = container.log.tail_text(lines=80, limit=2048)
        return text.decode("utf-8", "replace")

    def restore_container(self, sandbox: PodSandbox, config: ContainerConfig, *,
                          container_id: str, image: str, started_at: float) -> None:
        found = self.images.adopt(image)
        self._create(sandbox, config, found, container_id)
        try:
            self.start_container(container_id)
        except StartError:
            return
        self._containers[container_id].started_at = started_at

    def wait_container(self, container_id: str) -> asyncio.Future[ExitStatus]:
        return self._get(container_id).exited

    def stop_container(self, container_id: str, *, timeout: float) -> None:
        container = self._containers.get(container_id)
        if container is not None and container.state == "created":
            self._finish(container, EXIT_SIGKILL)       # never started: nothing to signal
            return
        if container is None or not container.running or container.task is None:
            return
        if not container.hung:
            container.task.terminate()
        task = container.task

        async def kill_later() -> None:
            await self.clock.sleep(max(0.0, timeout))
            task.kill(EXIT_SIGKILL)
        container.add_timer(asyncio.ensure_future(kill_later()))

    def remove_container(self, container_id: str) -> None:
        container = self._containers.pop(container_id, None)
        if container is None:
            return
        if container.running and container.task is not None:
            container.task.kill()
        for timer in container.timers:
            timer.cancel()
        container.net.close()
        history = container.pod.containers.get(container.name)
        if history and container_id in history:
            history.remove(container_id)

    def close(self) -> None:
        for container in self._containers.values():
            for timer in container.timers:
                timer.cancel()
            container.timers = ()
            for task in [container.task, *container.execs]:
                if task is not None and task.running:
                    task.kill()

    # --- faults -----------------------------------------------------------------------------

    def crash_container(self, container_id: str, *, exit_code: int = 1,
                        reason: str = "") -> bool:
        container = self._containers.get(container_id)
        if container is None or not container.running:
            return False
        self._finish(container, exit_code, reason)
        return True

    def hang_container(self, container_id: str, *, hang: bool = True) -> bool:
        container = self._containers.get(container_id)
        if container is None:
            return False
        container.hung = hang
        return True
