"""EndpointSlices: the scalable successor of Endpoints."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class EndpointSliceStrategy(Strategy):
    pass
