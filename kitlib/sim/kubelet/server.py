"""The kubelet's server (port 10250): what the API server asks of a node.

``kubectl logs``, ``exec``, ``attach`` and ``port-forward`` reach the kubelet of the pod's
node, which finds the container in its own books and hands the request to its container
runtime, with the kubelet's own refusals (``container "web" in pod "x" is waiting to
start: ContainerCreating``, ``container not found ("web")``).  The API server's
``services/proxy`` and ``pods/proxy`` go through the same connector to the pod network.
``KubeletConnector`` is the API server's ``NodeConnector``; the assembly binds it to the
fleet and the network once they exist.  A stopped kubelet answers nothing: the API server
sees a refused connection.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any, AsyncIterator

from kitlib.sim.apiserver.connector import (ByteStream, ExecStartError, LogOptions,
                                            NodeError, ProxiedRequest, ProxiedResponse,
                                            StreamSession)
from kitlib.sim.kubelet import httpapi
from kitlib.sim.kubelet.node import KUBELET_PORT
from kitlib.sim.kubelet.runtimeio import RuntimeIO
from kitlib.sim.network.api import HttpRequest, NetError
from kitlib.sim.runtime.interface import CRIError

if TYPE_CHECKING:
    from kitlib.sim.kubelet.fleet import Fleet
    from kitlib.sim.kubelet.kubelet import Kubelet
    from kitlib.sim.kubelet.podworker import PodWorker
    from kitlib.sim.network.fabric import Fabric

JSON = dict[str, Any]


def log_container_id(pod: str, status: JSON, container: str, *, previous: bool,
                     waiting_reason: str = "") -> str:
    """validateContainerLogStatus: which container's log a request means, from the pod's
    status (the ID without its ``containerd://``), or the kubelet's 400 text.
    ``waiting_reason``: what a container missing from the status is waiting for (the
    kubelet reports every container of a pod it runs, ContainerCreating at first)."""
    found = None
    for key in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"):
        found = next((s for s in status.get(key) or [] if s.get("name") == container), None)
        if found is not None:
            break
    if found is None and waiting_reason:
        found = {"name": container, "state": {"waiting": {"reason": waiting_reason}}}
    if found is None:
        raise NodeError(f'container "{container}" in pod "{pod}" is not available', code=400)
    state, last = found.get("state") or {}, (found.get("lastState") or {}).get("terminated")
    running, terminated, waiting = state.get("running"), state.get("terminated"), \
        state.get("waiting")
    if previous:
        if not last or not last.get("containerID"):
            raise NodeError(f'previous terminated container "{container}" in pod "{pod}" '
                            f'not found', code=400)
        return _bare(last["containerID"])
    if running is not None:
        return _bare(found.get("containerID", ""))
    if terminated is not None:
        chosen = terminated.get("containerID") or (last or {}).get("containerID")
        if not chosen:
            raise NodeError(f'container "{container}" in pod "{pod}" is terminated', code=400)
        return _bare(chosen)
    if last is not None:
        if not last.get("containerID"):
            raise NodeError(f'container "{container}" in pod "{pod}" is terminated', code=400)
        return _bare(last["containerID"])
    if waiting is not None:
        reason = waiting.get("reason", "")
        detail = {"ErrImagePull": "image can't be pulled",
                  "ImagePullBackOff": "trying and failing to pull image"}.get(reason, reason)
        raise NodeError(f'container "{container}" in pod "{pod}" is waiting to start: '
                        f'{detail}', code=400)
    raise NodeError(f'container "{container}" in pod "{pod}" is waiting to start - no logs '
                    f'yet', code=400)


def _bare(container_id: str) -> str:
    return container_id.partition("://")[2] or container_id


def netns_path(sandbox_id: str) -> str:
    """The CNI network namespace a sandbox got (named by a UUID, as kind's CNI names it)."""
    return f"/var/run/netns/cni-{uuid.UUID(hex=(sandbox_id + '0' * 32)[:32])}"


class KubeletConnector:
    """The API server's connection to every node's kubelet, and to the pod network."""

    def __init__(self) -> None:
        self.fleet: Fleet | None = None
        self.fabric: Fabric | None = None

    def bind(self, *, fleet: Fleet, fabric: Fabric | None) -> None:
        self.fleet = fleet
        self.fabric = fabric

    # --- finding things -----------------------------------------------------------------

    def _kubelet(self, node: str) -> Kubelet:
        kubelet = self.fleet.kubelets.get(node) if self.fleet is not None else None
        if kubelet is None:
            raise NodeError(f'nodes "{node}" not found', code=404)
        if kubelet.stopped or not kubelet.registered.is_set():
            raise NodeError(f"dial tcp {kubelet.identity.internal_ip}:{KUBELET_PORT}: connect: "
                            f"connection refused", unreachable=True)
        return kubelet

    def _worker(self, kubelet: Kubelet, namespace: str, pod: str) -> PodWorker:
        worker = kubelet.worker_for(namespace, pod)
        if worker is None:
            raise NodeError("pod does not exist", code=404)
        return worker

    def _running(self, kubelet: Kubelet, namespace: str, pod: str, container: str) -> str:
        """findContainer: the ID of the container's running instance."""
        worker = self._worker(kubelet, namespace, pod)
        book = worker.book.book(container)
        if book is None or book.state not in ("running", "stopping") or not book.container_id:
            raise NodeError(f'container not found ("{container}")')
        return book.container_id

    # --- the kubelet's endpoints ----------------------------------------------------------

    async def container_logs(self, *, node: str, namespace: str, pod: str, container: str,
                             options: LogOptions) -> AsyncIterator[bytes]:
        kubelet = self._kubelet(node)
        worker = kubelet.worker_for(namespace, pod)
        if worker is not None:
            status, spec = worker.status(), worker.book.spec
        else:
            # A finished pod's worker is gone; its status is the API's (the kubelet's
            # status manager falls back to it too).
            record = kubelet.read("pods", namespace, pod)
            if record is None:
                raise NodeError(f'pod "{pod}" does not exist', code=404)
            status, spec = record.get("status") or {}, record.get("spec") or {}
        reason = "PodInitializing" if spec.get("initContainers") else "ContainerCreating"
        container_id = log_container_id(pod, status, container, previous=options.previous,
                                        waiting_reason=reason)
        # The container is resolved (previous or not): the runtime reads just its log.
        try:
            return RuntimeIO(kubelet.runtime, kubelet.clock).logs(
                container_id, replace(options, previous=False))
        except CRIError as err:
            raise NodeError(err.message, code=400) from None

    async def exec(self, *, node: str, namespace: str, pod: str, container: str,
                   command: tuple[str, ...], stdin: bool, stdout: bool, stderr: bool,
                   tty: bool) -> StreamSession:
        kubelet = self._kubelet(node)
        container_id = self._running(kubelet, namespace, pod, container)
        try:
            return await RuntimeIO(kubelet.runtime, kubelet.clock).exec(
                container_id, command, stdin=stdin, stdout=stdout, stderr=stderr, tty=tty)
        except CRIError as err:
            raise ExecStartError(err.message) from None

    async def attach(self, *, node: str, namespace: str, pod: str, container: str,
                     stdin: bool, stdout: bool, stderr: bool, tty: bool) -> StreamSession:
        kubelet = self._kubelet(node)
        container_id = self._running(kubelet, namespace, pod, container)
        try:
            return await RuntimeIO(kubelet.runtime, kubelet.clock).attach(
                container_id, stdin=stdin, stdout=stdout, stderr=stderr, tty=tty)
        except CRIError as err:
            raise ExecStartError(err.message) from None

    async def port_forward(self, *, node: str, namespace: str, pod: str,
                           port: int) -> ByteStream:
        kubelet = self._kubelet(node)
        worker = self._worker(kubelet, namespace, pod)
        try:
            conn = await RuntimeIO(kubelet.runtime, kubelet.clock).port_forward(
                namespace, pod, port)
        except CRIError as err:
            raise NodeError(err.message) from None
        if conn is not None:
            return conn
        return await self._forward_on_fabric(worker, namespace, pod, port)

    async def _forward_on_fabric(self, worker: PodWorker, namespace: str, pod: str,
                                 port: int) -> ByteStream:
        """For runtimes without pod networks: the cluster network's way in."""
        sandbox = worker.book.sandbox
        sandbox_id = sandbox.id if sandbox is not None else ""
        prefix = f"error forwarding port {port} to pod {sandbox_id}, uid : "
        if sandbox is None or self.fabric is None:
            raise NodeError(prefix + f"failed to find sandboxID for pod {pod}_{namespace}")
        try:
            return await self.fabric.connect_to_pod(namespace, pod, port)
        except NetError as err:
            if err.kind != "refused":
                raise NodeError(prefix + err.message) from None
            raise NodeError(
                prefix + f'failed to execute portforward in network namespace '
                f'"{netns_path(sandbox_id)}": failed to connect to localhost:{port} inside '
                f'namespace "{sandbox_id}", IPv4: dial tcp4 127.0.0.1:{port}: connect: '
                f'connection refused IPv6 dial tcp6 [::1]:{port}: connect: connection '
                f'refused ') from None

    async def kubelet_http(self, *, node: str, request: ProxiedRequest) -> ProxiedResponse:
        return httpapi.serve(self._kubelet(node), request)

    async def proxy_http(self, *, resource: str, namespace: str, name: str, port: str,
                         scheme: str, request: ProxiedRequest) -> ProxiedResponse:
        if self.fabric is None:
            raise NodeError("dial tcp: the cluster network is not running")
        outgoing = HttpRequest(method=request.method, target=request.target,
                               headers=request.headers, body=request.body, host=request.host,
                               client_ip=request.client_ip)
        send = self.fabric.http_to_service if resource == "services" else \
            self.fabric.http_to_pod
        try:
            answer = await send(namespace, name, port or None, outgoing, scheme=scheme or "http")
        except NetError as err:
            raise NodeError(err.message) from None
        return ProxiedResponse(status=answer.status, reason=answer.reason,
                               headers=answer.headers, body=answer.body)
