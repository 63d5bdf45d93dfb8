"""pod-template-hash: names that look like real ones, and one hash per template."""

from __future__ import annotations

import re

from kitlib.sim.controllers.deployment.hashing import (POD_TEMPLATE_HASH, fnv32a,
                                                       pod_template_hash, safe_encode,
                                                       templates_equal)

NGINX = {"metadata": {"labels": {"app.kubernetes.io/name": "nginx"}},
         "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2",
                                  "ports": [{"containerPort": 80}]}]}}


def test_fnv32a_matches_the_reference_vectors() -> None:
    assert fnv32a(b"") == 0x811C9DC5
    assert fnv32a(b"a") == 0xE40C292C
    assert fnv32a(b"foobar") == 0xBF9CF968
    # Continuing a sum is the same as hashing the concatenation.
    assert fnv32a(b"bar", fnv32a(b"foo")) == fnv32a(b"foobar")


def test_safe_encoding_of_a_real_hash() -> None:
    # nginx-deployment-7c79c4bf97 in the Kubernetes docs is FNV value 3735706953.
    assert safe_encode("3735706953") == "7c79c4bf97"


def test_hash_is_stable_and_looks_real() -> None:
    value = pod_template_hash(NGINX)
    assert value == "67fcb6756f"          # golden: the same on every run and restart
    assert re.fullmatch(r"[4-9bcdf]{1,10}", value)


def test_collision_count_changes_the_hash() -> None:
    assert len({pod_template_hash(NGINX), pod_template_hash(NGINX, 0),
                pod_template_hash(NGINX, 1)}) == 3


def test_semantically_equal_templates_share_a_hash() -> None:
    noisy = {"metadata": {"creationTimestamp": None, "annotations": {},
                          "labels": {"app.kubernetes.io/name": "nginx"}},
             "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2", "args": [],
                                      "ports": [{"containerPort": 80}]}],
                      "nodeSelector": {}}}
    assert templates_equal(NGINX, noisy)
    assert pod_template_hash(NGINX) == pod_template_hash(noisy)


def test_equality_ignores_only_the_hash_label() -> None:
    labelled = {**NGINX, "metadata": {"labels": {"app.kubernetes.io/name": "nginx",
                                                 POD_TEMPLATE_HASH: "67fcb6756f"}}}
    assert templates_equal(NGINX, labelled)
    other_image = {**NGINX, "spec": {"containers": [{**NGINX["spec"]["containers"][0],
                                                     "image": "nginx:1.16.1"}]}}
    assert not templates_equal(NGINX, other_image)
    assert pod_template_hash(NGINX) != pod_template_hash(other_image)


def test_an_empty_dir_volume_is_not_an_absent_one() -> None:
    with_volume = {**NGINX, "spec": {**NGINX["spec"],
                                     "volumes": [{"name": "data", "emptyDir": {}}]}}
    bare = {**NGINX, "spec": {**NGINX["spec"], "volumes": [{"name": "data"}]}}
    assert not templates_equal(with_volume, bare)
