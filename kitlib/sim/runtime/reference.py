"""Image references, parsed and normalised as a container runtime parses them.

``nginx`` in a pod spec means ``docker.io/library/nginx:latest`` to containerd, and that
long name is what ``kubectl describe pod`` shows as the running image.  The rules are the
ones of the distribution/reference library (ParseNormalizedNamed) that both the kubelet
and containerd use, including its error texts, since a learner who types ``Nginx`` sees
``InvalidImageName`` with exactly that explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_DOMAIN = "docker.io"
LEGACY_DOMAIN = "index.docker.io"
OFFICIAL_PREFIX = "library/"
DEFAULT_TAG = "latest"

_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_COMPONENT}(?:\.{_COMPONENT})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_PATH = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_TAG = r"[\w][\w.-]{0,127}"
_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}"
_REFERENCE = re.compile(rf"(?P<name>(?:{_DOMAIN}/)?{_PATH}(?:/{_PATH})*)"
                        rf"(?::(?P<tag>{_TAG}))?(?:@(?P<digest>{_DIGEST}))?")
_IDENTIFIER = re.compile(r"[a-f0-9]{64}")
_NAME_LIMIT = 255


class ReferenceError(ValueError):
    """An image string that is not a reference; ``str()`` is the library's message."""


@dataclass(frozen=True)
class ImageReference:
    """A normalised reference: ``domain/path[:tag][@digest]``."""

    domain: str
    path: str
    tag: str = ""
    digest: str = ""

    @property
    def repository(self) -> str:
        """``docker.io/library/nginx``: the name without tag or digest."""
        return f"{self.domain}/{self.path}"

    @property
    def familiar(self) -> str:
        """The short name people type: ``nginx``, ``traefik/whoami``, ``registry.k8s.io/pause``."""
        if self.domain != DEFAULT_DOMAIN:
            return self.repository
        return self.path[len(OFFICIAL_PREFIX):] if self.path.startswith(OFFICIAL_PREFIX) \
            else self.path

    def __str__(self) -> str:
        text = self.repository
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text

    def with_default_tag(self) -> ImageReference:
        """``nginx`` -> ``nginx:latest``; a reference with a digest keeps no tag of its own."""
        if self.tag or self.digest:
            return self
        return ImageReference(self.domain, self.path, DEFAULT_TAG, "")


def _split_domain(name: str) -> tuple[str, str]:
    first, sep, rest = name.partition("/")
    if not sep or (not any(c in first for c in ".:") and first != "localhost"
                   and first.lower() == first):
        domain, remainder = DEFAULT_DOMAIN, name
    else:
        domain, remainder = first, rest
    if domain == LEGACY_DOMAIN:
        domain = DEFAULT_DOMAIN
    if domain == DEFAULT_DOMAIN and "/" not in remainder:
        remainder = OFFICIAL_PREFIX + remainder
    return domain, remainder


@lru_cache(maxsize=4096)
def parse_reference(image: str) -> ImageReference:
    """ParseNormalizedNamed: ``nginx:1.14`` -> docker.io/library/nginx:1.14.

    Raises ReferenceError with the message the kubelet puts in InvalidImageName.
    """
    if _IDENTIFIER.fullmatch(image):
        raise ReferenceError(f"invalid repository name ({image}), cannot specify 64-byte "
                             "hexadecimal strings")
    # Split off a tag or digest before looking for the domain (ports contain ':' too).
    name, at, digest = image.partition("@")
    tag, colon = "", name.rfind(":")
    has_tag = colon > name.rfind("/")
    if has_tag:
        name, tag = name[:colon], name[colon + 1:]
    domain, remainder = _split_domain(name)
    if remainder.lower() != remainder:
        raise ReferenceError(f"invalid reference format: repository name ({remainder}) "
                             "must be lowercase")
    full = f"{domain}/{remainder}" + (f":{tag}" if has_tag else "") + (f"@{digest}" if at else "")
    match = _REFERENCE.fullmatch(full)
    if match is None or not image:
        raise ReferenceError("invalid reference format")
    if len(match.group("name")) > _NAME_LIMIT:
        raise ReferenceError("repository name must not be more than 255 characters")
    return ImageReference(domain, remainder, match.group("tag") or "",
                          match.group("digest") or "")


def apply_default_tag(image: str) -> str:
    """What the kubelet hands the runtime: the spec's text, with ``:latest`` if untagged.

    The name itself stays as the user wrote it (``busybox``, not docker.io/library/...),
    as the kubelet keeps CRI requests agnostic of default registries.
    """
    try:
        ref = parse_reference(image)
    except ReferenceError as exc:
        raise ReferenceError(f'couldn\'t parse image name "{image}": {exc}') from None
    if not ref.digest and not ref.tag:
        return f"{image}:{DEFAULT_TAG}"
    return image
