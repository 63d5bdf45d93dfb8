"""What every component of the simulated cluster is given, and how it runs.

The scheduler, each node's kubelet and every controller are *components*: clients of
the API that run beside the API server, as the real ones run beside kube-apiserver.
They get a ``Context`` (the in-process API client, the shared informers, the clock, the
lifecycle profile) from the assembly in ``cluster``, and nothing else.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from kitlib.sim.client import LocalClient
from kitlib.sim.clock import Clock
from kitlib.sim.informers import InformerFactory
from kitlib.sim.recorder import EventRecorder
from kitlib.sim.registry.generic import Registry

log = logging.getLogger("kitlib.sim")


@dataclass(kw_only=True)
class Context:
    registry: Registry
    clock: Clock
    informers: InformerFactory
    #: "fast" (milliseconds, for tests) or "realistic" (seconds, for watching).
    profile: str = "fast"

    def client(self, manager: str) -> LocalClient:
        """An API client whose writes are recorded under ``manager`` in managedFields."""
        return LocalClient(self.registry, manager=manager)

    def recorder(self, component: str, *, host: str = "") -> EventRecorder:
        return EventRecorder(self.client(component), component=component, host=host)


class Component:
    """A long-running part of the cluster; ``run`` is its whole life."""

    name = "component"

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def run(self) -> None:
        raise NotImplementedError

    def start(self, loop: asyncio.AbstractEventLoop) -> asyncio.Task[None]:
        return loop.create_task(self._guarded(), name=self.name)

    async def _guarded(self) -> None:
        while True:
            try:
                await self.run()
                return
            except asyncio.CancelledError:
                raise
            except Exception:  # a component bug must not take the cluster down; restart it
                log.exception("%s failed; restarting it", self.name)
                await asyncio.sleep(0.1)
