"""One container as the simulated runtime holds it: config, files, log, process, exit.

Each attempt the kubelet creates is a new container with a new writable layer and a new
log; what it shares with its predecessors is the pod sandbox (volumes, network).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass

from kitlib.sim.runtime.catalogue import ImageInfo
from kitlib.sim.runtime.execs import AttachSession
from kitlib.sim.runtime.fs.memory import ContainerFS
from kitlib.sim.runtime.fs.nodes import Tree
from kitlib.sim.runtime.images import ImageRoot
from kitlib.sim.runtime.interface import ContainerConfig, ExitStatus, Image
from kitlib.sim.runtime.launch import Launcher
from kitlib.sim.runtime.logs import ContainerLog
from kitlib.sim.runtime.podnet import ContainerNetwork
from kitlib.sim.runtime.process import ProcessContext
from kitlib.sim.runtime.sandbox import PodState
from kitlib.sim.runtime.streams import Pipe
from kitlib.sim.runtime.task import Task

#: Signals that ask a process to stop (what the simulated programs hear as ``terminated``).
STOPPING_SIGNALS = frozenset({"TERM", "INT", "QUIT"})

@dataclass(eq=False, slots=True)
class Container:
    id: str
    pod: PodState
    config: ContainerConfig
    image: Image
    info: ImageInfo | None
    root: ImageRoot
    fs: ContainerFS
    termination: Tree
    log: ContainerLog
    launcher: Launcher
    env: Mapping[str, str]
    cwd: str
    net: ContainerNetwork
    stdin: Pipe
    exited: asyncio.Future[ExitStatus]
    state: str = "created"                  # created | running | exited
    started_at: float = 0.0
    hung: bool = False
    task: Task | None = None
    ctx: ProcessContext | None = None
    previous: str = ""                      # the ID of the attempt before this one
    last_pid: int = 1                       # exec'd processes get the next ones
    # Made when first needed (most containers never have any): ``()`` until then.
    timers: list[asyncio.Task[None]] | tuple[()] = ()
    execs: set[Task] | frozenset[Task] = frozenset()
    attached: list[AttachSession] | tuple[()] = ()

    @property
    def running(self) -> bool:
        return self.state == "running"

    def add_timer(self, timer: asyncio.Task[None]) -> None:
        if not isinstance(self.timers, list):
            self.timers = []
        self.timers.append(timer)

    def add_exec(self, task: Task) -> None:
        if not isinstance(self.execs, set):
            self.execs = set()
        self.execs.add(task)

    def discard_exec(self, task: Task) -> None:
        if isinstance(self.execs, set):
            self.execs.discard(task)

    def add_attached(self, session: AttachSession) -> None:
        if not isinstance(self.attached, list):
            self.attached = []
        self.attached.append(session)

    def processes(self) -> list[tuple[int, list[str], bool]]:
        """What ``ps`` lists (``ProcessContext.list_processes``): its running processes."""
        return [(t.ctx.pid, list(t.ctx.argv), t.ctx.tty) for t in (self.task, *self.execs)
                if t is not None and t.running]

    def process_ended(self, _done: object) -> None:
        """The main process's ``done`` callback: the runtime records how it exited."""
        self.pod.host.container_ended(self)

    def signal(self, pid: int, name: str) -> bool:
        """kill(2) from inside the container: deliver signal ``name`` (``TERM``, ``KILL``,
        ...) to process ``pid``; False when no such process runs.

        SIGTERM, SIGINT and SIGQUIT ask a program to stop and it decides (redis and nginx
        shut down, a shell without a trap ignores it).  The container's PID 1 never gets a
        SIGKILL sent from inside its own PID namespace, and ignores what it has no handler
        for; an exec'd process dies of SIGKILL."""
        if pid == 1:
            target = self.task if self.running else None
        else:
            target = next((t for t in self.execs if t.ctx.pid == pid), None)
        if target is None or not target.running:
            return False
        if name in STOPPING_SIGNALS:
            target.terminate()
        elif name == "KILL" and pid != 1:
            target.kill()
        return True

    @property
    def name(self) -> str:
        return self.config.name

