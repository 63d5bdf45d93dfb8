"""Golden rows for ``kubectl get pods``: every STATUS the real printer can derive."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest

from kitlib.sim.printers import to_table
from kitlib.sim.printers.pods import print_pod

JSON = dict[str, Any]
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
CREATED = "2024-05-01T10:00:00Z"          # 2h before NOW: "120m" (under 3h, minutes)


def container(name: str = "web", image: str = "nginx:1.27", **extra: Any) -> JSON:
    return {"name": name, "image": image, "resources": {},
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent", **extra}


def running(name: str = "web", *, ready: bool = True, restarts: int = 0,
            last_finished: str | None = None, image: str = "docker.io/library/nginx:1.27") -> JSON:
    status: JSON = {
        "containerID": f"containerd://{name}0123", "image": image,
        "imageID": image + "@sha256:0f04", "lastState": {}, "name": name, "ready": ready,
        "restartCount": restarts, "started": True,
        "state": {"running": {"startedAt": "2024-05-01T10:00:05Z"}},
    }
    if last_finished:
        status["lastState"] = {"terminated": {
            "containerID": f"containerd://{name}old", "exitCode": 1,
            "finishedAt": last_finished, "reason": "Error", "startedAt": "2024-05-01T10:00:01Z"}}
    return status


def waiting(reason: str, name: str = "web", *, restarts: int = 0,
            last_finished: str | None = None, message: str = "") -> JSON:
    status = running(name, ready=False, restarts=restarts, last_finished=last_finished)
    status["started"] = False
    status["state"] = {"waiting": {"reason": reason, **({"message": message} if message else {})}}
    if reason in ("ContainerCreating", "PodInitializing", "ErrImagePull", "ImagePullBackOff"):
        del status["containerID"]
    return status


def terminated(name: str = "web", *, exit_code: int, reason: str | None = None,
               signal: int | None = None, restarts: int = 0) -> JSON:
    status = running(name, ready=False, restarts=restarts)
    status["started"] = False
    state: JSON = {"containerID": f"containerd://{name}0123", "exitCode": exit_code,
                   "finishedAt": "2024-05-01T11:59:00Z", "startedAt": "2024-05-01T10:00:05Z"}
    if reason:
        state["reason"] = reason
    if signal:
        state["signal"] = signal
    status["state"] = {"terminated": state}
    return status


def conditions(*, ready: bool, initialized: bool = True, scheduled: bool = True) -> list[JSON]:
    def cond(kind: str, ok: bool) -> JSON:
        return {"lastProbeTime": None, "lastTransitionTime": "2024-05-01T10:00:06Z",
                "status": "True" if ok else "False", "type": kind}
    return [cond("PodReadyToStartContainers", True), cond("Initialized", initialized),
            cond("Ready", ready), cond("ContainersReady", ready), cond("PodScheduled", scheduled)]


def pod(name: str = "web-7d4b9c8f5-x2k4p", *, phase: str = "Running",
        containers: list[JSON] | None = None, statuses: list[JSON] | None = None,
        init_containers: list[JSON] | None = None, init_statuses: list[JSON] | None = None,
        ready: bool = True, node: str = "kind-worker", ip: str = "10.244.1.5",
        **status_extra: Any) -> JSON:
    spec: JSON = {"containers": containers or [container()], "dnsPolicy": "ClusterFirst",
                  "enableServiceLinks": True, "nodeName": node, "preemptionPolicy":
                  "PreemptLowerPriority", "priority": 0, "restartPolicy": "Always",
                  "schedulerName": "default-scheduler", "securityContext": {},
                  "serviceAccount": "default", "serviceAccountName": "default",
                  "terminationGracePeriodSeconds": 30}
    if init_containers is not None:
        spec["initContainers"] = init_containers
    status: JSON = {"conditions": conditions(ready=ready),
                    "containerStatuses": statuses if statuses is not None else [running()],
                    "hostIP": "172.18.0.3", "hostIPs": [{"ip": "172.18.0.3"}], "phase": phase,
                    "podIP": ip, "podIPs": [{"ip": ip}], "qosClass": "BestEffort",
                    "startTime": "2024-05-01T10:00:00Z", **status_extra}
    if init_statuses is not None:
        status["initContainerStatuses"] = init_statuses
    return {
        "kind": "Pod", "apiVersion": "v1",
        "metadata": {"name": name, "generateName": "web-7d4b9c8f5-", "namespace": "default",
                     "uid": "6d1f8a4e-3b0c-4f7e-9a51-2c8d7e6b5a40", "resourceVersion": "1234",
                     "creationTimestamp": CREATED,
                     "labels": {"app": "web", "pod-template-hash": "7d4b9c8f5"}},
        "spec": spec,
        "status": status,
    }


def cells(obj: JSON) -> list[Any]:
    return print_pod(obj, NOW).cells


def status_of(obj: JSON) -> tuple[str, str, str]:
    ready, status, restarts = cells(obj)[1:4]
    return ready, status, restarts


def test_running_pod_full_row() -> None:
    assert cells(pod()) == ["web-7d4b9c8f5-x2k4p", "1/1", "Running", "0", "120m",
                            "10.244.1.5", "kind-worker", "<none>", "<none>"]
    assert print_pod(pod(), NOW).conditions == []


def test_pending_unscheduled_pod() -> None:
    obj = pod(phase="Pending", statuses=[], node="", ip="")
    obj["status"] = {"conditions": [{"lastProbeTime": None, "lastTransitionTime": CREATED,
                                     "message": "0/3 nodes are available: 3 Insufficient cpu.",
                                     "reason": "Unschedulable", "status": "False",
                                     "type": "PodScheduled"}],
                     "phase": "Pending", "qosClass": "Burstable"}
    del obj["spec"]["nodeName"]
    assert cells(obj) == ["web-7d4b9c8f5-x2k4p", "0/1", "Pending", "0", "120m",
                          "<none>", "<none>", "<none>", "<none>"]


@pytest.mark.parametrize("reason", ["ContainerCreating", "ErrImagePull", "ImagePullBackOff",
                                    "CreateContainerConfigError"])
def test_waiting_reason_replaces_phase(reason: str) -> None:
    obj = pod(phase="Pending", statuses=[waiting(reason)], ready=False)
    assert status_of(obj) == ("0/1", reason, "0")


def test_crash_loop_back_off_with_last_restart() -> None:
    obj = pod(statuses=[waiting("CrashLoopBackOff", restarts=5,
                                last_finished="2024-05-01T11:58:00Z")], ready=False)
    assert status_of(obj) == ("0/1", "CrashLoopBackOff", "5 (2m ago)")


def test_restarts_sum_over_containers_and_take_the_newest_restart() -> None:
    obj = pod(containers=[container("web"), container("sidecar", "busybox")],
              statuses=[running("sidecar", restarts=2, last_finished="2024-04-26T12:00:00Z"),
                        running("web", restarts=1, last_finished="2024-05-01T11:00:00Z")])
    assert status_of(obj) == ("2/2", "Running", "3 (60m ago)")


def test_running_but_not_ready_is_still_running() -> None:
    # A failing readiness probe: READY drops to 0/1, STATUS stays Running.
    obj = pod(statuses=[running(ready=False)], ready=False)
    assert status_of(obj) == ("0/1", "Running", "0")


def test_some_containers_not_ready() -> None:
    obj = pod(containers=[container("web"), container("log", "busybox")],
              statuses=[running("log", ready=False), running("web")], ready=False)
    assert status_of(obj) == ("1/2", "Running", "0")


@pytest.mark.parametrize(("state", "expected"), [
    ({"exit_code": 137, "reason": "OOMKilled"}, "OOMKilled"),
    ({"exit_code": 1, "reason": "Error"}, "Error"),
    ({"exit_code": 3}, "ExitCode:3"),
    ({"exit_code": 143, "signal": 15}, "Signal:15"),
    ({"exit_code": 0, "reason": "Completed"}, "Completed"),
])
def test_terminated_reasons(state: JSON, expected: str) -> None:
    obj = pod(statuses=[terminated(**state, restarts=1)], ready=False)
    assert status_of(obj)[1] == expected


def test_succeeded_pod_has_completed_row_condition() -> None:
    obj = pod(phase="Succeeded", statuses=[terminated(exit_code=0, reason="Completed")],
              ready=False)
    row = print_pod(obj, NOW)
    assert row.cells[1:4] == ["0/1", "Completed", "0"]
    assert row.conditions == [{"type": "Completed", "status": "True", "reason": "Succeeded",
                               "message": "The pod has completed successfully."}]


def test_failed_pod_has_failed_row_condition() -> None:
    obj = pod(phase="Failed", statuses=[terminated(exit_code=1, reason="Error")], ready=False)
    row = print_pod(obj, NOW)
    assert row.cells[1:4] == ["0/1", "Error", "0"]
    assert row.conditions == [{"type": "Completed", "status": "True", "reason": "Failed",
                               "message": "The pod failed."}]


def test_evicted_pod_shows_the_status_reason() -> None:
    obj = pod(phase="Failed", statuses=[terminated(exit_code=137, reason="ContainerStatusUnknown")],
              ready=False, reason="Evicted",
              message="The node was low on resource: memory.")
    obj["status"]["containerStatuses"] = []
    row = print_pod(obj, NOW)
    assert row.cells[1:4] == ["0/1", "Evicted", "0"]
    assert row.conditions[0]["reason"] == "Failed"


def test_completed_container_next_to_a_running_one() -> None:
    two = [container("job"), container("web")]
    done_and_running = [terminated("job", exit_code=0, reason="Completed"), running("web")]
    without_ready = pod(containers=two, statuses=copy.deepcopy(done_and_running), ready=False)
    assert status_of(without_ready) == ("1/2", "NotReady", "0")
    with_ready = pod(containers=two, statuses=copy.deepcopy(done_and_running), ready=True)
    assert status_of(with_ready) == ("1/2", "Running", "0")


def test_first_container_wins_because_statuses_are_read_backwards() -> None:
    obj = pod(containers=[container("a"), container("b")],
              statuses=[waiting("CrashLoopBackOff", "a", restarts=2),
                        terminated("b", exit_code=1, reason="Error", restarts=1)], ready=False)
    assert status_of(obj) == ("0/2", "CrashLoopBackOff", "3")


def test_terminating_pod() -> None:
    obj = pod()
    obj["metadata"]["deletionTimestamp"] = "2024-05-01T11:59:30Z"
    obj["metadata"]["deletionGracePeriodSeconds"] = 30
    assert status_of(obj) == ("1/1", "Terminating", "0")


def test_terminating_does_not_hide_a_finished_pod() -> None:
    obj = pod(phase="Succeeded", statuses=[terminated(exit_code=0, reason="Completed")],
              ready=False)
    obj["metadata"]["deletionTimestamp"] = "2024-05-01T11:59:30Z"
    assert status_of(obj)[1] == "Completed"


def test_pod_on_a_lost_node_is_unknown() -> None:
    obj = pod(reason="NodeLost", message="Node kind-worker which was running pod is "
                                         "unresponsive")
    obj["metadata"]["deletionTimestamp"] = "2024-05-01T11:59:30Z"
    assert status_of(obj)[1] == "Unknown"


def test_scheduling_gated_pod() -> None:
    obj = pod(phase="Pending", statuses=[], node="", ip="")
    obj["spec"]["schedulingGates"] = [{"name": "example.com/quota"}]
    obj["status"] = {"conditions": [{"lastProbeTime": None, "lastTransitionTime": CREATED,
                                     "message": "Scheduling is blocked due to non-empty "
                                                "scheduling gates",
                                     "reason": "SchedulingGated", "status": "False",
                                     "type": "PodScheduled"}],
                     "phase": "Pending", "qosClass": "BestEffort"}
    assert status_of(obj) == ("0/1", "SchedulingGated", "0")


# --- init containers -------------------------------------------------------------------

def init_pod(init_statuses: list[JSON], *, app_status: JSON | None = None,
             init_count: int = 1, initialized: bool = False, phase: str = "Pending") -> JSON:
    names = ["init-db", "init-cache", "init-config"][:init_count]
    obj = pod(phase=phase, init_containers=[container(n, "busybox:1.36") for n in names],
              init_statuses=init_statuses,
              statuses=[app_status or waiting("PodInitializing")], ready=False)
    obj["status"]["conditions"] = conditions(ready=False, initialized=initialized)
    return obj


def test_init_container_running() -> None:
    status = running("init-db", ready=False)
    assert status_of(init_pod([status])) == ("0/1", "Init:0/1", "0")


def test_second_init_container_running() -> None:
    statuses = [terminated("init-db", exit_code=0, reason="Completed"),
                running("init-cache", ready=False), waiting("PodInitializing", "init-config")]
    assert status_of(init_pod(statuses, init_count=3)) == ("0/1", "Init:1/3", "0")


def test_init_container_error_and_crash_loop() -> None:
    failed = terminated("init-db", exit_code=1, reason="Error", restarts=2)
    failed["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error",
                                          "finishedAt": "2024-05-01T11:59:30Z",
                                          "startedAt": "2024-05-01T11:59:29Z"}}
    assert status_of(init_pod([failed])) == ("0/1", "Init:Error", "2 (30s ago)")
    looping = waiting("CrashLoopBackOff", "init-db", restarts=3,
                      last_finished="2024-05-01T11:57:00Z")
    assert status_of(init_pod([looping])) == ("0/1", "Init:CrashLoopBackOff", "3 (3m ago)")


def test_init_container_exit_code_and_signal() -> None:
    assert status_of(init_pod([terminated("init-db", exit_code=2)]))[1] == "Init:ExitCode:2"
    assert status_of(init_pod([terminated("init-db", exit_code=137, signal=9)]))[1] \
        == "Init:Signal:9"


def test_init_container_image_pull_problem() -> None:
    obj = init_pod([waiting("ImagePullBackOff", "init-db")])
    assert status_of(obj)[1] == "Init:ImagePullBackOff"


def test_init_done_then_app_containers_decide() -> None:
    obj = init_pod([terminated("init-db", exit_code=0, reason="Completed", restarts=1)],
                   app_status=running(), initialized=True, phase="Running")
    obj["status"]["conditions"] = conditions(ready=True)
    # Restarts of finished (non-sidecar) init containers are not counted once initialised.
    assert status_of(obj) == ("1/1", "Running", "0")


def test_sidecar_counts_towards_ready_and_restarts() -> None:
    sidecar = container("istio-proxy", "istio/proxyv2:1.22", restartPolicy="Always")
    obj = pod(init_containers=[sidecar],
              init_statuses=[running("istio-proxy", restarts=1,
                                     last_finished="2024-05-01T11:50:00Z")],
              statuses=[running("web", restarts=2, last_finished="2024-05-01T11:40:00Z")])
    assert status_of(obj) == ("2/2", "Running", "3 (10m ago)")


def test_sidecar_not_started_blocks_initialisation() -> None:
    sidecar = container("istio-proxy", "istio/proxyv2:1.22", restartPolicy="Always")
    proxy = running("istio-proxy", ready=False)
    proxy["started"] = False
    obj = pod(phase="Pending", init_containers=[sidecar], init_statuses=[proxy],
              statuses=[waiting("PodInitializing")], ready=False)
    obj["status"]["conditions"] = conditions(ready=False, initialized=False)
    assert status_of(obj) == ("0/2", "Init:0/1", "0")


# --- wide columns ----------------------------------------------------------------------

def test_readiness_gates_and_nominated_node() -> None:
    obj = pod(nominatedNodeName="kind-worker2")
    obj["spec"]["readinessGates"] = [{"conditionType": "example.com/lb-ready"},
                                     {"conditionType": "example.com/feature"}]
    obj["status"]["conditions"].append({"lastProbeTime": None, "status": "True",
                                        "lastTransitionTime": CREATED,
                                        "type": "example.com/lb-ready"})
    assert cells(obj)[5:] == ["10.244.1.5", "kind-worker", "kind-worker2", "1/2"]


def test_pod_ip_falls_back_to_pod_ips() -> None:
    obj = pod()
    del obj["status"]["podIP"]
    obj["status"]["podIPs"] = [{"ip": "fd00:10:244:1::5"}, {"ip": "10.244.1.5"}]
    assert cells(obj)[5] == "fd00:10:244:1::5"


def test_pod_table_columns() -> None:
    table = to_table(group="", resource="pods", objects=[pod()], now=NOW,
                     resource_version="5000")
    columns = [(c["name"], c["type"], c["format"], c["priority"])
               for c in table["columnDefinitions"]]
    assert columns == [("Name", "string", "name", 0), ("Ready", "string", "", 0),
                       ("Status", "string", "", 0), ("Restarts", "string", "", 0),
                       ("Age", "string", "", 0), ("IP", "string", "", 1),
                       ("Node", "string", "", 1), ("Nominated Node", "string", "", 1),
                       ("Readiness Gates", "string", "", 1)]
    assert table["columnDefinitions"][3]["description"] == (
        "How many times the pod's containers have been restarted, and how long ago the last "
        "restart was.")
    assert "conditions" not in table["rows"][0]
