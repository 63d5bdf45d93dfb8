"""PodStatus as the kubelet builds it: getPhase, the conditions, the container statuses."""

from __future__ import annotations

from typing import Any

import pytest

from kitlib.sim.kubelet.books import ContainerBook, PodBook, Termination, new_books
from kitlib.sim.kubelet.phase import get_phase
from kitlib.sim.kubelet.status import (container_status, merge_status, pod_status,
                                       rfc3339)
from kitlib.sim.runtime.interface import ExitStatus, Image

JSON = dict[str, Any]
T0 = 1_800_000_000.0
IMAGE = Image(reference="docker.io/library/busybox:latest",
              id="docker.io/library/busybox@sha256:" + "a" * 64, digest="sha256:" + "a" * 64,
              size=1)


def ended(code: int, reason: str = "") -> Termination:
    return Termination(ExitStatus(exit_code=code, reason=reason or
                                  ("Completed" if code == 0 else "Error"),
                                  started_at=T0, finished_at=T0 + 1), "c" * 64)


def running() -> JSON:
    return {"name": "", "state": {"running": {"startedAt": "x"}}, "lastState": {}}


def terminated(code: int) -> JSON:
    return {"name": "", "state": {"terminated": {"exitCode": code}}, "lastState": {}}


def waiting(after: int | None = None) -> JSON:
    last = {"terminated": {"exitCode": after}} if after is not None else {}
    return {"name": "", "state": {"waiting": {"reason": "x"}}, "lastState": last}


def named(status: JSON, name: str) -> JSON:
    return dict(status, name=name)


def spec(policy: str = "Always", init: list[JSON] | None = None) -> JSON:
    return {"restartPolicy": policy, "containers": [{"name": "app"}],
            "initContainers": init or []}


@pytest.mark.parametrize(("policy", "app", "terminal", "phase"), [
    ("Always", running(), False, "Running"),
    ("Never", terminated(0), False, "Succeeded"),
    ("Never", terminated(1), False, "Failed"),
    ("OnFailure", terminated(0), False, "Succeeded"),
    ("OnFailure", waiting(after=1), False, "Running"),
    ("Always", terminated(0), False, "Running"),
    ("Always", terminated(0), True, "Succeeded"),
    ("Always", terminated(137), True, "Failed"),
    ("Always", waiting(), False, "Pending"),
])
def test_get_phase(policy: str, app: JSON, terminal: bool, phase: str) -> None:
    assert get_phase(spec(policy), [], [named(app, "app")], terminal=terminal) == phase


def test_get_phase_with_init_containers() -> None:
    init = [{"name": "setup"}]
    app = named(waiting(), "app")
    assert get_phase(spec(init=init), [named(running(), "setup")], [app],
                     terminal=False) == "Pending"
    assert get_phase(spec("Never", init), [named(terminated(2), "setup")], [app],
                     terminal=False) == "Failed"
    sidecar = [{"name": "proxy", "restartPolicy": "Always"}]
    started = dict(named(running(), "proxy"), started=True)
    assert get_phase(spec(init=sidecar), [started], [named(running(), "app")],
                     terminal=False) == "Running"


def pod(containers: list[JSON], *, init: list[JSON] | None = None, **status: Any) -> PodBook:
    body = {"metadata": {"name": "p", "namespace": "ns", "uid": "u"},
            "spec": {"restartPolicy": "Always", "containers": containers,
                     "initContainers": init or []},
            "status": status}
    return PodBook(uid="u", namespace="ns", name="p", pod=body, containers=new_books(body))


def test_waiting_containers_and_their_conditions() -> None:
    book = pod([{"name": "a", "image": "busybox"}, {"name": "b", "image": "busybox"}])
    status = pod_status(book, node_ip="172.18.0.3", terminal=False, now="NOW", previous=[])
    assert status["phase"] == "Pending"
    assert [c["type"] for c in status["conditions"]] == [
        "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    ready = status["conditions"][2]
    assert ready == {"type": "Ready", "status": "False", "lastProbeTime": None,
                     "lastTransitionTime": "NOW", "reason": "ContainersNotReady",
                     "message": "containers with unready status: [a b]"}
    first = status["containerStatuses"][0]
    assert first["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert (first["image"], first["imageID"], first["started"]) == ("busybox", "", False)
    assert "containerID" not in first and "podIP" not in status


def test_init_containers_make_others_wait_for_pod_initializing() -> None:
    book = pod([{"name": "app", "image": "nginx"}], init=[{"name": "setup", "image": "busybox"}])
    status = pod_status(book, node_ip="ip", terminal=False, now="NOW", previous=[])
    assert status["containerStatuses"][0]["state"]["waiting"]["reason"] == "PodInitializing"
    initialized = status["conditions"][1]
    assert (initialized["status"], initialized["reason"], initialized["message"]) == (
        "False", "ContainersNotInitialized", "containers with incomplete status: [setup]")


def test_crash_loop_status() -> None:
    book = ContainerBook(name="app", kind="regular", spec={"name": "app", "image": "busybox"},
                         state="waiting", reason="CrashLoopBackOff", message="back-off 10s",
                         attempts=2, image=IMAGE, exit=ended(1), container_id="c" * 64)
    status = container_status(book, default_reason="ContainerCreating")
    assert status["state"] == {"waiting": {"reason": "CrashLoopBackOff",
                                           "message": "back-off 10s"}}
    assert status["lastState"]["terminated"] == {
        "exitCode": 1, "reason": "Error", "startedAt": rfc3339(T0),
        "finishedAt": rfc3339(T0 + 1), "containerID": "containerd://" + "c" * 64}
    assert (status["restartCount"], status["image"], status["ready"]) == (1, IMAGE.reference,
                                                                          False)


def test_running_after_a_restart_shows_the_last_state() -> None:
    book = ContainerBook(name="app", kind="regular", spec={"name": "app", "image": "busybox"},
                         state="running", attempts=2, image=IMAGE, previous=ended(137, "OOMKilled"),
                         container_id="d" * 64, started_at=T0 + 5, started=True, ready=True)
    status = container_status(book, default_reason="ContainerCreating")
    assert status["state"] == {"running": {"startedAt": rfc3339(T0 + 5)}}
    assert status["lastState"]["terminated"]["reason"] == "OOMKilled"
    assert (status["ready"], status["started"], status["restartCount"]) == (True, True, 1)
    assert status["containerID"] == "containerd://" + "d" * 64


def test_transition_times_hold_while_the_status_does() -> None:
    book = pod([{"name": "a", "image": "busybox"}])
    first = pod_status(book, node_ip="ip", terminal=False, now="T1", previous=[])
    again = pod_status(book, node_ip="ip", terminal=False, now="T2",
                       previous=first["conditions"])
    assert {c["lastTransitionTime"] for c in again["conditions"]} == {"T1"}


def test_readiness_gates() -> None:
    book = pod([{"name": "a", "image": "busybox"}])
    book.pod["spec"]["readinessGates"] = [{"conditionType": "example.com/ready"}]
    books = book.containers
    books[0].state, books[0].ready, books[0].started_at = "running", True, T0
    status = pod_status(book, node_ip="ip", terminal=False, now="N", previous=[])
    ready = status["conditions"][2]
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "False", "ReadinessGatesNotReady",
        'corresponding condition of pod readiness gate "example.com/ready" does not exist.')
    assert status["conditions"][3]["status"] == "True"          # ContainersReady


def test_merge_keeps_what_others_own() -> None:
    current = {"phase": "Pending", "qosClass": "BestEffort", "nominatedNodeName": "n",
               "conditions": [{"type": "example.com/ready", "status": "True"},
                              {"type": "PodScheduled", "status": "True"}]}
    kubelet = {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}],
               "hostIP": "ip", "containerStatuses": []}
    merged = merge_status(current, kubelet)
    assert list(merged) == ["phase", "conditions", "nominatedNodeName", "hostIP",
                            "containerStatuses", "qosClass"]
    assert [c["type"] for c in merged["conditions"]] == ["example.com/ready", "Ready"]
