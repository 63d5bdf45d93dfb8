"""The kubelet server's choice of a container's log, and its refusals, from pod statuses."""

from __future__ import annotations

from typing import Any

import pytest

from kitlib.sim.apiserver.connector import NodeError
from kitlib.sim.kubelet.server import log_container_id, netns_path

RUNNING = {"running": {"startedAt": "2025-01-01T00:00:00Z"}}


def status(state: dict[str, Any], *, last: dict[str, Any] | None = None,
           current: str = "", init: bool = False) -> dict[str, Any]:
    item: dict[str, Any] = {"name": "app", "state": state, "lastState": last or {}}
    if current:
        item["containerID"] = f"containerd://{current}"
    return {"initContainerStatuses" if init else "containerStatuses": [item]}


def terminated(container_id: str = "") -> dict[str, Any]:
    return {"terminated": {"exitCode": 1, "reason": "Error",
                           **({"containerID": f"containerd://{container_id}"}
                              if container_id else {})}}


@pytest.mark.parametrize("pod_status, previous, expected", [
    (status(RUNNING, current="c2"), False, "c2"),
    (status(RUNNING, current="c2", last=terminated("c1")), True, "c1"),
    (status(terminated("c3")), False, "c3"),
    # the next attempt never started: the last one's log
    (status({"waiting": {"reason": "CrashLoopBackOff"}}, last=terminated("c1")), False, "c1"),
    (status(RUNNING, current="i1", init=True), False, "i1"),
])
def test_which_log(pod_status: dict[str, Any], previous: bool, expected: str) -> None:
    assert log_container_id("web", pod_status, "app", previous=previous) == expected


@pytest.mark.parametrize("pod_status, previous, message", [
    (status({"waiting": {"reason": "ContainerCreating"}}), False,
     'container "app" in pod "web" is waiting to start: ContainerCreating'),
    (status({"waiting": {"reason": "ErrImagePull"}}), False,
     'container "app" in pod "web" is waiting to start: image can\'t be pulled'),
    (status({"waiting": {"reason": "ImagePullBackOff"}}), False,
     'container "app" in pod "web" is waiting to start: trying and failing to pull image'),
    (status(RUNNING, current="c1"), True,
     'previous terminated container "app" in pod "web" not found'),
    (status(terminated()), False, 'container "app" in pod "web" is terminated'),
    (status({}), False, 'container "app" in pod "web" is waiting to start - no logs yet'),
    ({"containerStatuses": []}, False, 'container "app" in pod "web" is not available'),
])
def test_refusals(pod_status: dict[str, Any], previous: bool, message: str) -> None:
    with pytest.raises(NodeError) as info:
        log_container_id("web", pod_status, "app", previous=previous)
    assert (info.value.code, info.value.message) == (400, message)


def test_netns_path_is_a_cni_name() -> None:
    assert netns_path("0123456789abcdef" * 4) == \
        "/var/run/netns/cni-01234567-89ab-cdef-0123-456789abcdef"
