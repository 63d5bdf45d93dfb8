"""The compact forms idle containers are kept in behave as the plain ones did: a log that
outgrows its shared lines, a shared environment, a parked process, the packed status,
a clock alarm without a task."""

from __future__ import annotations

import asyncio

import orjson

from kitlib.sim.clock import Clock
from kitlib.sim.kubelet import packedstatus
from kitlib.sim.runtime.environ import Environment
from kitlib.sim.runtime.logs import SMALL_LINES, ContainerLog
from kitlib.sim.runtime.process import ProcessContext
from kitlib.sim.runtime.task import Task
from kitlib.sim.runtime.termination import Termination, until_terminated


async def _read(log: ContainerLog, **options: object) -> bytes:
    return b"".join([chunk async for chunk in log.read(**options)])  # type: ignore[arg-type]


def test_log_switches_to_one_buffer_without_changing_what_is_read() -> None:
    log = ContainerLog(now=lambda: 1_700_000_000.0)
    lines = [f"line {i}\n".encode() for i in range(SMALL_LINES + 10)]
    for line in lines[:5]:
        log.writer("stdout").write(line)
    small = asyncio.run(_read(log, tail=3))
    for line in lines[5:]:
        log.writer("stdout").write(line)
    assert small == b"".join(lines[2:5])
    assert log.text() == b"".join(lines)
    assert asyncio.run(_read(log, tail=2)) == b"".join(lines[-2:])
    assert log.tail_text(lines=1, limit=4) == lines[-1][-4:]


def test_logs_share_equal_lines() -> None:
    one, two = ContainerLog(now=lambda: 0.0), ContainerLog(now=lambda: 0.0)
    one.writer("stdout").write(b"ready for start up\n")
    two.writer("stdout").write(b"ready for start up\n")
    assert one._line_text(0) is two._line_text(0)


def test_environment_reads_like_the_dict_it_replaces() -> None:
    a = Environment({"PATH": "/bin", "HOSTNAME": "web-1", "X": "1"}, hostname="web-1")
    b = Environment({"PATH": "/bin", "HOSTNAME": "web-2", "X": "1"}, hostname="web-2")
    assert dict(a) == {"PATH": "/bin", "HOSTNAME": "web-1", "X": "1"}
    assert list(b) == ["PATH", "HOSTNAME", "X"] and b["HOSTNAME"] == "web-2"
    assert a.get("MISSING", "-") == "-" and "X" in a and len(a) == 3
    assert a._table is b._table


def _context(terminated: Termination | asyncio.Event) -> ProcessContext:
    return ProcessContext(argv=["server"], env={}, cwd="/", fs=None, net=None,  # type: ignore
                          clock=None, stdin=None, stdout=None, stderr=None,  # type: ignore
                          hostname="h", terminated=terminated)


def test_a_parked_main_process_resumes_on_sigterm() -> None:
    async def scenario() -> tuple[bool, int]:
        said: list[str] = []

        async def server(ctx: ProcessContext) -> int:
            return await until_terminated(ctx, lambda: said.append("bye") or 143)

        task = Task(server, _context(Termination()))
        await asyncio.sleep(0.01)
        parked = task._task is None and task.running
        task.terminate()
        code = await task.wait()
        return parked and said == ["bye"], code

    assert asyncio.run(scenario()) == (True, 143)


def test_without_a_parkable_signal_the_program_waits() -> None:
    async def scenario() -> int:
        ctx = _context(asyncio.Event())
        waiting = asyncio.ensure_future(until_terminated(ctx, lambda: 7))
        await asyncio.sleep(0.01)
        assert not waiting.done()
        ctx.terminated.set()
        return await waiting

    assert asyncio.run(scenario()) == 7


def test_killing_a_parked_process_never_resumes_it() -> None:
    async def scenario() -> tuple[int, list[str]]:
        said: list[str] = []

        async def server(ctx: ProcessContext) -> int:
            return await until_terminated(ctx, lambda: said.append("bye") or 0)

        task = Task(server, _context(Termination()))
        await asyncio.sleep(0.01)
        task.kill()
        task.terminate()
        await asyncio.sleep(0.01)
        return await task.wait(), said

    assert asyncio.run(scenario()) == (137, [])


def test_packed_status_round_trips() -> None:
    status = orjson.dumps({"phase": "Running", "podIP": "10.244.1.7", "conditions": []})
    packed = packedstatus.pack(status)
    assert packedstatus.unpack(packed) == status and len(packed) < len(status)


def test_clock_alarm_fires_without_a_task_and_can_be_taken_back() -> None:
    async def scenario() -> list[str]:
        clock, fired = Clock(seed=1, speed=1000.0), []
        clock.call_later(5, lambda: fired.append("later"))
        clock.call_later(1, lambda: fired.append("first"))
        clock.call_later(2, lambda: fired.append("never")).cancel()
        await clock.sleep(10)
        clock.stop()
        return fired

    assert asyncio.run(scenario()) == ["first", "later"]
