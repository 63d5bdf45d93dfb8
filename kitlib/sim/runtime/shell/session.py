"""A shell reading its commands from stdin: ``kubectl exec -it POD -- sh`` (a prompt,
the terminal's echo, Ctrl-C) or ``kubectl exec -i POD -- sh < script`` (no prompt).

Lines are gathered until they make complete commands (an open ``if`` or quote asks for
more with PS2), then run.  On a terminal each command line runs as a task that Ctrl-C
cancels, and the step budget starts afresh with every line typed.
"""

from __future__ import annotations

import asyncio

from kitlib.sim.runtime.process import LimitExceeded
from kitlib.sim.runtime.shell.errors import (AbortCommand, ExitShell, Interrupted,
                                             ShellSyntaxError)
from kitlib.sim.runtime.shell.interpreter import Shell
from kitlib.sim.runtime.shell.nodes import Node
from kitlib.sim.runtime.shell.parser import Parser
from kitlib.sim.runtime.shell.streams import Reader, Sink


def expand_prompt(shell: Shell, template: str) -> str:
    """PS1's backslash escapes: \\u \\h \\H \\w \\W \\$ \\n \\\\ (\\[ \\] vanish)."""
    home = shell.get("HOME") or "/root"
    cwd = shell.cwd
    shown = "~" + cwd[len(home):] if cwd == home or cwd.startswith(home.rstrip("/") + "/") \
        else cwd
    host = shell.process.hostname or "localhost"
    table = {"u": shell.get("USER") or "root", "h": host.split(".", 1)[0], "H": host,
             "w": shown, "W": cwd.rsplit("/", 1)[-1] or "/", "$": "#", "n": "\n",
             "\\": "\\", "[": "", "]": "", "s": shell.arg0.rsplit("/", 1)[-1]}
    out: list[str] = []
    i = 0
    while i < len(template):
        c = template[i]
        if c == "\\" and i + 1 < len(template) and template[i + 1] in table:
            out.append(table[template[i + 1]])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _needs_more(text: str) -> bool:
    """A line ending in an unescaped backslash continues on the next one."""
    stripped = text.rstrip("\n")
    trailing = len(stripped) - len(stripped.rstrip("\\"))
    return trailing % 2 == 1


async def session(shell: Shell, *, interactive: bool) -> int:
    reader = shell.fds.get(0)
    if not isinstance(reader, Reader):
        return 0
    terminal = shell.process.terminal
    fired = asyncio.Event()
    if terminal is not None and interactive:
        terminal.handlers.append(fired.set)
    try:
        return await _loop(shell, reader, fired, interactive=interactive)
    finally:
        if terminal is not None and interactive:
            terminal.handlers.remove(fired.set)


async def _loop(shell: Shell, reader: Reader, fired: asyncio.Event, *,
                interactive: bool) -> int:
    status = 0
    pending = ""
    lineno = 1
    while True:
        if interactive:
            template = shell.get("PS1" if not pending else "PS2")
            if template is None:
                template = shell.flavour.prompt if not pending else "> "
            _prompt(shell, expand_prompt(shell, template))
        try:
            line = await reader.readline()
        except Interrupted:
            pending = ""
            continue
        shell.process.rested()
        if not line:
            if pending.strip():
                status = await _run_text(shell, pending, lineno, final=True, status=status)
            if interactive and shell.flavour.shell == "bash":
                _prompt(shell, "exit\n")
            elif interactive:
                _prompt(shell, "\n")
            return status
        text = line.decode("utf-8", "surrogateescape")
        pending += text if text.endswith("\n") else text + "\n"
        if _needs_more(pending):
            continue
        try:
            nodes = Parser(pending, shell=shell.flavour.shell, line=lineno,
                           final=False).parse_all()
        except ShellSyntaxError as e:
            if e.incomplete:
                continue
            shell.report_syntax(e)
            status = shell.last_status = 2
            if not interactive:
                raise ExitShell(2) from None
            lineno += pending.count("\n")
            pending = ""
            continue
        lineno += pending.count("\n")
        pending = ""
        for node in nodes:
            status = await _run_node(shell, node, fired, interactive=interactive)
            if status == 130 and interactive:
                break


async def _run_text(shell: Shell, text: str, line: int, *, final: bool, status: int) -> int:
    try:
        nodes = Parser(text, shell=shell.flavour.shell, line=line, final=final).parse_all()
    except ShellSyntaxError as e:
        shell.report_syntax(e)
        return 2
    for node in nodes:
        status = await shell.run(node)
    return status


async def _run_node(shell: Shell, node: Node, fired: asyncio.Event, *,
                    interactive: bool) -> int:
    terminal = shell.process.terminal
    if not interactive:
        return await shell.run(node)
    if terminal is None:
        return await _guarded(shell, shell.run(node))
    fired.clear()
    task = asyncio.ensure_future(_guarded(shell, shell.run(node)))
    interrupt = asyncio.ensure_future(fired.wait())
    try:
        done, _ = await asyncio.wait({task, interrupt}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        interrupt.cancel()
    if task in done:
        return task.result()
    terminal.interrupt.clear()
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    shell.last_status = 130
    return 130


async def _guarded(shell: Shell, running: "asyncio.Future[int] | object") -> int:
    """One interactive command line: its errors end the line, not the session."""
    try:
        return await running  # type: ignore[misc]
    except AbortCommand as e:
        shell.last_status = e.status
        return e.status
    except LimitExceeded as e:
        shell.report(str(e))
        shell.last_status = 137
        return 137
    except Interrupted:
        shell.last_status = 130
        return 130
    except RecursionError:
        shell.report("nesting too deep: the simulator stopped this command")
        shell.last_status = 2
        return 2


def _prompt(shell: Shell, text: str) -> None:
    sink = shell.fds.get(2)
    if isinstance(sink, Sink):
        sink.write(shell.encode(text))
