"""The runtime's image catalogue (``images.yaml``), read once and looked up.

Images are data: which repositories exist, how big they are, what their default process
does, what files and programs they hold, and what each registry answers for a repository
it lacks.  This module turns that data into lookups and into containerd's own messages
for a failed pull, so that a typo in an image name reads exactly as on a kind cluster.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from kitlib.sim.runtime.interface import Image
from kitlib.sim.runtime.reference import ImageReference

STOP_BEHAVIOURS = ("graceful", "default", "ignore")
PROCESSES = ("server", "shell")
#: What kind's nodes use to resolve names (the docker network's gateway).
RESOLVER = "172.18.0.1:53"
_VERSION_TAG = re.compile(r"v?(\d+(?:\.\d+)+)(?:-.*)?")
Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, kw_only=True)
class Distro:
    """The base an image is built on: its commands, files and links."""

    name: str
    path: str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    busybox: str = ""                       # the busybox binary; applets link to it
    applets: tuple[str, ...] = ()
    dirs: tuple[str, ...] = ()
    links: Pairs = ()
    programs: Pairs = ()                    # path -> program name
    shell_links: Pairs = ()                 # e.g. /usr/bin/sh -> dash
    commands: tuple[tuple[str, tuple[str, ...]], ...] = ()     # directory -> names
    files: Pairs = ()


@dataclass(frozen=True, kw_only=True)
class ImageInfo:
    repository: str
    size: int
    sizes: dict[str, int] = field(default_factory=dict)
    entrypoint: tuple[str, ...] = ()
    wrapper: bool = False
    cmd: tuple[str, ...] = ()
    process: str = "server"
    ports: tuple[int, ...] = ()
    stop: str = "default"
    executables: tuple[str, ...] = ()
    distro: str = "scratch"
    versions: Pairs = ()
    env: Pairs = ()
    workdir: str = ""
    programs: Pairs = ()                    # path -> program name
    commands: tuple[tuple[str, tuple[str, ...]], ...] = ()
    dirs: tuple[str, ...] = ()
    files: Pairs = ()
    links: Pairs = ()
    http: Pairs = ()                        # what a generic server answers

    def version_of(self, tag: str) -> str:
        """The software's version for a tag: ``nginx:1.25`` runs nginx 1.25.5."""
        versions = dict(self.versions)
        base = tag.split("-")[0]
        if tag in versions:
            return versions[tag]
        if base in versions:
            return versions[base]
        match = _VERSION_TAG.fullmatch(tag)
        return match.group(1) if match else versions.get("default", "")

    def size_of(self, tag: str) -> int:
        if tag in self.sizes:
            return self.sizes[tag]
        # Other tags differ a little in size, the same way every run.
        spread = int(hashlib.sha256(tag.encode()).hexdigest()[:4], 16) / 0xFFFF
        return int(self.size * (0.9 + 0.2 * spread))


@dataclass(frozen=True, kw_only=True)
class Timing:
    pull_bytes_per_second: float
    pull_overhead: tuple[float, float]
    cached_pull: tuple[float, float]
    exit_latency: tuple[float, float]
    stop_latency: tuple[float, float]


@dataclass(frozen=True, kw_only=True)
class Catalogue:
    images: dict[str, ImageInfo]
    registries: dict[str, str]
    timings: dict[str, Timing]
    distros: dict[str, Distro] = field(default_factory=dict)
    system: dict[str, Any] = field(default_factory=dict)
    skeleton: dict[str, Any] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    def text(self, value: str) -> str:
        """A file's text as images.yaml gives it: literal, or ``@name`` of imagefiles.yaml."""
        if value.startswith("@"):
            return self.texts[value[1:]]
        return value

    def find(self, ref: ImageReference) -> ImageInfo | None:
        return self.images.get(ref.repository)

    def timing(self, profile: str) -> Timing:
        return self.timings.get(profile) or self.timings["fast"]

    def image_of(self, ref: ImageReference) -> Image:
        """The Image a pull of ``ref`` leaves on the node (digest derived from the name)."""
        ref = ref.with_default_tag()
        info = self.find(ref)
        digest = ref.digest or "sha256:" + hashlib.sha256(str(ref).encode()).hexdigest()
        size = info.size_of(ref.tag or "latest") if info else 0
        return Image(reference=str(ref), id=f"{ref.repository}@{digest}",
                     digest=digest, size=size)

    def missing_message(self, ref: ImageReference) -> str:
        """containerd's error for a repository the registry does not have."""
        ref = ref.with_default_tag()
        text = str(ref)
        prefix = f'failed to pull and unpack image "{text}": failed to resolve reference "{text}"'
        answer = self.registries.get(ref.domain)
        if answer == "denied":
            return (f"{prefix}: pull access denied, repository does not exist or may require "
                    "authorization: server message: insufficient_scope: authorization failed")
        if answer == "notFound":
            return f"{prefix}: {text}: not found"
        host = ref.domain.split(":")[0]
        manifest = ref.digest or ref.tag
        return (f'{prefix}: failed to do request: Head "https://{ref.domain}/v2/{ref.path}/'
                f'manifests/{manifest}": dial tcp: lookup {host} on {RESOLVER}: no such host')


def _range(value: Any) -> tuple[float, float]:
    low, high = (float(v) for v in value)
    return (low, high)


def _pairs(value: Any) -> Pairs:
    return tuple((str(k), str(v)) for k, v in (value or {}).items())


def _lists(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((str(k), tuple(str(n) for n in v)) for k, v in (value or {}).items())


def _image(entry: dict[str, Any]) -> ImageInfo:
    stop = entry.get("stop", "default")
    process = entry.get("process", "server")
    if stop not in STOP_BEHAVIOURS or process not in PROCESSES:
        raise ValueError(f"images.yaml: bad stop/process for {entry.get('repository')}")
    distro = str(entry.get("distro") or "scratch")
    programs = _pairs(entry.get("programs"))
    # A scratch image holds nothing but its programs: no other command can start.
    executables = tuple(entry.get("executables") or
                        (tuple(path for path, _ in programs) if distro == "scratch" else ()))
    return ImageInfo(repository=entry["repository"], size=int(entry["size"]),
                     sizes={str(k): int(v) for k, v in (entry.get("sizes") or {}).items()},
                     entrypoint=tuple(entry.get("entrypoint") or ()),
                     wrapper=bool(entry.get("wrapper")), cmd=tuple(entry.get("cmd") or ()),
                     process=process, ports=tuple(int(p) for p in entry.get("ports") or ()),
                     stop=stop, executables=executables, distro=distro,
                     versions=_pairs(entry.get("versions")), env=_pairs(entry.get("env")),
                     workdir=str(entry.get("workdir") or ""), programs=programs,
                     commands=_lists(entry.get("commands")),
                     dirs=tuple(entry.get("dirs") or ()), files=_pairs(entry.get("files")),
                     links=_pairs(entry.get("links")), http=_pairs(entry.get("http")))


def _distro(name: str, entry: dict[str, Any]) -> Distro:
    return Distro(name=name, path=str(entry.get("path") or Distro.path),
                  busybox=str(entry.get("busybox") or ""),
                  applets=tuple(entry.get("applets") or ()),
                  dirs=tuple(entry.get("dirs") or ()), links=_pairs(entry.get("links")),
                  programs=_pairs(entry.get("programs")),
                  shell_links=_pairs(entry.get("shellLinks")),
                  commands=_lists(entry.get("commands")), files=_pairs(entry.get("files")))


def parse_catalogue(data: dict[str, Any], texts: dict[str, str] | None = None) -> Catalogue:
    timings = {name: Timing(pull_bytes_per_second=float(t["pullBytesPerSecond"]),
                            pull_overhead=_range(t["pullOverhead"]),
                            cached_pull=_range(t["cachedPull"]),
                            exit_latency=_range(t["exitLatency"]),
                            stop_latency=_range(t["stopLatency"]))
               for name, t in data["timing"].items()}
    images = {info.repository: info for info in map(_image, data["images"])}
    distros = {name: _distro(name, entry or {})
               for name, entry in (data.get("distros") or {}).items()}
    return Catalogue(images=images, registries=dict(data.get("registries") or {}),
                     timings=timings, distros=distros, system=dict(data.get("system") or {}),
                     skeleton=dict(data.get("skeleton") or {}), texts=dict(texts or {}))


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    package = resources.files("kitlib.sim.runtime")
    texts = yaml.safe_load(package.joinpath("imagefiles.yaml").read_text())
    return parse_catalogue(yaml.safe_load(package.joinpath("images.yaml").read_text()), texts)
