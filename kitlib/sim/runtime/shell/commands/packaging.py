"""Packages, as ``apt-get`` and ``apk`` see them: the catalogue, what a container already
has, what installing one more needs, and what installing it does to the container.

The Kubernetes tutorials install tools inside running containers (``apt-get install -y
procps`` before ``ps aux``).  The catalogue (``runtime/packages.yaml``) is a stand-in for the
distributions' mirrors: the simulated pod network is taken to have egress to them, and
"downloading" takes simulated time at a fixed rate.  Installing writes the package's
executables into the container's own filesystem (its writable layer, gone with the
container as on a real cluster) and records the package where dpkg or apk records it
(``/var/lib/dpkg/status``, ``/lib/apk/db/installed``), so the next command finds them
through ``$PATH`` like any other file of the image.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from kitlib.sim.runtime.fs.api import FileSystem, FsError
from kitlib.sim.runtime.images import binary, program_in
from kitlib.sim.runtime.packages import package_catalogue

#: Bytes per simulated second from the mirror (a fast cloud network).
MIRROR_RATE = 8_400_000


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    size: int
    depends: tuple[str, ...] = ()
    recommends: tuple[str, ...] = ()
    #: (path, program) of each executable it installs.
    executables: tuple[tuple[str, str], ...] = ()
    pool: str = "main"
    arch: str = "amd64"
    trigger: str = ""


def catalogue() -> dict[str, Any]:
    return package_catalogue()


@lru_cache(maxsize=8)
def packages(manager: str, distro: str = "") -> dict[str, Package]:
    """The packages ``manager`` (apt or apk) can install in ``distro``'s images."""
    found: dict[str, Package] = {}
    for name, spec in (catalogue()[manager].get("packages") or {}).items():
        versions = spec.get("versions") or {}
        found[name] = Package(
            name=name, version=str(versions.get(distro, spec["version"])),
            size=int(spec["size"]), depends=tuple(spec.get("depends") or ()),
            recommends=tuple(spec.get("recommends") or ()),
            executables=tuple((str(path), str(program)) for path, program in
                              (spec.get("executables") or {}).items()),
            pool=str(spec.get("pool", "main")), arch=str(spec.get("arch", "amd64")),
            trigger=str(spec.get("trigger", "")))
    return found


def plan(wanted: Iterable[str], known: dict[str, Package], present: set[str], *,
         recommends: bool = True) -> list[Package]:
    """The packages to install for ``wanted``, each after what it depends on."""
    order: list[Package] = []
    seen = set(present)

    def visit(name: str) -> None:
        if name in seen or name not in known:
            return
        seen.add(name)
        package = known[name]
        for dependency in package.depends:
            visit(dependency)
        order.append(package)
        if recommends:
            for extra in package.recommends:
                visit(extra)
    for name in wanted:
        visit(name)
    return order


def present(fs: FileSystem, known: dict[str, Package], recorded: set[str]) -> set[str]:
    """What the container already has: the packages recorded as installed, those whose
    executables the image ships (nginx's curl), and everything those depend on."""
    have = set(recorded)
    for package in known.values():
        if package.executables and all(_shipped(fs, path) for path, _ in package.executables):
            have.add(package.name)
    stack = list(have)
    while stack:
        package = known.get(stack.pop())
        for dependency in (package.depends if package else ()):
            if dependency not in have:
                have.add(dependency)
                stack.append(dependency)
    return have


def _shipped(fs: FileSystem, path: str) -> bool:
    try:
        head = fs.read(path)[:64]
    except FsError:
        return False
    return program_in(head) != "busybox"       # a busybox applet is not the real tool


def install(fs: FileSystem, package: Package) -> None:
    """Put the package's executables in place (replacing, not writing through, a file
    that is a link of another: busybox's applets share one file)."""
    for path, program in package.executables:
        directory = path.rsplit("/", 1)[0] or "/"
        fs.mkdir(directory, parents=True)
        try:
            fs.remove(path)
        except FsError:
            pass
        fs.write(path, binary(program))
        fs.chmod(path, 0o755)


def uninstall(fs: FileSystem, package: Package) -> None:
    for path, _program in package.executables:
        try:
            fs.remove(path)
        except FsError:
            pass


def recorded(fs: FileSystem, database: str, field: str) -> set[str]:
    """The package names a database file lists (``Package: x`` or ``P:x`` lines)."""
    try:
        text = fs.read(database).decode("utf-8", "replace")
    except FsError:
        return set()
    return {line[len(field):].strip() for line in text.splitlines() if line.startswith(field)}


def record(fs: FileSystem, database: str, stanza: str) -> None:
    fs.mkdir(database.rsplit("/", 1)[0], parents=True)
    fs.write(database, stanza.encode(), append=fs.exists(database))


def forget(fs: FileSystem, database: str, field: str, name: str) -> None:
    """Remove ``name``'s stanza (paragraphs separated by blank lines)."""
    try:
        text = fs.read(database).decode("utf-8", "replace")
    except FsError:
        return
    kept = [p for p in text.split("\n\n")
            if p.strip() and f"{field}{name}" not in p.splitlines()]
    fs.write(database, "".join(p.strip("\n") + "\n\n" for p in kept).encode())


def apt_size(size: float) -> str:
    """apt's SizeToStr: ``512 B``, ``55.4 kB``, ``8792 kB``, ``19.3 MB``."""
    units = ["", "k", "M", "G"]
    for index, unit in enumerate(units):
        if size < 100 and index:
            return f"{size:.1f} {unit}B"
        if size < 10000:
            return f"{size:.0f} {unit}B"
        size /= 1000
    return f"{size:.0f} TB"


def seconds(size: int) -> float:
    """How long fetching ``size`` bytes takes from the mirror."""
    return size / MIRROR_RATE
