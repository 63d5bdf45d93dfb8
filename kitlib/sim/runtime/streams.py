"""Byte streams between a simulated process and whoever talks to it: in-memory pipes.

A ``Pipe`` is what a process's stdin, stdout and stderr are when someone is at the other
end (``kubectl exec``, ``kubectl attach``, a probe): the writer never blocks, the reader
waits for bytes or for the end.  What it holds is bounded: writing past ``limit`` bytes in
all raises LimitExceeded, which ends the process, as a full disk or a broken pipe would.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from typing import AsyncIterator

from kitlib.sim.runtime.process import LimitExceeded


#: Numbers the writes of pipes that share it (a process's stdout and stderr), so that a
#: reader of both can hand them on in the order the process wrote them.
WriteOrder = itertools.count


class Pipe:
    """One direction of a stream: ``write``/``close`` on one side, ``read`` on the other."""

    def __init__(self, *, limit: int = 0, order: WriteOrder | None = None) -> None:
        self._buffer = bytearray()
        self._closed = False
        self._waiter: asyncio.Future[None] | None = None
        self._limit = limit
        self.written = 0
        self._order = order
        #: With an order: [number, bytes not yet read] of each write still buffered.
        self._marks: deque[list[int]] = deque()
        self._taken: list[asyncio.Future[None]] = []

    # --- the writing side (Output) --------------------------------------------------------

    def write(self, data: bytes) -> None:
        if self._closed or not data:
            return
        self.written += len(data)
        if self._limit and self.written > self._limit:
            raise LimitExceeded(f"output limit of {self._limit} bytes exceeded")
        self._buffer.extend(data)
        if self._order is not None:
            self._marks.append([next(self._order), len(data)])
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
        return self._take(len(self._buffer) if limit < 0 else min(limit, len(self._buffer)))

    async def readline(self) -> bytes:
        while b"\n" not in self._buffer and not self._closed:
            await self._wait()
        end = self._buffer.find(b"\n")
        return self._take(len(self._buffer) if end < 0 else end + 1)

    async def read_in_turn(self, other: Pipe, limit: int) -> bytes:
        """Like ``read(limit)``, but only what was written before anything still unread in
        ``other`` (a pipe of the same order): the two readers take turns as the writer
        did.  Each pipe needs its own reader, reading concurrently."""
        while True:
            while not self._buffer and not self._closed:
                await self._wait()
            if not self._buffer or not self._marks:
                return self._take(min(limit, len(self._buffer)))
            theirs = other._marks[0][0] if other._marks else None
            if theirs is None or self._marks[0][0] < theirs:
                size = 0
                for number, left in self._marks:
                    if theirs is not None and number > theirs:
                        break
                    size += left
                return self._take(min(limit, size))
            await other._next_taken()               # its older bytes go first

    def _take(self, size: int) -> bytes:
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        left = size
        while left and self._marks:
            mark = self._marks[0]
            used = min(left, mark[1])
            mark[1] -= used
            left -= used
            if not mark[1]:
                self._marks.popleft()
        taken, self._taken = self._taken, []
        for future in taken:
            if not future.done():
                future.set_result(None)
        return data

    async def _next_taken(self) -> None:
        future = asyncio.get_running_loop().create_future()
        self._taken.append(future)
        await future

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

