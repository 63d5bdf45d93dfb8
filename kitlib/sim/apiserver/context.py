"""What every handler needs: the registry, the store, the clock and the served resources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from aiohttp import web

from kitlib.sim.clock import Clock
from kitlib.sim.registry.base import ResourceType
from kitlib.sim.registry.generic import Registry, ResourceStore
from kitlib.sim.store.store import Store

#: The Kubernetes version the simulator reports: within one minor of the kubectl it ships with.
VERSION = {
    "major": "1",
    "minor": "32",
    "gitVersion": "v1.32.2",
    "gitCommit": "67a30c0adcf52bd3f56ff0893ce19966be12991f",
    "gitTreeState": "clean",
    "buildDate": "2025-02-12T21:19:47Z",
    "goVersion": "go1.23.6",
    "compiler": "gc",
    "platform": "linux/amd64",
}


@dataclass(kw_only=True)
class ApiContext:
    registry: Registry
    store: Store
    clock: Clock
    resources: tuple[ResourceType, ...]
    #: Loads the API's schema on first use (it costs a few hundred milliseconds).
    schema_loader: Callable[[], Any]
    #: The simulator's own controls (clock, failure injection), served under /kit/v1.
    control: Any = None
    #: The way to the nodes' kubelets and the pod network (a ``connector.NodeConnector``),
    #: for logs, exec, attach, port-forward and proxy.
    connector: Any = None
    _index: dict[tuple[str, str, str], ResourceType] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index = {(r.group, r.version, r.plural): r for r in self.resources}

    def find(self, group: str, version: str, plural: str) -> ResourceType | None:
        return self._index.get((group, version, plural))

    def storage(self, resource: ResourceType) -> ResourceStore:
        return self.registry[resource.key]

    @property
    def schema(self) -> Any:
        return self.schema_loader()


#: Where the application keeps its ApiContext.
API_KEY = web.AppKey("api", ApiContext)
