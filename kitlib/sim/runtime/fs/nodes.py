"""In-memory files: the nodes container filesystems are made of, and the layers owning them.

An image's files are built once and shared, read-only, by every container started from it.
A container that writes copies only the directories on the way to what it changed (as
overlayfs copies a file up), so ten thousand nginx containers hold one copy of nginx.  A
node belongs to exactly one ``Layer``: the image's, a container's writable layer, or a
volume's; a tree only ever changes nodes its own layer owns, and copies the others first.
"""

from __future__ import annotations

from sys import intern
from typing import Callable

from kitlib.sim.runtime.fs.api import FsError


class Layer:
    """Who owns nodes, whether they may change, and how many bytes its files may hold."""

    __slots__ = ("name", "read_only", "limit", "used")

    def __init__(self, name: str, *, read_only: bool = False, limit: int = 0) -> None:
        self.name = name
        self.read_only = read_only
        self.limit = limit              # bytes; 0: no limit
        self.used = 0

    def charge(self, delta: int, path: str) -> None:
        if delta > 0 and self.limit and self.used + delta > self.limit:
            raise FsError("ENOSPC", path)
        self.used = max(0, self.used + delta)


class ContainerLayer(Layer):
    """A container's writable layer: named after its container (``container:<id>``) only
    when the name is asked for (ten thousand containers would each keep the string)."""

    __slots__ = ("container_id",)

    def __init__(self, container_id: str, *, limit: int = 0) -> None:
        self.container_id = container_id
        self.read_only = False
        self.limit = limit
        self.used = 0

    @property  # type: ignore[override]
    def name(self) -> str:
        return f"container:{self.container_id[:12]}"


class Node:
    __slots__ = ("mode", "mtime", "layer")

    def __init__(self, mode: int, mtime: float, layer: Layer) -> None:
        self.mode = mode
        self.mtime = mtime
        self.layer = layer


class File(Node):
    __slots__ = ("data",)

    def __init__(self, data: bytes, *, mode: int = 0o644, mtime: float = 0.0,
                 layer: Layer) -> None:
        super().__init__(mode, mtime, layer)
        self.data = data

    def copy(self, layer: Layer) -> File:
        return File(self.data, mode=self.mode, mtime=self.mtime, layer=layer)


class Device(File):
    """A character device that swallows what is written and reads empty (``/dev/null``)."""

    __slots__ = ()

    def copy(self, layer: Layer) -> File:
        return Device(b"", mode=self.mode, mtime=self.mtime, layer=layer)


class Dir(Node):
    __slots__ = ("entries",)

    def __init__(self, entries: dict[str, Node] | None = None, *, mode: int = 0o755,
                 mtime: float = 0.0, layer: Layer) -> None:
        super().__init__(mode, mtime, layer)
        self.entries: dict[str, Node] = entries if entries is not None else {}

    def copy(self, layer: Layer) -> Dir:
        """A shallow copy: the same children, in a dictionary of the new layer's own."""
        return Dir(dict(self.entries), mode=self.mode, mtime=self.mtime, layer=layer)


class Link(Node):
    __slots__ = ("target",)

    def __init__(self, target: str, *, mtime: float = 0.0, layer: Layer) -> None:
        super().__init__(0o777, mtime, layer)
        self.target = target

    def copy(self, layer: Layer) -> Link:
        return Link(self.target, mtime=self.mtime, layer=layer)


class Tree:
    """A root and the layer that may change it: a container's root filesystem, a volume.

    ``build`` makes the root on first use, so that a volume nobody reads (the service
    account token of most pods) costs nothing.
    """

    __slots__ = ("_root", "layer", "_build")

    def __init__(self, root: Node | None = None, *, layer: Layer,
                 build: Callable[[], Node] | None = None) -> None:
        self._root = root
        self.layer = layer
        self._build = build

    @property
    def root(self) -> Node:
        if self._root is None:
            assert self._build is not None
            self._root = self._build()
        return self._root

    @root.setter
    def root(self, node: Node) -> None:
        self._root = node

    @property
    def built(self) -> bool:
        return self._root is not None


def size_owned(node: Node, layer: Layer) -> int:
    """Bytes of the files under ``node`` that ``layer`` owns (what removing them frees)."""
    if isinstance(node, File):
        return len(node.data) if node.layer is layer else 0
    if isinstance(node, Dir):
        return sum(size_owned(child, layer) for child in node.entries.values())
    return 0


def split(path: str) -> list[str]:
    """Path components, without empty ones and ``.``; ``..`` is kept for the resolver.
    Interned: ten thousand containers' mount tables name the same directories."""
    return [intern(part) for part in path.split("/") if part and part != "."]
