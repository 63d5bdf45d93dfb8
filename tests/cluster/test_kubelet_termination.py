"""Stopping: graceful deletion, the grace period, and containers that die on purpose.

Deleting a pod marks it Terminating; its kubelet stops the containers (a Killing event
each), then deletes the pod for good.  A process that ignores SIGTERM (a shell or
``sleep`` as PID 1, or a container hung with ``Fleet.hang_container``) keeps the pod
Terminating until the grace period ends.  ``Fleet.crash_container`` and ``oom_kill`` end a
container's process, which its restart policy then handles.
"""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from tests.cluster.kubelet_lab import (advance, container, get_row, in_loop, is_ready,
                                       make_pod, messages, pod, state_of, status_of, wait_for)


@pytest.fixture
def core(api_client: Any) -> client.CoreV1Api:
    return client.CoreV1Api(api_client)


def gone(core: client.CoreV1Api, namespace: str, name: str) -> bool:
    try:
        core.read_namespaced_pod(name, namespace)
    except ApiException as exc:
        return exc.status == 404
    return False


def test_delete_stops_containers_then_removes_the_pod(core: client.CoreV1Api, sim: Any,
                                                      namespace: str,
                                                      kubectl_path: str) -> None:
    make_pod(core, namespace, "web", [container("nginx", "nginx")])
    wait_for(lambda: is_ready(core, namespace, "web"), what="Ready")
    in_loop(sim, sim.cluster.fleet.hang_container, namespace, "web", "nginx")
    core.delete_namespaced_pod("web", namespace, grace_period_seconds=20)
    assert pod(core, namespace, "web").metadata.deletion_timestamp is not None
    wait_for(lambda: messages(core, namespace, "web", "Killing") == ["Stopping container nginx"],
             what="Killing")
    assert get_row(sim, kubectl_path, namespace, "web")[2] == "Terminating"
    advance(sim, 10)
    assert not gone(core, namespace, "web")         # still within its grace period
    advance(sim, 11)
    wait_for(lambda: gone(core, namespace, "web"), what="the pod to be gone")


def test_sleep_as_pid_one_ignores_sigterm(core: client.CoreV1Api, sim: Any,
                                          namespace: str) -> None:
    make_pod(core, namespace, "sleeper", [container(command=["sleep", "3600"])],
             termination_grace_period_seconds=5)
    wait_for(lambda: is_ready(core, namespace, "sleeper"), what="Ready")
    core.delete_namespaced_pod("sleeper", namespace)
    wait_for(lambda: messages(core, namespace, "sleeper", "Killing"), what="Killing")
    assert not gone(core, namespace, "sleeper")
    advance(sim, 6)
    wait_for(lambda: gone(core, namespace, "sleeper"), what="killed at the grace period's end")


def test_graceful_server_goes_at_once(core: client.CoreV1Api, namespace: str) -> None:
    make_pod(core, namespace, "quick", [container("nginx", "nginx")])
    wait_for(lambda: is_ready(core, namespace, "quick"), what="Ready")
    core.delete_namespaced_pod("quick", namespace)
    wait_for(lambda: gone(core, namespace, "quick"), what="the pod to be gone")


def test_crash_injection_restarts_the_container(core: client.CoreV1Api, sim: Any,
                                                namespace: str) -> None:
    make_pod(core, namespace, "victim", [container("app", "redis")])
    wait_for(lambda: is_ready(core, namespace, "victim"), what="Ready")
    assert in_loop(sim, sim.cluster.fleet.crash_container, namespace, "victim", "app", 2)
    wait_for(lambda: status_of(core, namespace, "victim", "app").restart_count == 1,
             what="a restart")
    last = status_of(core, namespace, "victim", "app").last_state.terminated
    assert (last.reason, last.exit_code) == ("Error", 2)
    wait_for(lambda: is_ready(core, namespace, "victim"), what="Ready again")
    assert in_loop(sim, sim.cluster.fleet.oom_kill, namespace, "victim", "app")
    # A second crash so soon: CrashLoopBackOff, with the OOM kill as the last state.
    wait_for(lambda: state_of(core, namespace, "victim", "app") == "waiting:CrashLoopBackOff",
             what="the OOM kill noticed")
    last = status_of(core, namespace, "victim", "app").last_state.terminated
    assert (last.reason, last.exit_code) == ("OOMKilled", 137)
    advance(sim, 11)
    wait_for(lambda: status_of(core, namespace, "victim", "app").restart_count == 2,
             what="restarted after the back-off")


def test_force_delete_cleans_up(core: client.CoreV1Api, sim: Any, namespace: str) -> None:
    make_pod(core, namespace, "forced", [container(command=["sleep", "3600"])])
    wait_for(lambda: is_ready(core, namespace, "forced"), what="Ready")
    ip = pod(core, namespace, "forced").status.pod_ip
    core.delete_namespaced_pod("forced", namespace, grace_period_seconds=0)
    assert gone(core, namespace, "forced")
    kubelet = sim.cluster.fleet.kubelet("kit-worker")
    advance(sim, 31)                                # the kubelet's own grace period
    wait_for(lambda: kubelet.worker_for(namespace, "forced") is None, what="worker gone")
    assert ip not in kubelet.ips
