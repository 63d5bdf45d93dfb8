"""Assembly: one simulated cluster, built from its parts, started and stopped as a whole.

This is the only module that knows every part: the store (and its SQLite file), the clock,
the registry, the API server, and the components that run beside it as its clients.
Nothing else wires them together, so each part can be read and tested on its own.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import concurrent.futures
import importlib
import io
import logging
import secrets
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from kitlib.sim import bootstrap
from kitlib.sim.apiserver import certs
from kitlib.sim.apiserver import control_routes
from kitlib.sim.apiserver.app import build_app
from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.client import LocalClient
from kitlib.sim.clock import Clock
from kitlib.sim.component import Component, Context
from kitlib.sim.control import Control
from kitlib.sim.informers import InformerFactory
from kitlib.sim.registry import catalog
from kitlib.sim.registry.generic import Registry
from kitlib.sim.registry.hooks import registry_hooks
from kitlib.sim.remote import LoopTransport, SimulatorControl
from kitlib.sim.schema.builder import load_schema
from kitlib.sim.store.persistence import Persistence
from kitlib.sim.store.store import Store

if TYPE_CHECKING:
    from kitlib.sim.kubelet.fleet import Fleet
    from kitlib.sim.network import Fabric

log = logging.getLogger("kitlib.sim")
PROFILES = ("fast", "realistic")

#: The modules of everything that runs beside the API server.  Importing them is much of
#: the start-up time, so they are imported in a worker thread once the API listens (its
#: first answers need none of them); ``SimCluster._components`` then builds them.
COMPONENT_MODULES = (
    "kitlib.sim.kubelet.fleet", "kitlib.sim.kubelet.server", "kitlib.sim.network",
    "kitlib.sim.scheduler", "kitlib.sim.controllers.deployment",
    "kitlib.sim.controllers.endpoints", "kitlib.sim.controllers.endpointslice",
    "kitlib.sim.controllers.garbagecollector", "kitlib.sim.controllers.namespace",
    "kitlib.sim.controllers.nodelifecycle", "kitlib.sim.controllers.replicaset",
    "kitlib.sim.controllers.replication", "kitlib.sim.controllers.serviceaccount",
    "kitlib.sim.controllers.tainteviction",
    # The API server's ways to the nodes (logs, exec, port-forward, proxy), which it
    # imports on first use: ready before a first ``kubectl logs``.
    "kitlib.sim.apiserver.logs", "kitlib.sim.apiserver.streaming",
    "kitlib.sim.apiserver.portforward", "kitlib.sim.apiserver.proxy",
)


def import_components() -> None:
    """Import ``COMPONENT_MODULES`` (safe in any thread; a no-op once done)."""
    for name in COMPONENT_MODULES:
        importlib.import_module(name)


@dataclass(kw_only=True)
class SimConfig:
    host: str = "127.0.0.1"
    port: int = 0                       # 0: any free port
    state: Path | None = None           # the SQLite file; None keeps everything in memory
    nodes: int = 3
    seed: int | None = None
    profile: str = "fast"
    token: str | None = None            # None: the state file's, or a new random one

    def __post_init__(self) -> None:
        if self.profile not in PROFILES:
            raise ValueError(f"unknown profile {self.profile!r}: choose from {', '.join(PROFILES)}")
        if self.nodes < 1:
            raise ValueError("a cluster needs at least one node")


class SimCluster:
    """A simulated cluster in the current event loop."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        self.clock = Clock(seed=self.config.seed)
        self.persistence = Persistence(self.config.state) if self.config.state else None
        self.store = Store(persistence=self.persistence)
        self.resources = catalog.build(rng=self.clock.random)
        self.registry = Registry(store=self.store, clock=self.clock, resources=self.resources,
                                 hooks=registry_hooks())
        self.token = self.config.token or self._stored_token()
        self.certificates = self._stored_certificates()
        self.control = Control(clock=self.clock, profile=self.config.profile,
                               seed=self.config.seed)
        # The API server's way to the kubelets (logs, exec, port-forward) and to the pod
        # network (proxy) is set once they exist (until then such requests get a 503).
        self.api = ApiContext(registry=self.registry, store=self.store, clock=self.clock,
                              resources=self.resources, schema_loader=load_schema,
                              control=self.control)
        self.connector: Any = None
        self.started_at: float | None = None
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._tasks: list[asyncio.Task[None]] = []

    def _stored_token(self) -> str:
        if self.persistence is not None:
            token = self.persistence.get_meta("token")
            if token:
                return token
        token = secrets.token_urlsafe(32)
        if self.persistence is not None:
            self.persistence.set_meta("token", token)
        return token

    def _stored_certificates(self) -> certs.Certificates:
        if self.persistence is not None:
            keys = ("ca.crt", "tls.crt", "tls.key")
            found = certs.Certificates.from_meta({k: self.persistence.get_meta(k) for k in keys})
            if found is not None:
                return found
        made = certs.generate()
        if self.persistence is not None:
            for key, value in made.to_meta().items():
                self.persistence.set_meta(key, value)
        return made

    @property
    def url(self) -> str:
        host = self.config.host
        if ":" in host:
            host = f"[{host}]"
        return f"https://{host}:{self.port}"

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.store.bind(loop)
        restored = self.store.load(fields_for=self.registry.fields_for)
        log.info("restored %d objects at resourceVersion %d", restored, self.store.rv)
        for storage in self.registry.values():
            for record in self.store.list(storage.key):
                storage.strategy.restored(record.object())
        if restored == 0:
            await bootstrap.seed(self.registry)
        elif self.config.seed is not None:
            # A seeded cluster restarted on its state file must not replay the random
            # choices (UIDs, name suffixes) it made before: continue from a new stream.
            self.clock.random.seed(f"{self.config.seed}/{self.store.rv}")
        app = build_app(api=self.api, token=self.token)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False,
                                     shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.config.host, self.config.port,
                           reuse_address=True,
                           ssl_context=self.certificates.server_context())
        await site.start()
        address = self._runner.addresses[0]
        self.port = address[1]
        self.started_at = time.monotonic()
        # The API answers from here on; the loop stays free for it while the components'
        # modules are imported in a worker thread.
        await loop.run_in_executor(None, import_components)
        self.informers = InformerFactory(LocalClient(self.registry, manager="informers"))
        self.context = Context(registry=self.registry, clock=self.clock,
                               informers=self.informers, profile=self.config.profile)
        self.components = self._components(self.context)
        # Components registered their informer handlers when built: start informers first.
        self._tasks = self.informers.start(loop) + [c.start(loop) for c in self.components]
        # Load the API schema in the background: the first write needs it.
        loop.run_in_executor(None, load_schema)

    def _components(self, ctx: Context) -> list[Component]:
        """Everything that runs beside the API server, as on a real control plane."""
        from kitlib.sim.controllers.deployment import DeploymentController
        from kitlib.sim.controllers.endpoints import EndpointsController
        from kitlib.sim.controllers.endpointslice import EndpointSliceController
        from kitlib.sim.controllers.garbagecollector import GarbageCollector
        from kitlib.sim.controllers.namespace import NamespaceController
        from kitlib.sim.controllers.nodelifecycle import NodeLifecycleController
        from kitlib.sim.controllers.replicaset import ReplicaSetController
        from kitlib.sim.controllers.replication import ReplicationManager
        from kitlib.sim.controllers.serviceaccount import ServiceAccountController
        from kitlib.sim.controllers.tainteviction import TaintEvictionController
        from kitlib.sim.kubelet.fleet import Fleet
        from kitlib.sim.kubelet.server import KubeletConnector
        from kitlib.sim.network import Fabric
        from kitlib.sim.scheduler import Scheduler

        # The pod network, cluster DNS and kube-proxy's rules, following the informers.
        self.fabric: Fabric = Fabric.for_cluster(ctx)
        # The nodes and their kubelets, whose pods join the network.
        self.fleet: Fleet = Fleet(ctx, nodes=self.config.nodes, network=self.fabric)
        self.control.fleet = self.fleet                     # their failure injection
        connector = KubeletConnector()
        connector.bind(fleet=self.fleet, fabric=self.fabric)
        self.api.connector = self.connector = connector
        return [*self.fleet.components(), ServiceAccountController(ctx), NamespaceController(ctx),
                DeploymentController(ctx),
                ReplicaSetController(ctx),
                ReplicationManager(ctx),
                GarbageCollector(ctx),
                EndpointsController(ctx),
                EndpointSliceController(ctx),
                NodeLifecycleController(ctx),
                TaintEvictionController(ctx),
                Scheduler(ctx)]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
        processes = sys.modules.get("kitlib.sim.runtime.task")   # loaded with the kubelets
        if processes is not None:
            await processes.end_all()
        # The clock last: a component being cancelled may still have started it again.
        driver = self.clock.stop()
        if driver is not None:
            await asyncio.gather(driver, return_exceptions=True)
        self.store.close_watchers()
        if self._runner is not None:
            await self._runner.cleanup()
        self.store.flush()
        if self.persistence is not None:
            self.persistence.close()

    def kubeconfig(self, *, context: str = "kit") -> dict[str, Any]:
        """A kubeconfig for this cluster, with the context ``kit``."""
        return {
            "apiVersion": "v1", "kind": "Config", "preferences": {},
            "clusters": [{"name": context, "cluster": {
                "server": self.url,
                "certificate-authority-data":
                    base64.b64encode(self.certificates.ca_pem).decode()}}],
            "users": [{"name": context, "user": {"token": self.token}}],
            "contexts": [{"name": context, "context": {"cluster": context, "user": context,
                                                      "namespace": "default"}}],
            "current-context": context,
        }

    def object_counts(self) -> dict[str, int]:
        return {key: self.store.count(key) for key in sorted(self.store.resources())
                if self.store.count(key)}


class ThreadedCluster:
    """A SimCluster running in a thread of its own: for tests, notebooks and benchmarks."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.cluster: SimCluster | None = None
        self._config = config or SimConfig()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name="kit-sim", daemon=True)

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.cluster = SimCluster(self._config)
            self.loop.run_until_complete(self.cluster.start())
        except BaseException as exc:  # report start-up failures to the caller's thread
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        self.loop.run_forever()

    def start(self, timeout: float = 30.0) -> ThreadedCluster:
        self._thread.start()
        self._ready.wait(timeout)
        if self._error is not None:
            raise self._error
        return self

    def call(self, coro: Any, timeout: float = 30.0) -> Any:
        """Run a coroutine in the cluster's loop and wait for its result."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            where = self._where()
            future.cancel()
            raise TimeoutError(f"the cluster's loop did not finish {coro!r} in {timeout} s; "
                               f"it is at:\n{where}") from None

    def _where(self) -> str:
        """What the loop's thread is running now, and its pending tasks (for a hang)."""
        frame = sys._current_frames().get(self._thread.ident or -1)
        lines = traceback.format_stack(frame)[-12:] if frame is not None else ["(no frame)\n"]
        try:
            tasks = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
        except RuntimeError:            # the set changed while it was read: good enough
            tasks = []
        names = collections.Counter(
            getattr(t.get_coro(), "__qualname__", repr(t.get_coro())) for t in tasks)
        stacks = []
        for task in tasks[:3]:              # where the first few of them wait
            out = io.StringIO()
            task.print_stack(limit=8, file=out)
            stacks.append(out.getvalue())
        return "".join(lines) + f"pending tasks: {dict(names.most_common(20))}\n" + \
            "".join(stacks)

    def stop(self) -> None:
        if self.cluster is not None and self.loop.is_running():
            self.call(self.cluster.stop())
            self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)

    @property
    def url(self) -> str:
        assert self.cluster is not None
        return self.cluster.url

    @property
    def control(self) -> SimulatorControl:
        """The simulator's controls (clock, failure injection), safe to call from any
        thread: each call runs in the cluster's loop, as the /kit/v1 API runs it."""
        assert self.cluster is not None
        return SimulatorControl(LoopTransport(
            self.loop, partial(control_routes.route, self.cluster.control)))

    @property
    def token(self) -> str:
        assert self.cluster is not None
        return self.cluster.token

    @property
    def ca_pem(self) -> bytes:
        assert self.cluster is not None
        return self.cluster.certificates.ca_pem

    def __enter__(self) -> ThreadedCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
