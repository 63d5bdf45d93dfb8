"""events.k8s.io/v1 Events: the newer view of the same events as core/v1."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class EventsV1Strategy(Strategy):
    allow_create_on_update = True
