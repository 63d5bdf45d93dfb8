"""The sample applications of tutorials: each tells which pod answered.

``hello-app`` (``Hello, world!``, its version, its hostname), kicbase's ``echo-server``
(``Request served by <pod>`` and the request) and the old ``registry.k8s.io/echoserver``
(hostname, then the request's details).  Put three replicas behind a Service and the
hostname changes from one answer to the next.
"""

from __future__ import annotations

from kitlib.sim.network.api import HttpRequest, HttpResponse, NetError
from kitlib.sim.runtime.launch import Installed
from kitlib.sim.runtime.process import ProcessContext, Program
from kitlib.sim.runtime.programs.base import (go_response, go_time, host_of, path_of,
                                             say, stopped)
from kitlib.sim.runtime.programs.whoami import canonical


async def _serve(ctx: ProcessContext, port: int, handle: object, stop: str,
                 banner: str) -> int:
    try:
        listener = ctx.net.listen(port, http=handle, owner=f"{ctx.argv[0]}:{port}")  # type: ignore
    except NetError as exc:
        say(ctx, f"{go_time(ctx)} listen tcp :{port}: {exc.message}", stderr=True)
        return 1
    if banner:
        say(ctx, banner)
    code = await stopped(ctx, stop)
    listener.close()
    return code


def _stop(installed: Installed) -> str:
    return installed.info.stop if installed.info else "default"


def hello_app(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        port = int(ctx.env.get("PORT", "8080") or 8080)

        async def handle(request: HttpRequest) -> HttpResponse:
            say(ctx, f"{go_time(ctx)} Serving request: {path_of(request)}")
            text = (f"Hello, world!\nVersion: {installed.version or '1.0.0'}\n"
                    f"Hostname: {ctx.hostname}\n")
            return go_response(ctx, 200, text.encode())
        return await _serve(ctx, port, handle, _stop(installed),
                            f"{go_time(ctx)} Server listening on port {port}")
    return run


def echo_server(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        port = int(ctx.env.get("PORT", "8080") or 8080)

        async def handle(request: HttpRequest) -> HttpResponse:
            lines = [f"Request served by {ctx.hostname}", "",
                     f"HTTP/1.1 {request.method} {request.target or '/'}", "",
                     f"Host: {host_of(request)}"]
            lines += sorted(f"{canonical(k)}: {v}" for k, v in request.headers
                            if k.lower() != "host")
            text = "\n".join(lines) + "\n"
            if request.body:
                text += "\n" + request.body.decode("utf-8", "replace")
            return go_response(ctx, 200, text.encode())
        return await _serve(ctx, port, handle, _stop(installed),
                            f"Echo server listening on port {port}.")
    return run


def echoserver(installed: Installed) -> Program:
    async def run(ctx: ProcessContext) -> int:
        async def handle(request: HttpRequest) -> HttpResponse:
            target = request.target or "/"
            path, _, query = target.partition("?")
            headers = "".join(f"\t{k.lower()}={v}\n" for k, v in
                              sorted(request.headers, key=lambda h: h[0].lower()))
            body = request.body.decode("utf-8", "replace") if request.body else \
                "-no body in request-"
            text = (f"\n\nHostname: {ctx.hostname}\n\nPod Information:\n"
                    "\t-no pod information available-\n\nServer values:\n"
                    "\tserver_version=nginx: 1.13.3 - lua: 10008\n\nRequest Information:\n"
                    f"\tclient_address={request.client_ip}\n\tmethod={request.method}\n"
                    f"\treal path={path}\n\tquery={query}\n\trequest_version=1.1\n"
                    f"\trequest_scheme=http\n\trequest_uri=http://{host_of(request)}{target}\n"
                    f"\nRequest Headers:\n{headers}\nRequest Body:\n\t{body}\n\n\n")
            return go_response(ctx, 200, text.encode())
        return await _serve(ctx, 8080, handle, _stop(installed), "")
    return run
