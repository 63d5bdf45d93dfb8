"""Byte streams between a simulated process and whoever talks to it: in-memory pipes.

A ``Pipe`` is what a process's stdin, stdout and stderr are when someone is at the other
end (``kubectl exec``, ``kubectl attach``, a probe): the writer never blocks, the reader
waits for bytes or for the end.  What it holds is bounded: writing past ``limit`` bytes in
all raises LimitExceeded, which ends the process, as a full disk or a broken pipe would.
"""

from __future__ import annotations

import asyncio
from typing import AsyncIterator

from kitlib.sim.runtime.process import LimitExceeded


class Pipe:
    """One direction of a stream: ``write``/``close`` on one side, ``read`` on the other."""

    def __init__(self, *, limit: int = 0) -> None:
        self._buffer = bytearray()
        self._closed = False
        self._waiter: asyncio.Future[None] | None = None
        self._limit = limit
        self.written = 0

    # --- the writing side (Output) --------------------------------------------------------

    def write(self, data: bytes) -> None:
        if self._closed or not data:
            return
        self.written += len(data)
        if self._limit and self.written > self._limit:
            raise LimitExceeded(f"output limit of {self._limit} bytes exceeded")
        self._buffer.extend(data)
        self._wake()

    def close(self) -> None:
        self._closed = True
        self._wake()

    @property
    def closed(self) -> bool:
        return self._closed

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def _wait(self) -> None:
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    # --- the reading side (Input) -----------------------------------------------------------

    async def read(self, limit: int = -1) -> bytes:
        """Up to ``limit`` bytes as soon as there are some; with -1 everything until the
        end; b"" at the end."""
        if limit < 0:
            while not self._closed:
                await self._wait()
        while not self._buffer and not self._closed:
            await self._wait()
        size = len(self._buffer) if limit < 0 else min(limit, len(self._buffer))
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    async def readline(self) -> bytes:
        while b"\n" not in self._buffer and not self._closed:
            await self._wait()
        end = self._buffer.find(b"\n")
        size = len(self._buffer) if end < 0 else end + 1
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._chunks()

    async def _chunks(self) -> AsyncIterator[bytes]:
        while True:
            chunk = await self.read(65536)
            if not chunk:
                return
            yield chunk


def closed_input() -> Pipe:
    """Stdin of a process nobody writes to: at its end from the start."""
    pipe = Pipe()
    pipe.close()
    return pipe

