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
from typing import Any, Callable

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


class PodState:
    """What the runtime keeps for one sandbox."""

    def __init__(self, sandbox: PodSandbox, *, net: PodNetwork, pod: JSON,
                 pod_source: Callable[[], JSON],
                 volume_context: Callable[[JSON], VolumeContext], disks: Disks,
                 disk_limit: int, now: Callable[[], float]) -> None:
        self.sandbox = sandbox
        self.net = net
        self._pod_source = pod_source
        self._volume_context = volume_context
        self._volumes: dict[str, Tree] | None = None
        self._disks, self._disk_limit = disks, disk_limit
        self._now = now
        hostname = sandbox.hostname or sandbox.name
        # The cluster network words these files when there is one (it resolves by them).
        hosts = getattr(net, "hosts_file", None)
        resolver = getattr(net, "resolv_conf", None)
        texts: dict[str, Callable[[], str] | str] = {
            "/etc/hosts": hosts if callable(hosts) else
            hosts_file(pod, ip=sandbox.ip, hostname=hostname),
            "/etc/hostname": hostname_file(hostname),
            "/etc/resolv.conf": resolver if callable(resolver) else resolv_conf(pod)}
        layer = Layer("pod-files")
        self.files = {path: Tree(layer=layer, build=_PodFile(text, now)) for path, text in
                      texts.items()}
        shm = Layer("shm", limit=64 * 1024 * 1024)
        self.shm = Tree(layer=shm, build=_Shm(shm, now))
        #: container name -> the IDs of its containers, oldest first
        self.containers: dict[str, list[str]] = {}

    @property
    def volumes(self) -> dict[str, Tree]:
        """The pod's volumes, made when a container first mounts one (from the pod as it
        is then: its labels and annotations for the downward API)."""
        if self._volumes is None:
            sandbox = self.sandbox
            self._volumes = pod_volumes(
                sandbox.volume_specs(), specs=sandbox.volume_specs,
                namespace=sandbox.namespace, node=sandbox.node, disks=self._disks,
                now=self._now, disk_limit=self._disk_limit,
                context=lambda: self._volume_context(self._pod_source()))
        return self._volumes

    def container_fs(self, rootfs: Tree, config: ContainerConfig, env: dict[str, str],
                     termination: Tree) -> ContainerFS:
        fs = ContainerFS(rootfs, now=self._now)
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
                fs.add_mount(Mount(where, tree, _sub(tree, sub, self._now),
                                   read_only=bool(mount.get("readOnly")),
                                   source=tree.layer.name))
                claimed.add("/" + "/".join(where))
            except FsError as exc:
                log.warning("%s/%s: cannot mount %s at %s: %s", self.sandbox.namespace,
                            self.sandbox.name, mount.get("name"), path, exc)
        extra = dict(self.files)
        extra[config.termination_message_path or "/dev/termination-log"] = termination
        for path, tree in extra.items():
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
    text, or what makes it then (small objects: every pod has three)."""

    __slots__ = ("text", "now")

    def __init__(self, text: Callable[[], str] | str, now: Callable[[], float]) -> None:
        self.text, self.now = text, now

    def __call__(self) -> File:
        content = self.text() if callable(self.text) else self.text
        return File(content.encode(), mtime=self.now(), layer=Layer("pod-file"))


class _Shm:
    """Builds the pod's ``/dev/shm`` when it is first used."""

    __slots__ = ("layer", "now")

    def __init__(self, layer: Layer, now: Callable[[], float]) -> None:
        self.layer, self.now = layer, now

    def __call__(self) -> Dir:
        return Dir(mode=0o1777, mtime=self.now(), layer=self.layer)


def _sub(tree: Tree, sub: str, now: Callable[[], float]) -> tuple[str, ...]:
    """Where ``subPath`` is inside the volume (created there if the volume is writable)."""
    parts = split(sub)
    if not parts or ".." in parts:
        return ()
    view = ContainerFS(tree, now=now)
    if not tree.layer.read_only and not view.exists("/" + "/".join(parts)):
        view.mkdir("/" + "/".join(parts), parents=True, mode=0o777)
    return tuple(split(view.realpath("/" + "/".join(parts))))
