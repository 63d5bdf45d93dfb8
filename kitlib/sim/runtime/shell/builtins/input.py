"""``read``: a line from stdin, split into variables by IFS."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Awaitable

from kitlib.sim.runtime.shell.streams import Reader, Sink
from kitlib.sim.runtime.shell.builtins.registry import regular

if TYPE_CHECKING:
    from kitlib.sim.runtime.shell.interpreter import Shell

# --- input ----------------------------------------------------------------------------


@regular("read")
async def read(shell: Shell, argv: list[str]) -> int:
    raw = False
    prompt = ""
    timeout: float | None = None
    names: list[str] = []
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-r":
            raw = True
        elif arg in ("-p", "-t", "-n", "-d", "-u", "-a") and i + 1 < len(args):
            if arg == "-p":
                prompt = args[i + 1]
            elif arg == "-t":
                timeout = float(args[i + 1]) if args[i + 1].replace(".", "", 1).isdigit() else None
            i += 1
        elif arg in ("-s",) or (arg.startswith("-") and len(arg) > 1 and arg[1:].isalpha()):
            raw = raw or "r" in arg
        else:
            names.append(arg)
        i += 1
    names = names or ["REPLY"]
    stdin = shell.fds.get(0)
    if not isinstance(stdin, Reader):
        return 1
    if prompt and stdin.isatty:
        sink = shell.fds.get(2)
        if isinstance(sink, Sink):
            sink.write(shell.encode(prompt))
    line = ""
    ended = False
    while True:
        if timeout is not None:
            chunk = await _with_timeout(shell, stdin.readline(), timeout)
            if chunk is None:
                return 142 if shell.flavour.shell == "bash" else 1
        else:
            chunk = await stdin.readline()
        shell.process.rested()
        text = chunk.decode("utf-8", "surrogateescape")
        if not text.endswith("\n"):
            ended = True
        else:
            text = text[:-1]
        if not raw and text.endswith("\\") and not text.endswith("\\\\") and not ended:
            line += text[:-1]
            continue
        line += text
        break
    if ended and not line:
        for name in names:
            shell.assign(name, "")
        return 1
    if not raw:
        line = _unbackslash(line)
    _split_into(shell, line, names)
    return 1 if ended else 0


async def _with_timeout(shell: Shell, reading: Awaitable[bytes], seconds: float) -> bytes | None:
    read_task = asyncio.ensure_future(reading)
    timer = asyncio.ensure_future(shell.process.clock.sleep(seconds))
    done, _ = await asyncio.wait({read_task, timer}, return_when=asyncio.FIRST_COMPLETED)
    timer.cancel()
    if read_task in done:
        return read_task.result()
    read_task.cancel()
    return None


def _unbackslash(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _split_into(shell: Shell, line: str, names: list[str]) -> None:
    ifs = shell.get("IFS")
    ifs = " \t\n" if ifs is None else ifs
    ws = "".join(c for c in ifs if c in " \t\n")
    line = line.strip(ws) if ws else line
    values: list[str] = []
    rest = line
    for _ in names[:-1]:
        if not rest:
            values.append("")
            continue
        cut = next((k for k, c in enumerate(rest) if c in ifs), -1) if ifs else -1
        if cut < 0:
            values.append(rest)
            rest = ""
            continue
        values.append(rest[:cut])
        rest = rest[cut:]
        rest = rest.lstrip(ws)
        if rest[:1] and rest[0] in ifs and rest[0] not in ws:
            rest = rest[1:].lstrip(ws)
    values.append(rest.rstrip(ws) if ws else rest)
    for name, value in zip(names, values):
        shell.assign(name, value)
