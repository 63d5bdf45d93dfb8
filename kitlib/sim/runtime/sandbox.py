"""A pod sandbox as the runtime holds it, and each container's filesystem inside it.

The sandbox is what the containers of a pod share: one network namespace (its IP and
listeners), its volumes (an emptyDir outlives each container's restarts, and is the same
directory for every container that mounts it), and the files the kubelet manages for it
(``/etc/hosts``, ``/etc/hostname``, ``/etc/resolv.conf``, ``/dev/shm``).  A container's
filesystem is its image's root, its own writable layer, and its ``volumeMounts``
(``subPath``, ``subPathExpr``, ``readOnly``) mounted at their paths.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Callable, Protocol

from kitlib.sim.network.api import PodNetwork
from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.fs.memory import ContainerFS, Mount
from kitlib.sim.runtime.fs.nodes import Dir, File, Layer, Tree, split
from kitlib.sim.runtime.fs.volumes import Disks, VolumeContext, pod_volumes
from kitlib.sim.runtime.interface import ContainerConfig, PodSandbox
from kitlib.sim.runtime.podfiles import hostname_file, hosts_file, resolv_conf

log = logging.getLogger("kitlib.sim.runtime")
JSON = dict[str, Any]
_EXPAND = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")
#: The files the kubelet manages for every pod, in the order of ``PodState.files``.
POD_FILES = ("/etc/hosts", "/etc/hostname", "/etc/resolv.conf")


class SandboxHost(Protocol):
    """What a sandbox asks of the runtime that made it (one object for all its pods, so
    that no pod keeps closures or bound methods of its own)."""

    disks: Disks
    #: The clock's ``time`` (one bound method, shared by every pod).
    now: Callable[[], float]

    @property
    def disk_limit(self) -> int: ...

    def sandbox_pod(self, sandbox: PodSandbox) -> JSON:
        """The pod as the cluster has it now (or as much as the sandbox knows of it)."""

    def volume_context(self, pod: JSON) -> VolumeContext: ...

    def container_ended(self, container: Any) -> None:
        """A container's main process ended (its ``Container.process_ended``)."""


class PodState:
    """What the runtime keeps for one sandbox."""

    __slots__ = ("sandbox", "net", "host", "_volumes", "files", "shm", "containers")

    def __init__(self, sandbox: PodSandbox, *, net: PodNetwork, pod: JSON,
                 host: SandboxHost) -> None:
        self.sandbox = sandbox
        self.net = net
        self.host = host
        self._volumes: dict[str, Tree] | None = None
        now = host.now
        hostname = sandbox.hostname or sandbox.name
        # The cluster network words these files when there is one (it resolves by them).
        hosts = getattr(net, "hosts_file", None)
        resolver = getattr(net, "resolv_conf", None)
        layer = Layer("pod-files")
        #: The trees of ``POD_FILES`` (a tuple: a dictionary per pod costs more).
        self.files = (
            Tree(layer=layer, build=_PodFile(net, "hosts_file", now) if callable(hosts) else
                 _PodFile(hosts_file(pod, ip=sandbox.ip, hostname=hostname), "", now)),
            Tree(layer=layer, build=_PodFile(hostname_file(hostname), "", now)),
            Tree(layer=layer, build=_PodFile(net, "resolv_conf", now) if callable(resolver) else
                 _PodFile(resolv_conf(pod), "", now)))
        shm = _Shm(now)
        self.shm = Tree(layer=shm, build=shm)
        #: container name -> the IDs of its containers, oldest first
        self.containers: dict[str, list[str]] = {}

    @property
    def volumes(self) -> dict[str, Tree]:
        """The pod's volumes, made when a container first mounts one (from the pod as it
        is then: its labels and annotations for the downward API)."""
        if self._volumes is None:
            sandbox, host = self.sandbox, self.host
            self._volumes = pod_volumes(
                sandbox.volume_specs(), specs=sandbox.volume_specs,
                namespace=sandbox.namespace, node=sandbox.node, disks=host.disks,
                now=host.now, disk_limit=host.disk_limit, context=self.volume_context)
        return self._volumes

    def volume_context(self) -> VolumeContext:
        """What filling a volume needs, from the pod as it is now."""
        return self.host.volume_context(self.host.sandbox_pod(self.sandbox))

    def container_fs(self, rootfs: Tree, config: ContainerConfig, env: dict[str, str],
                     termination: Tree) -> ContainerFS:
        now = self.host.now
        fs = ContainerFS(rootfs, now=now)
        claimed = set()
        for mount in sorted(config.mounts, key=lambda m: len(split(m.get("mountPath", "")))):
            path = mount.get("mountPath", "")
            tree = self.volumes.get(mount.get("name", ""))
            if tree is None or not path:
                continue
            sub = mount.get("subPath") or _EXPAND.sub(
                lambda m: env.get(m.group(1), ""), mount.get("subPathExpr") or "")
            try:
                where = fs.canonical(path)
                fs.add_mount(Mount(where, tree, _sub(tree, sub, now),
                                   read_only=bool(mount.get("readOnly")),
                                   source=tree.layer.name))
                claimed.add("/" + "/".join(where))
            except FsError as exc:
                log.warning("%s/%s: cannot mount %s at %s: %s", self.sandbox.namespace,
                            self.sandbox.name, mount.get("name"), path, exc)
        termination_path = config.termination_message_path or "/dev/termination-log"
        for path, tree in (*zip(POD_FILES, self.files), (termination_path, termination)):
            try:
                where = fs.canonical(path)
            except FsError:
                continue
            if "/" + "/".join(where) not in claimed:
                fs.add_mount(Mount(where, tree, source=tree.layer.name))
        fs.add_mount(Mount(fs.canonical("/dev/shm"), self.shm, source="shm", fstype="tmpfs"))
        return fs


class _PodFile:
    """Builds a file the kubelet manages (``/etc/hosts``...) when it is first read: its
    text, or the text the pod network's method ``method`` gives then (small objects, with
    no bound methods: every pod has three)."""

    __slots__ = ("source", "method", "now")

    def __init__(self, source: object, method: str, now: Callable[[], float]) -> None:
        self.source, self.method, self.now = source, method, now

    def __call__(self) -> File:
        content = getattr(self.source, self.method)() if self.method else self.source
        assert isinstance(content, str)
        return File(content.encode(), mtime=self.now(), layer=Layer("pod-file"))


class _Shm(Layer):
    """The layer of the pod's ``/dev/shm``, which also makes its directory when it is
    first used (one object rather than a layer and a builder)."""

    __slots__ = ("now",)

    def __init__(self, now: Callable[[], float]) -> None:
        super().__init__("shm", limit=64 * 1024 * 1024)
        self.now = now

    def __call__(self) -> Dir:
        return Dir(mode=0o1777, mtime=self.now(), layer=self)


def _sub(tree: Tree, sub: str, now: Callable[[], float]) -> tuple[str, ...]:
    """Where ``subPath`` is inside the volume (created there if the volume is writable)."""
    parts = split(sub)
    if not parts or ".." in parts:
        return ()
    view = ContainerFS(tree, now=now)
    if not tree.layer.read_only and not view.exists("/" + "/".join(parts)):
        view.mkdir("/" + "/".join(parts), parents=True, mode=0o777)
    return tuple(split(view.realpath("/" + "/".join(parts))))
