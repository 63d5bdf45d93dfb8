"""The builtins' tables and the helpers they share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Awaitable, Callable

from kitlib.sim.runtime.shell.streams import Sink

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.interpreter import Shell

Builtin = Callable[["Shell", list[str]], Awaitable[int]]
SPECIAL: dict[str, Builtin] = {}
REGULAR: dict[str, Builtin] = {}
SIGNALS = {"0": "EXIT", "1": "HUP", "2": "INT", "3": "QUIT", "9": "KILL", "10": "USR1",
           "12": "USR2", "13": "PIPE", "14": "ALRM", "15": "TERM", "17": "CHLD"}
SIGNAL_NUMBERS = {v: int(k) for k, v in SIGNALS.items()}
def special(*names: str) -> Callable[[Builtin], Builtin]:
    def register(fn: Builtin) -> Builtin:
        for name in names:
            SPECIAL[name] = fn
        return fn
    return register


def regular(*names: str) -> Callable[[Builtin], Builtin]:
    def register(fn: Builtin) -> Builtin:
        for name in names:
            REGULAR[name] = fn
        return fn
    return register


def out(shell: Shell, text: str) -> None:
    sink = shell.fds.get(1)
    if isinstance(sink, Sink):
        sink.write(shell.encode(text))


def is_name(text: str) -> bool:
    return bool(text) and (text[0].isalpha() or text[0] == "_") and \
        all(c.isalnum() or c == "_" for c in text)


def quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def number(shell: Shell, command: str, text: str) -> int:
    """A builtin's numeric argument, or the shell's "Illegal number" error."""
    try:
        return int(text)
    except ValueError:
        if shell.flavour.shell == "bash":
            raise shell.fail(f"{command}: {text}: numeric argument required", status=2) from None
        raise shell.fail(f"{command}: Illegal number: {text}", status=2) from None


