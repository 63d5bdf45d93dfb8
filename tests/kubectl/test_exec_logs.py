"""kubectl exec, logs, port-forward and proxied ``get --raw``, against a scripted node.

The node side is ``tests.api.nodefakes``: these tests hold the API server to what kubectl
1.32 expects of the wire (v5 channels, SPDY in a WebSocket, the Status texts), whatever the
container runtime does.  ``test_exec_logs_runtime`` runs the same commands end to end.
"""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from tests.api.nodefakes import FakeConnector, install
from tests.api.streamfixtures import bound_pod
from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import LineReader, manifest, terminal

NS = "exec-logs"


@pytest.fixture(scope="module")
def fake(sim: Any) -> Iterator[FakeConnector]:
    connector, previous = install(sim)
    yield connector
    sim.cluster.api.connector = previous


@pytest.fixture(scope="module")
def pods(kubectl: Kubectl, fake: FakeConnector) -> str:
    kubectl.ok("create", "namespace", NS)
    kubectl.ok("apply", "-f", "-", namespace=NS, input=manifest(
        bound_pod("one"), bound_pod("two", "app", "stopped")))
    kubectl.ok("wait", "--for=condition=Ready", "pod/one", "pod/two", "--timeout=30s",
               namespace=NS)
    return NS


def test_exec_prints_output(kubectl: Kubectl, pods: str) -> None:
    assert kubectl.ok("exec", "one", "--", "echo", "hello", namespace=pods) == "hello\n"


def test_exec_exit_code_is_propagated(kubectl: Kubectl, pods: str) -> None:
    done = kubectl("exec", "one", "--", "sh", "-c", "exit 2", namespace=pods)
    assert (done.returncode, done.stdout, done.stderr) == \
        (2, "", "command terminated with exit code 2\n")
    done = kubectl("exec", "one", "--", "fail", namespace=pods)
    assert (done.returncode, done.stderr) == \
        (3, "something went wrong\ncommand terminated with exit code 3\n")


def test_exec_with_piped_stdin(kubectl: Kubectl, pods: str) -> None:
    assert kubectl.ok("exec", "-i", "one", "--", "cat", namespace=pods,
                      input="line one\nline two\n") == "line one\nline two\n"


def test_exec_container_choice(kubectl: Kubectl, pods: str) -> None:
    done = kubectl("exec", "two", "--", "echo", "x", namespace=pods)
    assert done.returncode == 0 and done.stdout == "x\n"
    assert done.stderr == 'Defaulted container "app" out of: app, stopped\n'
    stderr = kubectl.fails("exec", "two", "-c", "nope", "--", "ls", namespace=pods)
    assert stderr == "Error from server (BadRequest): container nope is not valid for pod two\n"
    stderr = kubectl.fails("exec", "two", "-c", "stopped", "--", "ls", namespace=pods)
    assert stderr == 'error: Internal error occurred: unable to upgrade connection: ' \
                     'container not found ("stopped")\n'


def test_exec_interactive_terminal(kubectl: Kubectl, pods: str) -> None:
    shell = terminal(kubectl, "exec", "-it", "one", "--", "sh", namespace=pods)
    try:
        shell.until(b"/ # ")
        shell.type(b"echo typed\r")
        shell.until(b"typed\n")
        shell.type(b"exit 3\r")
        assert shell.wait() == 3
    finally:
        shell.close()
    assert b"echo typed\r\n" in shell.seen                # echoed by the (remote) terminal


def test_logs(kubectl: Kubectl, pods: str, fake: FakeConnector) -> None:
    assert kubectl.ok("logs", "one", namespace=pods) == "".join(
        f"line {i}\n" for i in range(1, 6))
    assert kubectl.ok("logs", "one", "--tail=2", namespace=pods) == "line 4\nline 5\n"
    assert kubectl.ok("logs", "one", "--tail=1", "--timestamps", namespace=pods) == \
        "2023-11-14T22:13:25Z line 5\n"
    kubectl.ok("logs", "one", "--since=1h", "--previous", "--limit-bytes=10", namespace=pods)
    options = fake.log_options[-1]
    assert (options.since_seconds, options.previous, options.limit_bytes) == (3600, True, 10)
    assert kubectl.ok("logs", "two", "-c", "app", "--tail=1", namespace=pods) == \
        "app line 5\n"


def test_logs_follow_ends_with_the_stream(kubectl: Kubectl, pods: str) -> None:
    out = kubectl.ok("logs", "-f", "one", namespace=pods, timeout=30)
    assert out.endswith("line 5\nfollowed 0\nfollowed 1\nfollowed 2\n")


def test_logs_of_a_deployment(kubectl: Kubectl, pods: str) -> None:
    kubectl.ok("create", "deployment", "web", "--image=nginx:1.25", namespace=pods)
    kubectl.ok("rollout", "status", "deployment/web", "--timeout=30s", namespace=pods)
    assert kubectl.ok("logs", "deploy/web", "--tail=1", namespace=pods) == "nginx line 5\n"


def test_logs_errors(kubectl: Kubectl, pods: str) -> None:
    stderr = kubectl.fails("get", "--raw", f"/api/v1/namespaces/{pods}/pods/two/log")
    assert stderr == "Error from server (BadRequest): a container name must be specified " \
                     "for pod two, choose one of: [app stopped]\n"


def test_port_forward_serves_a_local_port(kubectl: Kubectl, pods: str) -> None:
    process = kubectl.popen("port-forward", "pod/one", ":80", namespace=pods,
                            request_timeout=None)
    try:
        assert process.stdout is not None
        line = LineReader(process.stdout).until(r"Forwarding from 127\.0\.0\.1:\d+ -> 80")
        port = int(re.search(r":(\d+) ->", line).group(1))  # type: ignore[union-attr]
        for _ in range(2):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
                assert answer.read() == b"hello from port 80\n"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_proxy_through_get_raw(kubectl: Kubectl, pods: str, fake: FakeConnector) -> None:
    out = kubectl.ok("get", "--raw", f"/api/v1/namespaces/{pods}/services/web:80/proxy/",
                     request_timeout=None)
    assert out.startswith("GET /\n")
    assert f"X-Forwarded-Uri: /api/v1/namespaces/{pods}/services/web:80/proxy/\n" in out
    stderr = kubectl.fails("get", "--raw", f"/api/v1/namespaces/{pods}/pods/one:81/proxy/")
    assert stderr == "Error from server (ServiceUnavailable): error trying to reach service: " \
                     "dial tcp 10.244.1.5:81: connect: connection refused\n"


SDK = Path("/usr/lib/google-cloud-sdk/bin")
VERSIONED = sorted(SDK.glob("kubectl.1.*"), key=lambda p: int(p.name.rsplit(".", 1)[1]))


@pytest.mark.parametrize("binary", [pytest.param(b, id=b.name) for b in VERSIONED] or [
    pytest.param(None, marks=pytest.mark.skip(reason=f"no versioned kubectl in {SDK}"))])
def test_every_kubectl_version(binary: Path, kubectl_for: Callable[[str], Kubectl],
                               pods: str) -> None:
    """SPDY/3.1 upgrades before 1.30 (exec) and 1.31 (port-forward), WebSocket after."""
    versioned = kubectl_for(str(binary))
    done = versioned("exec", "one", "--", "sh", "-c", "exit 2", namespace=pods)
    assert (done.returncode, done.stderr) == (2, "command terminated with exit code 2\n")
    assert versioned.ok("exec", "-i", "one", "--", "cat", namespace=pods,
                        input="in\n") == "in\n"
    process = versioned.popen("port-forward", "pod/one", ":80", namespace=pods,
                              request_timeout=None)
    try:
        assert process.stdout is not None
        line = LineReader(process.stdout).until(r"Forwarding from 127\.0\.0\.1:\d+ -> 80")
        port = int(re.search(r":(\d+) ->", line).group(1))  # type: ignore[union-attr]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
            assert answer.read() == b"hello from port 80\n"
    finally:
        process.terminate()
        process.wait(timeout=10)
