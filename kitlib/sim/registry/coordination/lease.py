"""Leases: heartbeats of nodes and leader elections."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class LeaseStrategy(Strategy):
    allow_create_on_update = True
