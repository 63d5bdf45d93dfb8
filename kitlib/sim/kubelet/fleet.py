"""The cluster's nodes: one kubelet (and one container runtime) per node, and the knobs
an instructor turns to make them fail.

The fleet builds the kind-style nodes (``kit-control-plane``, ``kit-worker``, ...), gives
each a kubelet and a runtime, and routes every pod change to the kubelet of the node the
pod is bound to (one informer handler for the whole fleet: a dictionary lookup per
change, however many nodes there are).  Its methods are the failure injection the control
API offers: stop a node's kubelet, crash or hang a container, make image pulls fail.  They
are plain methods, to be called in the cluster's event loop.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Protocol

from kitlib.sim.component import Context
from kitlib.sim.kubelet.kubelet import Kubelet
from kitlib.sim.kubelet.node import CAPACITY, NodeIdentity, identities
from kitlib.sim.network.api import PodNetwork
from kitlib.sim.runtime.faults import PullFaults
from kitlib.sim.runtime.fs.volumes import Disks
from kitlib.sim.runtime.interface import (EXIT_SIGKILL, ContainerRuntime, FaultInjection,
                                          PodSandbox)
from kitlib.sim.runtime.simulated import NetworkFactory, SimulatedRuntime
from kitlib.sim.store.records import Record

#: Builds a node's runtime; the fleet's own pull faults and pod annotations are passed in
#: (and, to the simulated runtime, what it reads and shares: objects, network, disks).
RuntimeFactory = Callable[..., ContainerRuntime]

class ClusterNetwork(Protocol):
    """What the fleet needs of the cluster's network (``network.Fabric``)."""

    def pod_network(self, *, namespace: str, pod: str, ip: str, hostname: str = "",
                    subdomain: str = "", dns_policy: str = "ClusterFirst",
                    dns_config: dict[str, Any] | None = None, node_ip: str = "",
                    host_network: bool = False,
                    host_aliases: Iterable[dict[str, Any]] = ()) -> PodNetwork: ...

    def host_network(self, ip: str) -> PodNetwork: ...


class Fleet:
    def __init__(self, ctx: Context, *, nodes: int, cluster: str = "kit",
                 runtime: RuntimeFactory | None = None,
                 network: ClusterNetwork | None = None) -> None:
        self.ctx = ctx
        self.pull_faults = PullFaults()
        self.disks = Disks()            # hostPath directories per node, claims' volumes
        self._pods = ctx.informers("pods")
        self._client = ctx.client("kubelet")
        factory = runtime or SimulatedRuntime
        simulated = isinstance(factory, type) and issubclass(factory, SimulatedRuntime)
        self.kubelets: dict[str, Kubelet] = {}
        for identity in identities(nodes, rng=ctx.clock.random, cluster=cluster):
            options: dict[str, Any] = {}
            if simulated:
                options = {"objects": self._object, "disks": self.disks,
                           "allocatable": dict(CAPACITY)}
            node_runtime = factory(node=identity.name, clock=ctx.clock, profile=ctx.profile,
                                   pull_faults=self.pull_faults, annotations=self._annotations,
                                   **options)
            self.kubelets[identity.name] = Kubelet(ctx, identity=identity, runtime=node_runtime)
        self._pods.add_handler(self._route)
        if network is not None:
            self.attach_network(network)

    def attach_network(self, network: ClusterNetwork) -> None:
        """Give the simulated runtimes the cluster's network: pod sandboxes made from now
        on get their namespace there, and probes come from the node's own address."""
        for kubelet in self.kubelets.values():
            runtime = kubelet.runtime
            if isinstance(runtime, SimulatedRuntime):
                node_ip = kubelet.identity.internal_ip
                runtime.use_network(_pod_networks(network, node_ip),
                                    node_network=network.host_network(node_ip))

    def components(self) -> list[Kubelet]:
        return list(self.kubelets.values())

    @property
    def nodes(self) -> list[NodeIdentity]:
        return [kubelet.identity for kubelet in self.kubelets.values()]

    def kubelet(self, node: str) -> Kubelet:
        try:
            return self.kubelets[node]
        except KeyError:
            raise KeyError(f"no node {node!r}; nodes: {', '.join(self.kubelets)}") from None

    def _route(self, kind: str, record: Record, _prev: Record | None) -> None:
        kubelet = self.kubelets.get(record.fields.get("spec.nodeName", ""))
        if kubelet is not None:
            kubelet.pod_changed(kind, record)
            if kind == "DELETED":
                self._forget(kubelet, record)

    def _forget(self, kubelet: Kubelet, record: Record) -> None:
        """A deleted pod no worker looks after (it had finished): its runtime drops what
        it kept of it (the ended containers whose logs a learner could still read)."""
        forget = getattr(kubelet.runtime, "forget_pod", None)
        if forget is None:
            return
        uid = (record.object().get("metadata") or {}).get("uid", "")
        if uid not in kubelet.workers:
            forget(record.namespace, record.name, uid)

    def _object(self, resource: str, namespace: str, name: str) -> dict[str, Any] | None:
        """What a runtime reads to fill a pod's volumes: the pod itself (from the
        informer), its ConfigMaps, Secrets and service account."""
        if resource == "pods":
            record = self._pods.get(namespace, name)
            return record.object() if record is not None else None
        return self._client.get(resource, namespace=namespace, name=name)

    def _annotations(self, namespace: str, name: str) -> Mapping[str, str]:
        record = self._pods.get(namespace, name)
        if record is None:
            return {}
        return record.object().get("metadata", {}).get("annotations") or {}

    # --- failure injection -----------------------------------------------------------------

    def stop_kubelet(self, node: str) -> None:
        """The node's kubelet stops: no heartbeats, no status; containers keep running."""
        self.kubelet(node).stop()

    def start_kubelet(self, node: str) -> None:
        """The kubelet comes back, reports Ready at once and catches up with its pods."""
        self.kubelet(node).resume()

    def _container(self, namespace: str, pod: str, container: str) -> tuple[Kubelet, str]:
        record = self._pods.get(namespace, pod)
        if record is None:
            raise KeyError(f'pod "{pod}" not found in namespace "{namespace}"')
        kubelet = self.kubelet(record.fields.get("spec.nodeName", ""))
        worker = kubelet.worker_for(namespace, pod)
        book = worker.book.book(container) if worker else None
        if book is None or not book.container_id:
            raise KeyError(f'container "{container}" of pod "{pod}" is not running')
        return kubelet, book.container_id

    def _faults(self, kubelet: Kubelet) -> FaultInjection:
        runtime = kubelet.runtime
        if not isinstance(runtime, FaultInjection):
            raise TypeError(f"the runtime of {kubelet.identity.name} takes no faults")
        return runtime

    def crash_container(self, namespace: str, pod: str, container: str, exit_code: int = 1,
                        *, reason: str = "") -> bool:
        """The container's process exits now with ``exit_code`` (reason Error/Completed,
        or as given, e.g. OOMKilled).  False if it was not running."""
        kubelet, container_id = self._container(namespace, pod, container)
        return self._faults(kubelet).crash_container(container_id, exit_code=exit_code,
                                                     reason=reason)

    def oom_kill(self, namespace: str, pod: str, container: str) -> bool:
        """The kernel's OOM killer ends the container (exit 137, OOMKilled)."""
        return self.crash_container(namespace, pod, container, EXIT_SIGKILL, reason="OOMKilled")

    def hang_container(self, namespace: str, pod: str, container: str, *,
                       hang: bool = True) -> bool:
        """The container ignores SIGTERM: stopping it takes the whole grace period."""
        kubelet, container_id = self._container(namespace, pod, container)
        return self._faults(kubelet).hang_container(container_id, hang=hang)

    def fail_image_pulls(self, image: str, message: str = "") -> None:
        """Pulls of ``image`` (every tag if none is given) fail on every node, with
        ``message`` or the registry's usual answer for a missing repository."""
        self.pull_faults.fail(image, message)

    def allow_image_pulls(self, image: str | None = None) -> None:
        """Undo ``fail_image_pulls`` (for every image when none is given)."""
        self.pull_faults.clear(image)


def _pod_networks(network: ClusterNetwork, node_ip: str) -> NetworkFactory:
    def make(sandbox: PodSandbox, pod: dict[str, Any]) -> PodNetwork:
        spec = pod.get("spec") or {}
        return network.pod_network(
            namespace=sandbox.namespace, pod=sandbox.name, ip=sandbox.ip,
            hostname=sandbox.hostname, subdomain=spec.get("subdomain") or "",
            dns_policy=spec.get("dnsPolicy") or "ClusterFirst", dns_config=spec.get("dnsConfig"),
            node_ip=node_ip, host_network=sandbox.host_network,
            host_aliases=spec.get("hostAliases") or ())
    return make
