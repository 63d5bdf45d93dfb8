"""SIGTERM (``ctx.terminated``) as containers see it: PID 1 ignores what it does not trap,
a trap runs after the foreground command, ``wait`` is interrupted, other processes die."""

from __future__ import annotations

from kitlib.sim.runtime.process import ProcessContext
from tests.unit.shellkit import START, run


def _terminate_after(seconds: float):  # type: ignore[no-untyped-def]
    async def during(ctx: ProcessContext) -> None:
        await ctx.clock.sleep(seconds)
        ctx.terminated.set()
    return during


def elapsed(result) -> float:  # type: ignore[no-untyped-def]
    return result.clock.time() - START.timestamp()


def test_pid_1_shell_ignores_sigterm_without_a_trap() -> None:
    result = run("sleep 3600; echo woke", during=_terminate_after(5), kill_after=30)
    assert result.status == 137                 # only the kill at the grace period's end
    assert result.stdout == ""


def test_a_trap_runs_after_the_foreground_command() -> None:
    result = run("trap 'echo got TERM; exit 0' TERM; sleep 20; echo after-sleep",
                 during=_terminate_after(5), kill_after=60)
    assert result.stdout == "got TERM\n"
    assert result.status == 0
    assert round(elapsed(result)) == 20         # the sleep finished first, as in real shells


def test_wait_is_interrupted_by_a_trapped_signal() -> None:
    result = run("trap 'echo stopping; exit 0' TERM; sleep 3600 & wait; echo not-reached",
                 during=_terminate_after(5), kill_after=60)
    assert result.stdout == "stopping\n"
    assert result.status == 0
    assert round(elapsed(result)) == 5


def test_an_exec_session_dies_of_sigterm() -> None:
    result = run("sleep 3600", pid=42, during=_terminate_after(5), kill_after=60)
    assert result.status == 143


def test_an_ignored_signal_stays_ignored() -> None:
    result = run("trap '' TERM; sleep 10; echo survived", pid=42, during=_terminate_after(1))
    assert (result.stdout, result.status) == ("survived\n", 0)
