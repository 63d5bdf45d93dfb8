"""A controller: handlers that queue keys, and workers that reconcile one key at a time.

This is the shape of every controller in kube-controller-manager: informer handlers turn
changes into object keys ("namespace/name") on a work queue; a worker takes a key, reads
the current state, and drives the world one step towards the desired state.  A sync that
fails is retried with back-off; a key changed while being synced is synced again.
"""

from __future__ import annotations

import asyncio
import logging

from kitlib.sim.component import Component, Context
from kitlib.sim.informers import WorkQueue
from kitlib.sim.machinery import errors
from kitlib.sim.store.records import Record

log = logging.getLogger("kitlib.sim.controllers")


def key_of(record: Record) -> str:
    return f"{record.namespace}/{record.name}" if record.namespace else record.name


def split_key(key: str) -> tuple[str, str]:
    namespace, _, name = key.rpartition("/")
    return namespace, name


class Controller(Component):
    #: The component name its events carry (``source.component``) and its field manager.
    name = "kube-controller-manager"
    workers = 1

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.client = ctx.client("kube-controller-manager")
        self.recorder = ctx.recorder(self.name)
        self.queue = WorkQueue(ctx.clock)
        self.setup()

    def setup(self) -> None:
        """Register informer handlers (called once, before the informers start)."""

    async def sync(self, key: str) -> None:
        raise NotImplementedError

    async def run(self) -> None:
        await self.ctx.informers.wait_synced()
        try:
            await asyncio.gather(*(self._worker() for _ in range(self.workers)))
        finally:
            self.queue.close()

    async def _worker(self) -> None:
        while True:
            key = await self.queue.get()
            try:
                await self.sync(key)
                self.queue.forget(key)
            except asyncio.CancelledError:
                raise
            except errors.Conflict:
                self.queue.add_rate_limited(key)      # someone wrote first: read again
            except Exception:
                log.exception("%s: syncing %s failed", self.name, key)
                self.queue.add_rate_limited(key)
            finally:
                self.queue.done(key)

    def enqueue(self, record: Record) -> None:
        self.queue.add(key_of(record))
