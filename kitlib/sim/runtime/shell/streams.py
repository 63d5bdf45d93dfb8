"""The byte streams commands read and write: pipes, files, captures, the terminal.

Every stream lives in memory.  A pipe holds at most ``Pipe.HIGH`` bytes before its
writer must wait (``drain``), so ``yes | head -1`` ends with ``yes`` dying of a broken
pipe rather than filling memory; captures (``$(...)``) and whole-input reads stop at the
process's output limit.
"""

from __future__ import annotations

import asyncio
from typing import Callable

from kitlib.sim.runtime.fs.api import FileSystem
from kitlib.sim.runtime.process import Input, LimitExceeded, Output
from kitlib.sim.runtime.shell.errors import BrokenPipe

CHUNK = 65536


# --- readers --------------------------------------------------------------------------


class Reader:
    """What a command reads from (its fd 0, or a file it opened)."""

    isatty = False

    async def read(self, limit: int = -1) -> bytes:
        raise NotImplementedError

    async def readline(self) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        pass


class BytesReader(Reader):
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    async def read(self, limit: int = -1) -> bytes:
        end = len(self.data) if limit < 0 else min(len(self.data), self.pos + limit)
        out = self.data[self.pos:end]
        self.pos = end
        return out

    async def readline(self) -> bytes:
        end = self.data.find(b"\n", self.pos)
        end = len(self.data) if end < 0 else end + 1
        out = self.data[self.pos:end]
        self.pos = end
        return out


class InputReader(Reader):
    """The process's own stdin, as the runtime gives it."""

    def __init__(self, source: Input) -> None:
        self.source = source

    async def read(self, limit: int = -1) -> bytes:
        return await self.source.read(limit)

    async def readline(self) -> bytes:
        return await self.source.readline()


class EndlessReader(Reader):
    """/dev/zero and /dev/urandom: as much as anyone reads."""

    def __init__(self, chunk: Callable[[int], bytes]) -> None:
        self.chunk = chunk

    async def read(self, limit: int = -1) -> bytes:
        await asyncio.sleep(0)
        return self.chunk(CHUNK if limit < 0 else min(limit, CHUNK))

    async def readline(self) -> bytes:
        await asyncio.sleep(0)
        data = self.chunk(CHUNK)
        end = data.find(b"\n")
        return data if end < 0 else data[:end + 1]


async def read_all(reader: Reader, cap: int) -> bytes:
    """Everything until EOF; past ``cap`` bytes the input is too big for the simulator."""
    if isinstance(reader, BytesReader):
        return await reader.read()
    out = bytearray()
    while True:
        chunk = await reader.read(CHUNK)
        if not chunk:
            return bytes(out)
        out += chunk
        if len(out) > cap:
            raise LimitExceeded(f"input larger than {cap} bytes: the simulator stopped "
                                "this command")


# --- writers --------------------------------------------------------------------------


class Sink:
    """What a command writes to (its fd 1 and 2, or a file it opened)."""

    isatty = False

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    async def drain(self) -> None:
        pass

    def close(self) -> None:
        pass


class NullSink(Sink):
    def write(self, data: bytes) -> None:
        pass


class OutputSink(Sink):
    """The process's stdout or stderr.  On a terminal, ``\\n`` goes out as ``\\r\\n``
    (the tty's ONLCR), as kubectl exec -t shows it."""

    def __init__(self, target: Output, *, tty: bool = False) -> None:
        self.target = target
        self.isatty = tty
        self.written = 0

    def write(self, data: bytes) -> None:
        if self.isatty and b"\n" in data:
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        self.target.write(data)
        self.written += len(data)

    async def drain(self) -> None:
        if self.written > CHUNK:                 # let the rest of the cluster breathe
            self.written = 0
            await asyncio.sleep(0)


class CaptureSink(Sink):
    """Collects ``$(...)``'s output, up to ``cap`` bytes."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.buffer = bytearray()

    def write(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > self.cap:
            raise LimitExceeded(f"output limit exceeded ({self.cap} bytes): the simulator "
                                "stopped this script")


class FileSink(Sink):
    """A file opened for writing: every write appends to it in the container's FS."""

    def __init__(self, fs: FileSystem, path: str) -> None:
        self.fs = fs
        self.path = path

    def write(self, data: bytes) -> None:
        if data:
            self.fs.write(self.path, data, append=True)


# --- pipes ----------------------------------------------------------------------------


class Pipe:
    HIGH = CHUNK

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.writer_closed = False
        self.reader_closed = False
        self._readable = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()
        self.reader = PipeReader(self)
        self.writer = PipeWriter(self)

    def close_writer(self) -> None:
        self.writer_closed = True
        self._readable.set()

    def close_reader(self) -> None:
        self.reader_closed = True
        self.buffer.clear()
        self._writable.set()


class PipeWriter(Sink):
    def __init__(self, pipe: Pipe) -> None:
        self.pipe = pipe

    def write(self, data: bytes) -> None:
        pipe = self.pipe
        if pipe.reader_closed:
            raise BrokenPipe()
        pipe.buffer += data
        pipe._readable.set()
        if len(pipe.buffer) >= Pipe.HIGH:
            pipe._writable.clear()

    async def drain(self) -> None:
        pipe = self.pipe
        while len(pipe.buffer) >= Pipe.HIGH and not pipe.reader_closed:
            pipe._writable.clear()
            await pipe._writable.wait()
        if pipe.reader_closed:
            raise BrokenPipe()

    def close(self) -> None:
        self.pipe.close_writer()


class PipeReader(Reader):
    def __init__(self, pipe: Pipe) -> None:
        self.pipe = pipe

    async def _wait(self) -> None:
        pipe = self.pipe
        pipe._readable.clear()
        await pipe._readable.wait()

    def _take(self, n: int) -> bytes:
        pipe = self.pipe
        out = bytes(pipe.buffer[:n])
        del pipe.buffer[:n]
        if len(pipe.buffer) < Pipe.HIGH:
            pipe._writable.set()
        return out

    async def read(self, limit: int = -1) -> bytes:
        pipe = self.pipe
        if limit < 0:
            chunks: list[bytes] = []
            while True:
                chunk = await self.read(CHUNK)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)
        while not pipe.buffer and not pipe.writer_closed:
            await self._wait()
        return self._take(min(limit, len(pipe.buffer)))

    async def readline(self) -> bytes:
        pipe = self.pipe
        while True:
            end = pipe.buffer.find(b"\n")
            if end >= 0:
                return self._take(end + 1)
            if pipe.writer_closed:
                return self._take(len(pipe.buffer))
            if len(pipe.buffer) >= Pipe.HIGH:        # a very long line: hand it out in pieces
                return self._take(len(pipe.buffer))
            await self._wait()

    def close(self) -> None:
        self.pipe.close_reader()
