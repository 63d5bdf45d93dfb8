"""The docs' pod examples, run by the simulated runtime: containers that share a volume,
print their environment, fail their own probes on schedule, and keep a volume's files
across a restart.

Each pod is made as a learner makes it (the official client, the docs' manifest); what
its containers did is read back through the runtime's own API (logs, exec, HTTP into the
pod), the one the kubelet's server hands to ``kubectl logs`` and ``kubectl exec``.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest
import yaml
from kubernetes import client

from kitlib.sim.network.api import HttpRequest
from tests.cluster.kubelet_lab import (advance, container, in_loop, make_pod, messages, pod,
                                       state_of, status_of, wait_for)
from tests.cluster.runtime_lab import install_stub_shell, run, runtime_of
from tests.conftest import example

DENIED = ('failed to pull and unpack image "docker.io/library/nginxx:latest": failed to '
          'resolve reference "docker.io/library/nginxx:latest": pull access denied, '
          'repository does not exist or may require authorization: server message: '
          'insufficient_scope: authorization failed')


@pytest.fixture(scope="module", autouse=True)
def shell() -> Iterator[None]:
    stubbed = install_stub_shell()
    yield
    if stubbed:
        from kitlib.sim.runtime.programs.shells import use_shell
        use_shell(None)


@pytest.fixture
def core(api_client: Any) -> client.CoreV1Api:
    return client.CoreV1Api(api_client)


def create(core: client.CoreV1Api, namespace: str, relative: str) -> Any:
    body = yaml.safe_load(example(relative).read_text())
    return core.create_namespaced_pod(namespace, body)


def logs(sim: Any, namespace: str, name: str, container_name: str, **options: Any) -> str:
    runtime = runtime_of(sim, namespace, name)
    container_id = runtime.locate(namespace, name, container_name)

    async def read() -> str:
        chunks = [c async for c in runtime.read_logs(container_id, **options)]
        return b"".join(chunks).decode()
    return run(sim, read)


def exec_in(sim: Any, namespace: str, name: str, container_name: str,
            *argv: str) -> tuple[int, str, str]:
    runtime = runtime_of(sim, namespace, name)
    container_id = runtime.locate(namespace, name, container_name)

    async def execute() -> tuple[int, str, str]:
        session = await runtime.exec(container_id, list(argv))
        code = await session.wait()
        return code, (await session.stdout.read()).decode(), \
            (await session.stderr.read()).decode()
    return run(sim, execute)


def test_two_containers_share_a_volume(core: client.CoreV1Api, sim: Any,
                                       namespace: str) -> None:
    create(core, namespace, "pods/two-container-pod.yaml")
    wait_for(lambda: state_of(core, namespace, "two-containers", "debian-container")
             == "terminated:Completed", what="the debian container to complete")
    assert state_of(core, namespace, "two-containers", "nginx-container") == "running"
    runtime = runtime_of(sim, namespace, "two-containers")
    sandbox = runtime.sandbox_of(namespace, "two-containers")
    page = run(sim, lambda: runtime.pod_http(sandbox, 80, HttpRequest(
        "GET", "/", headers=(("User-Agent", "curl/8.5.0"),))))
    assert (page.status, page.body) == (200, b"Hello from the debian container\n")
    assert exec_in(sim, namespace, "two-containers", "nginx-container",
                   "cat", "/usr/share/nginx/html/index.html") == (
        0, "Hello from the debian container\n", "")
    access = logs(sim, namespace, "two-containers", "nginx-container")
    assert '"GET / HTTP/1.1" 200 32 "-" "curl/8.5.0" "-"' in access
    assert pod(core, namespace, "two-containers").status.phase == "Running"


def test_printenv_shows_hostname_and_service_variables(core: client.CoreV1Api, sim: Any,
                                                       namespace: str) -> None:
    create(core, namespace, "pods/commands.yaml")
    wait_for(lambda: pod(core, namespace, "command-demo").status.phase == "Succeeded",
             what="the command to complete")
    assert logs(sim, namespace, "command-demo", "command-demo-container") == \
        "command-demo\ntcp://10.96.0.1:443\n"
    terminated = status_of(core, namespace, "command-demo",
                           "command-demo-container").state.terminated
    assert (terminated.reason, terminated.exit_code) == ("Completed", 0)


def test_exec_liveness_restarts_when_the_file_is_gone(core: client.CoreV1Api, sim: Any,
                                                      namespace: str) -> None:
    create(core, namespace, "pods/probe/exec-liveness.yaml")
    wait_for(lambda: state_of(core, namespace, "liveness-exec", "liveness") == "running",
             what="running")
    advance(sim, 25, step=5)
    assert messages(core, namespace, "liveness-exec", "Unhealthy") == []
    for _ in range(6):
        advance(sim, 5, step=5)
        status = status_of(core, namespace, "liveness-exec", "liveness")
        if status.restart_count >= 1:
            break
    wait_for(lambda: status_of(core, namespace, "liveness-exec", "liveness").restart_count
             >= 1, what="a restart")
    unhealthy = core.list_namespaced_event(
        namespace, field_selector="involvedObject.name=liveness-exec,reason=Unhealthy").items
    assert [(e.message, e.count) for e in unhealthy] == [
        ("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory", 3)]
    assert messages(core, namespace, "liveness-exec", "Killing") == [
        "Container liveness failed liveness probe, will be restarted"]


def test_http_liveness_fails_after_ten_seconds(core: client.CoreV1Api, sim: Any,
                                               namespace: str) -> None:
    create(core, namespace, "pods/probe/http-liveness.yaml")
    wait_for(lambda: state_of(core, namespace, "liveness-http", "liveness") == "running",
             what="running")
    advance(sim, 9, step=3)
    assert messages(core, namespace, "liveness-http", "Unhealthy") == []
    for _ in range(6):
        advance(sim, 3, step=3)
        if status_of(core, namespace, "liveness-http", "liveness").restart_count >= 1:
            break
    wait_for(lambda: status_of(core, namespace, "liveness-http", "liveness").restart_count
             >= 1, what="a restart")
    assert set(messages(core, namespace, "liveness-http", "Unhealthy")) == {
        "Liveness probe failed: HTTP probe failed with statuscode: 500"}
    assert messages(core, namespace, "liveness-http", "Killing") == [
        "Container liveness failed liveness probe, will be restarted"]


def test_downward_api_variables_are_printed_every_ten_seconds(
        core: client.CoreV1Api, sim: Any, namespace: str) -> None:
    create(core, namespace, "pods/inject/dapi-envars-pod.yaml")
    wait_for(lambda: state_of(core, namespace, "dapi-envars-fieldref", "test-container")
             == "running", what="running")
    found = pod(core, namespace, "dapi-envars-fieldref")
    block = (f"\n{found.spec.node_name}\ndapi-envars-fieldref\n{namespace}\n"
             f"{found.status.pod_ip}\ndefault\n")
    assert logs(sim, namespace, "dapi-envars-fieldref", "test-container") == block
    advance(sim, 30, step=10)
    wait_for(lambda: logs(sim, namespace, "dapi-envars-fieldref", "test-container")
             == block * 4, what="four blocks in 30 s")
    stamped = logs(sim, namespace, "dapi-envars-fieldref", "test-container",
                   timestamps=True, tail_lines=1)
    assert stamped.endswith("Z default\n") and stamped[:4].isdigit()


def test_a_volume_outlives_the_container(core: client.CoreV1Api, sim: Any,
                                         namespace: str) -> None:
    create(core, namespace, "pods/storage/redis.yaml")
    wait_for(lambda: state_of(core, namespace, "redis", "redis") == "running", what="running")
    assert "Ready to accept connections tcp" in logs(sim, namespace, "redis", "redis")
    assert exec_in(sim, namespace, "redis", "redis", "sh", "-c",
                   "echo Hello > /data/redis/test-file; echo mine > /tmp/scratch")[0] == 0
    # SIGKILL from inside the container never reaches its PID 1.
    assert exec_in(sim, namespace, "redis", "redis", "sh", "-c", "kill -9 1; echo $?") == (
        0, "0\n", "")
    assert status_of(core, namespace, "redis", "redis").restart_count == 0
    # The tutorial's step: kill the redis server, PID 1, from a shell in its container.
    assert exec_in(sim, namespace, "redis", "redis", "sh", "-c", "kill 1") == (0, "", "")
    wait_for(lambda: status_of(core, namespace, "redis", "redis").restart_count == 1 and
             state_of(core, namespace, "redis", "redis") == "running", what="restarted")
    assert exec_in(sim, namespace, "redis", "redis", "cat", "/data/redis/test-file") == (
        0, "Hello\n", "")
    code, _out, error = exec_in(sim, namespace, "redis", "redis", "cat", "/tmp/scratch")
    assert code == 1 and "No such file or directory" in error
    finished = status_of(core, namespace, "redis", "redis").last_state.terminated
    assert (finished.exit_code, finished.reason) == (0, "Completed")   # a clean shutdown
    assert "Received SIGTERM scheduling shutdown" in logs(sim, namespace, "redis", "redis",
                                                          previous=True)


def test_an_unknown_image_fails_as_before(core: client.CoreV1Api, namespace: str) -> None:
    make_pod(core, namespace, "typo", [container("web", "nginxx")])
    wait_for(lambda: messages(core, namespace, "typo", "Failed"), what="Failed")
    assert messages(core, namespace, "typo", "Failed")[:2] == [
        f'Failed to pull image "nginxx": {DENIED}', "Error: ErrImagePull"]


def test_config_map_keys_are_files(core: client.CoreV1Api, sim: Any, namespace: str) -> None:
    core.create_namespaced_config_map(namespace, {
        "metadata": {"name": "game-config"},
        "data": {"game.properties": "enemies=aliens\nlives=3\n", "ui.properties": "color=good\n"}})
    volumes = [{"name": "config", "configMap": {"name": "game-config"}}]
    make_pod(core, namespace, "configured", [container(
        "app", "busybox", command=["sleep", "3600"],
        volume_mounts=[{"name": "config", "mountPath": "/etc/config"}])], volumes=volumes)
    wait_for(lambda: state_of(core, namespace, "configured", "app") == "running",
             what="running")
    runtime = runtime_of(sim, namespace, "configured")
    app = runtime._containers[runtime.locate(namespace, "configured", "app")]
    names = in_loop(sim, app.fs.listdir, "/etc/config")
    assert [n for n in names if not n.startswith("..2")] == [
        "..data", "game.properties", "ui.properties"]
    assert exec_in(sim, namespace, "configured", "app", "cat",
                   "/etc/config/game.properties") == (0, "enemies=aliens\nlives=3\n", "")
    code, _out, error = exec_in(sim, namespace, "configured", "app", "sh", "-c",
                                "echo x > /etc/config/new")
    assert code != 0
