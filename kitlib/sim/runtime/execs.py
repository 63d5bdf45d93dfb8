"""Sessions with a running container: ``kubectl exec`` (a new process in it) and
``kubectl attach`` (the streams of its main process).

A session is what the streaming endpoints relay: bytes to the process's stdin, its stdout
and stderr as they come (one stream with a terminal, as a pty merges them), the terminal
size, and the exit code.  Everything runs in the cluster's event loop.
"""

from __future__ import annotations

from typing import Callable

from kitlib.sim.runtime.interface import CRIError
from kitlib.sim.runtime.logs import ContainerLog
from kitlib.sim.runtime.process import ProcessContext
from kitlib.sim.runtime.streams import Pipe
from kitlib.sim.runtime.task import Task


class ExecError(CRIError):
    """An exec that could not start: ``message`` is containerd's (``failed to exec in
    container: ... executable file not found in $PATH: unknown``)."""


class ExecSession:
    """One process started in a container (CRI Exec)."""

    def __init__(self, *, id: str, task: Task, ctx: ProcessContext, stdin: Pipe | None,
                 stdout: Pipe, stderr: Pipe) -> None:
        self.id = id
        self.task = task
        self._ctx = ctx
        self._stdin = stdin
        self.stdout = stdout
        #: Empty and closed with a terminal: a pty has only one output.
        self.stderr = stderr
        self.tty = ctx.tty
        task.done.add_done_callback(lambda _f: self._ended())

    def _ended(self) -> None:
        self.stdout.close()
        self.stderr.close()
        if self._stdin is not None:
            self._stdin.close()

    def write_stdin(self, data: bytes) -> None:
        if self._stdin is not None:
            self._stdin.write(data)

    def close_stdin(self) -> None:
        if self._stdin is not None:
            self._stdin.close()

    def resize(self, columns: int, rows: int) -> None:
        self._ctx.columns, self._ctx.rows = int(columns), int(rows)

    @property
    def exit_code(self) -> int | None:
        return self.task.done.result()[0] if self.task.done.done() else None

    async def wait(self) -> int:
        """The exit code, once the process has ended (and its output was all written)."""
        return await self.task.wait()

    def kill(self) -> None:
        """The client went away: the process is killed (as the pty's hangup would)."""
        self.task.kill()


class AttachSession:
    """The main process's streams, from now on (CRI Attach)."""

    def __init__(self, *, log: ContainerLog, stdin: Pipe | None, ctx: ProcessContext,
                 tty: bool, stdin_once: bool, finished: Callable[[], bool]) -> None:
        self._log = log
        self._stdin = stdin
        self._ctx = ctx
        self._stdin_once = stdin_once
        self.tty = tty
        self.stdout = Pipe()
        self.stderr = Pipe()
        if tty:
            self.stderr.close()
        log.listeners.append(self._relay)
        if finished():
            self.detach()

    def _relay(self, stream: str, data: bytes) -> None:
        (self.stderr if stream == "stderr" and not self.tty else self.stdout).write(data)

    def ended(self) -> None:
        """The container's process ended: the streams end too."""
        self.detach()

    def write_stdin(self, data: bytes) -> None:
        if self._stdin is not None:
            self._stdin.write(data)

    def close_stdin(self) -> None:
        if self._stdin is not None:
            self._stdin.close()

    def resize(self, columns: int, rows: int) -> None:
        self._ctx.columns, self._ctx.rows = int(columns), int(rows)

    def detach(self) -> None:
        """The client left (``kubectl attach`` ended); with ``stdinOnce`` stdin closes."""
        if self._relay in self._log.listeners:
            self._log.listeners.remove(self._relay)
        self.stdout.close()
        self.stderr.close()
        if self._stdin_once:
            self.close_stdin()
