"""Probes answered by the containers themselves.

An exec probe runs its command in the container (``cat /tmp/healthy`` fails once the
script removed the file); an httpGet is a request to the container's own server on its
pod's network (the liveness example's server answers 500 after ten seconds); a tcpSocket
probe succeeds when something listens on the port.  Timeouts are simulated seconds.  The
pod's ``sim.kit.dev/probe.*`` annotations still override the answer (``answers.py``), for
lessons that want a failure on demand.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Awaitable, Callable, Mapping, TypeVar

from kitlib.sim.network.api import HttpRequest, NetError, PodNetwork
from kitlib.sim.runtime.answers import failure_status, probe_override
from kitlib.sim.runtime.interface import CRIError, ExecResult, HttpResponse, NetworkError

if TYPE_CHECKING:
    from kitlib.sim.clock import Clock
    from kitlib.sim.runtime.container import Container
    from kitlib.sim.runtime.execs import ExecSession

T = TypeVar("T")
#: The prober's User-Agent: kube-probe/<kubelet major.minor>.
USER_AGENT = "kube-probe/1.32"
#: The kubelet reads at most this much of a probe's output.
MAX_OUTPUT = 10 * 1024


class ProbeTimeout(Exception):
    pass


async def within(clock: Clock, seconds: float, work: Awaitable[T]) -> T:
    """``work``, unless ``seconds`` of simulated time pass first (ProbeTimeout)."""
    task = asyncio.ensure_future(work)
    timer = asyncio.ensure_future(clock.sleep(max(0.0, seconds)))
    try:
        await asyncio.wait([task, timer], return_when=asyncio.FIRST_COMPLETED)
    finally:
        timer.cancel()
    if not task.done():
        task.cancel()
        raise ProbeTimeout()
    return task.result()


class ContainerProbes:
    """Mixed into the simulated runtime, whose containers answer."""

    clock: Clock
    _containers: dict[str, Container]
    _annotations: Callable[[str, str], Mapping[str, str]]
    node_network: PodNetwork | None
    exec: Callable[..., Awaitable[ExecSession]]                     # sessions.py

    def _override(self, container: Container, probe: str) -> str | None:
        sandbox = container.pod.sandbox
        return probe_override(self._annotations(sandbox.namespace, sandbox.name),
                              container.name, probe)

    def _prober(self, container: Container) -> PodNetwork:
        """The kubelet probes from its node; without a cluster network, from the pod."""
        return self.node_network or container.pod.net

    def _target(self, container_id: str, port: int, host: str) -> tuple[Container, str]:
        container = self._containers.get(container_id)
        ip = host or (container.pod.sandbox.ip if container else "")
        if container is None or not container.running:
            raise NetworkError(f"dial tcp {ip}:{port}: connect: connection refused")
        return container, ip

    async def exec_sync(self, container_id: str, command: tuple[str, ...], *,
                        timeout: float, probe: str = "") -> ExecResult:
        container = self._containers.get(container_id)
        if container is None or not container.running:
            raise CRIError("rpc error: code = Unknown desc = failed to exec in container: "
                           "container is in CONTAINER_EXITED state")
        override = self._override(container, probe)
        if override is not None:
            if override.startswith("fail"):
                return ExecResult(exit_code=1, output=override[5:].strip())
            return ExecResult(exit_code=0)
        try:
            session = await self.exec(container_id, list(command))
        except CRIError as exc:
            raise CRIError(f"rpc error: code = Unknown desc = {exc.message}") from None
        session.close_stdin()
        try:
            code = await within(self.clock, timeout, session.wait())
        except ProbeTimeout:
            session.kill()
            quoted = " ".join(command).replace("\\", "\\\\").replace('"', '\\"')
            return ExecResult(exit_code=-1, output=f'command "{quoted}" timed out')
        output = (await session.stdout.read()) + (await session.stderr.read())
        return ExecResult(exit_code=code,
                          output=output[:MAX_OUTPUT].decode("utf-8", "replace").strip())

    async def http_get(self, container_id: str, *, port: int, path: str,
                       scheme: str = "HTTP", host: str = "",
                       headers: tuple[tuple[str, str], ...] = (), timeout: float,
                       probe: str = "") -> HttpResponse:
        container, ip = self._target(container_id, port, host)
        override = self._override(container, probe)
        if override is not None:
            if override.startswith("fail"):
                return HttpResponse(status=failure_status(override))
            return HttpResponse(status=200)
        names = {name.lower() for name, _ in headers}
        fields = tuple(headers)
        if "host" not in names:
            fields = (("Host", f"{ip}:{port}"), *fields)
        if "user-agent" not in names:
            fields = (*fields, ("User-Agent", USER_AGENT))
        if "accept" not in names:
            fields = (*fields, ("Accept", "*/*"))
        request = HttpRequest(method="GET", target=path or "/", headers=fields,
                              host=dict((k.lower(), v) for k, v in fields)["host"])
        try:
            response = await within(self.clock, timeout,
                                    self._prober(container).http(ip, port, request,
                                                                timeout=timeout))
        except ProbeTimeout:
            raise NetworkError("context deadline exceeded (Client.Timeout exceeded while "
                               "awaiting headers)") from None
        except NetError as exc:
            raise NetworkError(exc.message) from None
        return HttpResponse(status=response.status,
                            body=response.body[:MAX_OUTPUT].decode("utf-8", "replace"))

    async def tcp_connect(self, container_id: str, *, port: int, host: str = "",
                          timeout: float, probe: str = "") -> None:
        container, ip = self._target(container_id, port, host)
        override = self._override(container, probe)
        if override is not None:
            if override.startswith("fail"):
                raise NetworkError(f"dial tcp {ip}:{port}: connect: connection refused")
            return
        try:
            connection = await within(self.clock, timeout,
                                      self._prober(container).connect(ip, port,
                                                                   timeout=timeout))
        except ProbeTimeout:
            raise NetworkError(f"dial tcp {ip}:{port}: i/o timeout") from None
        except NetError as exc:
            raise NetworkError(exc.message) from None
        connection.close()

    async def grpc_health(self, container_id: str, *, port: int, service: str = "",
                          timeout: float, probe: str = "") -> str:
        container, _ip = self._target(container_id, port, "")
        override = self._override(container, probe)
        if override is not None:
            return "NOT_SERVING" if override.startswith("fail") else "SERVING"
        await self.tcp_connect(container_id, port=port, timeout=timeout)
        return "SERVING"
