"""What the kubelet's streaming server asks of the runtime: exec, attach, logs,
port-forward, and HTTP into a pod.

These are the calls behind ``kubectl exec``, ``attach``, ``logs``, ``port-forward`` and
the API server's pod proxy.  Their errors are containerd's texts; turning them into the
kubelet's and the API server's answers (``unable to upgrade connection: container not
found``) is the caller's business, as it is on a real node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, AsyncIterator, Callable, Sequence

from kitlib.sim.network.api import Connection, HttpRequest, HttpResponse, NetError
from kitlib.sim.runtime.execs import AttachSession, ExecError, ExecSession
from kitlib.sim.runtime.interface import CRIError, NetworkError
from kitlib.sim.runtime.launch import ExecError as NotExecutable
from kitlib.sim.runtime.podnet import ContainerNetwork
from kitlib.sim.runtime.streams import Pipe, WriteOrder, closed_input
from kitlib.sim.runtime.task import Task

if TYPE_CHECKING:
    from kitlib.sim.clock import Clock
    from kitlib.sim.runtime.container import Container
    from kitlib.sim.runtime.process import Limits, ProcessContext
    from kitlib.sim.runtime.sandbox import PodState


class LogsError(CRIError):
    """Logs that cannot be read (``previous terminated container "x" in pod "y" not
    found``): the kubelet's own message, which the API server answers with 400."""


class ContainerSessions:
    """Mixed into the simulated runtime."""

    clock: Clock
    limits: Limits
    _containers: dict[str, Container]
    _pods: dict[str, PodState]
    _by_pod: dict[tuple[str, str], str]

    _id: Callable[[], str]
    _context: Callable[..., ProcessContext]

    # --- finding containers ---------------------------------------------------------------

    def sandbox_of(self, namespace: str, pod: str) -> str | None:
        """The ID of the pod's sandbox on this node, if it has one."""
        return self._by_pod.get((namespace, pod))

    def locate(self, namespace: str, pod: str, container: str) -> str | None:
        """The ID of the container's latest attempt (running or ended), if any."""
        state = self._pods.get(self._by_pod.get((namespace, pod), ""))
        history = state.containers.get(container) if state else None
        return history[-1] if history else None

    def _running(self, container_id: str) -> Container:
        container = self._containers.get(container_id)
        if container is None:
            raise CRIError(f'an error occurred when try to find container "{container_id}": '
                           "not found")
        if not container.running:
            raise ExecError("failed to exec in container: container is in CONTAINER_EXITED "
                            "state")
        return container

    # --- exec and attach --------------------------------------------------------------------

    async def exec(self, container_id: str, argv: Sequence[str], *, stdin: bool = False,
                   tty: bool = False, columns: int = 80, rows: int = 24) -> ExecSession:
        """Start ``argv`` in the running container (``kubectl exec``)."""
        container = self._running(container_id)
        exec_id = self._id()
        order = WriteOrder()
        stdout = Pipe(limit=self.limits.output, order=order)
        stderr = stdout if tty else Pipe(limit=self.limits.output, order=order)
        stdin_pipe = Pipe() if stdin else None
        net = ContainerNetwork(container.pod.net, owner=container.net.owner)
        env = dict(container.env)
        if tty:
            env["TERM"] = "xterm"
        ctx = self._context(container, list(argv), env=env, stdin=stdin_pipe or closed_input(),
                            stdout=stdout, stderr=stderr, tty=tty, net=net)
        ctx.columns, ctx.rows = columns, rows
        container.last_pid += 6
        ctx.pid = container.last_pid
        try:
            program, ctx.argv = container.launcher.find(list(argv), ctx)
        except NotExecutable as exc:
            raise ExecError(f'failed to exec in container: failed to start exec "{exec_id}": '
                            "OCI runtime exec failed: exec failed: unable to start container "
                            f"process: {exc.detail}: unknown") from None
        task = Task(program, ctx)
        container.add_exec(task)

        def ended(_future: object) -> None:
            container.discard_exec(task)
            net.close()
        task.done.add_done_callback(ended)
        if tty:
            stderr = Pipe()
            stderr.close()
        return ExecSession(id=exec_id, task=task, ctx=ctx, stdin=stdin_pipe, stdout=stdout,
                           stderr=stderr)

    def attach(self, container_id: str, *, stdin: bool = False,
               tty: bool = False) -> AttachSession:
        """The running main process's output from now on, and its stdin if it has one."""
        container = self._running(container_id)
        assert container.ctx is not None
        session = AttachSession(log=container.log,
                                stdin=container.stdin if stdin and container.config.stdin
                                else None, ctx=container.ctx,
                                tty=tty and container.config.tty,
                                stdin_once=container.config.stdin_once,
                                finished=lambda: not container.running)
        container.add_attached(session)
        return session

    # --- logs -----------------------------------------------------------------------------

    def read_logs(self, container_id: str, *, previous: bool = False,
                  since_seconds: float | None = None, since_time: float | None = None,
                  tail_lines: int | None = None, limit_bytes: int | None = None,
                  timestamps: bool = False, follow: bool = False) -> AsyncIterator[bytes]:
        """The container's log (or, with ``previous``, its predecessor's), as ``kubectl
        logs`` asks for it; raises LogsError before the first byte when there is none."""
        container = self._containers.get(container_id)
        if container is None:
            raise LogsError(f'an error occurred when try to find container "{container_id}": '
                            "not found")
        if previous:
            earlier = self._containers.get(container.previous)
            if earlier is None:
                raise LogsError(f'previous terminated container "{container.name}" in pod '
                                f'"{container.pod.sandbox.name}" not found')
            container = earlier
        since = since_time
        if since_seconds is not None:
            since = max(since or 0.0, self.clock.time() - since_seconds)
        return container.log.read(since=since, tail=tail_lines, limit_bytes=limit_bytes,
                                  timestamps=timestamps, follow=follow)

    # --- the pod's network ----------------------------------------------------------------

    def _pod(self, sandbox_id: str) -> PodState:
        pod = self._pods.get(sandbox_id)
        if pod is None:
            raise CRIError(f'failed to find sandbox "{sandbox_id}": not found')
        return pod

    async def port_forward(self, sandbox_id: str, port: int) -> Connection:
        """A byte stream to ``localhost:port`` inside the pod (``kubectl port-forward``)."""
        pod = self._pod(sandbox_id)
        try:
            return await pod.net.connect("127.0.0.1", port)
        except NetError as exc:
            raise NetworkError(
                f"error forwarding port {port} to pod {sandbox_id}, uid : failed to execute "
                f'portforward in network namespace "/var/run/netns/cni-{sandbox_id[:8]}": '
                f'failed to connect to localhost:{port} inside namespace "{sandbox_id}", '
                f"IPv4: dial tcp4 127.0.0.1:{port}: connect: connection refused IPv6 dial "
                f"tcp6 [::1]:{port}: connect: connection refused ") from exc

    async def pod_http(self, sandbox_id: str, port: int, request: HttpRequest, *,
                       timeout: float = 10.0) -> HttpResponse:
        """One HTTP request to the pod's IP (raises NetError as a client would see it)."""
        pod = self._pod(sandbox_id)
        return await pod.net.http(pod.sandbox.ip, port, request, timeout=timeout)
