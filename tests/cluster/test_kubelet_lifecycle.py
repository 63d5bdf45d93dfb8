"""A pod's life on its node, as a learner sees it through the API and kubectl.

Pods here name their node themselves (``spec.nodeName``), so the kubelet of ``kit-worker``
runs them without a scheduler: Pending, ContainerCreating, Running and Ready; exits
judged by the restart policy (Completed, Error, CrashLoopBackOff with its doubling
back-off); init containers first.  The simulated clock is moved on for the long waits.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from kubernetes import client

from tests.cluster.kubelet_lab import (WORKER, WORKER_CIDR_PREFIX, WORKER_IP, advance,
                                       condition, container, get_row, is_ready, kubectl,
                                       make_pod, messages, pod, reasons, state_of, status_of,
                                       wait_for)

CONTAINER_ID = re.compile(r"containerd://[0-9a-f]{64}")


@pytest.fixture
def core(api_client: Any) -> client.CoreV1Api:
    return client.CoreV1Api(api_client)


def test_bare_pod_runs_with_ip_conditions_and_events(core: client.CoreV1Api,
                                                     namespace: str) -> None:
    make_pod(core, namespace, "web", [container("nginx", "nginx:1.14.2")])
    wait_for(lambda: is_ready(core, namespace, "web"), what="web Ready")
    status = pod(core, namespace, "web").status
    assert status.phase == "Running"
    assert status.host_ip == WORKER_IP and [i.ip for i in status.host_i_ps] == [WORKER_IP]
    assert status.pod_ip.startswith(WORKER_CIDR_PREFIX)
    assert [i.ip for i in status.pod_i_ps] == [status.pod_ip]
    assert status.start_time is not None and status.qos_class == "BestEffort"
    assert [(c.type, c.status) for c in status.conditions] == [
        ("PodReadyToStartContainers", "True"), ("Initialized", "True"), ("Ready", "True"),
        ("ContainersReady", "True"), ("PodScheduled", "True")]
    nginx = status.container_statuses[0]
    assert nginx.state.running.started_at is not None
    assert nginx.ready and nginx.started and nginx.restart_count == 0
    assert nginx.image == "docker.io/library/nginx:1.14.2"
    assert nginx.image_id.startswith("docker.io/library/nginx@sha256:")
    assert CONTAINER_ID.fullmatch(nginx.container_id)
    wait_for(lambda: "Started" in reasons(core, namespace, "web"), what="Started event")
    assert reasons(core, namespace, "web")[:4] == ["Pulling", "Pulled", "Created", "Started"]
    pulled = messages(core, namespace, "web", "Pulled")[0]
    assert re.fullmatch(r'Successfully pulled image "nginx:1\.14\.2" in \S+ \(\S+ including '
                        r'waiting\)\. Image size: \d+ bytes\.', pulled), pulled
    assert messages(core, namespace, "web", "Created") == ["Created container nginx"]
    assert messages(core, namespace, "web", "Started") == ["Started container nginx"]
    for event in core.list_namespaced_event(namespace).items:
        assert event.source.component == "kubelet" and event.source.host == WORKER
        assert event.involved_object.field_path == "spec.containers{nginx}"


def test_describe_pod_reads_like_a_real_node(core: client.CoreV1Api, sim: Any, namespace: str,
                                             kubectl_path: str) -> None:
    make_pod(core, namespace, "described", [container("nginx", "nginx:1.16.1")])
    wait_for(lambda: is_ready(core, namespace, "described"), what="Ready")
    wait_for(lambda: "Started" in reasons(core, namespace, "described"), what="events")
    out = kubectl(sim, kubectl_path, "describe", "pod", "described", "-n", namespace)
    assert re.search(rf"Node:\s+{WORKER}/{WORKER_IP}", out)
    assert re.search(r"Status:\s+Running", out)
    assert re.search(r"IP:\s+10\.244\.1\.\d+", out)
    assert re.search(r"Container ID:\s+containerd://[0-9a-f]{64}", out)
    assert re.search(r"State:\s+Running\n\s+Started:", out)
    assert re.search(r"Ready:\s+True\n\s+Restart Count:\s+0", out)
    assert re.search(r"PodReadyToStartContainers\s+True", out)
    assert re.search(r"Normal\s+Pulling\s+\S+\s+kubelet\s+Pulling image \"nginx:1.16.1\"", out)
    assert re.search(r"Normal\s+Pulled\s+\S+\s+kubelet\s+Successfully pulled image "
                     r"\"nginx:1.16.1\" in \S+ \(\S+ including waiting\)", out)
    assert re.search(r"Normal\s+Created\s+\S+\s+kubelet\s+Created container nginx", out)
    assert re.search(r"Normal\s+Started\s+\S+\s+kubelet\s+Started container nginx", out)


def test_second_pod_finds_the_image_and_gets_its_own_ip(core: client.CoreV1Api,
                                                        namespace: str) -> None:
    for name in ("first", "second"):
        make_pod(core, namespace, name, [container("app", "redis:7")])
        wait_for(lambda name=name: is_ready(core, namespace, name), what=f"{name} Ready")
    assert messages(core, namespace, "second", "Pulled") == [
        'Container image "redis:7" already present on machine']
    ips = {pod(core, namespace, name).status.pod_ip for name in ("first", "second")}
    assert len(ips) == 2


@pytest.mark.parametrize(("script", "phase", "reason", "code", "column"), [
    ("exit 0", "Succeeded", "Completed", 0, "Completed"),
    ("echo done; exit 3", "Failed", "Error", 3, "Error"),
])
def test_restart_policy_never_ends_the_pod(core: client.CoreV1Api, sim: Any, namespace: str,
                                           kubectl_path: str, script: str, phase: str,
                                           reason: str, code: int, column: str) -> None:
    make_pod(core, namespace, "job", [container(command=["sh", "-c", script])],
             restart_policy="Never")
    wait_for(lambda: pod(core, namespace, "job").status.phase == phase, what=phase)
    terminated = status_of(core, namespace, "job").state.terminated
    assert (terminated.reason, terminated.exit_code) == (reason, code)
    assert terminated.started_at is not None and terminated.finished_at is not None
    assert CONTAINER_ID.fullmatch(terminated.container_id)
    ready = condition(core, namespace, "job", "Ready")
    assert (ready.status, ready.reason) == ("False",
                                            "PodCompleted" if code == 0 else "PodFailed")
    wait_for(lambda: condition(core, namespace, "job", "PodReadyToStartContainers").status
             == "False", what="sandbox stopped")
    assert get_row(sim, kubectl_path, namespace, "job")[1:4] == ["0/1", column, "0"]


def test_on_failure_restarts_failures_only(core: client.CoreV1Api, namespace: str) -> None:
    make_pod(core, namespace, "fine", [container(command=["sh", "-c", "exit 0"])],
             restart_policy="OnFailure")
    make_pod(core, namespace, "flaky", [container(command=["sh", "-c", "exit 2"])],
             restart_policy="OnFailure")
    wait_for(lambda: pod(core, namespace, "fine").status.phase == "Succeeded", what="done")
    wait_for(lambda: status_of(core, namespace, "flaky") is not None and
             status_of(core, namespace, "flaky").restart_count >= 1, what="a restart")
    assert status_of(core, namespace, "fine").restart_count == 0
    assert pod(core, namespace, "flaky").status.phase == "Running"


def test_crash_loop_back_off_doubles(core: client.CoreV1Api, sim: Any, namespace: str,
                                     kubectl_path: str) -> None:
    make_pod(core, namespace, "crash", [container(command=["sh", "-c", "exit 1"])])

    wait_for(lambda: state_of(core, namespace, "crash") == "waiting:CrashLoopBackOff",
             what="CrashLoopBackOff")
    status = status_of(core, namespace, "crash")
    uid = pod(core, namespace, "crash").metadata.uid
    assert status.restart_count == 1
    assert status.state.waiting.message == (
        f"back-off 10s restarting failed container=main pod=crash_{namespace}({uid})")
    assert (status.last_state.terminated.reason, status.last_state.terminated.exit_code) == \
        ("Error", 1)
    assert messages(core, namespace, "crash", "BackOff") == [
        f"Back-off restarting failed container main in pod crash_{namespace}({uid})"]
    row = get_row(sim, kubectl_path, namespace, "crash")
    assert row[1:3] == ["0/1", "CrashLoopBackOff"] and row[3] == "1"
    advance(sim, 11)
    wait_for(lambda: status_of(core, namespace, "crash").restart_count == 2, what="2nd restart")
    wait_for(lambda: state_of(core, namespace, "crash") == "waiting:CrashLoopBackOff" and
             "back-off 20s" in status_of(core, namespace, "crash").state.waiting.message,
             what="20 s back-off")


def test_sleep_ends_on_the_simulated_clock(core: client.CoreV1Api, sim: Any,
                                           namespace: str) -> None:
    make_pod(core, namespace, "nap", [container(command=["sleep", "30"])],
             restart_policy="Never")
    wait_for(lambda: is_ready(core, namespace, "nap"), what="running")
    advance(sim, 31)
    wait_for(lambda: pod(core, namespace, "nap").status.phase == "Succeeded", what="done")
    assert status_of(core, namespace, "nap").state.terminated.reason == "Completed"


def test_init_container_runs_first(core: client.CoreV1Api, sim: Any, namespace: str,
                                   kubectl_path: str) -> None:
    make_pod(core, namespace, "init-demo", [container("nginx", "nginx")],
             init_containers=[container("setup", command=["sh", "-c", "sleep 5"])])
    wait_for(lambda: state_of(core, namespace, "init-demo", "setup", init=True) == "running",
             what="init container running")
    assert get_row(sim, kubectl_path, namespace, "init-demo")[1:3] == ["0/1", "Init:0/1"]
    nginx = status_of(core, namespace, "init-demo", "nginx")
    assert nginx.state.waiting.reason == "PodInitializing"
    initialized = condition(core, namespace, "init-demo", "Initialized")
    assert (initialized.status, initialized.reason, initialized.message) == (
        "False", "ContainersNotInitialized", "containers with incomplete status: [setup]")
    advance(sim, 6)
    wait_for(lambda: is_ready(core, namespace, "init-demo"), what="Running after init")
    setup = status_of(core, namespace, "init-demo", "setup", init=True)
    assert (setup.state.terminated.reason, setup.state.terminated.exit_code) == ("Completed", 0)
    assert get_row(sim, kubectl_path, namespace, "init-demo")[1:3] == ["1/1", "Running"]


def test_readiness_messages_name_the_unready_containers(core: client.CoreV1Api,
                                                        namespace: str) -> None:
    make_pod(core, namespace, "pair", [container("web", "nginx"),
                                       container("side", "nginx:does-not-matter",
                                                 command=["sh", "-c", "exit 1"])],
             restart_policy="Never")
    wait_for(lambda: getattr(condition(core, namespace, "pair", "ContainersReady"), "message",
                             None) == "containers with unready status: [side]",
             what="unready side")
    ready = condition(core, namespace, "pair", "Ready")
    assert (ready.status, ready.reason) == ("False", "ContainersNotReady")
    assert pod(core, namespace, "pair").status.phase == "Running"     # web still runs


def test_missing_config_map_waits_in_container_creating(core: client.CoreV1Api, sim: Any,
                                                        namespace: str) -> None:
    volumes = [{"name": "config", "configMap": {"name": "settings"}}]
    make_pod(core, namespace, "mounts", [container("web", "nginx")], volumes=volumes)
    make_pod(core, namespace, "env", [container("web", "nginx", env=[{
        "name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "mode"}}}])])
    wait_for(lambda: messages(core, namespace, "mounts", "FailedMount"), what="FailedMount")
    assert messages(core, namespace, "mounts", "FailedMount") == [
        'MountVolume.SetUp failed for volume "config" : configmap "settings" not found']
    assert state_of(core, namespace, "mounts", "web") == "waiting:ContainerCreating"
    wait_for(lambda: state_of(core, namespace, "env", "web") ==
             "waiting:CreateContainerConfigError", what="CreateContainerConfigError")
    assert status_of(core, namespace, "env", "web").state.waiting.message == \
        'configmap "settings" not found'
    assert messages(core, namespace, "env", "Failed") == ['Error: configmap "settings" not found']
    core.create_namespaced_config_map(namespace, {"metadata": {"name": "settings"},
                                                  "data": {"mode": "fast"}})
    advance(sim, 11)                                    # the kubelet's next attempt
    for name in ("mounts", "env"):
        wait_for(lambda name=name: is_ready(core, namespace, name), what=f"{name} running")
