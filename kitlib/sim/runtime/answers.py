"""What the provisional runtime answers to probes: the pod's word, and the ports it knows.

The container-runtime issue brings simulated images that serve HTTP and run commands;
until then a probe passes, unless the pod says otherwise with an annotation, which may be
changed at any time with ``kubectl annotate``::

    sim.kit.dev/probe.<container>.<liveness|readiness|startup>: "pass" | "fail" | "fail:<detail>"
    sim.kit.dev/probe.<liveness|readiness|startup>: ...        (every container of the pod)

``fail:<detail>``: an exec probe prints ``<detail>`` and exits 1; an HTTP probe answers
``<detail>`` as its status code when it is a number (else 500); a TCP or gRPC probe is
refused.  A known image's own server refuses ports it does not listen on (nginx: only 80),
as the real one would.  Answers go through the runtime interface (exec_sync, http_get,
tcp_connect, grpc_health), so the kubelet will not notice when real answers replace these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Mapping

from kitlib.sim.runtime.interface import CRIError, ExecResult, HttpResponse, NetworkError

if TYPE_CHECKING:
    from kitlib.sim.runtime.provisional import _Container

ANNOTATION_PREFIX = "sim.kit.dev/probe."
#: Reads a pod's current annotations (namespace, name) -> annotations.
AnnotationLookup = Callable[[str, str], Mapping[str, str]]


def probe_override(annotations: Mapping[str, str], container: str, probe: str) -> str | None:
    """What the pod's annotations say this probe finds ("pass", "fail", "fail:<detail>"),
    or None when they say nothing (the simulated runtime then asks the container)."""
    if not probe:
        return None
    for key in (f"{ANNOTATION_PREFIX}{container}.{probe}", f"{ANNOTATION_PREFIX}{probe}"):
        value = annotations.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def failure_status(override: str) -> int:
    """The HTTP status a ``fail[:<detail>]`` override answers."""
    detail = override[5:].strip()
    return int(detail) if detail.isdigit() else 500


class ProbeAnswers:
    """Mixed into the provisional runtime, whose containers it reads."""

    _containers: dict[str, _Container]
    _annotations: AnnotationLookup

    def _override(self, container: _Container, probe: str) -> str | None:
        sandbox = container.sandbox
        return probe_override(self._annotations(sandbox.namespace, sandbox.name),
                              container.config.name, probe)

    def _running(self, container_id: str, port: int, host: str) -> _Container:
        container = self._containers.get(container_id)
        address = f"{host or (container.sandbox.ip if container else '')}:{port}"
        if container is None or container.state != "running":
            raise NetworkError(f"dial tcp {address}: connect: connection refused")
        return container

    def _refuse_unless_listening(self, container: _Container, port: int, host: str) -> None:
        info, config = container.info, container.config
        default = not config.command and not config.args     # the image's own server
        if info is not None and info.ports and default and port not in info.ports:
            raise NetworkError(f"dial tcp {host or container.sandbox.ip}:{port}: connect: "
                               "connection refused")

    async def exec_sync(self, container_id: str, command: tuple[str, ...], *,
                        timeout: float, probe: str = "") -> ExecResult:
        container = self._containers.get(container_id)
        if container is None or container.state != "running":
            raise CRIError("container is not in running state")
        override = self._override(container, probe) if probe else None
        if override and override.startswith("fail"):
            return ExecResult(exit_code=1, output=override[5:].strip())
        return ExecResult(exit_code=0)

    async def http_get(self, container_id: str, *, port: int, path: str,
                       scheme: str = "HTTP", host: str = "",
                       headers: tuple[tuple[str, str], ...] = (), timeout: float,
                       probe: str = "") -> HttpResponse:
        container = self._running(container_id, port, host)
        override = self._override(container, probe) if probe else None
        if override and override.startswith("fail"):
            return HttpResponse(status=failure_status(override))
        if override is None:
            self._refuse_unless_listening(container, port, host)
        return HttpResponse(status=200)

    async def tcp_connect(self, container_id: str, *, port: int, host: str = "",
                          timeout: float, probe: str = "") -> None:
        container = self._running(container_id, port, host)
        override = self._override(container, probe) if probe else None
        if override and override.startswith("fail"):
            raise NetworkError(f"dial tcp {host or container.sandbox.ip}:{port}: connect: "
                               "connection refused")
        if override is None:
            self._refuse_unless_listening(container, port, host)

    async def grpc_health(self, container_id: str, *, port: int, service: str = "",
                          timeout: float, probe: str = "") -> str:
        container = self._running(container_id, port, "")
        override = self._override(container, probe) if probe else None
        if override and override.startswith("fail"):
            return "NOT_SERVING"
        if override is None:
            self._refuse_unless_listening(container, port, "")
        return "SERVING"
