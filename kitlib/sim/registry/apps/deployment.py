"""Deployments: declarative rollouts of ReplicaSets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kitlib.sim.machinery.errors import (FieldError, forbidden, invalid, not_handled,
                                         required)
from kitlib.sim.machinery.quantity import QuantityError
from kitlib.sim.machinery.validation import (IS_NEGATIVE, go_int_or_string, go_quote,
                                             invalid_go, is_valid_percent, not_supported_go,
                                             validate_nonnegative)
from kitlib.sim.registry.apps.template import (validate_selector_and_template,
                                               validate_selector_unchanged)
from kitlib.sim.registry.base import Strategy
from kitlib.sim.registry.core.poddefaults import default_pod_template

JSON = dict[str, Any]


def _spec(obj: JSON) -> JSON:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = obj["spec"] = {}
    return spec


class DeploymentStrategy(Strategy):
    has_status = True
    has_generation = True

    def default(self, obj: JSON) -> None:
        spec = _spec(obj)
        if spec.get("replicas") is None:
            spec["replicas"] = 1
        strategy = spec.get("strategy")
        if not isinstance(strategy, dict):
            strategy = spec["strategy"] = {}
        if not strategy.get("type"):
            strategy["type"] = "RollingUpdate"
        if strategy["type"] == "RollingUpdate":
            rolling = strategy.get("rollingUpdate")
            if not isinstance(rolling, dict):
                rolling = strategy["rollingUpdate"] = {}
            for key in ("maxUnavailable", "maxSurge"):
                if rolling.get(key) is None:
                    rolling[key] = "25%"
        if spec.get("revisionHistoryLimit") is None:
            spec["revisionHistoryLimit"] = 10
        if spec.get("progressDeadlineSeconds") is None:
            spec["progressDeadlineSeconds"] = 600
        if not isinstance(spec.get("template"), dict):
            spec["template"] = {}
        try:
            default_pod_template(spec["template"])
        except QuantityError as exc:
            raise not_handled(kind="Deployment", version="v1", problem=str(exc)) from None

    def prepare_for_create(self, obj: JSON) -> None:
        obj["status"] = {}
        obj.setdefault("metadata", {})["generation"] = 1

    def validate(self, obj: JSON) -> list[FieldError]:
        return validate_deployment_spec(_spec(obj), "spec")

    def validate_update(self, new: JSON, old: JSON) -> list[FieldError]:
        return validate_deployment_spec(_spec(new), "spec") + validate_selector_unchanged(new, old)


def validate_deployment_spec(spec: Mapping[str, Any], path: str) -> list[FieldError]:
    errs = validate_nonnegative(spec.get("replicas", 0), f"{path}.replicas")
    errs += validate_selector_and_template(spec, path, owner="ReplicaSet")
    errs += _validate_strategy(spec.get("strategy"), f"{path}.strategy")
    min_ready = spec.get("minReadySeconds", 0)
    errs += validate_nonnegative(min_ready, f"{path}.minReadySeconds")
    if spec.get("revisionHistoryLimit") is not None:
        errs += validate_nonnegative(spec["revisionHistoryLimit"], f"{path}.revisionHistoryLimit")
    deadline = spec.get("progressDeadlineSeconds")
    if isinstance(deadline, int):
        errs += validate_nonnegative(deadline, f"{path}.progressDeadlineSeconds")
        if isinstance(min_ready, int) and deadline <= min_ready:
            errs.append(invalid(f"{path}.progressDeadlineSeconds", deadline,
                                "must be greater than minReadySeconds"))
    return errs


def _validate_strategy(strategy: Any, path: str) -> list[FieldError]:
    strategy = strategy if isinstance(strategy, Mapping) else {}
    kind, rolling = strategy.get("type") or "", strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [forbidden(f"{path}.rollingUpdate",
                              "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind == "RollingUpdate":
        if not isinstance(rolling, Mapping):
            return [required(f"{path}.rollingUpdate", "this should be defaulted and never be nil")]
        return _validate_rolling_update(rolling, f"{path}.rollingUpdate")
    pointer = "nil" if rolling is None else "0xc000b4e2a0"
    rendered = (f"apps.DeploymentStrategy{{Type:{go_quote(str(kind))}, "
                f"RollingUpdate:(*apps.RollingUpdateDeployment)({pointer})}}")
    return [not_supported_go(path, rendered, ("Recreate", "RollingUpdate"))]


def _percent(value: Any) -> int | None:
    if isinstance(value, str) and not is_valid_percent(value):
        return int(value[:-1])
    return None


def _int_value(value: Any) -> int:
    percent = _percent(value)
    if percent is not None:
        return percent
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _validate_int_or_percent(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, str):
        return [invalid_go(path, go_int_or_string(value), msg) for msg in is_valid_percent(value)]
    if isinstance(value, int) and value < 0:
        return [invalid(path, value, IS_NEGATIVE)]
    return []


def _validate_rolling_update(rolling: Mapping[str, Any], path: str) -> list[FieldError]:
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errs = _validate_int_or_percent(unavailable, f"{path}.maxUnavailable")
    errs += _validate_int_or_percent(surge, f"{path}.maxSurge")
    if _int_value(unavailable) == 0 and _int_value(surge) == 0:
        errs.append(invalid_go(f"{path}.maxUnavailable", go_int_or_string(unavailable),
                               "may not be 0 when `maxSurge` is 0"))
    percent = _percent(unavailable)
    if percent is not None and percent > 100:
        errs.append(invalid_go(f"{path}.maxUnavailable", go_int_or_string(unavailable),
                               "must not be greater than 100%"))
    return errs
