"""What a simulated process is given, and what it must be: the contract between the runtime
and the programs images run (nginx, the sandboxed shell, redis, whoami, pause, ...).

A program is an async function of a ``ProcessContext``: its argv and environment, its
container's filesystem, its pod's network, the simulator's clock, three streams, and the
limits it runs under.  It returns an exit code.  It never touches the host: the context
is all it has.  Being stopped arrives as ``ctx.terminated`` (SIGTERM); SIGKILL cancels
the task.  Everything it writes to stdout and stderr becomes the container's log.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Protocol

from kitlib.sim.clock import Clock
from kitlib.sim.network.api import PodNetwork
from kitlib.sim.runtime.fs.api import FileSystem
from kitlib.sim.runtime.termination import Termination


class LimitExceeded(Exception):
    """A program went past one of its limits; the runtime ends it with this message."""


class OutOfMemory(LimitExceeded):
    """The program used more memory than ``Limits.memory``: the kernel's OOM killer ends
    the whole container (exit code 137, reason OOMKilled)."""


@dataclass(frozen=True)
class Limits:
    #: Interpreter steps (commands, loop iterations) a script may take in one run.
    steps: int = 200_000
    #: Bytes a process may write to stdout and stderr together.
    output: int = 8 * 1024 * 1024
    #: Bytes a container's writable layer and its emptyDir volumes may hold.
    disk: int = 64 * 1024 * 1024
    #: Bytes of memory the container may use (its resources.limits.memory); 0: no limit.
    #: Programs that simulate using memory (stress) compare against it.
    memory: int = 0


class Input(Protocol):
    async def read(self, limit: int = -1) -> bytes:
        """Up to ``limit`` bytes (all until EOF with -1); b"" at end of input."""

    async def readline(self) -> bytes: ...


class Output(Protocol):
    def write(self, data: bytes) -> None:
        """Never blocks; raises LimitExceeded past ``Limits.output``."""


@dataclass(slots=True)
class ProcessContext:
    argv: list[str]
    env: dict[str, str]
    cwd: str
    fs: FileSystem
    net: PodNetwork
    clock: Clock
    stdin: Input
    stdout: Output
    stderr: Output
    hostname: str
    tty: bool = False
    limits: Limits = field(default_factory=Limits)
    #: Set when the process is asked to stop (SIGTERM); programs decide how they react.
    terminated: asyncio.Event | Termination = field(default_factory=Termination)
    #: Terminal size for interactive shells (kubectl exec -it resizes it).
    columns: int = 80
    rows: int = 24
    #: The process's ID in its container: 1 for the container's main process (which, as
    #: PID 1, ignores the signals it has no handler for), others for exec'd processes.
    pid: int = 1
    #: Finds the program a command line names, as execve would (through PATH, then by the
    #: file found: an image's own executable such as ``nginx`` or ``redis-cli``, a script,
    #: a command of the sandboxed shell): ``find_program(argv, ctx) -> (program, argv)``,
    #: to run with a copy of the context whose ``argv`` is the one returned.  Raises FsError
    #: (ENOENT: not found; EACCES: not executable).  Set by the runtime.
    find_program: ProgramFinder | None = None
    #: kill(2) in the container's PID namespace: ``send_signal(pid, "TERM") -> bool``,
    #: False when no such process runs.  Set by the runtime.
    send_signal: SignalSender | None = None
    #: The processes running in the container, as ``ps`` lists them (read-only):
    #: ``list_processes() -> [(pid, argv, tty), ...]``, its main process (PID 1) and those
    #: ``kubectl exec`` started.  Set by the runtime.
    list_processes: ProcessLister | None = None


Program = Callable[[ProcessContext], Awaitable[int]]
ProgramFinder = Callable[[list[str], ProcessContext], tuple[Program, list[str]]]
SignalSender = Callable[[int, str], bool]
ProcessLister = Callable[[], list[tuple[int, list[str], bool]]]
