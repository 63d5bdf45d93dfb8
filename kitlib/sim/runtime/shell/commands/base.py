"""What a command is given when it runs, and the helpers every command shares.

A command is ``async (Invocation) -> exit status``.  The invocation carries its argv, its
three streams (pipes, files or the terminal, after redirections), its environment, and the
shell it runs from, through which it reaches the container's FileSystem, the pod's network
and the clock.  Messages follow the image's userland: ``cat: can't open 'x': ...`` in
busybox, ``cat: x: ...`` in GNU coreutils.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Awaitable, Callable

from kitlib.sim.runtime.fs.api import FileSystem, FsError, Stat
from kitlib.sim.runtime.process import LimitExceeded
from kitlib.sim.runtime.shell.errors import BrokenPipe, Interrupted
from kitlib.sim.runtime.shell.redirects import is_device, open_read, strerror
from kitlib.sim.runtime.shell.streams import Reader, Sink, read_all

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.flavour import Flavour
    from kitlib.sim.runtime.shell.interpreter import Process, Shell

CommandFn = Callable[["Invocation"], Awaitable[int]]


class UsageError(Exception):
    """A bad option or missing operand: the command prints ``message`` and exits 1
    (or ``status``)."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Invocation:
    argv: list[str]
    shell: Shell
    stdin: Reader
    stdout: Sink
    stderr: Sink
    env: dict[str, str]
    builtin: bool = False

    # --- what the command reaches -------------------------------------------------------

    @property
    def name(self) -> str:
        return self.argv[0].rsplit("/", 1)[-1]

    @property
    def args(self) -> list[str]:
        return self.argv[1:]

    @property
    def process(self) -> Process:
        return self.shell.process

    @property
    def fs(self) -> FileSystem:
        return self.shell.process.fs

    @property
    def flavour(self) -> Flavour:
        return self.shell.flavour

    @property
    def gnu(self) -> bool:
        return self.shell.flavour.gnu

    @property
    def cwd(self) -> str:
        return self.shell.cwd

    def path(self, path: str) -> str:
        return self.shell.abspath(path)

    # --- output ---------------------------------------------------------------------

    async def write(self, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        self.stdout.write(data)
        await self.stdout.drain()

    async def error(self, message: str) -> None:
        """``name: message`` on stderr."""
        self.stderr.write(f"{self.name}: {message}\n".encode("utf-8", "surrogateescape"))
        await self.stderr.drain()

    async def step(self, n: int = 1) -> None:
        await self.shell.process.step(n)

    # --- files ----------------------------------------------------------------------

    def open(self, path: str) -> Reader:
        """A reader for ``path`` (``-`` is stdin); raises FsError."""
        if path == "-":
            return self.stdin
        full = self.path(path)
        if not is_device(full) and self.fs.stat(full).kind == "dir":
            raise FsError("EISDIR", full)
        return open_read(self.shell, full)

    async def read_input(self, path: str = "-") -> bytes:
        """All of ``path`` (or stdin), up to the process's output limit."""
        return await read_all(self.open(path), self.shell.process.limits.output)

    def stat(self, path: str, *, follow: bool = True) -> Stat:
        return self.fs.stat(self.path(path), follow=follow)

    def strerror(self, error: FsError) -> str:
        return strerror(error)

    async def cant_open(self, path: str, error: FsError) -> int:
        """The userland's message for a file that cannot be read; returns 1."""
        if self.gnu:
            await self.error(f"{path}: {strerror(error)}")
        else:
            await self.error(f"can't open '{path}': {strerror(error)}")
        return 1

    def decode(self, data: bytes) -> str:
        return data.decode("utf-8", "surrogateescape")


async def run_invocation(fn: CommandFn, inv: Invocation, *, builtin: bool = False) -> int:
    """Run a command as a real process would end: a broken pipe is SIGPIPE (141), Ctrl-C
    is SIGINT (130), a failed write is an error message.  A shell builtin's broken pipe
    kills its shell, so it propagates."""
    try:
        return await fn(inv)
    except UsageError as e:
        if e.message:
            await inv.error(e.message)
        return e.status
    except BrokenPipe:
        if builtin:
            raise
        return 141
    except Interrupted:
        return 130
    except FsError as e:
        try:
            await inv.error(f"write error: {strerror(e)}")
        except BrokenPipe:
            pass
        return 1
    except LimitExceeded:
        raise


def parse_flags(inv: Invocation, spec: str, *, long: dict[str, str] | None = None,
                stop_at_operand: bool = False) -> tuple[dict[str, str | bool], list[str]]:
    """getopt-style options: ``spec`` lists letters, ``x:`` takes a value.  ``long`` maps
    ``--name`` (or ``--name=``) to a letter.  Unknown options raise UsageError with the
    userland's wording."""
    flags: dict[str, str | bool] = {}
    operands: list[str] = []
    args = inv.args
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            operands.extend(args[i:])
            break
        if arg.startswith("--") and long is not None:
            name, eq, value = arg[2:].partition("=")
            letter = long.get(name) or long.get(name + "=")
            if letter is None:
                raise UsageError(_unknown_long(inv, arg))
            if (name + "=") in long:
                if not eq:
                    if i >= len(args):
                        raise UsageError(f"option '--{name}' requires an argument")
                    value = args[i]
                    i += 1
                flags[letter] = value
            else:
                flags[letter] = True
            continue
        if len(arg) > 1 and arg[0] == "-" and not (arg[1].isdigit() and "#" in spec):
            j = 1
            while j < len(arg):
                letter = arg[j]
                pos = spec.find(letter)
                if pos < 0 or letter == ":":
                    raise UsageError(_unknown(inv, letter))
                if spec[pos + 1:pos + 2] == ":":
                    value = arg[j + 1:]
                    if not value:
                        if i >= len(args):
                            raise UsageError(_needs_arg(inv, letter))
                        value = args[i]
                        i += 1
                    flags[letter] = value
                    break
                flags[letter] = True
                j += 1
            continue
        operands.append(arg)
        if stop_at_operand:
            operands.extend(args[i:])
            break
    return flags, operands


def _unknown(inv: Invocation, letter: str) -> str:
    if inv.gnu:
        return f"invalid option -- '{letter}'\nTry '{inv.name} --help' for more information."
    return f"unrecognized option: {letter}" if inv.flavour.distro == "alpine" \
        else f"invalid option -- '{letter}'"


def _unknown_long(inv: Invocation, arg: str) -> str:
    if inv.gnu:
        return f"unrecognized option '{arg}'\nTry '{inv.name} --help' for more information."
    return f"unrecognized option '{arg}'"


def _needs_arg(inv: Invocation, letter: str) -> str:
    if inv.gnu:
        return (f"option requires an argument -- '{letter}'\n"
                f"Try '{inv.name} --help' for more information.")
    return f"option requires an argument -- '{letter}'"
