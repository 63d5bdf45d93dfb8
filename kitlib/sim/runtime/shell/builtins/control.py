"""Builtins that steer the script: exit, return, break, continue, eval, ., exec, shift,
trap, times."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.shell.errors import ExitShell, LoopControl, ReturnFromFunction
from kitlib.sim.runtime.shell.redirects import strerror
from kitlib.sim.runtime.shell.streams import Sink
from kitlib.sim.runtime.shell.builtins.registry import (SIGNAL_NUMBERS, SIGNALS, number, out,
                                                        quote, special)

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.interpreter import Shell

# --- control --------------------------------------------------------------------------


@special(":")
async def colon(shell: Shell, argv: list[str]) -> int:
    return 0


@special("exit")
async def exit_(shell: Shell, argv: list[str]) -> int:
    status = number(shell, "exit", argv[1]) & 255 if len(argv) > 1 else shell.last_status
    if shell.interactive and shell.flavour.shell == "bash" and not shell.subshell:
        sink = shell.fds.get(2)
        if isinstance(sink, Sink):
            sink.write(b"exit\n")
    raise ExitShell(status)


@special("return")
async def return_(shell: Shell, argv: list[str]) -> int:
    status = number(shell, "return", argv[1]) & 255 if len(argv) > 1 else shell.last_status
    if shell.function_depth == 0 and not shell.sourcing:
        if shell.flavour.shell == "bash":
            shell.report("return: can only `return' from a function or sourced script")
            return 1
    raise ReturnFromFunction(status)


@special("break", "continue")
async def break_(shell: Shell, argv: list[str]) -> int:
    levels = number(shell, argv[0], argv[1]) if len(argv) > 1 else 1
    if levels < 1:
        raise shell.fail(f"{argv[0]}: Illegal number: {argv[1]}", status=2)
    if shell.loop_depth == 0:
        return 0
    raise LoopControl(min(levels, shell.loop_depth), again=argv[0] == "continue")


@special("eval")
async def eval_(shell: Shell, argv: list[str]) -> int:
    text = " ".join(argv[1:])
    return await shell.run_source(text, line=shell.line) if text.strip() else 0


@special(".", "source")
async def source(shell: Shell, argv: list[str]) -> int:
    if argv[0] == "source" and shell.flavour.shell == "dash":
        shell.report(shell.flavour.not_found("source"))
        return 127
    if len(argv) < 2:
        if shell.flavour.shell == "bash":
            shell.report(f"{argv[0]}: filename argument required")
            return 2
        return 0
    name = argv[1]
    candidates = [name] if "/" in name else \
        [d + "/" + name for d in (shell.get("PATH") or "").split(":") if d] + \
        ([name] if shell.flavour.shell != "dash" else [])
    text = None
    error: FsError | None = None
    for candidate in candidates:
        try:
            data = shell.process.fs.read(shell.abspath(candidate))
            text = data.decode("utf-8", "surrogateescape")
            break
        except FsError as e:
            error = error or e
    if text is None:
        reason = strerror(error) if error else "No such file or directory"
        if shell.flavour.shell == "bash":
            shell.report(f"{name}: {reason}")
            return 1
        if shell.flavour.shell == "dash":
            raise shell.fail(f".: cannot open {name}: No such file", status=2)
        raise shell.fail(f".: can't open '{name}': {reason}", status=2)
    saved = shell.positional
    if len(argv) > 2:
        shell.positional = argv[2:]
    shell.sourcing += 1
    try:
        return await shell.run_source(text)
    except ReturnFromFunction as e:
        return e.status
    finally:
        shell.sourcing -= 1
        if len(argv) > 2:
            shell.positional = saved


@special("exec")
async def exec_(shell: Shell, argv: list[str]) -> int:
    status = await shell.exec_external(argv[1:], shell.environ(), shell.fds)
    raise ExitShell(status)


@special("shift")
async def shift(shell: Shell, argv: list[str]) -> int:
    n = number(shell, "shift", argv[1]) if len(argv) > 1 else 1
    if n > len(shell.positional) or n < 0:
        if shell.flavour.shell == "bash":
            return 1
        raise shell.fail("shift: can't shift that many", status=2)
    shell.positional = shell.positional[n:]
    return 0


@special("times")
async def times(shell: Shell, argv: list[str]) -> int:
    out(shell, "0m0.00s 0m0.00s\n0m0.00s 0m0.00s\n")
    return 0


@special("trap")
async def trap(shell: Shell, argv: list[str]) -> int:
    args = argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args or args == ["-p"]:
        for signal, action in sorted(shell.traps.items()):
            out(shell, f"trap -- {quote(action)} {signal}\n")
        return 0
    if args == ["-l"]:
        out(shell, " ".join(f"{n}) SIG{name}" for n, name in sorted(
            ((int(k), v) for k, v in SIGNALS.items() if k != "0"))) + "\n")
        return 0
    action, names = (args[0], args[1:]) if len(args) > 1 or not _signal(args[0]) else ("-", args)
    status = 0
    for name in names:
        signal = _signal(name)
        if signal is None:
            shell.report(f"trap: {name}: invalid signal specification" if
                         shell.flavour.shell == "bash" else f"trap: {name}: bad trap")
            status = 1
            continue
        if action == "-":
            shell.traps.pop(signal, None)
        else:
            shell.traps[signal] = action
    return status


def _signal(name: str) -> str | None:
    upper = name.upper()
    if upper.startswith("SIG"):
        upper = upper[3:]
    if upper in SIGNALS:
        return SIGNALS[upper]
    return upper if upper in SIGNAL_NUMBERS or upper == "ERR" else None


