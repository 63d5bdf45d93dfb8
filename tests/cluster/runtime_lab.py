"""Helpers for the runtime tests: a stand-in shell, and reaching a node's runtime.

The sandboxed shell (``runtime/shell``) is written alongside the runtime; until it can be
imported, ``install_stub_shell`` puts in its place a tiny interpreter that runs what the
docs' examples run (``;``, ``&&``, ``while true; do ...; done``, ``>`` and ``>>``, and
echo, printenv, sleep, touch, rm, cat, mkdir, exit) with busybox's messages.  When the
real shell is there, it is used and this stub is not.
"""

from __future__ import annotations

import asyncio
import shlex
from typing import Any, Callable

from kitlib.sim.runtime.fs.api import FsError
from kitlib.sim.runtime.process import ProcessContext
from kitlib.sim.runtime.programs import shells


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _parse(tokens: list[str], index: int = 0, stop: tuple[str, ...] = ()) -> tuple[list, int]:
    nodes: list[tuple[str, Any]] = []
    current: list[str] = []
    connector = ";"
    while index < len(tokens):
        token = tokens[index]
        if not current and token in stop:
            return nodes, index
        if not current and token == "while":
            condition, index = _parse(tokens, index + 1, ("do",))
            body, index = _parse(tokens, index + 1, ("done",))
            nodes.append((connector, ("while", condition, body)))
            connector, index = ";", index + 1
            continue
        if token in (";", "&&", "||"):
            if current:
                nodes.append((connector, ("cmd", current)))
                current = []
            connector, index = token, index + 1
            continue
        current.append(token)
        index += 1
    if current:
        nodes.append((connector, ("cmd", current)))
    return nodes, index


def _echo(words: list[str]) -> bytes:
    newline, escapes = True, False
    while words and words[0].startswith("-") and set(words[0][1:]) <= {"n", "e", "E"} \
            and len(words[0]) > 1:
        newline = newline and "n" not in words[0]
        escapes = escapes or "e" in words[0]
        words = words[1:]
    text = " ".join(words)
    if escapes:
        text = text.replace("\\n", "\n").replace("\\t", "\t")
    return (text + ("\n" if newline else "")).encode()


async def _simple(ctx: ProcessContext, words: list[str]) -> int:
    target, append = None, False
    for marker in (">>", ">"):
        if marker in words:
            at = words.index(marker)
            target, append = words[at + 1], marker == ">>"
            words = words[:at] + words[at + 2:]
            break
    out = bytearray()
    name, args = words[0], words[1:]
    status = 0
    fs = ctx.fs
    if name in ("echo",):
        out += _echo(args)
    elif name == "printenv":
        if not args:
            out += "".join(f"{k}={v}\n" for k, v in ctx.env.items()).encode()
        for key in args:
            if key in ctx.env:
                out += (ctx.env[key] + "\n").encode()
            else:
                status = 1
    elif name == "sleep":
        await ctx.clock.sleep(float(args[0]) if args else 0)
    elif name == "touch":
        for path in args:
            if not fs.exists(path):
                fs.write(path, b"")
    elif name == "rm":
        for path in [a for a in args if not a.startswith("-")]:
            try:
                fs.remove(path, recursive="-rf" in args or "-r" in args)
            except FsError:
                status = 0 if "-f" in args or "-rf" in args else 1
    elif name == "mkdir":
        for path in [a for a in args if not a.startswith("-")]:
            fs.mkdir(path, parents="-p" in args)
    elif name == "cat":
        for path in args:
            try:
                out += fs.read(path)
            except FsError as exc:
                ctx.stderr.write(f"cat: can't open '{path}': {exc.strerror_text}\n".encode())
                status = 1
    elif name == "exit":
        raise _Exit(int(args[0]) if args else 0)
    elif name in ("true", ":"):
        pass
    elif name == "false":
        status = 1
    else:
        ctx.stderr.write(f"sh: {name}: not found\n".encode())
        return 127
    if target is not None:
        fs.write(target, bytes(out), append=append)
    else:
        ctx.stdout.write(bytes(out))
    return status


async def _run(ctx: ProcessContext, nodes: list[tuple[str, Any]]) -> int:
    status = 0
    for connector, node in nodes:
        if (connector == "&&" and status != 0) or (connector == "||" and status == 0):
            continue
        if node[0] == "while":
            while await _run(ctx, node[1]) == 0:
                await _run(ctx, node[2])
                await asyncio.sleep(0)
            status = 0
        else:
            status = await _simple(ctx, node[1])
    return status


async def stub_script(ctx: ProcessContext, script: str) -> int:
    lexer = shlex.shlex(script.replace("\n", " ; "), posix=True, punctuation_chars=";&|>")
    lexer.whitespace_split = True
    nodes, _ = _parse(list(lexer))
    try:
        return await _run(ctx, nodes)
    except _Exit as done:
        return done.code


async def _stub_shell(ctx: ProcessContext, **_options: Any) -> int:
    args = ctx.argv[1:]
    if "-c" in args:
        return await stub_script(ctx, args[args.index("-c") + 1])
    if getattr(ctx.stdin, "closed", False):
        return 0
    status = 0
    while line := await ctx.stdin.readline():
        status = await stub_script(ctx, line.decode())
    return status


async def _stub_command(ctx: ProcessContext, **_options: Any) -> int:
    try:
        return await _simple(ctx, list(ctx.argv))
    except _Exit as done:
        return done.code


STUB = shells.ShellApi(run_shell=_stub_shell, run_command=_stub_command,
                       flavour=lambda installed, shell: shell)


def install_stub_shell() -> bool:
    """Use the stub when the sandboxed shell cannot be imported; True if it is in use."""
    shells.use_shell(None)
    if shells.shell_api() is not None:
        return False
    shells.use_shell(STUB)
    return True


def runtime_of(sim: Any, namespace: str, pod: str) -> Any:
    """The simulated runtime of the node the pod is bound to."""
    record = sim.cluster.fleet.ctx.informers("pods").get(namespace, pod)
    assert record is not None, f"pod {namespace}/{pod} not found"
    return sim.cluster.fleet.kubelet(record.fields.get("spec.nodeName", "")).runtime


def run(sim: Any, work: Callable[[], Any]) -> Any:
    """Await ``work()`` in the cluster's event loop."""
    async def call() -> Any:
        return await work()
    return sim.call(call())
