"""agnhost, the Kubernetes test image, and the liveness server of the docs' examples.

``liveness`` (also ``k8s.gcr.io/liveness``'s ``/server``) answers ``/healthz`` with 200
for its first ten seconds, then 500: the http-liveness example's container is
restarted on schedule by its own answers.  ``netexec`` answers ``/hostname``, ``/echo``,
``/clientip``, ``/header``, ``/exit``; ``serve-hostname`` answers its hostname; ``pause``
waits.  Times are simulated seconds.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from kitlib.sim.network.api import HttpRequest, HttpResponse, NetError
from kitlib.sim.runtime.launch import Installed
from kitlib.sim.runtime.process import ProcessContext, Program
from kitlib.sim.runtime.programs.base import (flag_value, go_response, go_time, header,
                                             not_found, path_of, query_of, remote, say, stopped)


async def _serve(ctx: ProcessContext, port: int, handle: object, stop: str) -> int:
    try:
        listener = ctx.net.listen(port, http=handle, owner=f"agnhost:{port}")  # type: ignore
    except NetError as exc:
        say(ctx, f"{go_time(ctx)} listen tcp :{port}: {exc.message}", stderr=True)
        return 1
    code = await stopped(ctx, stop)
    listener.close()
    return code


async def liveness(ctx: ProcessContext, stop: str = "default") -> int:
    started = ctx.clock.time()

    async def handle(request: HttpRequest) -> HttpResponse:
        path = path_of(request)
        if path == "/healthz":
            elapsed = ctx.clock.time() - started
            if elapsed > 10:
                return go_response(ctx, 500, f"error: {elapsed!r}".encode())
            return go_response(ctx, 200, b"ok")
        if path == "/redirect":
            location = (query_of(request).get("loc") or ["/"])[0]
            return go_response(ctx, 302, b"", extra=(("Location", location),))
        return not_found(ctx)
    return await _serve(ctx, 8080, handle, stop)


async def netexec(ctx: ProcessContext, argv: list[str], stop: str) -> int:
    port = int(flag_value(argv, "http-port", default="8080"))
    exit_code: list[int] = []
    done = asyncio.Event()

    async def handle(request: HttpRequest) -> HttpResponse:
        path, query = path_of(request), query_of(request)
        if path == "/hostname":
            return go_response(ctx, 200, ctx.hostname.encode())
        if path == "/echo":
            return go_response(ctx, 200, (query.get("msg") or [""])[0].encode())
        if path == "/clientip":
            return go_response(ctx, 200, remote(request).encode())
        if path == "/header":
            return go_response(ctx, 200, header(request, (query.get("key") or [""])[0]).encode())
        if path == "/healthz":
            return go_response(ctx, 200, b"")
        if path == "/exit":
            exit_code.append(int((query.get("code") or ["0"])[0] or 0))
            done.set()
            return go_response(ctx, 200, b"")
        if path == "/":
            now = datetime.fromtimestamp(ctx.clock.time(), timezone.utc)
            return go_response(ctx, 200, f"NOW: {now:%Y-%m-%d %H:%M:%S.%f} +0000 UTC".encode())
        return not_found(ctx)

    try:
        listener = ctx.net.listen(port, http=handle, owner=f"netexec:{port}")
    except NetError as exc:
        say(ctx, f"{go_time(ctx)} listen tcp :{port}: {exc.message}", stderr=True)
        return 1
    say(ctx, f"{go_time(ctx)} Started HTTP server on port {port}", stderr=True)
    waiting = [asyncio.ensure_future(done.wait()), asyncio.ensure_future(stopped(ctx, stop))]
    try:
        finished, _rest = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waiting:
            task.cancel()
        listener.close()
    if exit_code:
        return exit_code[0]
    return waiting[1].result() if waiting[1] in finished else 0


async def serve_hostname(ctx: ProcessContext, argv: list[str], stop: str) -> int:
    port = int(flag_value(argv, "port", default="9376"))

    async def handle(request: HttpRequest) -> HttpResponse:
        return go_response(ctx, 200, ctx.hostname.encode())
    say(ctx, f"{go_time(ctx)} Serving on port {port}.", stderr=True)
    return await _serve(ctx, port, handle, stop)


def agnhost(installed: Installed) -> Program:
    stop = installed.info.stop if installed.info else "default"

    async def run(ctx: ProcessContext) -> int:
        args = ctx.argv[1:]
        if not args:
            say(ctx, "agnhost: a versatile test image.\n\nUsage:\n  agnhost [command]")
            return 0
        name, rest = args[0], args[1:]
        if name == "liveness":
            return await liveness(ctx, stop)
        if name == "netexec":
            return await netexec(ctx, rest, stop)
        if name == "serve-hostname":
            return await serve_hostname(ctx, rest, stop)
        if name == "pause":
            await ctx.terminated.wait()
            say(ctx, "Shutting down, got signal: Terminated", stderr=True)
            return 0
        say(ctx, f'Error: unknown command "{name}" for "agnhost"', stderr=True)
        say(ctx, "Run 'agnhost --help' for usage.", stderr=True)
        return 1
    return run


def liveness_server(installed: Installed) -> Program:
    stop = installed.info.stop if installed.info else "default"

    async def run(ctx: ProcessContext) -> int:
        return await liveness(ctx, stop)
    return run
