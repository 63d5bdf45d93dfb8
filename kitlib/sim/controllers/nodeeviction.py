"""Taint-based eviction: the node lifecycle controller's NoExecute taints, zone by zone.

A node whose Ready condition is Unknown gets ``node.kubernetes.io/unreachable:NoExecute``
(``not-ready:NoExecute`` when Ready is False; the two are swapped at once when one turns
into the other), and the taint eviction controller then removes its pods.  Tainting goes
through each zone's rate-limited queue (``nodezones``), drained every 100 ms, and stops
altogether when every zone is down: then the controller is probably the one cut off, and
it lifts the taints instead ("master disruption mode").  A node that is Ready again loses
both taints.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

from kitlib.sim.clock import Clock
from kitlib.sim.controllers.nodehealth import condition
from kitlib.sim.controllers.nodezones import (FULL_DISRUPTION, INITIAL, ZoneTainter, rate_for,
                                              zone_key, zone_state)
from kitlib.sim.controllers.taints import NOT_READY, UNREACHABLE, has_taint
from kitlib.sim.informers import Informer

log = logging.getLogger("kitlib.sim.controllers")
JSON = dict[str, Any]
#: Changes a node's taints: (node, taints to add, taints to remove) -> whether it worked.
Swap = Callable[[str, list[JSON], list[JSON]], Awaitable[bool]]
#: How often the queues are drained (scheduler.NodeEvictionPeriod).
PASS_PERIOD = 0.1


def _no_execute(key: str) -> JSON:
    return {"key": key, "effect": "NoExecute"}


def _wanted(status: str) -> tuple[str, str]:
    """(the NoExecute taint a Ready status calls for, the one it excludes)."""
    return (NOT_READY, UNREACHABLE) if status == "False" else (UNREACHABLE, NOT_READY)


class TaintBasedEviction:
    def __init__(self, *, clock: Clock, nodes: Informer, swap: Swap) -> None:
        self.clock = clock
        self.nodes = nodes
        self.swap = swap
        self.states: dict[str, str] = {}
        self._tainters: dict[str, ZoneTainter] = {}
        self._pending = asyncio.Event()

    def zone(self, key: str) -> ZoneTainter:
        if key not in self._tainters:
            self._tainters[key] = ZoneTainter(qps=rate_for("Normal", 0), now=self.clock.time())
        return self._tainters[key]

    def _zone_of(self, node: JSON) -> ZoneTainter:
        return self.zone(zone_key(node["metadata"].get("labels") or {}))

    async def observe(self, node: JSON, observed: JSON) -> None:
        """processTaintBaseEviction, with the Ready condition as the monitor found it."""
        name = node["metadata"]["name"]
        taints = (node.get("spec") or {}).get("taints") or []
        status = observed.get("status")
        if status == "True":
            await self.mark_reachable(node)
            return
        if status not in ("False", "Unknown"):
            return
        wanted, opposite = _wanted(status)
        if has_taint(taints, opposite, "NoExecute"):
            await self.swap(name, [_no_execute(wanted)], [_no_execute(opposite)])
            return
        tainter = self._zone_of(node)
        if not has_taint(taints, wanted, "NoExecute"):
            tainter.remove(name)
        if tainter.add(name, now=self.clock.time()):
            self._pending.set()

    async def mark_reachable(self, node: JSON) -> None:
        name = node["metadata"]["name"]
        taints = (node.get("spec") or {}).get("taints") or []
        remove = [_no_execute(k) for k in (UNREACHABLE, NOT_READY)
                  if has_taint(taints, k, "NoExecute")]
        if remove:
            await self.swap(name, [], remove)
        self._zone_of(node).remove(name)

    async def run(self) -> None:
        """doNoExecuteTaintingPass, every 100 ms while any zone has nodes waiting."""
        while True:
            if not any(len(t) for t in self._tainters.values()):
                self._pending.clear()
                await self._pending.wait()
                continue
            try:
                await self._pass()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("node-controller: a tainting pass failed")
            await self.clock.sleep(PASS_PERIOD)

    async def _pass(self) -> None:
        now = self.clock.time()
        for tainter in list(self._tainters.values()):
            for name in tainter.due(now=now):
                record = self.nodes.get("", name)
                ready = condition(record.object(), "Ready") if record is not None else None
                if record is not None and ready is None:
                    tainter.retry(name, at=now + 0.05)
                    continue
                status = (ready or {}).get("status")
                if status not in ("False", "Unknown"):
                    tainter.done(name)          # gone, or ready again: nothing to taint
                    continue
                wanted, opposite = _wanted(status)
                if await self.swap(name, [_no_execute(wanted)], [_no_execute(opposite)]):
                    tainter.done(name)
                else:
                    tainter.retry(name, at=now)

    async def handle_disruption(self, by_zone: dict[str, list[str | None]], nodes: list[JSON],
                                *, now: float) -> bool:
        """Set each zone's rate from its state; True when the whole cluster comes back
        from being down (every node then deserves a fresh grace period)."""
        states = {zone: zone_state(statuses)[1] for zone, statuses in by_zone.items()}
        for zone in states:
            self.zone(zone)
            self.states.setdefault(zone, INITIAL)
        for zone in [z for z in self.states if z not in by_zone]:
            del self.states[zone]
        all_down = all(state == FULL_DISRUPTION for state in states.values())
        all_were_down = all(state == FULL_DISRUPTION for state in self.states.values())
        if all_down and all_were_down:
            return False
        if all_down:
            log.info("Controller detected that all Nodes are not-Ready. Entering master "
                     "disruption mode")
            for node in nodes:
                await self.mark_reachable(node)
            for zone in self.states:
                self._tainters[zone].swap_limiter(0.0, now=now)
                self.states[zone] = FULL_DISRUPTION
            return False
        if all_were_down:
            log.info("Controller detected that some Nodes are Ready. Exiting master "
                     "disruption mode")
        for zone, old in list(self.states.items()):
            new = states[zone]
            if old != new or all_were_down:
                if old != new:
                    log.info("Controller detected that zone %r is now in state %s", zone, new)
                self._tainters[zone].swap_limiter(rate_for(new, len(by_zone[zone])), now=now)
                self.states[zone] = new
        return all_were_down
