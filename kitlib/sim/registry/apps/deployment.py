"""Deployments: declarative rollouts of ReplicaSets."""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import Strategy

JSON = dict[str, Any]


class DeploymentStrategy(Strategy):
    has_status = True
    has_generation = True
