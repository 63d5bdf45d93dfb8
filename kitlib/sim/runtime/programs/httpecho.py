"""hashicorp/http-echo: answers every request with the ``-text`` it was given.

``-listen=:5678`` (the default), ``-status-code`` (200), the ``X-App-Name`` and
``X-App-Version`` headers, ``/health``, and one access-log line per request on stdout in
its own format (``host remote "GET / HTTP/1.1" 200 6 "curl/8.5.0" 21.4µs``).
"""

from __future__ import annotations

from kitlib.sim.network.api import HttpRequest, HttpResponse, NetError
from kitlib.sim.runtime.launch import Installed
from kitlib.sim.runtime.process import ProcessContext, Program
from kitlib.sim.runtime.programs.base import (flag_value, go_response, go_time, header,
                                             host_of, path_of, remote, say, stopped)


def http_echo(installed: Installed) -> Program:
    version = installed.version or "1.0.0"
    stop = installed.info.stop if installed.info else "graceful"

    async def run(ctx: ProcessContext) -> int:
        argv = ctx.argv[1:]
        if "-version" in argv or "--version" in argv:
            say(ctx, f"http-echo v{version}", stderr=True)
            return 0
        text = flag_value(argv, "text", default=ctx.env.get("ECHO_TEXT", ""))
        if not text:
            say(ctx, "Missing -text option OR ENV var TEXT is empty!", stderr=True)
            return 127
        listen = flag_value(argv, "listen", default=":5678")
        try:
            status = int(flag_value(argv, "status-code", default="200"))
        except ValueError:
            status = 200
        port = int(listen.rsplit(":", 1)[-1] or 5678)
        app = (("X-App-Name", "http-echo"), ("X-App-Version", version))

        async def handle(request: HttpRequest) -> HttpResponse:
            if path_of(request) == "/health":
                return go_response(ctx, 200, b'{"status":"ok"}\n', extra=app)
            body = (text + "\n").encode()
            duration = ctx.clock.random.uniform(8.0, 60.0)
            say(ctx, f"{go_time(ctx)} {host_of(request)} {remote(request)} "
                     f'"{request.method} {path_of(request)} HTTP/1.1" {status} {len(body)} '
                     f'"{header(request, "User-Agent")}" {duration:.3f}µs')
            return go_response(ctx, status, body, extra=app)

        try:
            listener = ctx.net.listen(port, http=handle, owner=f"http-echo:{port}")
        except NetError as exc:
            say(ctx, f"{go_time(ctx)} [ERR] server exited with: listen tcp {listen}: "
                     f"{exc.message}", stderr=True)
            return 1
        say(ctx, f"{go_time(ctx)} [INFO] server is listening on {listen}", stderr=True)
        code = await stopped(ctx, stop)
        listener.close()
        return code
    return run
