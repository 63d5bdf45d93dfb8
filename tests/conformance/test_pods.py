"""Conformance rows for the docs' single pods that need no clock: each reaches the state
../shared/conformance/README.md describes, as kubectl shows it."""

from __future__ import annotations

import re

import yaml

from tests.conformance.conftest import (apply, jsonpath, make_namespace, reasons_and_messages,
                                        row, wait_for)
from tests.kubectl.conftest import Kubectl
from tests.kubectl.helpers import terminal


def running(kubectl: Kubectl, name: str, *, namespace: str, ready: str = "1/1") -> bool:
    found = row(kubectl, "pod", name, namespace=namespace)
    return found["STATUS"] == "Running" and found["READY"] == ready


def describe_container(kubectl: Kubectl, pod: str, container: str, *, namespace: str) -> str:
    """The block of ``kubectl describe pod`` about one container."""
    text = kubectl.ok("describe", "pod", pod, namespace=namespace)
    match = re.search(rf"^  {re.escape(container)}:\n((?:    .*\n|      .*\n)+)", text, re.M)
    assert match, text
    return match.group(1)


def test_simple_pod(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "simple-pod")
    assert apply(kubectl, "pods/simple-pod.yaml", namespace=ns) == "pod/nginx created\n"
    wait_for(lambda: running(kubectl, "nginx", namespace=ns), what="nginx Running 1/1")
    found = row(kubectl, "pod", "nginx", namespace=ns)
    assert (found["READY"], found["STATUS"], found["RESTARTS"]) == ("1/1", "Running", "0")


def test_two_container_pod(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "two-container-pod")
    apply(kubectl, "pods/two-container-pod.yaml", namespace=ns)
    wait_for(lambda: jsonpath(kubectl, "pod", "two-containers",
                              "{.status.containerStatuses[?(@.name=='debian-container')]"
                              ".state.terminated.reason}", namespace=ns) == "Completed",
             what="the debian container to complete")
    # nginx runs on; the pod is not Ready (one container ended), which kubectl calls NotReady.
    found = row(kubectl, "pod", "two-containers", namespace=ns)
    assert (found["READY"], found["STATUS"], found["RESTARTS"]) == ("1/2", "NotReady", "0")
    debian = describe_container(kubectl, "two-containers", "debian-container", namespace=ns)
    assert re.search(r"State: +Terminated\n +Reason: +Completed\n +Exit Code: +0\n", debian)
    nginx = describe_container(kubectl, "two-containers", "nginx-container", namespace=ns)
    assert re.search(r"State: +Running\n", nginx) and re.search(r"Ready: +True\n", nginx)
    out = kubectl.ok("exec", "two-containers", "-c", "nginx-container", "--", "curl", "-s",
                     "localhost", namespace=ns)
    assert out == "Hello from the debian container\n"


def test_commands(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "commands")
    apply(kubectl, "pods/commands.yaml", namespace=ns)
    wait_for(lambda: row(kubectl, "pod", "command-demo", namespace=ns)["STATUS"] == "Completed",
             what="command-demo Completed")
    found = row(kubectl, "pod", "command-demo", namespace=ns)
    assert (found["READY"], found["RESTARTS"]) == ("0/1", "0")
    kubernetes_ip = jsonpath(kubectl, "service", "kubernetes", "{.spec.clusterIP}",
                             namespace="default")
    assert kubectl.ok("logs", "command-demo", namespace=ns) == \
        f"command-demo\ntcp://{kubernetes_ip}:443\n"


def test_envars(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "envars")
    apply(kubectl, "pods/inject/envars.yaml", namespace=ns)
    wait_for(lambda: running(kubectl, "envar-demo", namespace=ns), what="envar-demo Running")
    lines = kubectl.ok("exec", "envar-demo", "--", "printenv", namespace=ns).splitlines()
    assert "DEMO_GREETING=Hello from the environment" in lines
    assert "DEMO_FAREWELL=Such a sweet sorrow" in lines
    assert "HOSTNAME=envar-demo" in lines


def test_storage_redis(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "storage-redis")
    apply(kubectl, "pods/storage/redis.yaml", namespace=ns)
    wait_for(lambda: running(kubectl, "redis", namespace=ns), what="redis Running")
    redis = describe_container(kubectl, "redis", "redis", namespace=ns)
    assert "      /data/redis from redis-storage (rw)\n" in redis
    volumes = kubectl.ok("describe", "pod", "redis", namespace=ns)
    assert re.search(r"  redis-storage:\n    Type: +EmptyDir ", volumes)
    kubectl.ok("exec", "redis", "--", "sh", "-c", "echo Hello > /data/redis/test-file",
               namespace=ns)
    # The tutorial kills the redis server (PID 1) from a shell in the container.
    kubectl.ok("exec", "redis", "--", "bash", "-c", "kill 1", namespace=ns)
    wait_for(lambda: row(kubectl, "pod", "redis", namespace=ns)["RESTARTS"].startswith("1 ")
             and running(kubectl, "redis", namespace=ns), what="redis restarted once")
    assert kubectl.ok("exec", "redis", "--", "cat", "/data/redis/test-file",
                      namespace=ns) == "Hello\n"


def test_memory_request_limit(kubectl: Kubectl) -> None:
    make_namespace(kubectl, "mem-example")          # the tutorial's first step
    # The file names its namespace: applied as the tutorial applies it, with no -n.
    assert apply(kubectl, "pods/resource/memory-request-limit.yaml", namespace=None) == \
        "pod/memory-demo created\n"
    wait_for(lambda: running(kubectl, "memory-demo", namespace="mem-example"),
             what="memory-demo Running")
    shown = yaml.safe_load(kubectl.ok("get", "pod", "memory-demo", "-o", "yaml",
                                      namespace="mem-example"))
    (container,) = shown["spec"]["containers"]
    assert container["resources"] == {"requests": {"memory": "100Mi"},
                                      "limits": {"memory": "200Mi"}}
    assert shown["status"]["qosClass"] == "Burstable"


def test_pod_nginx_node_selector(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "pod-nginx")
    apply(kubectl, "pods/pod-nginx.yaml", namespace=ns)
    failed = wait_for(lambda: [m for r, m in reasons_and_messages(kubectl, "nginx", namespace=ns)
                               if r == "FailedScheduling"], what="FailedScheduling")
    assert "didn't match Pod's node affinity/selector" in failed[0]
    found = row(kubectl, "pod", "nginx", namespace=ns, wide=True)
    assert (found["STATUS"], found["NODE"]) == ("Pending", "<none>")
    node = kubectl.ok("get", "nodes", "-l", "!node-role.kubernetes.io/control-plane",
                      "-o", "jsonpath={.items[0].metadata.name}")
    assert kubectl.ok("label", "nodes", node, "disktype=ssd") == f"node/{node} labeled\n"
    try:
        wait_for(lambda: running(kubectl, "nginx", namespace=ns), what="nginx scheduled")
        assert row(kubectl, "pod", "nginx", namespace=ns, wide=True)["NODE"] == node
        assert f"Successfully assigned {ns}/nginx to {node}" in [
            m for r, m in reasons_and_messages(kubectl, "nginx", namespace=ns)
            if r == "Scheduled"]
    finally:
        kubectl.ok("label", "nodes", node, "disktype-")


def test_shell_demo(kubectl: Kubectl) -> None:
    ns = make_namespace(kubectl, "shell-demo")
    apply(kubectl, "application/shell-demo.yaml", namespace=ns)
    wait_for(lambda: running(kubectl, "shell-demo", namespace=ns), what="shell-demo Running")
    shell = terminal(kubectl, "exec", "--stdin", "--tty", "shell-demo", "--", "/bin/bash",
                     namespace=ns)
    try:
        shell.until(b"root@shell-demo:/# ")
        shell.type(b"echo 'Hello shell demo' > /usr/share/nginx/html/index.html\r")
        shell.until(b"html\r\nroot@shell-demo:/# ")
        shell.type(b"curl http://localhost/\r")
        shell.until(b"Hello shell demo\r\nroot@shell-demo:/# ")
        shell.type(b"exit\r")
        assert shell.wait() == 0
    finally:
        shell.close()
