"""One container as the simulated runtime holds it: config, files, log, process, exit.

Each attempt the kubelet creates is a new container with a new writable layer and a new
log; what it shares with its predecessors is the pod sandbox (volumes, network).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

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


@dataclass(eq=False)
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
    env: dict[str, str]
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
    timers: list[asyncio.Task[None]] = field(default_factory=list)
    execs: set[Task] = field(default_factory=set)
    attached: list[AttachSession] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def name(self) -> str:
        return self.config.name

