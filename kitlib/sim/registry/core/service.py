"""Services: a stable address in front of pods found by their labels."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class ServiceStrategy(Strategy):
    has_status = True
