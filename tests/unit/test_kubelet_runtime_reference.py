"""Image references normalised as containerd normalises them, with the library's errors."""

from __future__ import annotations

import pytest

from kitlib.sim.runtime.reference import ReferenceError, apply_default_tag, parse_reference


@pytest.mark.parametrize(("image", "full", "familiar"), [
    ("nginx", "docker.io/library/nginx", "nginx"),
    ("nginx:1.14.2", "docker.io/library/nginx:1.14.2", "nginx"),
    ("traefik/whoami:v1.10", "docker.io/traefik/whoami:v1.10", "traefik/whoami"),
    ("index.docker.io/library/redis", "docker.io/library/redis", "redis"),
    ("registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10", "registry.k8s.io/pause"),
    ("localhost:5000/app:1", "localhost:5000/app:1", "localhost:5000/app"),
    ("localhost/app", "localhost/app", "localhost/app"),
    ("busybox@sha256:" + "a" * 64, "docker.io/library/busybox@sha256:" + "a" * 64, "busybox"),
])
def test_normalised(image: str, full: str, familiar: str) -> None:
    ref = parse_reference(image)
    assert str(ref) == full
    assert ref.familiar == familiar


def test_default_tag() -> None:
    assert str(parse_reference("nginx").with_default_tag()) == "docker.io/library/nginx:latest"
    digest = parse_reference("nginx@sha256:" + "b" * 64)
    assert digest.with_default_tag() is digest
    assert apply_default_tag("nginx") == "nginx:latest"
    assert apply_default_tag("nginx:1.25") == "nginx:1.25"


@pytest.mark.parametrize(("image", "message"), [
    ("Nginx", "invalid reference format: repository name (library/Nginx) must be lowercase"),
    ("nginx:", "invalid reference format"),
    ("-nginx", "invalid reference format"),
    ("a" * 64, f"invalid repository name ({'a' * 64}), cannot specify 64-byte hexadecimal "
               "strings"),
])
def test_errors(image: str, message: str) -> None:
    with pytest.raises(ReferenceError) as caught:
        parse_reference(image)
    assert str(caught.value) == message


def test_apply_default_tag_error_names_the_image() -> None:
    with pytest.raises(ReferenceError, match=r'^couldn\'t parse image name "Nginx": invalid'):
        apply_default_tag("Nginx")
