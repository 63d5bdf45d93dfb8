"""One container's filesystem, in memory: the image's files, its own writes, its mounts.

A path is resolved the way the kernel resolves it inside the container's mount namespace:
component by component, following symbolic links (``..`` stops at the root, at most 40
links), switching to a volume wherever one is mounted.  Writes land in the layer of the
tree the path is in: the container's writable layer (copying the image's directories on
the way, as overlayfs does), or the volume's own (an emptyDir shared by every container
that mounts it, so a file one container writes is there for the other).  Read-only
mounts (ConfigMaps, Secrets, ``readOnly: true``) answer EROFS.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable

from kitlib.sim.machinery.sharing import ShareTable
from kitlib.sim.runtime.fs.api import FsError, Stat
from kitlib.sim.runtime.fs.nodes import (Device, Dir, File, Layer, Link, Node, Tree, size_owned,
                                         split)

MAX_LINKS = 40
Parts = tuple[str, ...]
#: Mount points, one copy of each (bounded: a fresh table once full): ten thousand
#: containers mount ``/etc/hosts`` at the same place.
_PATHS: ShareTable[Parts, Parts] = ShareTable(limit=4096)


def _shared_path(path: Parts) -> Parts:
    return _PATHS.get(path, lambda: path)


@dataclass(eq=False, slots=True)
class Mount:
    """A tree (or the part of it at ``sub``) mounted at ``path`` (canonical components)."""

    path: Parts
    tree: Tree
    sub: Parts = ()
    read_only: bool = False
    source: str = ""                # what ``mount`` shows as the device: tmpfs, /dev/vda1, ...
    fstype: str = "ext4"


class ContainerFS:
    """The FileSystem of ``fs/api.py`` for one container.

    A plain mount (a whole tree, writable, its layer's name as its source, ext4: the
    files the kubelet manages, the termination log) is kept as just its tree, and made a
    ``Mount`` again when asked for (``_mount_at``): every container has several."""

    __slots__ = ("_now", "_mounts")

    def __init__(self, rootfs: Tree, *, now: Callable[[], float],
                 mounts: Iterable[Mount] = ()) -> None:
        self._now = now
        self._mounts: dict[Parts, Mount | Tree] = {(): Mount((), rootfs, source="overlay",
                                                             fstype="overlay")}
        for mount in mounts:
            self.add_mount(mount)

    # --- mounts -------------------------------------------------------------------------

    def add_mount(self, mount: Mount) -> None:
        """Mount at ``mount.path`` as given (components resolved by ``canonical``)."""
        path = _shared_path(mount.path)
        tree = mount.tree
        if mount.path and not mount.sub and not mount.read_only and \
                mount.source == tree.layer.name and mount.fstype == "ext4":
            self._mounts[path] = tree
        else:
            mount.path = path
            self._mounts[path] = mount

    def _mount_at(self, path: Parts) -> Mount | None:
        found = self._mounts.get(path)
        if isinstance(found, Tree):
            return Mount(path, found, source=found.layer.name)
        return found

    def canonical(self, path: str) -> Parts:
        """Where ``path`` really is (its directory's symlinks followed), creating the
        missing directories on the way, as the runtime does for a mount point."""
        parts = split(path)
        if not parts:
            return ()
        self.mkdir("/" + "/".join(parts[:-1]), parents=True)
        where, _node = self._resolve("/" + "/".join(parts))
        return where

    def mount_table(self) -> list[Mount]:
        return [self._mount_at(key) for key in sorted(self._mounts)]  # type: ignore[misc]

    def _mount_node(self, mount: Mount | Tree) -> Node | None:
        if isinstance(mount, Tree):
            return mount.root
        node: Node | None = mount.tree.root
        for name in mount.sub:
            node = node.entries.get(name) if isinstance(node, Dir) else None
        return node

    def _mount_for(self, parts: Parts) -> tuple[Mount, Parts]:
        for cut in range(len(parts), -1, -1):
            mount = self._mount_at(parts[:cut])
            if mount is not None:
                return mount, parts[cut:]
        raise AssertionError("the root is always mounted")

    # --- resolution -----------------------------------------------------------------------

    def _resolve(self, path: str, *, follow: bool = True) -> tuple[Parts, Node | None]:
        """(canonical components, node or None when only the last one is missing)."""
        pending = deque(split(path))
        parts: list[str] = []
        root = self._mount_node(self._mounts[()])
        assert root is not None
        nodes: list[Node] = [root]
        links = 0
        while pending:
            name = pending.popleft()
            if name == "..":
                if parts:
                    parts.pop()
                    nodes.pop()
                continue
            here = nodes[-1]
            if not isinstance(here, Dir):
                raise FsError("ENOTDIR", path)
            key = (*parts, name)
            mount = self._mounts.get(key)
            node = self._mount_node(mount) if mount is not None else here.entries.get(name)
            if node is None:
                if pending:
                    raise FsError("ENOENT", path)
                return key, None
            if isinstance(node, Link) and (pending or follow):
                links += 1
                if links > MAX_LINKS:
                    raise FsError("ELOOP", path)
                if node.target.startswith("/"):
                    parts.clear()
                    del nodes[1:]
                pending.extendleft(reversed(split(node.target)))
                continue
            parts.append(name)
            nodes.append(node)
        return tuple(parts), nodes[-1]

    def _tree_dir(self, tree: Tree, parts: Parts, path: str) -> Dir:
        """The directory at ``parts`` in ``tree``, owned by the tree's layer (copied up)."""
        layer = tree.layer
        node = tree.root
        if not isinstance(node, Dir):
            raise FsError("ENOTDIR", path)
        if node.layer is not layer:
            node = node.copy(layer)
            tree.root = node
        for name in parts:
            child = node.entries.get(name)
            if not isinstance(child, Dir):
                raise FsError("ENOTDIR" if child is not None else "ENOENT", path)
            if child.layer is not layer:
                child = child.copy(layer)
                node.entries[name] = child
            node = child
        return node

    def _writable(self, mount: Mount, path: str) -> Layer:
        if mount.read_only or mount.tree.layer.read_only:
            raise FsError("EROFS", path)
        return mount.tree.layer

    def _writable_dir(self, parts: Parts, path: str) -> tuple[Dir, Layer]:
        mount, rel = self._mount_for(parts)
        layer = self._writable(mount, path)
        return self._tree_dir(mount.tree, mount.sub + rel, path), layer

    def _place(self, parts: Parts, node_for: Callable[[Layer, Node | None], Node],
               path: str) -> None:
        """Put a new node at ``parts`` (a file bind-mounted there is replaced in its tree)."""
        mount = self._mount_at(parts)
        if mount is not None and parts:
            layer = self._writable(mount, path)
            if not mount.sub:
                mount.tree.root = node_for(layer, mount.tree.root)
                return
            holder = self._tree_dir(mount.tree, mount.sub[:-1], path)
            holder.entries[mount.sub[-1]] = node_for(layer, holder.entries.get(mount.sub[-1]))
            return
        directory, layer = self._writable_dir(parts[:-1], path)
        directory.entries[parts[-1]] = node_for(layer, directory.entries.get(parts[-1]))
        directory.mtime = self._now()

    # --- the FileSystem API ---------------------------------------------------------------

    def read(self, path: str) -> bytes:
        _parts, node = self._resolve(path)
        if node is None:
            raise FsError("ENOENT", path)
        if isinstance(node, Dir):
            raise FsError("EISDIR", path)
        if isinstance(node, Device) or not isinstance(node, File):
            return b""
        return bytes(node.data)

    def write(self, path: str, data: bytes, *, append: bool = False) -> None:
        parts, node = self._resolve(path)
        if isinstance(node, Dir) or not parts:
            raise FsError("EISDIR", path)
        if isinstance(node, Device):
            return
        now = self._now()

        def new_file(layer: Layer, old: Node | None) -> Node:
            owned = len(old.data) if isinstance(old, File) and old.layer is layer else 0
            if append and isinstance(old, File) and old.layer is layer:
                layer.charge(len(data), path)
                if not isinstance(old.data, bytearray):
                    old.data = bytearray(old.data)
                old.data.extend(data)
                old.mtime = now
                return old
            content = bytes(old.data) + data if append and isinstance(old, File) else data
            layer.charge(len(content) - owned, path)
            mode = old.mode if isinstance(old, File) else 0o644
            return File(content, mode=mode, mtime=now, layer=layer)

        self._place(parts, new_file, path)

    def listdir(self, path: str) -> list[str]:
        parts, node = self._resolve(path)
        if node is None:
            raise FsError("ENOENT", path)
        if not isinstance(node, Dir):
            raise FsError("ENOTDIR", path)
        points = {key[-1] for key in self._mounts if key and key[:-1] == parts}
        return sorted(set(node.entries) | points)

    def stat(self, path: str, *, follow: bool = True) -> Stat:
        _parts, node = self._resolve(path, follow=follow)
        if node is None:
            raise FsError("ENOENT", path)
        if isinstance(node, Dir):
            return Stat("dir", 4096, node.mode, node.mtime)
        if isinstance(node, Link):
            return Stat("symlink", len(node.target), 0o777, node.mtime, node.target)
        assert isinstance(node, File)
        return Stat("file", len(node.data), node.mode, node.mtime)

    def realpath(self, path: str) -> str:
        """The path with every symlink followed (``readlink -f``)."""
        parts, _node = self._resolve(path)
        return "/" + "/".join(parts)

    def writable(self, path: str) -> bool:
        """Whether ``path`` (existing or not) is on a mount that takes writes."""
        try:
            parts, _node = self._resolve(path)
        except FsError:
            return False
        mount, _rel = self._mount_for(parts)
        return not (mount.read_only or mount.tree.layer.read_only)

    def exists(self, path: str) -> bool:
        try:
            return self._resolve(path)[1] is not None
        except FsError:
            return False

    def mkdir(self, path: str, *, parents: bool = False, mode: int = 0o755) -> None:
        if parents:
            names = split(path)
            for cut in range(1, len(names) + 1):
                partial = "/" + "/".join(names[:cut])
                _where, node = self._resolve(partial)
                if node is None:
                    self.mkdir(partial, mode=mode)
                elif not isinstance(node, Dir):
                    raise FsError("EEXIST" if cut == len(names) else "ENOTDIR", path)
            return
        parts, node = self._resolve(path, follow=False)
        if node is not None or not parts:
            raise FsError("EEXIST", path)
        now = self._now()
        self._place(parts, lambda layer, _old: Dir(mode=mode, mtime=now, layer=layer), path)

    def remove(self, path: str, *, recursive: bool = False) -> None:
        parts, node = self._resolve(path, follow=False)
        if node is None:
            raise FsError("ENOENT", path)
        if not parts or parts in self._mounts or self._has_mounts_under(parts):
            raise FsError("EBUSY", path)
        if isinstance(node, Dir) and node.entries and not recursive:
            raise FsError("ENOTEMPTY", path)
        directory, layer = self._writable_dir(parts[:-1], path)
        removed = directory.entries.pop(parts[-1])
        directory.mtime = self._now()
        layer.charge(-size_owned(removed, layer), path)

    def _has_mounts_under(self, parts: Parts) -> bool:
        return any(key[:len(parts)] == parts for key in self._mounts if len(key) > len(parts))

    def rename(self, source: str, target: str) -> None:
        sparts, snode = self._resolve(source, follow=False)
        if snode is None:
            raise FsError("ENOENT", source)
        tparts, tnode = self._resolve(target, follow=False)
        if sparts == tparts:
            return
        if not sparts or not tparts or sparts in self._mounts or tparts in self._mounts \
                or self._has_mounts_under(sparts):
            raise FsError("EBUSY", source)
        if tparts[:len(sparts)] == sparts:
            raise FsError("EINVAL", target)             # a directory into itself
        if self._mount_for(sparts[:-1])[0].tree is not self._mount_for(tparts[:-1])[0].tree:
            raise FsError("EXDEV", target)
        if isinstance(tnode, Dir):
            if not isinstance(snode, Dir):
                raise FsError("EISDIR", target)
            if tnode.entries:
                raise FsError("ENOTEMPTY", target)
        elif tnode is not None and isinstance(snode, Dir):
            raise FsError("ENOTDIR", target)
        source_dir, layer = self._writable_dir(sparts[:-1], source)
        moved = source_dir.entries.pop(sparts[-1])
        source_dir.mtime = self._now()
        target_dir, _layer = self._writable_dir(tparts[:-1], target)
        replaced = target_dir.entries.get(tparts[-1])
        target_dir.entries[tparts[-1]] = moved
        target_dir.mtime = self._now()
        if replaced is not None:
            layer.charge(-size_owned(replaced, layer), target)

    def symlink(self, target: str, path: str) -> None:
        parts, node = self._resolve(path, follow=False)
        if node is not None or not parts:
            raise FsError("EEXIST", path)
        now = self._now()
        self._place(parts, lambda layer, _old: Link(target, mtime=now, layer=layer), path)

    def chmod(self, path: str, mode: int) -> None:
        parts, node = self._resolve(path)
        if node is None:
            raise FsError("ENOENT", path)
        if isinstance(node, Dir):
            mount, rel = self._mount_for(parts)
            self._writable(mount, path)
            self._tree_dir(mount.tree, mount.sub + rel, path).mode = mode & 0o7777
            return

        def changed(layer: Layer, old: Node | None) -> Node:
            assert isinstance(old, File)
            if old.layer is not layer:
                layer.charge(len(old.data), path)       # copied up
                old = old.copy(layer)
            old.mode = mode & 0o7777
            return old

        self._place(parts, changed, path)
