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

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.interface import EXIT_SIGKILL
from kitlib.sim.runtime.process import LimitExceeded, OutOfMemory, ProcessContext, Program

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
    def __init__(self, program: Program, ctx: ProcessContext, *, name: str = "") -> None:
        self.ctx = ctx
        self.name = name or (ctx.argv[0] if ctx.argv else "?")
        loop = asyncio.get_running_loop()
        #: (exit code, reason): reason is "" except for "OOMKilled".
        self.done: asyncio.Future[tuple[int, str]] = loop.create_future()
        self._task = loop.create_task(self._run(program), name=f"process {self.name}")
        _RUNNING.add(self._task)
        self._task.add_done_callback(_RUNNING.discard)

    @property
    def running(self) -> bool:
        return not self.done.done()

    async def _run(self, program: Program) -> None:
        try:
            code = await program(self.ctx)
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
        if not self._task.done():
            self._task.cancel()

    async def wait(self) -> int:
        code, _reason = await asyncio.shield(self.done)
        return code
