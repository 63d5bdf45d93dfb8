"""The image catalogue's data, and the registries' answers for what they do not have."""

from __future__ import annotations

from kitlib.sim.runtime.catalogue import default_catalogue
from kitlib.sim.runtime.faults import PullFaults
from kitlib.sim.runtime.reference import parse_reference


def test_known_images_and_stable_digests() -> None:
    catalogue = default_catalogue()
    for name in ("nginx", "busybox", "alpine", "debian", "ubuntu", "redis", "traefik/whoami",
                 "hashicorp/http-echo", "registry.k8s.io/pause",
                 "registry.k8s.io/e2e-test-images/agnhost"):
        assert catalogue.find(parse_reference(name)) is not None, name
    first = catalogue.image_of(parse_reference("nginx:1.14.2"))
    assert first == catalogue.image_of(parse_reference("docker.io/library/nginx:1.14.2"))
    assert first.size == 44709475 and first.reference == "docker.io/library/nginx:1.14.2"
    assert first.id.startswith("docker.io/library/nginx@sha256:") and len(first.digest) == 71
    assert catalogue.image_of(parse_reference("nginx")) == \
        catalogue.image_of(parse_reference("nginx:latest"))


def test_missing_repository_messages() -> None:
    catalogue = default_catalogue()
    assert catalogue.missing_message(parse_reference("nginxx")) == (
        'failed to pull and unpack image "docker.io/library/nginxx:latest": failed to resolve '
        'reference "docker.io/library/nginxx:latest": pull access denied, repository does not '
        "exist or may require authorization: server message: insufficient_scope: "
        "authorization failed")
    assert catalogue.missing_message(parse_reference("registry.k8s.io/nope:1")).endswith(
        '"registry.k8s.io/nope:1": registry.k8s.io/nope:1: not found')
    assert catalogue.missing_message(parse_reference("my.registry:5000/app")).endswith(
        'Head "https://my.registry:5000/v2/app/manifests/latest": dial tcp: lookup my.registry '
        "on 172.18.0.1:53: no such host")


def test_pull_faults_by_tag_or_repository() -> None:
    faults = PullFaults()
    assert not faults
    faults.fail("redis:7", "boom")
    assert faults.check(parse_reference("redis:7")) == "boom"
    assert faults.check(parse_reference("redis:6")) is None
    faults.fail("nginx")
    assert faults.check(parse_reference("nginx:1.25")) == ""
    faults.clear("nginx")
    assert faults.check(parse_reference("nginx")) is None
    faults.clear()
    assert not faults
