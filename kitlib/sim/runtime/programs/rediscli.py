"""redis-cli: one command from its arguments, or a prompt reading commands from stdin.

On a terminal (``kubectl exec -it redis -- redis-cli``) it prompts ``127.0.0.1:6379>`` and
prints replies as redis-cli does (``"value"``, ``(integer) 1``, ``(nil)``,
``(error) ERR ...``, numbered arrays); without one it prints them raw.
"""

from __future__ import annotations

import shlex

from kitlib.sim.network.api import Connection, NetError
from kitlib.sim.runtime.launch import Installed
from kitlib.sim.runtime.process import ProcessContext, Program
from kitlib.sim.runtime.programs.base import line_io
from kitlib.sim.runtime.programs.resp import (Error, Reply, Status, encode_command,
                                              parse_reply)


def show(reply: Reply, *, raw: bool, indent: int = 0) -> str:
    if isinstance(reply, Status):
        return reply.text
    if isinstance(reply, Error):
        return reply.text if raw else f"(error) {reply.text}"
    if isinstance(reply, int):
        return str(reply) if raw else f"(integer) {reply}"
    if reply is None:
        return "" if raw else "(nil)"
    if isinstance(reply, bytes):
        text = reply.decode("utf-8", "replace")
        if raw:
            return text
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if not reply:
        return "" if raw else "(empty array)"
    if raw:
        return "\n".join(show(item, raw=True) for item in reply)
    width = len(str(len(reply)))
    lines = []
    for number, item in enumerate(reply, 1):
        prefix = f"{number:>{width}}) "
        text = show(item, raw=False, indent=indent + len(prefix))
        lines.append((" " * indent if number > 1 else "") + prefix + text)
    return "\n".join(lines)


async def _ask(connection: Connection, words: list[str], buffer: bytearray) -> Reply:
    connection.write(encode_command([w.encode() for w in words]))
    await connection.drain()
    while True:
        parsed = parse_reply(buffer)
        if parsed is not None:
            return parsed[0]
        chunk = await connection.read()
        if not chunk:
            return Error("Server closed the connection")
        buffer.extend(chunk)


def redis_cli(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        args, host, port, raw = ctx.argv[1:], "127.0.0.1", 6379, not ctx.tty
        words: list[str] = []
        index = 0
        while index < len(args):
            word = args[index]
            if word in ("-h", "-p", "-n", "-a") and index + 1 < len(args):
                if word == "-h":
                    host = args[index + 1]
                elif word == "-p":
                    port = int(args[index + 1])
                index += 2
                continue
            if word in ("--raw", "--no-raw"):
                raw = word == "--raw"
            else:
                words.append(word)
            index += 1
        try:
            connection = await ctx.net.connect(host, port)
        except NetError:
            ctx.stderr.write(f"Could not connect to Redis at {host}:{port}: "
                             "Connection refused\n".encode())
            return 1
        buffer = bytearray()
        if words:
            try:
                reply = await _ask(connection, words, buffer)
            finally:
                connection.close()
            ctx.stdout.write((show(reply, raw=raw) + "\n").encode())
            return 1 if isinstance(reply, Error) and raw else 0
        readline, write, stop = line_io(ctx)
        try:
            while True:
                if ctx.tty:
                    write(f"{host}:{port}> ".encode())
                try:
                    line = await readline()
                except Exception:          # ^C at the prompt
                    return 0
                if not line:
                    return 0
                try:
                    command = shlex.split(line.decode("utf-8", "replace"))
                except ValueError:
                    write(b"Invalid argument(s)\n")
                    continue
                if not command:
                    continue
                if command[0].lower() in ("quit", "exit"):
                    return 0
                reply = await _ask(connection, command, buffer)
                write((show(reply, raw=raw) + "\n").encode())
        finally:
            stop()
            connection.close()
    return run
