"""What every controller shares: a name, a client, and a loop that survives its watch ending.

A controller watches the resources it cares about and reconciles each object it hears of.
When a watch ends (the store closed it, or the controller fell behind) it starts again
with a fresh list, as a client-go informer re-lists.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from kitlib.sim.client import LocalClient
from kitlib.sim.store.watch import WatchEvent

JSON = dict[str, Any]
log = logging.getLogger("kitlib.sim.controllers")


class Controller:
    #: The manager name its writes are recorded under in managedFields.
    name = "kube-controller-manager"
    #: The resource whose events drive it.
    watches = ""

    def __init__(self, client: LocalClient) -> None:
        self.client = client

    async def run(self) -> None:
        while True:
            try:
                async for event in self.client.watch(self.watches):
                    await self.handle(event)
            except asyncio.CancelledError:
                raise
            except Exception:  # a controller bug must not stop the cluster; log and re-list
                log.exception("%s failed; restarting its watch", type(self).__name__)
                await asyncio.sleep(0.1)

    async def handle(self, event: WatchEvent) -> None:
        raise NotImplementedError
