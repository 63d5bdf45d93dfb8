"""The deployment controller (pkg/controller/deployment): rollouts through ReplicaSets."""

from __future__ import annotations

from kitlib.sim.controllers.deployment.controller import DeploymentController

__all__ = ["DeploymentController"]
