"""The simulated runtime on a paused clock: containers that run, stop, fail, log, exec,
share volumes, and answer their own probes."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Coroutine

import pytest

from kitlib.sim.clock import Clock
from kitlib.sim.network.api import HttpRequest
from kitlib.sim.runtime.execs import ExecError
from kitlib.sim.runtime.interface import (EXIT_SIGKILL, ContainerConfig, CRIError, NetworkError,
                                          PodSandbox, StartError)
from kitlib.sim.runtime.sessions import LogsError
from kitlib.sim.runtime.simulated import SimulatedRuntime
from tests.cluster.runtime_lab import install_stub_shell

Test = Callable[[SimulatedRuntime, Clock], Coroutine[Any, Any, None]]


def run(test: Test) -> None:
    install_stub_shell()

    async def main() -> None:
        clock = Clock(seed=1)
        clock.pause()
        runtime = SimulatedRuntime(node="kit-worker", clock=clock)
        try:
            await test(runtime, clock)
        finally:
            runtime.close()
            clock.stop()
    asyncio.run(main())


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def advance(clock: Clock, seconds: float) -> None:
    await settle()
    clock.advance(seconds)
    await settle()


async def sandbox(runtime: SimulatedRuntime, name: str = "web", *,
                  volumes: tuple[dict[str, Any], ...] = ()) -> PodSandbox:
    return runtime.run_pod_sandbox(namespace="ns", name=name, uid=f"uid-{name}",
                                   ip=f"10.244.1.{len(runtime._pods) + 10}", volumes=volumes)


async def start(runtime: SimulatedRuntime, clock: Clock, pod: PodSandbox, image: str,
                name: str = "c", **config: Any) -> str:
    pulling = asyncio.ensure_future(runtime.pull_image(image, sandbox=pod))
    await advance(clock, 5)
    pulled = await pulling
    container = runtime.create_container(pod, ContainerConfig(name=name, image=image, **config),
                                         pulled.image)
    runtime.start_container(container)
    await settle()
    return container


async def logs(runtime: SimulatedRuntime, container: str, **options: Any) -> str:
    return b"".join([c async for c in runtime.read_logs(container, **options)]).decode()


async def exec_output(runtime: SimulatedRuntime, container: str,
                      *argv: str) -> tuple[int, str, str]:
    session = await runtime.exec(container, list(argv))
    code = await session.wait()
    return code, (await session.stdout.read()).decode(), (await session.stderr.read()).decode()


def test_the_environment_reaches_the_process() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime, "command-demo")
        env = (("KUBERNETES_PORT", "tcp://10.96.0.1:443"), ("GREETING", "hi"))
        container = await start(runtime, clock, pod, "nginx:1.25", command=("sleep", "3600"),
                                env=env)
        _code, out, _err = await exec_output(runtime, container, "printenv")
        names = [line.split("=", 1)[0] for line in out.splitlines()]
        assert names[:3] == ["PATH", "HOSTNAME", "NGINX_VERSION"]     # containerd's order
        assert "HOSTNAME=command-demo" in out and "NGINX_VERSION=1.25.5" in out
        assert "KUBERNETES_PORT=tcp://10.96.0.1:443" in out and names[-1] == "HOME"
    run(test)


def test_a_command_runs_to_its_exit_code_with_its_output_logged() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime)
        container = await start(runtime, clock, pod, "busybox",
                                command=("sh", "-c", "echo working; sleep 5; exit 3"))
        exited = runtime.wait_container(container)
        await advance(clock, 4)
        assert not exited.done()
        await advance(clock, 2)
        status = await exited
        assert (status.exit_code, status.reason) == (3, "Error")
        assert await logs(runtime, container) == "working\n"
    run(test)


def test_start_errors_are_runc_s() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime)
        with pytest.raises(StartError) as caught:
            await start(runtime, clock, pod, "traefik/whoami", command=("sh",))
        assert caught.value.message.endswith('error during container init: exec: "sh": '
                                             'executable file not found in $PATH: unknown')
        status = await runtime.wait_container(runtime.locate("ns", "web", "c") or "")
        assert (status.exit_code, status.reason) == (128, "StartError")
    run(test)


def test_stopping_as_each_program_stops() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        nginx = await start(runtime, clock, await sandbox(runtime, "a"), "nginx")
        sleeper = await start(runtime, clock, await sandbox(runtime, "b"), "busybox",
                              command=("sleep", "3600"))
        for container in (nginx, sleeper):
            runtime.stop_container(container, timeout=30)
        await settle()
        assert (await runtime.wait_container(nginx)).exit_code == 0       # SIGQUIT: graceful
        assert "signal 3 (SIGQUIT) received, shutting down" in await logs(runtime, nginx)
        assert not runtime.wait_container(sleeper).done()                 # PID 1 ignores it
        await advance(clock, 31)
        assert (await runtime.wait_container(sleeper)).exit_code == EXIT_SIGKILL
    run(test)


def test_faults_crash_kill_and_hang() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        redis = await start(runtime, clock, await sandbox(runtime, "r"), "redis")
        assert runtime.crash_container(redis, exit_code=137, reason="OOMKilled")
        status = await runtime.wait_container(redis)
        assert (status.exit_code, status.reason) == (137, "OOMKilled")
        assert not runtime.crash_container(redis)
        nginx = await start(runtime, clock, await sandbox(runtime, "n"), "nginx")
        assert runtime.hang_container(nginx)
        runtime.stop_container(nginx, timeout=10)
        await advance(clock, 9)
        assert not runtime.wait_container(nginx).done()
        await advance(clock, 2)
        assert (await runtime.wait_container(nginx)).exit_code == EXIT_SIGKILL
    run(test)


def test_the_oom_killer_meets_stress() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        container = await start(runtime, clock, await sandbox(runtime), "polinux/stress",
                                command=("stress",), memory_limit=100 * 2 ** 20,
                                args=("--vm", "1", "--vm-bytes", "250M", "--vm-hang", "1"))
        await advance(clock, 1)
        status = await runtime.wait_container(container)
        assert (status.exit_code, status.reason) == (137, "OOMKilled")
        assert "dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd" in await logs(runtime, container)
    run(test)


def test_containers_of_a_pod_share_an_empty_dir_across_restarts() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime, "two", volumes=({"name": "shared", "emptyDir": {}},))
        nginx = await start(runtime, clock, pod, "nginx", name="nginx", mounts=(
            {"name": "shared", "mountPath": "/usr/share/nginx/html"},))
        forbidden = await runtime.pod_http(pod.id, 80, HttpRequest("GET", "/"))
        assert forbidden.status == 403
        writer = await start(runtime, clock, pod, "debian", name="debian", mounts=(
            {"name": "shared", "mountPath": "/pod-data"},), command=("/bin/sh",),
            args=("-c", "echo Hello from the debian container > /pod-data/index.html"))
        assert (await runtime.wait_container(writer)).reason == "Completed"
        page = await runtime.pod_http(pod.id, 80, HttpRequest(
            "GET", "/", headers=(("User-Agent", "curl/8.5.0"),)))
        assert (page.status, page.body) == (200, b"Hello from the debian container\n")
        assert f'{pod.ip} - - [' in await logs(runtime, nginx)     # the pod asked itself
        assert '"GET / HTTP/1.1" 200 32 "-" "curl/8.5.0" "-"' in await logs(runtime, nginx)
        runtime.crash_container(nginx, exit_code=1)
        again = await start(runtime, clock, pod, "nginx", name="nginx", mounts=(
            {"name": "shared", "mountPath": "/usr/share/nginx/html"},))
        assert (await exec_output(runtime, again, "cat", "/usr/share/nginx/html/index.html")
                )[1] == "Hello from the debian container\n"
        assert "Hello" not in await logs(runtime, again)
        assert await logs(runtime, again) != "" and await logs(runtime, nginx) != ""
    run(test)


def test_exec_sessions_and_their_errors() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime)
        container = await start(runtime, clock, pod, "busybox", command=("sleep", "3600"))
        assert await exec_output(runtime, container, "sh", "-c", "echo out; cat /nope") == (
            1, "out\n", "cat: can't open '/nope': No such file or directory\n")
        session = await runtime.exec(container, ["sh"], stdin=True)
        session.write_stdin(b"echo typed\nexit 4\n")
        assert await session.wait() == 4 and await session.stdout.read() == b"typed\n"
        with pytest.raises(ExecError) as missing:
            await runtime.exec(container, ["bash"])
        assert missing.value.message.startswith('failed to exec in container: failed to start '
                                                'exec "')
        assert missing.value.message.endswith('exec: "bash": executable file not found in '
                                              '$PATH: unknown')
        runtime.crash_container(container)
        await settle()
        with pytest.raises(ExecError, match="CONTAINER_EXITED"):
            await runtime.exec(container, ["ls"])
        with pytest.raises(CRIError, match="not found"):
            await runtime.exec("f" * 64, ["ls"])
    run(test)


def test_logs_of_the_previous_attempt_and_termination_messages() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime)
        first = await start(runtime, clock, pod, "busybox", command=(
            "sh", "-c", "echo first; echo bye > /dev/termination-log; exit 1"))
        status = await runtime.wait_container(first)
        assert status.message == "bye\n"
        with pytest.raises(LogsError, match='previous terminated container "c" in pod "web"'):
            runtime.read_logs(first, previous=True)
        second = await start(runtime, clock, pod, "busybox", command=(
            "sh", "-c", "echo second; exit 2"), termination_message_policy="FallbackToLogsOnError")
        assert (await runtime.wait_container(second)).message == "second\n"
        assert await logs(runtime, second, previous=True) == "first\n"
        third = await start(runtime, clock, pod, "busybox", command=("true",))
        await runtime.wait_container(third)
        assert first not in runtime._containers        # one dead container per name is kept
        assert runtime.locate("ns", "web", "c") == third
    run(test)


def test_attach_sees_the_output_from_now_on() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime)
        container = await start(runtime, clock, pod, "busybox", command=("sh",), stdin=True)
        session = runtime.attach(container, stdin=True)
        session.write_stdin(b"echo attached\n")
        await settle()
        assert await session.stdout.read(100) == b"attached\n"
        session.close_stdin()
        assert (await runtime.wait_container(container)).exit_code == 0
        assert await session.stdout.read() == b""
    run(test)


def test_probes_are_answered_by_the_containers() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime)
        live = await start(runtime, clock, pod, "k8s.gcr.io/liveness", args=("/server",))
        ok = await runtime.http_get(live, port=8080, path="/healthz", timeout=1)
        assert (ok.status, ok.body) == (200, "ok")
        await advance(clock, 11)
        failing = await runtime.http_get(live, port=8080, path="/healthz", timeout=1)
        assert failing.status == 500 and failing.body.startswith("error: 1")
        with pytest.raises(NetworkError, match=r"dial tcp 10\.244\.1\.10:9999: connect: "
                                               "connection refused"):
            await runtime.tcp_connect(live, port=9999, timeout=1)
        await runtime.tcp_connect(live, port=8080, timeout=1)
        other = await sandbox(runtime, "exec")
        shell = await start(runtime, clock, other, "busybox", command=(
            "sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"))
        assert (await runtime.exec_sync(shell, ("cat", "/tmp/healthy"), timeout=1)).exit_code == 0
        await advance(clock, 31)
        result = await runtime.exec_sync(shell, ("cat", "/tmp/healthy"), timeout=1)
        assert (result.exit_code, result.output) == (
            1, "cat: can't open '/tmp/healthy': No such file or directory")
        probing = asyncio.ensure_future(runtime.exec_sync(shell, ("sleep", "5"), timeout=1))
        await advance(clock, 2)
        slow = await probing
        assert (slow.exit_code, slow.output) == (-1, 'command "sleep 5" timed out')
    run(test)


def test_redis_speaks_resp_and_keeps_its_data_in_data() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime, "redis", volumes=({"name": "data", "emptyDir": {}},))
        mounts = ({"name": "data", "mountPath": "/data"},)
        redis = await start(runtime, clock, pod, "redis", mounts=mounts)
        assert "Ready to accept connections tcp" in await logs(runtime, redis)
        assert await exec_output(runtime, redis, "redis-cli", "SET", "greeting", "hello") == (
            0, "OK\n", "")
        assert (await exec_output(runtime, redis, "redis-cli", "INCR", "hits"))[1] == "1\n"
        assert (await exec_output(runtime, redis, "redis-cli", "KEYS", "*"))[1] == \
            "greeting\nhits\n"
        runtime.stop_container(redis, timeout=30)
        await settle()
        assert "DB saved on disk" in await logs(runtime, redis)
        again = await start(runtime, clock, pod, "redis", mounts=mounts)
        assert (await exec_output(runtime, again, "redis-cli", "GET", "greeting"))[1] == \
            "hello\n"
        assert (await exec_output(runtime, again, "redis-cli", "-p", "1", "PING"))[2] == \
            "Could not connect to Redis at 127.0.0.1:1: Connection refused\n"
    run(test)


def test_whoami_and_http_echo_answer_as_the_real_ones() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime, "whoami-5d9f")
        whoami = await start(runtime, clock, pod, "traefik/whoami")
        answer = await runtime.pod_http(pod.id, 80, HttpRequest(
            "GET", "/", headers=(("Host", "web"), ("User-Agent", "curl/8.5.0"),
                                 ("Accept", "*/*")), host="web"))
        text = answer.body.decode()
        assert text.startswith("Hostname: whoami-5d9f\nIP: 127.0.0.1\nIP: ::1\n"
                               f"IP: {pod.ip}\nIP: fe80::")
        assert f"\nRemoteAddr: {pod.ip}:" in text
        assert text.endswith("\nGET / HTTP/1.1\r\nHost: web\r\n"
                             "User-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n")
        assert (await logs(runtime, whoami)).endswith("Starting up on port 80\n")
        echo = await start(runtime, clock, await sandbox(runtime, "echo"),
                           "hashicorp/http-echo", args=("-text=bar", "-status-code=201"))
        reply = await runtime.pod_http(runtime.sandbox_of("ns", "echo") or "", 5678,
                                       HttpRequest("GET", "/"))
        assert (reply.status, reply.body) == (201, b"bar\n")
        assert ("X-App-Name", "http-echo") in reply.headers
        assert '"GET / HTTP/1.1" 201 4' in await logs(runtime, echo)
    run(test)


def test_a_stopped_sandbox_keeps_its_logs_until_the_pod_is_forgotten() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime, "job")
        done = await start(runtime, clock, pod, "busybox", command=("sh", "-c", "echo did it"))
        await runtime.wait_container(done)
        runtime.stop_pod_sandbox(pod.id)
        assert await logs(runtime, done) == "did it\n"
        assert runtime.locate("ns", "job", "c") == done
        runtime.forget_pod("ns", "job", "uid-other")               # another pod of that name
        assert runtime.locate("ns", "job", "c") == done
        runtime.forget_pod("ns", "job", "uid-job")
        assert runtime.locate("ns", "job", "c") is None and done not in runtime._containers
    run(test)


def test_nginx_details_learners_meet() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime)
        nginx = await start(runtime, clock, pod, "nginx:1.27")
        fs = runtime._containers[nginx].fs
        fs.mkdir("/usr/share/nginx/html/docs")
        moved = await runtime.pod_http(pod.id, 80, HttpRequest("GET", "/docs", host="web"))
        assert moved.status == 301 and ("Location", "http://web/docs/") in moved.headers
        head = await runtime.pod_http(pod.id, 80, HttpRequest("HEAD", "/index.html"))
        assert (head.status, head.body) == (200, b"") and ("Content-Length", "615") in head.headers
        posted = await runtime.pod_http(pod.id, 80, HttpRequest("POST", "/"))
        assert posted.status == 405 and b"405 Not Allowed" in posted.body
        await runtime.pod_http(pod.id, 80, HttpRequest("GET", "/missing.html", host="web"))
        text = await logs(runtime, nginx)
        assert ('[error] 29#29: *4 open() "/usr/share/nginx/html/missing.html" failed '
                '(2: No such file or directory), client: ') in text
        assert 'request: "GET /missing.html HTTP/1.1", host: "web"' in text
        second = await start(runtime, clock, pod, "nginx:1.27", name="again")
        status = await runtime.wait_container(second)                # port 80 is taken
        assert status.exit_code == 1
        assert "bind() to 0.0.0.0:80 failed (98: Address already in use)" in \
            await logs(runtime, second)
    run(test)


def test_a_terminal_exec_and_port_forward() -> None:
    async def test(runtime: SimulatedRuntime, clock: Clock) -> None:
        pod = await sandbox(runtime)
        redis = await start(runtime, clock, pod, "redis")
        session = await runtime.exec(redis, ["printenv", "TERM"], tty=True)
        assert await session.wait() == 0
        assert (await session.stdout.read()).strip() == b"xterm"
        assert await session.stderr.read() == b""
        connection = await runtime.port_forward(pod.id, 6379)
        connection.write(b"PING\r\n")
        await connection.drain()
        await settle()
        assert await connection.read() == b"+PONG\r\n"
        connection.close()
        with pytest.raises(NetworkError, match="failed to connect to localhost:80 inside"):
            await runtime.port_forward(pod.id, 80)
    run(test)
