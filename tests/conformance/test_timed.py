"""Conformance rows that take time on a real cluster: probes, back-off, a log line every
10 s, minReadySeconds.

Each test holds the simulated clock still (``paused_clock``) from before the apply, and
moves it on through the control API: what must not have happened yet by some simulated
second cannot have, however slow the machine, and no test waits the real seconds.
"""

from __future__ import annotations

import re
from typing import Any

from tests.conformance.conftest import (advance, advance_until, apply, jsonpath, make_namespace,
                                        paused_clock, reasons_and_messages, row, wait_for)
from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import LineReader

#: Clock steps while a pod starts: a few hundredths of a second, so that little time passes.
TICK = 0.05


def started(kubectl: Kubectl, sim: Any, name: str, *, namespace: str) -> dict[str, str]:
    """Tick the paused clock until the pod's STATUS is Running; its row then."""
    return advance_until(sim, lambda: _if_running(row(kubectl, "pod", name, namespace=namespace)),
                         step=TICK, limit=5, what=f"{name} Running")


def _if_running(found: dict[str, str]) -> dict[str, str] | None:
    return found if found["STATUS"] == "Running" else None


def restarts(kubectl: Kubectl, name: str, *, namespace: str) -> int:
    return int(row(kubectl, "pod", name, namespace=namespace)["RESTARTS"].split()[0])


def events(kubectl: Kubectl, name: str, *, namespace: str, reason: str) -> list[str]:
    return [m for r, m in reasons_and_messages(kubectl, name, namespace=namespace) if r == reason]


def test_init_containers(kubectl: Kubectl, sim: Any) -> None:
    ns = make_namespace(kubectl, "init-containers")
    watch = kubectl.popen("get", "pods", "--watch", namespace=ns, request_timeout=None)
    try:
        assert watch.stdout is not None
        lines = LineReader(watch.stdout)
        apply(kubectl, "pods/init-containers.yaml", namespace=ns)
        # No egress: wget fails as busybox's fails, the init container ends in Error and
        # is restarted after a back-off (10 s, the clock is moved on past it).
        lines.until(r"^init-demo +0/1 +Init:(Error|CrashLoopBackOff) ")
        advance(sim, 12, step=1)
        lines.until(r"^init-demo +0/1 +Init:Error ")
    finally:
        watch.terminate()
        watch.wait(timeout=10)
    statuses = [line.split()[2] for line in lines.lines if line.startswith("init-demo ")]
    first_failure = next(i for i, s in enumerate(statuses) if s.startswith("Init:E") or
                         s.startswith("Init:C"))
    assert "Init:0/1" in statuses[:first_failure], statuses
    assert not {"Running", "PodInitializing"} & set(statuses), statuses
    assert kubectl.ok("logs", "init-demo", "-c", "install", namespace=ns) == \
        "wget: bad address 'info.cern.ch'\n"
    described = kubectl.ok("describe", "pod", "init-demo", namespace=ns)
    install = described.split("Init Containers:\n", 1)[1].split("\nContainers:\n", 1)[0]
    assert re.search(r"(State|Last State): +Terminated\n +Reason: +Error\n +Exit Code: +1\n",
                     install), install
    pod = row(kubectl, "pod", "init-demo", namespace=ns)
    assert pod["READY"] == "0/1" and pod["STATUS"].startswith("Init:"), pod


def test_probe_exec_liveness(kubectl: Kubectl, sim: Any) -> None:
    ns = make_namespace(kubectl, "exec-liveness")
    with paused_clock(sim):
        apply(kubectl, "pods/probe/exec-liveness.yaml", namespace=ns)
        found = started(kubectl, sim, "liveness-exec", namespace=ns)
        assert (found["READY"], found["RESTARTS"]) == ("1/1", "0")
        advance(sim, 25, step=5)                    # /tmp/healthy is there for 30 s
        assert events(kubectl, "liveness-exec", namespace=ns, reason="Unhealthy") == []
    # From here on the clock runs again (the kubelet's millisecond steps between two
    # advances), and is moved on a probe period at a time.
    advance_until(sim, lambda: restarts(kubectl, "liveness-exec", namespace=ns) >= 1,
                  step=5, limit=90, what="RESTARTS 1")
    said = [(r, m) for r, m in reasons_and_messages(kubectl, "liveness-exec", namespace=ns)
            if r in ("Unhealthy", "Killing")]
    assert said[:2] == [
        ("Unhealthy", "Liveness probe failed: cat: can't open '/tmp/healthy': "
                      "No such file or directory"),
        ("Killing", "Container liveness failed liveness probe, will be restarted")]
    advance_until(sim, lambda: restarts(kubectl, "liveness-exec", namespace=ns) >= 2,
                  step=5, limit=200, what="RESTARTS 2")
    described = kubectl.ok("describe", "pod", "liveness-exec", namespace=ns)
    assert re.search(r"Warning +Unhealthy .* Liveness probe failed: cat: can't open "
                     r"'/tmp/healthy': No such file or directory\n", described), described


def test_probe_http_liveness(kubectl: Kubectl, sim: Any) -> None:
    ns = make_namespace(kubectl, "http-liveness")
    healthz = f"/api/v1/namespaces/{ns}/pods/liveness-http:8080/proxy/healthz"
    with paused_clock(sim):
        apply(kubectl, "pods/probe/http-liveness.yaml", namespace=ns)
        started(kubectl, sim, "liveness-http", namespace=ns)
        assert kubectl.ok("get", "--raw", healthz) == "ok"     # 200 for the first 10 s
        advance(sim, 11, step=1)
        failed = kubectl("get", "--raw", healthz)
        assert failed.returncode == 1
        assert re.fullmatch(r'Error from server \(InternalError\): an error on the server '
                            r'\("error: 1\d\.\d+"\) has prevented the request from '
                            r'succeeding\n', failed.stderr), failed.stderr
        assert restarts(kubectl, "liveness-http", namespace=ns) == 0
    advance_until(sim, lambda: restarts(kubectl, "liveness-http", namespace=ns) >= 3,
                  step=3, limit=300, what="three restarts")
    assert set(events(kubectl, "liveness-http", namespace=ns, reason="Unhealthy")) == {
        "Liveness probe failed: HTTP probe failed with statuscode: 500"}
    assert set(events(kubectl, "liveness-http", namespace=ns, reason="Killing")) == {
        "Container liveness failed liveness probe, will be restarted"}


def test_probe_tcp_liveness_readiness(kubectl: Kubectl, sim: Any) -> None:
    ns = make_namespace(kubectl, "tcp-liveness-readiness")
    with paused_clock(sim):
        apply(kubectl, "pods/probe/tcp-liveness-readiness.yaml", namespace=ns)
        assert started(kubectl, sim, "goproxy", namespace=ns)["READY"] == "0/1"
        advance(sim, 14, step=1)                    # the probes wait 15 s
        assert row(kubectl, "pod", "goproxy", namespace=ns)["READY"] == "0/1"
        advance_until(sim, lambda: row(kubectl, "pod", "goproxy", namespace=ns)["READY"]
                      == "1/1", step=1, limit=30, what="goproxy Ready")
    assert jsonpath(kubectl, "pod", "goproxy",
                    "{.status.conditions[?(@.type=='Ready')].status}", namespace=ns) == "True"
    assert row(kubectl, "pod", "goproxy", namespace=ns)["RESTARTS"] == "0"
    assert events(kubectl, "goproxy", namespace=ns, reason="Unhealthy") == []


def test_dapi_envars_pod(kubectl: Kubectl, sim: Any) -> None:
    ns = make_namespace(kubectl, "dapi-envars")
    with paused_clock(sim):
        apply(kubectl, "pods/inject/dapi-envars-pod.yaml", namespace=ns)
        started(kubectl, sim, "dapi-envars-fieldref", namespace=ns)
        wide = row(kubectl, "pod", "dapi-envars-fieldref", namespace=ns, wide=True)
        block = f"\n{wide['NODE']}\ndapi-envars-fieldref\n{ns}\n{wide['IP']}\ndefault\n"
        wait_for(lambda: kubectl.ok("logs", "dapi-envars-fieldref", namespace=ns) == block,
                 what="the first block")
        advance(sim, 30, step=10)
        wait_for(lambda: kubectl.ok("logs", "dapi-envars-fieldref", namespace=ns)
                 == block * 4, what="a block every 10 s")


def test_simple_deployment(kubectl: Kubectl, sim: Any) -> None:
    ns = make_namespace(kubectl, "simple-deployment")
    with paused_clock(sim):
        apply(kubectl, "application/simple_deployment.yaml", namespace=ns)
        ready = advance_until(
            sim, lambda: _ready_row(row(kubectl, "deployment", "nginx-deployment",
                                        namespace=ns)),
            step=TICK, limit=3, what="the pod Ready")
        # Ready, but not available before minReadySeconds (5 s) have passed.
        assert (ready["UP-TO-DATE"], ready["AVAILABLE"]) == ("1", "0")
        advance_until(sim, lambda: row(kubectl, "deployment", "nginx-deployment",
                                       namespace=ns)["AVAILABLE"] == "1",
                      step=1, limit=10, what="AVAILABLE 1")
    assert jsonpath(kubectl, "deployment", "nginx-deployment",
                    "{.spec.replicas} {.spec.minReadySeconds}", namespace=ns) == "1 5"
    described = kubectl.ok("describe", "deployment", "nginx-deployment", namespace=ns)
    assert "\nReplicas:               1 desired | 1 updated | 1 total | 1 available | " \
           "0 unavailable\n" in described
    assert "\nMinReadySeconds:        5\n" in described


def _ready_row(found: dict[str, str]) -> dict[str, str] | None:
    return found if found["READY"] == "1/1" else None
