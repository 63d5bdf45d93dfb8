"""Images' files: the read-only root filesystem every container of an image starts from.

Built once per image and version from the catalogue's data (the distro's commands and
files, then the image's own), and shared by all its containers: their writes go to a
layer of their own.  An executable is a small file whose first bytes say which simulated
program it runs (``runtime/programs/``), as an ELF header says which code a real one
runs; a script starts with ``#!``.  Nothing here reads the host: the files' texts come
from ``images.yaml`` and ``imagefiles.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kitlib.sim.runtime.catalogue import Catalogue, Distro, ImageInfo
from kitlib.sim.runtime.fs.memory import ContainerFS
from kitlib.sim.runtime.fs.nodes import Device, Dir, File, Layer, Tree, split

#: How a simulated executable begins: an ELF identification, then the program's name.
MARKER = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00sim:"
#: The program that runs a command the sandboxed shell implements (/usr/bin/printenv).
COMMAND = "command"


def binary(program: str) -> bytes:
    return MARKER + program.encode() + b"\n"


def program_in(data: bytes) -> str | None:
    """The program a simulated executable runs, or None for any other file."""
    if not data.startswith(MARKER):
        return None
    return data[len(MARKER):].split(b"\n", 1)[0].decode("ascii", "replace")


@dataclass
class ImageRoot:
    """One image version's files, and its scripts that stand for programs."""

    root: Dir
    version: str
    distro: Distro
    env: tuple[tuple[str, str], ...]
    #: canonical path -> (program, the script's original bytes): a script the image ships
    #: runs as that program for as long as nobody changed it.
    scripts: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    def original(self, path: str) -> bytes | None:
        """The file as the image ships it (symlinks are not followed)."""
        node: object = self.root
        for name in split(path):
            node = node.entries.get(name) if isinstance(node, Dir) else None
        return bytes(node.data) if isinstance(node, File) else None


class ImageFiles:
    """The image roots of a catalogue, built on first use and kept."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._roots: dict[tuple[str, str, str], ImageRoot] = {}

    def distro_of(self, info: ImageInfo | None, tag: str) -> Distro:
        distros = self.catalogue.distros
        name = info.distro if info else "scratch"
        if name != "scratch" and "alpine" in tag and "alpine" in distros:
            name = "alpine"                     # nginx:alpine, redis:7-alpine, ...
        return distros.get(name) or Distro(name="scratch")

    def root(self, info: ImageInfo | None, tag: str) -> ImageRoot:
        distro = self.distro_of(info, tag)
        version = info.version_of(tag) if info else ""
        key = (info.repository if info else "", distro.name, version)
        found = self._roots.get(key)
        if found is None:
            found = self._roots[key] = self._build(info, distro, version)
        return found

    def _build(self, info: ImageInfo | None, distro: Distro, version: str) -> ImageRoot:
        name = info.repository if info else "unknown"
        layer = Layer(f"image:{name}:{version}")
        tree = Tree(Dir(layer=layer), layer=layer)
        fs = ContainerFS(tree, now=lambda: 0.0)
        text = self.catalogue.text
        skeleton = self.catalogue.skeleton
        for path in skeleton.get("dirs") or ():
            fs.mkdir(path, parents=True)
        for path in skeleton.get("tmp") or ():
            fs.chmod(path, 0o1777)
        for path, target in (skeleton.get("links") or {}).items():
            _link(fs, target, path)
        self._distro(fs, tree, distro)
        scripts: dict[str, tuple[str, bytes]] = {}
        if info is not None:
            for path in info.dirs:
                fs.mkdir(path, parents=True)
            for path, value in info.files:
                content = text(value).replace("{version}", version).encode()
                _write(fs, path, content, 0o644)
            self._commands(fs, tree, info.commands)
            files = dict(info.files)
            for path, program in info.programs:
                if path in files:
                    fs.chmod(path, 0o755)
                    where = "/" + "/".join(fs.canonical(path))
                    scripts[where] = (program, fs.read(path))
                else:
                    _write(fs, path, binary(program), 0o755)
            for path, target in info.links:
                _link(fs, target, path)
        for path in skeleton.get("devices") or ():
            holder = _node(tree.root, split(path)[:-1])
            holder.entries[split(path)[-1]] = Device(b"", mode=0o666, layer=layer)
        layer.read_only = True
        env = tuple((key, value.replace("{version}", version))
                    for key, value in (info.env if info else ()))
        return ImageRoot(root=_node(tree.root, []), version=version, distro=distro,
                         env=(("PATH", distro.path), *env), scripts=scripts)

    def _distro(self, fs: ContainerFS, tree: Tree, distro: Distro) -> None:
        for path in distro.dirs:
            fs.mkdir(path, parents=True)
        for path, target in distro.links:
            _link(fs, target, path)
        for path, value in distro.files:
            _write(fs, path, self.catalogue.text(value).encode(), 0o644)
        if distro.busybox:
            _write(fs, distro.busybox, binary("busybox"), 0o755)
            parts = split(distro.busybox)
            holder = _node(tree.root, parts[:-1])
            shared = holder.entries[parts[-1]]
            for applet in distro.applets:        # hard links: one node, many names
                holder.entries.setdefault(applet, shared)
        for path, program in distro.programs:
            _write(fs, path, binary(program), 0o755)
        for path, target in distro.shell_links:
            _link(fs, target, path)
        self._commands(fs, tree, distro.commands)

    def _commands(self, fs: ContainerFS, tree: Tree,
                  commands: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        for directory, names in commands:
            fs.mkdir(directory, parents=True)
            holder = _node(tree.root, list(fs.canonical(directory + "/x")[:-1]))
            shared = File(binary(COMMAND), mode=0o755, layer=tree.layer)
            for name in names:
                holder.entries.setdefault(name, shared)


def _write(fs: ContainerFS, path: str, content: bytes, mode: int) -> None:
    fs.mkdir("/" + "/".join(split(path)[:-1]), parents=True)
    fs.write(path, content)
    fs.chmod(path, mode)


def _link(fs: ContainerFS, target: str, path: str) -> None:
    fs.mkdir("/" + "/".join(split(path)[:-1]), parents=True)
    if fs.exists(path) or _is_link(fs, path):
        fs.remove(path, recursive=True)
    fs.symlink(target, path)


def _is_link(fs: ContainerFS, path: str) -> bool:
    try:
        return fs.stat(path, follow=False).kind == "symlink"
    except OSError:
        return False


def _node(root: object, parts: list[str]) -> Dir:
    node = root
    for name in parts:
        assert isinstance(node, Dir)
        node = node.entries[name]
    assert isinstance(node, Dir)
    return node
