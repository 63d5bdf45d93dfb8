"""The provisional runtime's image catalogue (``images.yaml``), read once and looked up.

Images are data: which repositories exist, how big they are, what their default process
does, and what each registry answers for a repository it lacks.  This module turns that
data into lookups and into containerd's own messages for a failed pull, so that a typo in
an image name reads exactly as on a kind cluster.
"""

from __future__ import annotations

import hashlib
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


def _image(entry: dict[str, Any]) -> ImageInfo:
    stop = entry.get("stop", "default")
    process = entry.get("process", "server")
    if stop not in STOP_BEHAVIOURS or process not in PROCESSES:
        raise ValueError(f"images.yaml: bad stop/process for {entry.get('repository')}")
    return ImageInfo(repository=entry["repository"], size=int(entry["size"]),
                     sizes={str(k): int(v) for k, v in (entry.get("sizes") or {}).items()},
                     entrypoint=tuple(entry.get("entrypoint") or ()),
                     wrapper=bool(entry.get("wrapper")), cmd=tuple(entry.get("cmd") or ()),
                     process=process, ports=tuple(int(p) for p in entry.get("ports") or ()),
                     stop=stop, executables=tuple(entry.get("executables") or ()))


def parse_catalogue(data: dict[str, Any]) -> Catalogue:
    timings = {name: Timing(pull_bytes_per_second=float(t["pullBytesPerSecond"]),
                            pull_overhead=_range(t["pullOverhead"]),
                            cached_pull=_range(t["cachedPull"]),
                            exit_latency=_range(t["exitLatency"]),
                            stop_latency=_range(t["stopLatency"]))
               for name, t in data["timing"].items()}
    images = {info.repository: info for info in map(_image, data["images"])}
    return Catalogue(images=images, registries=dict(data.get("registries") or {}),
                     timings=timings)


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    text = resources.files("kitlib.sim.runtime").joinpath("images.yaml").read_text()
    return parse_catalogue(yaml.safe_load(text))
