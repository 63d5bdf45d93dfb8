"""The provisional runtime on a paused clock: pulls, exits, stops, faults, probe answers."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Coroutine

import pytest

from kitlib.sim.clock import Clock
from kitlib.sim.runtime.interface import (EXIT_SIGKILL, ContainerConfig, NetworkError,
                                          PullError, StartError)
from kitlib.sim.runtime.provisional import ProvisionalRuntime


def run(test: Callable[[ProvisionalRuntime, Clock], Coroutine[Any, Any, None]],
        annotations: dict[str, str] | None = None) -> None:
    async def main() -> None:
        clock = Clock(seed=1)
        clock.pause()
        runtime = ProvisionalRuntime(node="n", clock=clock,
                                     annotations=lambda ns, name: annotations or {})
        try:
            await test(runtime, clock)
        finally:
            runtime.close()
            clock.stop()

    asyncio.run(main())


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def started(runtime: ProvisionalRuntime, clock: Clock, image: str,
                  command: tuple[str, ...] = ()) -> tuple[str, asyncio.Future[Any]]:
    pulling = asyncio.ensure_future(runtime.pull_image(image, sandbox=None))  # type: ignore
    await settle()
    clock.advance(5)
    pulled = await pulling
    sandbox = runtime.run_pod_sandbox(namespace="ns", name="p", uid="u", ip="10.244.1.2")
    cid = runtime.create_container(sandbox, ContainerConfig(name="c", image=image,
                                                            command=command), pulled.image)
    runtime.start_container(cid)
    return cid, runtime.wait_container(cid)


def test_pull_then_image_present() -> None:
    async def test(runtime: ProvisionalRuntime, clock: Clock) -> None:
        assert runtime.image_status("nginx") is None
        pulling = asyncio.ensure_future(runtime.pull_image("nginx:latest", sandbox=None))
        await settle()
        clock.advance(1)
        pulled = await pulling
        assert pulled.seconds > 0 and pulled.image.reference == "docker.io/library/nginx:latest"
        assert runtime.image_status("nginx") == pulled.image

    run(test)


def test_unknown_image_fails_to_pull() -> None:
    async def test(runtime: ProvisionalRuntime, clock: Clock) -> None:
        pulling = asyncio.ensure_future(runtime.pull_image("nginxx:latest", sandbox=None))
        await settle()
        clock.advance(1)
        with pytest.raises(PullError, match="pull access denied"):
            await pulling

    run(test)


def test_commands_exit_on_the_clock() -> None:
    async def test(runtime: ProvisionalRuntime, clock: Clock) -> None:
        cid, exited = await started(runtime, clock, "busybox", ("sh", "-c", "sleep 30; exit 4"))
        await settle()                      # timers are set by tasks: let them start
        clock.advance(29)
        await settle()
        assert not exited.done()
        clock.advance(2)
        await settle()
        assert (exited.result().exit_code, exited.result().reason) == (4, "Error")

    run(test)


def test_stop_graceful_and_ignored() -> None:
    async def test(runtime: ProvisionalRuntime, clock: Clock) -> None:
        nginx, nginx_exit = await started(runtime, clock, "nginx")
        sleeper, sleeper_exit = await started(runtime, clock, "busybox", ("sleep", "3600"))
        runtime.stop_container(nginx, timeout=30)
        runtime.stop_container(sleeper, timeout=30)
        await settle()
        clock.advance(1)
        await settle()
        assert nginx_exit.result().exit_code == 0 and not sleeper_exit.done()
        clock.advance(30)
        await settle()
        assert sleeper_exit.result().exit_code == EXIT_SIGKILL

    run(test)


def test_faults() -> None:
    async def test(runtime: ProvisionalRuntime, clock: Clock) -> None:
        cid, exited = await started(runtime, clock, "redis")
        assert runtime.hang_container(cid)
        runtime.stop_container(cid, timeout=10)
        await settle()
        clock.advance(5)
        await settle()
        assert not exited.done()                      # hung: SIGTERM ignored
        assert runtime.crash_container(cid, exit_code=137, reason="OOMKilled")
        assert exited.result().reason == "OOMKilled"
        assert not runtime.crash_container(cid)

    run(test)


def test_start_error_in_a_scratch_image() -> None:
    async def test(runtime: ProvisionalRuntime, clock: Clock) -> None:
        with pytest.raises(StartError, match='exec: "sh"'):
            await started(runtime, clock, "traefik/whoami", ("sh",))

    run(test)


def test_probe_answers() -> None:
    async def test(runtime: ProvisionalRuntime, clock: Clock) -> None:
        cid, _ = await started(runtime, clock, "nginx")
        assert (await runtime.http_get(cid, port=80, path="/", timeout=1)).status == 200
        with pytest.raises(NetworkError, match=r"dial tcp 10\.244\.1\.2:8080: connect: "
                                               r"connection refused"):
            await runtime.tcp_connect(cid, port=8080, timeout=1)
        answer = await runtime.http_get(cid, port=80, path="/", timeout=1, probe="liveness")
        assert answer.status == 503
        failed = await runtime.exec_sync(cid, ("cat", "/x"), timeout=1, probe="readiness")
        assert (failed.exit_code, failed.output) == (1, "nope")
        assert (await runtime.exec_sync(cid, ("true",), timeout=1, probe="startup")).exit_code == 0

    run(test, {"sim.kit.dev/probe.c.liveness": "fail:503",
               "sim.kit.dev/probe.readiness": "fail: nope"})
