"""Container logs, kept as the kubelet keeps them, and read as ``kubectl logs`` reads them.

Everything a container's main process writes to stdout and stderr becomes lines of its
log, each stamped with the simulated time it was written at; one log per container, so a
restarted container's predecessor keeps its own (``kubectl logs --previous``).  A log is
rotated as the kubelet rotates it (past 10 MiB the current file starts afresh; ``kubectl
logs`` only ever reads the current one), which bounds the memory a chatty container
holds.  Lines are stored compactly: their bytes in one buffer, their times and streams
in arrays (see ``ContainerLog``).
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
#: Lines a log keeps one by one (shared with other logs) before it switches to one buffer.
SMALL_LINES = 256
#: Lines up to this long are shared between logs (a bounded table of them).
SHARED_LINE = 256
SHARED_LINES = 8192
Listener = Callable[[str, bytes], None]
_SHARED: dict[bytes, bytes] = {}


def _shared(line: bytes) -> bytes:
    """One copy of a line many containers write (nginx's start-up lines)."""
    if len(line) > SHARED_LINE:
        return line
    found = _SHARED.get(line)
    if found is None:
        if len(_SHARED) >= SHARED_LINES:
            _SHARED.clear()                 # a fresh table: old lines stay where they are
        found = _SHARED[line] = line
    return found


def rfc3339_nano(moment: float) -> str:
    """The kubelet's fixed-width RFC 3339 time with nanoseconds."""
    whole = int(moment)
    nanos = int(round((moment - whole) * 1e9))
    if nanos >= 1_000_000_000:
        whole, nanos = whole + 1, nanos - 1_000_000_000
    text = datetime.fromtimestamp(whole, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.{nanos:09d}Z"


class ContainerLog:
    """The current log file of one container.

    Most containers write a few dozen lines at start and then nothing (nginx, redis):
    their lines are kept as separate bytes objects, shared between containers that wrote
    the same line (ten thousand nginx logs hold each start-up line once).  Past
    ``SMALL_LINES`` lines a log keeps its text in one buffer with an array of offsets.
    """

    __slots__ = ("_now", "_max", "_lines", "_text", "_starts", "_times", "_flags",
                 "_pending", "_size", "rotations", "closed", "_grown", "_listeners")

    def __init__(self, *, now: Callable[[], float], max_size: int = MAX_SIZE) -> None:
        self._now = now
        self._max = max_size
        self._lines: list[bytes] | None = []        # a small log's lines
        self._text: bytearray | None = None         # a large one's, with their starts
        self._starts: array[int] | None = None
        self._times = array("d")
        self._flags = bytearray()
        self._pending: dict[str, bytes] | None = None   # a stream's unfinished line
        self._size = 0
        self.rotations = 0
        self.closed = False
        self._grown: asyncio.Event | None = None
        self._listeners: list[Listener] | None = None

    @property
    def listeners(self) -> list[Listener]:
        """Who watches the raw output as it comes (``kubectl attach``)."""
        if self._listeners is None:
            self._listeners = []
        return self._listeners

    # --- writing ------------------------------------------------------------------------

    def writer(self, stream: str) -> LogWriter:
        return LogWriter(self, stream)

    def append(self, stream: str, data: bytes) -> None:
        if self.closed or not data:
            return
        if type(data) is not bytes:
            data = bytes(data)
        if self._listeners:
            for listener in list(self._listeners):
                listener(stream, data)
        pending = self._pending
        if pending and stream in pending:
            data = pending.pop(stream) + data
        start = 0
        while True:
            end = data.find(b"\n", start)
            if end < 0:
                break
            self._line(stream, data[start:end + 1], partial=False)
            start = end + 1
        while len(data) - start >= MAX_LINE:
            self._line(stream, data[start:start + MAX_LINE], partial=True)
            start += MAX_LINE
        if start < len(data):
            if self._pending is None:
                self._pending = {}
            self._pending[stream] = data[start:]
        self._notify()

    def close(self) -> None:
        """The process ended: what it left unfinished becomes a last (partial) line."""
        if self._pending:
            for stream in ("stdout", "stderr"):
                rest = self._pending.pop(stream, b"")
                if rest:
                    self._line(stream, rest, partial=True)
        self._pending = None
        self.closed = True
        self._notify()

    def _line(self, stream: str, text: bytes, *, partial: bool) -> None:
        cost = len(text) + LINE_OVERHEAD
        if self._size + cost > self._max and self._times:
            self._rotate()
        self._times.append(self._now())
        self._flags.append((STDERR if stream == "stderr" else 0) | (PARTIAL if partial else 0))
        self._size += cost
        lines = self._lines
        if lines is None:
            assert self._text is not None and self._starts is not None
            self._starts.append(len(self._text))
            self._text.extend(text)
        elif len(lines) < SMALL_LINES:
            lines.append(_shared(text))
        else:                                           # a chatty one: one buffer from now
            starts, offset = array("q"), 0
            for line in lines:
                starts.append(offset)
                offset += len(line)
            starts.append(offset)
            self._text = bytearray().join([*lines, text])
            self._starts, self._lines = starts, None

    def _rotate(self) -> None:
        self._lines, self._text, self._starts = [], None, None
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
        return len(self._times)

    def _entry(self, index: int) -> tuple[float, int, bytes]:
        return self._times[index], self._flags[index], self._line_text(index)

    def _line_text(self, index: int) -> bytes:
        if self._lines is not None:
            return self._lines[index]
        assert self._text is not None and self._starts is not None
        start = self._starts[index]
        end = self._starts[index + 1] if index + 1 < len(self._starts) else len(self._text)
        return bytes(self._text[start:end])

    def text(self) -> bytes:
        """Everything in the current file, as ``kubectl logs`` prints it."""
        if self._lines is not None:
            return b"".join(self._lines)
        return bytes(self._text or b"")

    def tail_text(self, *, lines: int, limit: int) -> bytes:
        first = max(0, len(self._times) - lines)
        if self._lines is not None:
            return b"".join(self._lines[first:])[-limit:]
        assert self._text is not None and self._starts is not None
        start = self._starts[first] if first < len(self._starts) else len(self._text)
        return bytes(self._text[start:])[-limit:]

    async def read(self, *, since: float | None = None, tail: int | None = None,
                   limit_bytes: int | None = None, timestamps: bool = False,
                   follow: bool = False) -> AsyncIterator[bytes]:
        """The log's lines (and, with ``follow``, those still to come until it closes)."""
        index = bisect_left(self._times, since) if since is not None else 0
        if tail is not None:
            index = max(index, len(self._times) - max(0, tail))
        rotations = self.rotations
        left = limit_bytes if limit_bytes is not None and limit_bytes > 0 else None
        while True:
            if self.rotations != rotations:
                index, rotations = 0, self.rotations
            while index < len(self._times):
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

    __slots__ = ("log", "stream")

    def __init__(self, log: ContainerLog, stream: str) -> None:
        self.log = log
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.log.append(self.stream, data)
