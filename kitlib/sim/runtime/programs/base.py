"""What the simulated programs share: log timestamps, HTTP answers, waiting to be stopped.

Servers written in Go print ``2006/01/02 15:04:05`` before their log lines and answer
with Go's headers; a server waits for SIGTERM (``ctx.terminated``) and then exits the
way its image's stop behaviour says (graceful: 0; default: killed, 143; ignore: only
SIGKILL ends it).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

from kitlib.sim.network.api import HttpRequest, HttpResponse
from kitlib.sim.runtime.interface import EXIT_SIGTERM
from kitlib.sim.runtime.process import ProcessContext

REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently",
           302: "Found", 304: "Not Modified", 400: "Bad Request", 401: "Unauthorized",
           403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
TEXT = "text/plain; charset=utf-8"


def go_time(ctx: ProcessContext) -> str:
    """Go's log package prefix: ``2024/11/26 16:00:00``."""
    return datetime.fromtimestamp(ctx.clock.time(), timezone.utc).strftime("%Y/%m/%d %H:%M:%S")


def say(ctx: ProcessContext, line: str, *, stderr: bool = False) -> None:
    (ctx.stderr if stderr else ctx.stdout).write((line + "\n").encode())


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def http_date(ctx: ProcessContext) -> str:
    """RFC 7231's date: ``Tue, 26 Nov 2024 16:00:00 GMT``."""
    moment = datetime.fromtimestamp(ctx.clock.time(), timezone.utc)
    return (f"{_DAYS[moment.weekday()]}, {moment.day:02d} {_MONTHS[moment.month - 1]} "
            f"{moment.year} {moment:%H:%M:%S} GMT")


def header(request: HttpRequest, name: str, default: str = "") -> str:
    wanted = name.lower()
    for key, value in request.headers:
        if key.lower() == wanted:
            return value
    return default


def path_of(request: HttpRequest) -> str:
    return urlsplit(request.target or "/").path or "/"


def query_of(request: HttpRequest) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.target or "/").query)


def go_response(ctx: ProcessContext, status: int, body: bytes, *,
                content_type: str = TEXT,
                extra: tuple[tuple[str, str], ...] = ()) -> HttpResponse:
    """An answer as Go's net/http writes it."""
    headers = (*extra, ("Date", http_date(ctx)), ("Content-Length", str(len(body))))
    if body:
        headers = (*headers, ("Content-Type", content_type))
    return HttpResponse(status=status, reason=REASONS.get(status, ""), headers=headers,
                        body=body)


def not_found(ctx: ProcessContext) -> HttpResponse:
    return go_response(ctx, 404, b"404 page not found\n",
                       extra=(("X-Content-Type-Options", "nosniff"),))


def remote(request: HttpRequest) -> str:
    return f"{request.client_ip or '127.0.0.1'}:{request.client_port or 0}"


def host_of(request: HttpRequest) -> str:
    return request.host or header(request, "Host")


async def stopped(ctx: ProcessContext, behaviour: str = "default") -> int:
    """Wait for SIGTERM, then the exit code the stop behaviour gives."""
    await ctx.terminated.wait()
    if behaviour == "graceful":
        return 0
    if behaviour == "ignore":
        await asyncio.Event().wait()            # only SIGKILL ends it
    return EXIT_SIGTERM


def flag_value(argv: list[str], *names: str, default: str = "") -> str:
    """A Go-style flag's value: ``-text=hi``, ``--text=hi``, ``-text hi``."""
    for index, word in enumerate(argv):
        for name in names:
            for prefix in (f"-{name}", f"--{name}"):
                if word == prefix and index + 1 < len(argv):
                    return argv[index + 1]
                if word.startswith(prefix + "="):
                    return word[len(prefix) + 1:]
    return default


LineIO = tuple[Callable[[], Awaitable[bytes]], Callable[[bytes], None], Callable[[], None]]


def line_io(ctx: ProcessContext) -> LineIO:
    """(readline, write, stop) for a program reading lines: on a terminal, through the
    sandboxed shell's line discipline (echo, ``\r`` as Enter, ``\n`` as ``\r\n``)."""
    if ctx.tty:
        try:
            from kitlib.sim.runtime.shell.streams import OutputSink
            from kitlib.sim.runtime.shell.terminal import Terminal
        except Exception:  # the shell is not there: plain lines
            pass
        else:
            sink = OutputSink(ctx.stdout, tty=True)
            terminal = Terminal(ctx.stdin, sink)
            terminal.start()
            return terminal.reader.readline, sink.write, terminal.stop
    return ctx.stdin.readline, ctx.stdout.write, lambda: None
