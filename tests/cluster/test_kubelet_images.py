"""Getting images: pulled once per node, present afterwards, and the failures learners meet.

A misspelt image fails as on a kind cluster (containerd's own message, ErrImagePull, then
ImagePullBackOff with a doubling back-off); fixing the image in the pod lets it start at
once.  An image name that is not a reference at all is InvalidImageName; a missing image
with ``imagePullPolicy: Never`` is ErrImageNeverPull.  ``Fleet.fail_image_pulls`` makes a
good image fail on purpose.
"""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes import client

from tests.cluster.kubelet_lab import (advance, container, in_loop, is_ready, make_pod,
                                       messages, pod, reasons, status_of, wait_for)

DENIED = ('failed to pull and unpack image "docker.io/library/nginxx:latest": failed to '
          'resolve reference "docker.io/library/nginxx:latest": pull access denied, repository '
          'does not exist or may require authorization: server message: insufficient_scope: '
          'authorization failed')


@pytest.fixture
def core(api_client: Any) -> client.CoreV1Api:
    return client.CoreV1Api(api_client)


def waiting(core: client.CoreV1Api, namespace: str, name: str) -> tuple[str, str]:
    status = status_of(core, namespace, name, "web")
    state = status.state.waiting if status and status.state else None
    return (state.reason, state.message) if state else ("", "")


def test_unknown_image_backs_off_then_runs_once_fixed(core: client.CoreV1Api, sim: Any,
                                                      namespace: str) -> None:
    make_pod(core, namespace, "typo", [container("web", "nginxx")])
    wait_for(lambda: waiting(core, namespace, "typo")[0] == "ImagePullBackOff",
             what="ImagePullBackOff")
    assert waiting(core, namespace, "typo")[1] == \
        f'Back-off pulling image "nginxx": ErrImagePull: {DENIED}'
    assert pod(core, namespace, "typo").status.phase == "Pending"
    assert messages(core, namespace, "typo", "Failed") == [
        f'Failed to pull image "nginxx": {DENIED}', "Error: ErrImagePull",
        "Error: ImagePullBackOff"]
    assert messages(core, namespace, "typo", "BackOff") == ['Back-off pulling image "nginxx"']
    advance(sim, 11)                        # the 10 s back-off is over: a second attempt
    wait_for(lambda: [e.count for e in core.list_namespaced_event(
        namespace, field_selector="involvedObject.name=typo,reason=Pulling").items] == [2],
             what="a second pull")
    core.patch_namespaced_pod("typo", namespace,
                              {"spec": {"containers": [{"name": "web", "image": "nginx"}]}})
    wait_for(lambda: is_ready(core, namespace, "typo"), what="Running with the right image")
    assert status_of(core, namespace, "typo", "web").image == "docker.io/library/nginx:latest"


def test_invalid_image_name(core: client.CoreV1Api, namespace: str) -> None:
    make_pod(core, namespace, "upper", [container("web", "Nginx")])
    wait_for(lambda: waiting(core, namespace, "upper")[0] == "InvalidImageName",
             what="InvalidImageName")
    detail = ('couldn\'t parse image name "Nginx": invalid reference format: repository name '
              '(library/Nginx) must be lowercase')
    assert waiting(core, namespace, "upper")[1] == detail
    assert messages(core, namespace, "upper", "InspectFailed") == [
        f'Failed to apply default image tag "Nginx": {detail}']
    assert messages(core, namespace, "upper", "Failed") == ["Error: InvalidImageName"]


def test_never_pull_a_missing_image(core: client.CoreV1Api, namespace: str) -> None:
    make_pod(core, namespace, "offline",
             [container("web", "redis:6", image_pull_policy="Never")])
    wait_for(lambda: waiting(core, namespace, "offline")[0] == "ErrImageNeverPull",
             what="ErrImageNeverPull")
    text = 'Container image "redis:6" is not present with pull policy of Never'
    assert waiting(core, namespace, "offline")[1] == text
    assert messages(core, namespace, "offline", "ErrImageNeverPull") == [text]


def test_pull_policy_always_pulls_every_time(core: client.CoreV1Api, namespace: str) -> None:
    for name in ("one", "two"):
        make_pod(core, namespace, name, [container("c", "busybox:1.36", command=["sleep", "1h"],
                                                   image_pull_policy="Always")])
        wait_for(lambda name=name: is_ready(core, namespace, name), what=name)
    assert reasons(core, namespace, "two")[:2] == ["Pulling", "Pulled"]
    assert messages(core, namespace, "two", "Pulled")[0].startswith(
        'Successfully pulled image "busybox:1.36" in ')


def test_injected_pull_failure(core: client.CoreV1Api, sim: Any, namespace: str) -> None:
    fleet = sim.cluster.fleet
    in_loop(sim, fleet.fail_image_pulls, "httpd", "registry unavailable: 503 Service Unavailable")
    try:
        make_pod(core, namespace, "outage", [container("web", "httpd:2.4")])
        wait_for(lambda: waiting(core, namespace, "outage")[0] == "ImagePullBackOff",
                 what="ImagePullBackOff")
        assert messages(core, namespace, "outage", "Failed")[0] == (
            'Failed to pull image "httpd:2.4": registry unavailable: 503 Service Unavailable')
    finally:
        in_loop(sim, fleet.allow_image_pulls)
    advance(sim, 11)
    wait_for(lambda: is_ready(core, namespace, "outage"), what="pulled once allowed")
