"""The container runtime's streams, in the shapes the kubelet's server hands out.

The kubelet's server speaks to the API server in ``connector`` terms (a StreamSession, an
iterator of log bytes); the runtime speaks CRI-ish terms (an exec session with pipes, a
log reader).  This module is the seam between the two, so that neither side's details
leak into the other.  A runtime without streaming (the provisional one) answers as a
runtime that cannot exec would.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator

from kitlib.sim.apiserver.connector import LogOptions, StreamSession
from kitlib.sim.clock import Clock
from kitlib.sim.runtime.interface import CRIError
from kitlib.sim.runtime.streams import Pipe

CHUNK = 32 * 1024


class RuntimeSession:
    """A runtime's exec or attach session as a connector StreamSession.

    An exec session ends with its process (``wait`` gives the exit code); an attach
    session ends when the container's output does (the container ended, or was detached).
    """

    def __init__(self, raw: Any, *, stdout: bool, stderr: bool) -> None:
        self.raw = raw
        self._stdout = stdout
        self._stderr = stderr
        self._output_ended = asyncio.Event()
        # Both streams wanted and kept apart (no terminal): hand them on in the order the
        # process wrote them, as a terminal would show them, not as two readers race.
        self._in_turn = stdout and stderr and isinstance(raw.stdout, Pipe) and \
            isinstance(raw.stderr, Pipe) and raw.stdout is not raw.stderr

    async def write_stdin(self, data: bytes) -> None:
        self.raw.write_stdin(data)

    def close_stdin(self) -> None:
        self.raw.close_stdin()

    async def read_stdout(self) -> bytes:
        if not self._stdout:
            return b""
        data: bytes = await (self.raw.stdout.read_in_turn(self.raw.stderr, CHUNK)
                             if self._in_turn else self.raw.stdout.read(CHUNK))
        if not data:
            self._output_ended.set()
        return data

    async def read_stderr(self) -> bytes:
        if not self._stderr:
            return b""
        if self._in_turn:
            return await self.raw.stderr.read_in_turn(self.raw.stdout, CHUNK)
        data: bytes = await self.raw.stderr.read(CHUNK)
        return data

    def resize(self, columns: int, rows: int) -> None:
        self.raw.resize(columns, rows)

    async def wait(self) -> int:
        wait = getattr(self.raw, "wait", None)
        if wait is not None:                            # exec: the process's exit code
            return int(await wait())
        if self._stdout:                                # attach: until the output ends
            await self._output_ended.wait()
        else:
            while await self.raw.stdout.read(CHUNK):
                pass
        return 0

    def close(self) -> None:
        end = getattr(self.raw, "kill", None) or getattr(self.raw, "detach")
        end()


class RuntimeIO:
    def __init__(self, runtime: Any, clock: Clock) -> None:
        self.runtime = runtime
        self.clock = clock

    def logs(self, container_id: str, options: LogOptions) -> AsyncIterator[bytes]:
        read = getattr(self.runtime, "read_logs", None)
        if read is None:
            return _nothing()
        result: AsyncIterator[bytes] = read(
            container_id, since_seconds=options.since_seconds, since_time=options.since_time,
            tail_lines=options.tail_lines, limit_bytes=options.limit_bytes,
            timestamps=options.timestamps, follow=options.follow)
        return result

    async def exec(self, container_id: str, command: tuple[str, ...], *, stdin: bool,
                   stdout: bool, stderr: bool, tty: bool) -> StreamSession:
        start = getattr(self.runtime, "exec", None)
        if start is None:
            raise CRIError("failed to exec in container: this container runtime runs no "
                           "processes")
        raw = await start(container_id, list(command), stdin=stdin, tty=tty)
        return RuntimeSession(raw, stdout=stdout, stderr=stderr and not tty)

    async def attach(self, container_id: str, *, stdin: bool, stdout: bool, stderr: bool,
                     tty: bool) -> StreamSession:
        start = getattr(self.runtime, "attach", None)
        if start is None:
            raise CRIError("this container runtime runs no processes to attach to")
        raw = start(container_id, stdin=stdin, tty=tty)
        return RuntimeSession(raw, stdout=stdout, stderr=stderr and not tty)

    async def port_forward(self, namespace: str, pod: str, port: int) -> Any | None:
        """A connection to the port inside the pod's sandbox; None when this runtime
        has no pod networks of its own."""
        forward = getattr(self.runtime, "port_forward", None)
        if forward is None:
            return None
        sandbox = self.runtime.sandbox_of(namespace, pod)
        if sandbox is None:
            raise CRIError(f"failed to find sandboxID for pod {pod}_{namespace}")
        return await forward(sandbox, port)


async def _nothing() -> AsyncIterator[bytes]:
    await asyncio.sleep(0)
    return
    yield b""  # pragma: no cover  (makes this an async generator)
