"""What every (sub)shell of one simulated process shares: the container's FileSystem, the
pod's network, the clock and the terminal, its background jobs, the pending signals, and
the step budget that ends runaway scripts (``Limits.steps``: the steps taken since the
script last waited on the clock or for input)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from kitlib.sim.runtime.process import LimitExceeded, ProcessContext

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.interpreter import Shell
    from kitlib.sim.runtime.shell.terminal import Terminal

#: Subshells (pipeline stages, background jobs) a process may have alive at once.
MAX_TASKS = 256


class Process:
    """What every (sub)shell of one simulated process shares."""

    def __init__(self, ctx: ProcessContext, *, pid: int = 1,
                 terminal: Terminal | None = None) -> None:
        self.ctx = ctx
        self.fs = ctx.fs
        self.net = ctx.net
        self.clock = ctx.clock
        self.limits = ctx.limits
        self.hostname = ctx.hostname
        self.terminal = terminal
        self.pid = pid
        self._next_pid = pid + 6
        self.steps = 0
        self._since_yield = 0
        self.signals: list[str] = []
        self.signalled = asyncio.Event()
        self.jobs: dict[int, asyncio.Task[int]] = {}
        self.started = ctx.clock.time()
        self.main_shell: Shell | None = None      # the shell whose traps SIGTERM runs
        self.term_killed = False
        self.interrupted = False
        self.live_tasks = 0
        self.main_task: asyncio.Task[int] | None = None
        self.fatal: LimitExceeded | None = None

    def stop(self, error: LimitExceeded) -> None:
        """End the whole process (from one of its background jobs)."""
        if self.fatal is None:
            self.fatal = error
            if self.main_task is not None:
                self.main_task.cancel()

    def reserve_tasks(self, n: int, shell: Shell) -> None:
        """Count ``n`` more live subshells, or fail as fork(2) does when there are too many."""
        if self.live_tasks + n > MAX_TASKS:
            raise shell.fail("can't fork: Resource temporarily unavailable", fatal=False)
        self.live_tasks += n

    def new_pid(self) -> int:
        self._next_pid += 1
        return self._next_pid

    async def step(self, n: int = 1) -> None:
        """Count ``n`` interpreter steps; past the limit the script is stopped."""
        self.steps += n
        if self.steps > self.limits.steps:
            raise LimitExceeded(f"step limit exceeded ({self.limits.steps} steps): "
                                "the simulator stopped this script")
        self._since_yield += n
        if self._since_yield >= 200:
            self._since_yield = 0
            await asyncio.sleep(0)

    def rested(self) -> None:
        """The script waited (on the clock, or for input): a new run of steps begins."""
        self.steps = 0

    async def sleep(self, seconds: float) -> None:
        await self.clock.sleep(seconds)
        if seconds > 0:
            self.rested()
