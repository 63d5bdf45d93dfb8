"""Resource amounts as the scheduler counts them: integers, summed per pod and per node.

kube-scheduler never compares quantity strings: it turns each pod's requests into one
``Resource`` (milli-CPU, bytes of memory and ephemeral storage, and a count for every other
"scalar" resource such as ``nvidia.com/gpu`` or ``hugepages-2Mi``) and keeps per node the
sum over its pods.  A pod's request follows the kubelet's rule: the sum of its containers,
or the largest init container if that is more (restartable "sidecar" init containers add
up like regular ones), plus the pod's overhead.  Scoring uses a second, "non-zero" sum in
which a container without a CPU or memory request counts as 100m / 200Mi, so that empty
pods still spread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kitlib.sim.machinery.quantity import QuantityError, parse_quantity

JSON = dict[str, Any]

#: schedutil.DefaultMilliCPURequest and DefaultMemoryRequest: the non-zero defaults.
DEFAULT_MILLI_CPU = 100
DEFAULT_MEMORY = 200 * 1024 * 1024
#: The resources with a field of their own; everything else is a scalar resource.
NAMED = ("cpu", "memory", "ephemeral-storage", "pods")


@lru_cache(maxsize=4096)
def milli(raw: str) -> int:
    """Quantity.MilliValue() of a quantity string (0 for one that does not parse)."""
    try:
        return parse_quantity(raw).milli_value()
    except QuantityError:
        return 0


@lru_cache(maxsize=4096)
def whole(raw: str) -> int:
    """Quantity.Value(): the amount rounded up to an integer."""
    try:
        return parse_quantity(raw).value_int()
    except QuantityError:
        return 0


def amount(name: str, raw: Any) -> int:
    """One resource's amount in the unit the scheduler counts it in."""
    text = raw if isinstance(raw, str) else str(raw)
    return milli(text) if name == "cpu" else whole(text)


@dataclass(slots=True)
class Resource:
    """framework.Resource: the amounts a pod requests, or a node has or has handed out."""

    cpu: int = 0
    memory: int = 0
    storage: int = 0
    scalars: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, values: Any) -> Resource:
        res = cls()
        if isinstance(values, dict):
            for name, raw in values.items():
                res.set(name, amount(name, raw))
        return res

    def get(self, name: str) -> int:
        if name == "cpu":
            return self.cpu
        if name == "memory":
            return self.memory
        if name == "ephemeral-storage":
            return self.storage
        return self.scalars.get(name, 0)

    def set(self, name: str, value: int) -> None:
        if name == "cpu":
            self.cpu = value
        elif name == "memory":
            self.memory = value
        elif name == "ephemeral-storage":
            self.storage = value
        elif name != "pods":
            self.scalars[name] = value

    def add(self, other: Resource, sign: int = 1) -> None:
        self.cpu += sign * other.cpu
        self.memory += sign * other.memory
        self.storage += sign * other.storage
        for name, value in other.scalars.items():
            self.scalars[name] = self.scalars.get(name, 0) + sign * value

    def names(self) -> set[str]:
        return {"cpu", "memory", "ephemeral-storage", *self.scalars}

    def is_zero(self) -> bool:
        return not (self.cpu or self.memory or self.storage or any(self.scalars.values()))


def _requests(container: Any, *, non_zero: bool) -> Resource:
    resources = container.get("resources") if isinstance(container, dict) else None
    requests = resources.get("requests") if isinstance(resources, dict) else None
    res = Resource.of(requests)
    if non_zero:
        present = requests if isinstance(requests, dict) else {}
        # applyNonMissing: only a *missing* request gets the default, not an explicit 0.
        if "cpu" not in present:
            res.cpu = DEFAULT_MILLI_CPU
        if "memory" not in present:
            res.memory = DEFAULT_MEMORY
    return res


def _max_into(target: Resource, other: Resource) -> None:
    for name in other.names() | target.names():
        if other.get(name) > target.get(name):
            target.set(name, other.get(name))


def pod_requests(spec: JSON, *, non_zero: bool = False) -> Resource:
    """resourcehelper.PodRequests: what the pod asks of a node."""
    total = Resource()
    for container in spec.get("containers") or []:
        total.add(_requests(container, non_zero=non_zero))
    sidecars = Resource()
    init_peak = Resource()
    for container in spec.get("initContainers") or []:
        need = _requests(container, non_zero=non_zero)
        if isinstance(container, dict) and container.get("restartPolicy") == "Always":
            total.add(need)         # a sidecar keeps running beside the app containers
            sidecars.add(need)
            step = Resource()
            step.add(sidecars)
        else:
            step = Resource()
            step.add(need)
            step.add(sidecars)
        _max_into(init_peak, step)
    _max_into(total, init_peak)
    overhead = spec.get("overhead")
    if isinstance(overhead, dict):
        total.add(Resource.of(overhead))
    return total
