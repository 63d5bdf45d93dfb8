"""Container logs, kept as the kubelet keeps them, and read as ``kubectl logs`` reads them.

Everything a container's main process writes to stdout and stderr becomes lines of its
log, each stamped with the simulated time it was written at; one log per container, so a
restarted container's predecessor keeps its own (``kubectl logs --previous``).  A log is
rotated as the kubelet rotates it (past 10 MiB the current file starts afresh; ``kubectl
logs`` only ever reads the current one), which bounds the memory a chatty container
holds.  Lines are stored compactly: their bytes in one buffer, their times and streams
in arrays.
"""

from __future__ import annotations

import asyncio
from array import array
from bisect import bisect_left
from datetime import datetime, timezone
from typing import AsyncIterator, Callable

#: The kubelet's containerLogMaxSize.
MAX_SIZE = 10 * 1024 * 1024
#: A line longer than this is cut into partial lines (the CRI logger's buffer).
MAX_LINE = 16 * 1024
#: What each line costs in the kubelet's file beyond its text (timestamp, stream, tag).
LINE_OVERHEAD = 40
STDERR, PARTIAL = 1, 2
Listener = Callable[[str, bytes], None]


def rfc3339_nano(moment: float) -> str:
    """The kubelet's fixed-width RFC 3339 time with nanoseconds."""
    whole = int(moment)
    nanos = int(round((moment - whole) * 1e9))
    if nanos >= 1_000_000_000:
        whole, nanos = whole + 1, nanos - 1_000_000_000
    text = datetime.fromtimestamp(whole, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{nanos:09d}Z"


class ContainerLog:
    """The current log file of one container."""

    def __init__(self, *, now: Callable[[], float], max_size: int = MAX_SIZE) -> None:
        self._now = now
        self._max = max_size
        self._text = bytearray()
        self._starts = array("q")
        self._times = array("d")
        self._flags = bytearray()
        self._pending = {"stdout": bytearray(), "stderr": bytearray()}
        self._size = 0
        self.rotations = 0
        self.closed = False
        self._grown: asyncio.Event | None = None
        #: Who watches the raw output as it comes (``kubectl attach``).
        self.listeners: list[Listener] = []

    # --- writing ------------------------------------------------------------------------

    def writer(self, stream: str) -> LogWriter:
        return LogWriter(self, stream)

    def append(self, stream: str, data: bytes) -> None:
        if self.closed or not data:
            return
        for listener in list(self.listeners):
            listener(stream, data)
        pending = self._pending[stream]
        pending.extend(data)
        while True:
            end = pending.find(b"\n")
            if end < 0:
                break
            self._line(stream, bytes(pending[:end + 1]), partial=False)
            del pending[:end + 1]
        while len(pending) >= MAX_LINE:
            self._line(stream, bytes(pending[:MAX_LINE]), partial=True)
            del pending[:MAX_LINE]
        self._notify()

    def close(self) -> None:
        """The process ended: what it left unfinished becomes a last (partial) line."""
        for stream, pending in self._pending.items():
            if pending:
                self._line(stream, bytes(pending), partial=True)
                pending.clear()
        self.closed = True
        self._notify()

    def _line(self, stream: str, text: bytes, *, partial: bool) -> None:
        cost = len(text) + LINE_OVERHEAD
        if self._size + cost > self._max and self._starts:
            self._rotate()
        self._starts.append(len(self._text))
        self._times.append(self._now())
        self._flags.append((STDERR if stream == "stderr" else 0) | (PARTIAL if partial else 0))
        self._text.extend(text)
        self._size += cost

    def _rotate(self) -> None:
        self._text = bytearray()
        self._starts = array("q")
        self._times = array("d")
        self._flags = bytearray()
        self._size = 0
        self.rotations += 1

    def _notify(self) -> None:
        if self._grown is not None:
            self._grown.set()
            self._grown = None

    async def _changed(self) -> None:
        if self._grown is None:
            self._grown = asyncio.Event()
        await self._grown.wait()

    # --- reading ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._starts)

    def _entry(self, index: int) -> tuple[float, int, bytes]:
        start = self._starts[index]
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self._text)
        return self._times[index], self._flags[index], bytes(self._text[start:end])

    def text(self) -> bytes:
        """Everything in the current file, as ``kubectl logs`` prints it."""
        return bytes(self._text)

    def tail_text(self, *, lines: int, limit: int) -> bytes:
        first = max(0, len(self._starts) - lines)
        start = self._starts[first] if first < len(self._starts) else len(self._text)
        return bytes(self._text[start:])[-limit:]

    async def read(self, *, since: float | None = None, tail: int | None = None,
                   limit_bytes: int | None = None, timestamps: bool = False,
                   follow: bool = False) -> AsyncIterator[bytes]:
        """The log's lines (and, with ``follow``, those still to come until it closes)."""
        index = bisect_left(self._times, since) if since is not None else 0
        if tail is not None:
            index = max(index, len(self._starts) - max(0, tail))
        rotations = self.rotations
        left = limit_bytes if limit_bytes is not None and limit_bytes > 0 else None
        while True:
            if self.rotations != rotations:
                index, rotations = 0, self.rotations
            while index < len(self._starts):
                moment, _flags, text = self._entry(index)
                index += 1
                if since is not None and moment < since:
                    continue
                chunk = (rfc3339_nano(moment).encode() + b" " + text) if timestamps else text
                if left is not None:
                    chunk = chunk[:left]
                    left -= len(chunk)
                yield chunk
                if left is not None and left <= 0:
                    return
            if not follow or self.closed:
                return
            await self._changed()


class LogWriter:
    """The Output a container's main process writes its stdout or stderr to."""

    def __init__(self, log: ContainerLog, stream: str) -> None:
        self.log = log
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.log.append(self.stream, bytes(data))
