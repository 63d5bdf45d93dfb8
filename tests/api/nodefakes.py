"""A stand-in for the nodes, to test the API server's streaming endpoints on their own.

``FakeConnector`` answers as a kubelet would, from a script: a few commands (echo, cat,
exit codes, a tiny interactive shell), fixed container logs, an HTTP server behind every
port-forward and proxy.  It runs in the cluster's loop; tests install it with
``install(sim)`` and restore the real connector afterwards.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, AsyncIterator

from kitlib.sim.apiserver.connector import (ExecStartError, LogOptions, NodeError,
                                            ProxiedRequest, ProxiedResponse)

LOG_LINES = [(1_700_000_000.0 + i, f"line {i}\n") for i in range(1, 6)]


class FakeSession:
    def __init__(self, command: tuple[str, ...], *, stdin: bool, tty: bool) -> None:
        self.command = command
        self.tty = tty
        self.stdin: asyncio.Queue[bytes | None] = asyncio.Queue()
        if not stdin:
            self.stdin.put_nowait(None)
        self.out: asyncio.Queue[bytes] = asyncio.Queue()
        self.err: asyncio.Queue[bytes] = asyncio.Queue()
        self.sizes: list[tuple[int, int]] = []
        self.closed = False
        self.task = asyncio.ensure_future(self._run())

    async def _run(self) -> int:
        try:
            return await self._program()
        finally:
            self.out.put_nowait(b"")
            self.err.put_nowait(b"")

    async def _program(self) -> int:
        argv = self.command
        if argv[:1] == ("echo",):
            self.out.put_nowait((" ".join(argv[1:]) + "\n").encode())
            return 0
        if argv[:2] == ("sh", "-c") and argv[2].startswith("exit "):
            return int(argv[2].split()[1])
        if argv[:1] == ("fail",):
            self.err.put_nowait(b"something went wrong\n")
            return 3
        if argv[:1] == ("size",):
            await asyncio.sleep(0.3)
            self.out.put_nowait(repr(self.sizes).encode() + b"\n")
            return 0
        if argv[:1] == ("cat",):
            while (data := await self.stdin.get()) is not None:
                self.out.put_nowait(data)
            return 0
        if argv[:1] == ("sh",) or not argv:        # a shell, with or without a terminal
            return await self._shell()
        self.err.put_nowait(f"unknown command {argv}\n".encode())
        return 127

    async def _shell(self) -> int:
        self.out.put_nowait(b"/ # ")
        line = b""
        while (data := await self.stdin.get()) is not None:
            if self.tty:
                self.out.put_nowait(data.replace(b"\r", b"\r\n"))    # the terminal echoes
            line += data.replace(b"\r", b"\n")
            while b"\n" in line:
                command, line = line.split(b"\n", 1)
                words = command.decode().split()
                if words[:1] == ["exit"]:
                    return int(words[1]) if len(words) > 1 else 0
                if words[:1] == ["echo"]:
                    self.out.put_nowait((" ".join(words[1:]) + "\n").encode())
                self.out.put_nowait(b"/ # ")
        return 0

    async def write_stdin(self, data: bytes) -> None:
        self.stdin.put_nowait(data)

    def close_stdin(self) -> None:
        self.stdin.put_nowait(None)

    async def read_stdout(self) -> bytes:
        return await self.out.get()

    async def read_stderr(self) -> bytes:
        return await self.err.get()

    def resize(self, columns: int, rows: int) -> None:
        self.sizes.append((columns, rows))

    async def wait(self) -> int:
        return await asyncio.shield(self.task)

    def close(self) -> None:
        self.closed = True
        self.task.cancel()


class FakeStream:
    """A byte stream into a pod whose port runs a one-shot HTTP server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = bytearray()
        self.outbox: asyncio.Queue[bytes] = asyncio.Queue()
        self.closed = False

    async def read(self, limit: int = 65536) -> bytes:
        return await self.outbox.get()

    def write(self, data: bytes) -> None:
        self.inbox += data
        if b"\r\n\r\n" in self.inbox:
            body = f"hello from port {self.port}\n".encode()
            self.outbox.put_nowait(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                   b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                                   % (len(body), body))
            self.outbox.put_nowait(b"")
            self.inbox.clear()

    async def drain(self) -> None:
        return None

    def close(self) -> None:
        self.closed = True
        self.outbox.put_nowait(b"")


@dataclass
class FakeConnector:
    sessions: list[FakeSession] = field(default_factory=list)
    requests: list[tuple[str, ProxiedRequest]] = field(default_factory=list)
    log_options: list[LogOptions] = field(default_factory=list)

    async def container_logs(self, *, node: str, namespace: str, pod: str, container: str,
                             options: LogOptions) -> AsyncIterator[bytes]:
        if container == "waiting":
            raise NodeError(f'container "{container}" in pod "{pod}" is waiting to start: '
                            f'ContainerCreating', code=400)
        if node == "gone":
            raise NodeError("dial tcp 172.18.0.9:10250: connect: connection refused",
                            unreachable=True)
        self.log_options.append(options)
        return self._lines(container, options)

    async def _lines(self, container: str, options: LogOptions) -> AsyncIterator[bytes]:
        lines = LOG_LINES[-options.tail_lines:] if options.tail_lines else \
            ([] if options.tail_lines == 0 else LOG_LINES)
        for moment, text in lines:
            prefix = f"{container} " if container != "main" else ""
            stamp = "2023-11-14T22:13:2%dZ " % int(moment % 10) if options.timestamps else ""
            yield (stamp + prefix + text).encode()
        if options.follow:
            for i in range(3):
                await asyncio.sleep(0.05)
                yield f"followed {i}\n".encode()

    async def exec(self, *, node: str, namespace: str, pod: str, container: str,
                   command: tuple[str, ...], stdin: bool, stdout: bool, stderr: bool,
                   tty: bool) -> FakeSession:
        if container == "stopped":
            raise NodeError(f'container not found ("{container}")')
        if command[:1] == ("missing",):
            raise ExecStartError('failed to exec in container: failed to start exec "5c1f": '
                                 'OCI runtime exec failed: exec failed: unable to start '
                                 'container process: exec: "missing": executable file not '
                                 'found in $PATH: unknown')
        session = FakeSession(command, stdin=stdin, tty=tty)
        self.sessions.append(session)
        return session

    async def attach(self, *, node: str, namespace: str, pod: str, container: str,
                     stdin: bool, stdout: bool, stderr: bool, tty: bool) -> FakeSession:
        session = FakeSession(("sh",), stdin=stdin, tty=tty)
        self.sessions.append(session)
        return session

    async def port_forward(self, *, node: str, namespace: str, pod: str,
                           port: int) -> FakeStream:
        if port == 81:
            raise NodeError(f"error forwarding port {port} to pod 0123abcd, uid : failed to "
                            f"connect to localhost:{port}: connection refused")
        return FakeStream(port)

    async def proxy_http(self, *, resource: str, namespace: str, name: str, port: str,
                         scheme: str, request: ProxiedRequest) -> ProxiedResponse:
        self.requests.append((f"{resource}/{name}:{port}", request))
        if port == "81":
            raise NodeError("dial tcp 10.244.1.5:81: connect: connection refused")
        if request.target.startswith("/redirect"):
            return ProxiedResponse(status=301, headers=(("Location", "/elsewhere/"),))
        if request.target.startswith("/page"):
            page = b'<html><body><a href="/docs/">docs</a> <img src="logo.png">' \
                   b'<a href="http://example.com/x">x</a></body></html>'
            return ProxiedResponse(status=200, headers=(
                ("Content-Type", "text/html"), ("Access-Control-Allow-Origin", "*")), body=page)
        echo = f"{request.method} {request.target}\n" + "".join(
            f"{k}: {v}\n" for k, v in request.headers) + f"\n{request.body.decode()}"
        return ProxiedResponse(status=200, headers=(("Content-Type", "text/plain"),
                                                    ("X-Backend", f"{resource}/{name}")),
                               body=echo.encode())


def install(sim: Any) -> tuple[FakeConnector, Any]:
    """Put a FakeConnector in the cluster's API server; returns it and what it replaced."""
    api = sim.cluster.api
    previous = api.connector
    fake = FakeConnector()
    api.connector = fake
    return fake, previous
