"""The pseudo-terminal of ``kubectl exec -t``: echo, line editing, Ctrl-C, Ctrl-D.

kubectl puts the learner's terminal in raw mode and sends every keystroke as typed
(Enter is ``\\r``, Backspace is ``\\x7f``); on a real node the container's pty echoes
them, assembles lines, turns Ctrl-C into SIGINT and ``\\n`` into ``\\r\\n``.  This is that
line discipline, in canonical mode, for the shell and every command it runs.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Callable

from kitlib.sim.runtime.process import Input
from kitlib.sim.runtime.shell.errors import Interrupted
from kitlib.sim.runtime.shell.streams import OutputSink, Reader

_EOF = b""


class Terminal:
    def __init__(self, source: Input, sink: OutputSink) -> None:
        self.source = source
        self.sink = sink                         # the tty's output (ONLCR on)
        self.reader = TerminalReader(self)
        self.lines: deque[bytes] = deque()
        self.editing = bytearray()
        self.closed = False
        self.interrupt = asyncio.Event()
        #: Who gets SIGINT: the innermost interactive shell, else the process itself.
        self.handlers: list[Callable[[], None]] = []
        self._changed = asyncio.Event()
        self._last_cr = False
        self._escape = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._pump())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _pump(self) -> None:
        while True:
            data = await self.source.read(4096)
            if not data:
                self.closed = True
                self._changed.set()
                return
            for byte in data:
                self._feed(byte)
            self._changed.set()

    def _echo(self, data: bytes) -> None:
        self.sink.target.write(data)

    def _feed(self, b: int) -> None:
        if self._escape:                         # arrow keys and friends: ESC [ ... letter
            self._escape = 0 if (self._escape > 1 and 0x40 <= b <= 0x7E) else self._escape + 1
            if self._escape > 8:
                self._escape = 0
            return
        if b == 0x0A and self._last_cr:          # \r\n from a client that sends both
            self._last_cr = False
            return
        self._last_cr = b == 0x0D
        if b in (0x0D, 0x0A):
            self.editing += b"\n"
            self._echo(b"\r\n")
            self.lines.append(bytes(self.editing))
            self.editing.clear()
        elif b in (0x7F, 0x08):
            if self.editing:
                cut = len(self.editing) - 1
                while cut > 0 and 0x80 <= self.editing[cut] < 0xC0:
                    cut -= 1                      # a whole UTF-8 character
                del self.editing[cut:]
                self._echo(b"\b \b")
        elif b == 0x03:
            self._echo(b"^C\r\n")
            self.editing.clear()
            self.lines.clear()
            self.interrupt.set()
            if self.handlers:
                self.handlers[-1]()
        elif b == 0x04:
            if self.editing:
                self.lines.append(bytes(self.editing))
                self.editing.clear()
            else:
                self.lines.append(_EOF)
        elif b == 0x15:
            self._echo(b"\b \b" * len(self.editing.decode("utf-8", "replace")))
            self.editing.clear()
        elif b == 0x1B:
            self._escape = 1
        elif b < 0x20 and b != 0x09:
            pass                                 # other control keys do nothing here
        else:
            self.editing.append(b)
            self._echo(bytes([b]))

    async def next_line(self, *, interruptible: bool = True) -> bytes:
        """The next line typed (with its newline); b"" for Ctrl-D or a closed stream.
        Raises Interrupted when Ctrl-C is typed while waiting."""
        while True:
            if interruptible and self.interrupt.is_set():
                self.interrupt.clear()
                raise Interrupted()
            if self.lines:
                return self.lines.popleft()
            if self.closed:
                return _EOF
            self._changed.clear()
            await self._changed.wait()


class TerminalReader(Reader):
    isatty = True

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.partial = b""

    async def readline(self) -> bytes:
        if self.partial:
            out, self.partial = self.partial, b""
            return out
        return await self.terminal.next_line()

    async def read(self, limit: int = -1) -> bytes:
        if limit < 0:
            chunks: list[bytes] = []
            while (line := await self.readline()):
                chunks.append(line)
            return b"".join(chunks)
        line = await self.readline()
        out, self.partial = line[:limit], line[limit:]
        return out
