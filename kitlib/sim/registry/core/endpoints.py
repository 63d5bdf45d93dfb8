"""Endpoints: the addresses of the ready (and not ready) pods behind a Service."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class EndpointsStrategy(Strategy):
    allow_create_on_update = True
