"""Liveness, readiness and startup probes, on the simulated clock.

Until simulated images answer probes themselves, the runtime passes every probe unless the
pod's annotation ``sim.kit.dev/probe.<container>.<probe>`` says ``fail`` (and a known image
refuses ports it does not listen on).  The timing fields are the real ones: a probe every
``periodSeconds``, ``failureThreshold`` failures before acting, nothing before
``initialDelaySeconds``, liveness and readiness held back until a startup probe passes.
"""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes import client

from tests.cluster.kubelet_lab import (advance, condition, container, is_ready, make_pod,
                                       messages, state_of, status_of, wait_for)

ANNOTATION = "sim.kit.dev/probe.app."


@pytest.fixture
def core(api_client: Any) -> client.CoreV1Api:
    return client.CoreV1Api(api_client)


def annotate(core: client.CoreV1Api, namespace: str, name: str, probe: str, value: str) -> None:
    core.patch_namespaced_pod(name, namespace,
                              {"metadata": {"annotations": {ANNOTATION + probe: value}}})


def test_failing_liveness_restarts_the_container(core: client.CoreV1Api, sim: Any,
                                                 namespace: str) -> None:
    probe = {"httpGet": {"path": "/healthz", "port": 80}, "periodSeconds": 5}
    make_pod(core, namespace, "live", [container("app", "nginx", liveness_probe=probe)],
             annotations={ANNOTATION + "liveness": "fail"})
    wait_for(lambda: state_of(core, namespace, "live", "app") == "running", what="running")
    for _ in range(3):
        advance(sim, 5)
    wait_for(lambda: status_of(core, namespace, "live", "app").restart_count == 1,
             what="a restart after three failures")
    unhealthy = core.list_namespaced_event(
        namespace, field_selector="involvedObject.name=live,reason=Unhealthy").items
    assert [(e.type, e.message, e.count) for e in unhealthy] == [
        ("Warning", "Liveness probe failed: HTTP probe failed with statuscode: 500", 3)]
    assert messages(core, namespace, "live", "Killing") == [
        "Container app failed liveness probe, will be restarted"]
    last = status_of(core, namespace, "live", "app").last_state.terminated
    assert (last.reason, last.exit_code) == ("Completed", 0)      # nginx stops gracefully


def test_readiness_follows_the_probe(core: client.CoreV1Api, sim: Any, namespace: str) -> None:
    probe = {"exec": {"command": ["cat", "/tmp/ready"]}, "periodSeconds": 2,
             "initialDelaySeconds": 3}
    make_pod(core, namespace, "ready", [container("app", "nginx", readiness_probe=probe)],
             annotations={ANNOTATION + "readiness": "fail:cat: can't open '/tmp/ready': "
                                                    "No such file or directory"})
    wait_for(lambda: state_of(core, namespace, "ready", "app") == "running", what="running")
    assert not is_ready(core, namespace, "ready")               # not before the first pass
    advance(sim, 4)
    advance(sim, 4)
    wait_for(lambda: messages(core, namespace, "ready", "Unhealthy"), what="Unhealthy")
    assert messages(core, namespace, "ready", "Unhealthy")[0] == (
        "Readiness probe failed: cat: can't open '/tmp/ready': No such file or directory")
    ready = condition(core, namespace, "ready", "Ready")
    assert (ready.status, ready.reason, ready.message) == (
        "False", "ContainersNotReady", "containers with unready status: [app]")
    annotate(core, namespace, "ready", "readiness", "pass")
    advance(sim, 2)
    wait_for(lambda: is_ready(core, namespace, "ready"), what="Ready once the probe passes")
    assert status_of(core, namespace, "ready", "app").restart_count == 0


def test_startup_probe_gates_and_kills(core: client.CoreV1Api, sim: Any,
                                       namespace: str) -> None:
    startup = {"tcpSocket": {"port": 80}, "periodSeconds": 10, "failureThreshold": 2}
    liveness = {"tcpSocket": {"port": 80}, "periodSeconds": 10}
    make_pod(core, namespace, "slow", [container("app", "nginx", startup_probe=startup,
                                                 liveness_probe=liveness)],
             annotations={ANNOTATION + "startup": "fail"})
    wait_for(lambda: state_of(core, namespace, "slow", "app") == "running", what="running")
    assert status_of(core, namespace, "slow", "app").started is False
    advance(sim, 10)
    advance(sim, 10)
    wait_for(lambda: messages(core, namespace, "slow", "Killing"), what="Killing")
    assert messages(core, namespace, "slow", "Killing") == [
        "Container app failed startup probe, will be restarted"]
    unhealthy = messages(core, namespace, "slow", "Unhealthy")
    assert unhealthy and all(m.startswith("Startup probe failed: dial tcp 10.244.1.")
                             and m.endswith(":80: connect: connection refused")
                             for m in unhealthy)
    annotate(core, namespace, "slow", "startup", "pass")
    for _ in range(4):
        advance(sim, 10)
        if status_of(core, namespace, "slow", "app").started:
            break
    wait_for(lambda: status_of(core, namespace, "slow", "app").started,
             what="started once the startup probe passes")
    assert is_ready(core, namespace, "slow")


def test_a_port_nginx_does_not_listen_on(core: client.CoreV1Api, sim: Any,
                                         namespace: str) -> None:
    probe = {"tcpSocket": {"port": 8080}, "periodSeconds": 3}
    make_pod(core, namespace, "wrong-port", [container("app", "nginx", readiness_probe=probe)])
    wait_for(lambda: messages(core, namespace, "wrong-port", "Unhealthy"), what="Unhealthy")
    ip = wait_for(lambda: core.read_namespaced_pod("wrong-port", namespace).status.pod_ip,
                  what="the pod IP")
    assert messages(core, namespace, "wrong-port", "Unhealthy")[0] == (
        f"Readiness probe failed: dial tcp {ip}:8080: connect: connection refused")
    assert not is_ready(core, namespace, "wrong-port")
