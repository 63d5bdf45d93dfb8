"""kubectl exec, logs, port-forward and proxy end to end: the API server, the kubelet's
server, the simulated runtime and its programs, as a learner meets them.

The first test is the documentation's two-container pod: the debian container writes a
page into a shared emptyDir and exits, nginx serves it.
"""

from __future__ import annotations

import re
import time
import urllib.request
from typing import Any

import pytest
from kubernetes import client
from kubernetes.stream import portforward, stream

from tests.conftest import example
from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import LineReader, manifest, terminal

NS = "e2e-exec"
STAMPED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z ")


def busybox(name: str, script: str, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "main", "image": "busybox:1.36",
                                     "command": ["sh", "-c", script]}], **spec}}


def wait_for(check: Any, *, timeout: float = 30.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what or check}")


@pytest.fixture(scope="module")
def ns(kubectl: Kubectl) -> str:
    kubectl.ok("create", "namespace", NS)
    kubectl.ok("apply", "-f", "-", namespace=NS, input=manifest(
        busybox("counter", 'i=0; while true; do echo "line $i"; i=$((i+1)); sleep 1; done'),
        busybox("shell", "sleep 3600"),
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "labels": {"app": "web"}},
         "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                                  "ports": [{"containerPort": 80}]}]}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
         "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}))
    kubectl.ok("wait", "--for=condition=Ready", "pod/counter", "pod/shell", "pod/web",
               "--timeout=60s", namespace=NS, timeout=90)
    return NS


def test_two_container_pod_from_the_docs(kubectl: Kubectl, ns: str) -> None:
    kubectl.ok("apply", "-f", str(example("pods/two-container-pod.yaml")), namespace=ns)

    def debian_done() -> bool:
        out = kubectl.ok("get", "pod", "two-containers", "-o",
                         "jsonpath={.status.containerStatuses[?(@.name=='debian-container')]"
                         ".state.terminated.reason}", namespace=ns)
        return out == "Completed"

    wait_for(debian_done, what="the debian container to complete")
    out = kubectl.ok("exec", "two-containers", "-c", "nginx-container", "--", "curl", "-s",
                     "localhost", namespace=ns)
    assert out == "Hello from the debian container\n"
    assert kubectl.ok("logs", "two-containers", "-c", "debian-container", namespace=ns) == ""
    stderr = kubectl.fails("logs", "two-containers", "-c", "debian-container", "--previous",
                           namespace=ns)
    assert stderr == 'Error from server (BadRequest): previous terminated container ' \
                     '"debian-container" in pod "two-containers" not found\n'
    stderr = kubectl.fails("exec", "two-containers", "-c", "debian-container", "--", "ls",
                           namespace=ns)
    assert stderr == 'error: Internal error occurred: unable to upgrade connection: ' \
                     'container not found ("debian-container")\n'


def test_exec_output_stdin_and_exit_codes(kubectl: Kubectl, ns: str) -> None:
    assert kubectl.ok("exec", "shell", "--", "echo", "hello", namespace=ns) == "hello\n"
    done = kubectl("exec", "shell", "--", "sh", "-c", "echo out; echo err >&2; exit 2",
                   namespace=ns)
    assert (done.returncode, done.stdout) == (2, "out\n")
    assert done.stderr == "err\ncommand terminated with exit code 2\n"
    assert kubectl.ok("exec", "-i", "shell", "--", "sh", "-c", "tr a-z A-Z", namespace=ns,
                      input="piped input\n") == "PIPED INPUT\n"


def test_exec_interactive_shell(kubectl: Kubectl, ns: str) -> None:
    shell = terminal(kubectl, "exec", "-it", "shell", "--", "sh", namespace=ns)
    try:
        shell.until(b"# ")
        shell.type(b"echo $((6 * 7))\r")
        shell.until(b"42")
        shell.type(b"exit 3\r")
        assert shell.wait() == 3
    finally:
        shell.close()


def test_logs_tail_timestamps_since(kubectl: Kubectl, ns: str) -> None:
    wait_for(lambda: "line 2\n" in kubectl.ok("logs", "counter", namespace=ns),
             what="three lines")
    lines = kubectl.ok("logs", "counter", "--tail=2", namespace=ns).splitlines()
    assert len(lines) == 2 and all(re.fullmatch(r"line \d+", line) for line in lines)
    stamped = kubectl.ok("logs", "counter", "--tail=1", "--timestamps", namespace=ns)
    assert STAMPED.match(stamped) and stamped.rstrip().split(" ", 1)[1].startswith("line ")
    recent = kubectl.ok("logs", "counter", "--since=2s", namespace=ns).splitlines()
    assert 1 <= len(recent) <= 3


def test_logs_follow_ends_with_the_container(kubectl: Kubectl, ns: str) -> None:
    kubectl.ok("apply", "-f", "-", namespace=ns, input=manifest(busybox(
        "brief", "for i in 1 2 3; do echo tick $i; sleep 1; done", restartPolicy="Never")))
    kubectl.ok("wait", "--for=condition=Ready", "pod/brief", "--timeout=30s", namespace=ns)
    # -f returns once the container has ended (a hang would exceed the call's timeout).
    out = kubectl.ok("logs", "-f", "brief", namespace=ns, timeout=30)
    assert out.startswith("tick 1\n") and out.endswith("tick 3\n")


def test_logs_previous_after_a_restart(kubectl: Kubectl, ns: str, sim: Any) -> None:
    kubectl.ok("apply", "-f", "-", namespace=ns, input=manifest(busybox(
        "crashy", "echo attempt; sleep 3600")))
    kubectl.ok("wait", "--for=condition=Ready", "pod/crashy", "--timeout=30s", namespace=ns)
    sim.call(_crash(sim, ns, "crashy"))
    wait_for(lambda: kubectl.ok("get", "pod", "crashy", "-o",
                                "jsonpath={.status.containerStatuses[0].restartCount}",
                                namespace=ns) == "1", what="a restart")
    assert kubectl.ok("logs", "crashy", "--previous", namespace=ns) == "attempt\n"


async def _crash(sim: Any, namespace: str, pod: str) -> None:
    sim.cluster.fleet.crash_container(namespace, pod, "main", 1)


def test_logs_of_a_deployment(kubectl: Kubectl, ns: str) -> None:
    kubectl.ok("create", "deployment", "hello", "--image=busybox:1.36", "--", "sh", "-c",
               "echo hello from the deployment; sleep 3600", namespace=ns)
    kubectl.ok("rollout", "status", "deployment/hello", "--timeout=60s", namespace=ns,
               timeout=90)
    wait_for(lambda: kubectl.ok("logs", "deploy/hello", namespace=ns) ==
             "hello from the deployment\n", what="the deployment's log")


def test_port_forward(kubectl: Kubectl, ns: str) -> None:
    process = kubectl.popen("port-forward", "pod/web", ":80", namespace=ns,
                            request_timeout=None)
    try:
        assert process.stdout is not None
        line = LineReader(process.stdout).until(r"Forwarding from 127\.0\.0\.1:\d+ -> 80")
        port = int(re.search(r":(\d+) ->", line).group(1))  # type: ignore[union-attr]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as answer:
            assert b"Welcome to nginx!" in answer.read()
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_service_proxy(kubectl: Kubectl, ns: str, sim: Any) -> None:
    if sim.cluster.fabric.network_of(ns, "web") is None:
        pytest.skip("the pods' sandboxes are not on the cluster network (the fleet is built "
                    "without the fabric's pod networks)")
    wait_for(lambda: kubectl.ok("get", "endpoints", "web", "-o",
                                "jsonpath={.subsets[0].addresses[0].ip}", namespace=ns),
             what="the Service's endpoints")
    out = kubectl.ok("get", "--raw", f"/api/v1/namespaces/{ns}/services/web:80/proxy/")
    assert "Welcome to nginx!" in out


def test_python_client(api_client: Any, ns: str) -> None:
    core = client.CoreV1Api(api_client)
    out = stream(core.connect_get_namespaced_pod_exec, "shell", ns,
                 command=["sh", "-c", "echo from python"], stderr=True, stdin=False,
                 stdout=True, tty=False)
    assert out == "from python\n"
    resp = stream(core.connect_get_namespaced_pod_exec, "shell", ns, command=["cat"],
                  stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False)
    resp.write_stdin("round trip\n")
    deadline, seen = time.monotonic() + 10, ""
    while "round trip" not in seen and time.monotonic() < deadline:
        resp.update(timeout=1)
        seen += resp.read_stdout(timeout=0) or ""
    resp.close()
    assert seen == "round trip\n"
    forward = portforward(core.connect_get_namespaced_pod_portforward, "web", ns, ports="80")
    sock = forward.socket(80)
    sock.settimeout(10)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n")
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    forward.close()
    assert data.startswith(b"HTTP/1.1 200 OK") and b"Welcome to nginx!" in data
