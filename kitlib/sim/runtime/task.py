"""A running process: what containerd calls a task (a container's main process, or one
started by ``kubectl exec``).

The program runs as an asyncio task in the cluster's loop.  SIGTERM (or the image's stop
signal) is the context's ``terminated`` event: the program decides what it does with it,
as a real process decides (nginx shuts down gracefully, a shell as PID 1 ignores it).
SIGKILL cancels the task at once.  However it ends, ``done`` resolves with its exit code
and the reason the kubelet will report (``OOMKilled`` after the OOM killer).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.interface import EXIT_SIGKILL
from kitlib.sim.runtime.process import LimitExceeded, OutOfMemory, ProcessContext, Program
from kitlib.sim.runtime.termination import Parked, Termination

log = logging.getLogger("kitlib.sim.runtime")

#: The loop holds its tasks weakly: a process whose owner let go of it mid-run would be
#: garbage-collected while pending ("Task was destroyed but it is pending!").  Every
#: running process is held here until it ends.
_RUNNING: set[asyncio.Task[None]] = set()


async def end_all() -> None:
    """Kill every process still running in this loop and wait for them to end (the
    cluster is stopping: its loop will close)."""
    loop = asyncio.get_running_loop()
    tasks = [task for task in _RUNNING if task.get_loop() is loop]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class Task:
    __slots__ = ("ctx", "name", "done", "_parked", "_task")

    def __init__(self, program: Program, ctx: ProcessContext, *, name: str = "") -> None:
        self.ctx = ctx
        self.name = name or (ctx.argv[0] if ctx.argv else "?")
        loop = asyncio.get_running_loop()
        #: (exit code, reason): reason is "" except for "OOMKilled".
        self.done: asyncio.Future[tuple[int, str]] = loop.create_future()
        if isinstance(ctx.terminated, Termination):
            ctx.terminated.parkable = True          # this task resumes it (termination.py)
        #: What a parked program does once told to stop (see ``termination.py``).
        self._parked: Parked | None = None
        self._task: asyncio.Task[None] | None = self._start(lambda: program(ctx))

    def _start(self, run: Callable[[], Awaitable[int]]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(self._run(run),
                                                      name=f"process {self.name}")
        _RUNNING.add(task)
        task.add_done_callback(_RUNNING.discard)
        return task

    @property
    def running(self) -> bool:
        return not self.done.done()

    def _resume(self) -> None:
        parked, self._parked = self._parked, None
        if self.running and parked is not None:
            self._task = self._start(parked.resume)

    async def _run(self, run: Callable[[], Awaitable[int]]) -> None:
        try:
            code = await run()
            if isinstance(code, Parked):        # waits for SIGTERM without running
                self._task, self._parked = None, code
                self.ctx.terminated.when_set(self._resume)
                return
            self._finish(int(code or 0) & 0xFF)
        except asyncio.CancelledError:
            self._finish(EXIT_SIGKILL)
        except OutOfMemory:
            self._finish(EXIT_SIGKILL, "OOMKilled")
        except LimitExceeded as exc:
            self._say(f"{self.name}: {exc}\n")
            self._finish(EXIT_SIGKILL)
        except (FsError, OSError) as exc:
            self._say(f"{self.name}: {exc}\n")
            self._finish(1)
        except Exception as exc:  # a simulated program's bug: the process dies of it
            log.exception("simulated program %s failed", self.name)
            self._say(f"{self.name}: internal error: {exc}\n")
            self._finish(2)

    def _say(self, text: str) -> None:
        try:
            self.ctx.stderr.write(text.encode())
        except LimitExceeded:
            pass

    def _finish(self, code: int, reason: str = "") -> None:
        if not self.done.done():
            self.done.set_result((code, reason))

    def terminate(self) -> None:
        """SIGTERM: the program is told, and decides."""
        self.ctx.terminated.set()

    def kill(self, code: int = EXIT_SIGKILL, reason: str = "") -> None:
        """SIGKILL (or the OOM killer, or a crash on purpose): it ends now."""
        self._finish(code, reason)
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def wait(self) -> int:
        code, _reason = await asyncio.shield(self.done)
        return code
