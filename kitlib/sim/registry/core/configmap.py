"""ConfigMaps: configuration as key-value data."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class ConfigMapStrategy(Strategy):
    pass
