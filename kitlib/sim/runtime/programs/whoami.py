"""traefik/whoami: answers who served the request, exactly as the real one prints it.

``Hostname:`` (the pod's name), one ``IP:`` per address of the pod's interfaces,
``RemoteAddr:`` (who asked, after any Service in between), then the request as Go's
``Request.Write`` writes it (request line, Host, User-Agent, the other headers sorted).
Behind a Service, the Hostname line is how a learner watches the answers come from
different pods.
"""

from __future__ import annotations

import hashlib
import json

from kitlib.sim.network.api import HttpRequest, HttpResponse, NetError
from kitlib.sim.runtime.launch import Installed
from kitlib.sim.runtime.process import ProcessContext, Program
from kitlib.sim.runtime.programs.base import (flag_value, go_response, go_time, header,
                                             host_of, path_of, query_of, remote, say, stopped)

_SKIPPED = frozenset({"host", "user-agent", "content-length", "transfer-encoding", "trailer"})


def canonical(name: str) -> str:
    """Go's CanonicalMIMEHeaderKey: ``x-forwarded-for`` -> ``X-Forwarded-For``."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


def link_local(ip: str) -> str:
    digest = hashlib.sha256(ip.encode()).digest()
    return (f"fe80::{digest[0] | 2:x}{digest[1]:02x}:{digest[2]:x}ff:fe{digest[3]:02x}:"
            f"{digest[4]:x}{digest[5]:02x}")


def addresses(ctx: ProcessContext) -> list[str]:
    ip = ctx.net.ip
    return ["127.0.0.1", "::1", *([ip, link_local(ip)] if ip else [])]


def request_text(request: HttpRequest) -> str:
    lines = [f"{request.method} {request.target or '/'} HTTP/1.1",
             f"Host: {host_of(request)}",
             f"User-Agent: {header(request, 'User-Agent') or 'Go-http-client/1.1'}"]
    others: dict[str, list[str]] = {}
    for name, value in request.headers:
        if name.lower() not in _SKIPPED:
            others.setdefault(canonical(name), []).append(value)
    for name in sorted(others):
        lines += [f"{name}: {value}" for value in others[name]]
    return "\r\n".join(lines) + "\r\n\r\n"


def whoami(installed: Installed) -> Program:
    stop = installed.info.stop if installed.info else "default"

    async def run(ctx: ProcessContext) -> int:
        port = int(flag_value(ctx.argv, "port", default=ctx.env.get("WHOAMI_PORT_NUMBER",
                                                                       "80")) or 80)
        name = flag_value(ctx.argv, "name", default=ctx.env.get("WHOAMI_NAME", ""))
        health = [200]

        async def handle(request: HttpRequest) -> HttpResponse:
            path = path_of(request)
            if path == "/health":
                if request.method == "POST":
                    try:
                        health[0] = int(json.loads(request.body or b"0"))
                    except (ValueError, TypeError):
                        return go_response(ctx, 400, b"invalid status code\n")
                    say(ctx, f"Update health check status code [{health[0]}]")
                    return go_response(ctx, 200, b"")
                return go_response(ctx, health[0], b"")
            if path == "/bench":
                return go_response(ctx, 200, b"1", content_type="text/plain")
            if path == "/api":
                data = {"hostname": ctx.hostname, "ip": addresses(ctx),
                        "headers": {canonical(k): [v] for k, v in request.headers},
                        "url": request.target or "/", "host": host_of(request),
                        "method": request.method}
                if name:
                    data = {"name": name, **data}
                body = (json.dumps(data, separators=(",", ":")) + "\n").encode()
                return go_response(ctx, 200, body, content_type="application/json")
            if path == "/data":
                size = int((query_of(request).get("size") or ["1"])[0] or 1)
                size = max(0, min(size, 1 << 20))
                content = bytearray((b"-ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i % 27]) for i in range(size))
                if size:
                    content[0] = content[-1] = ord("|")
                return go_response(ctx, 200, bytes(content))
            text = f"Name: {name}\n" if name else ""
            text += f"Hostname: {ctx.hostname}\n"
            text += "".join(f"IP: {ip}\n" for ip in addresses(ctx))
            text += f"RemoteAddr: {remote(request)}\n" + request_text(request)
            return go_response(ctx, 200, text.encode())

        try:
            listener = ctx.net.listen(port, http=handle, owner=f"whoami:{port}")
        except NetError as exc:
            say(ctx, f"{go_time(ctx)} listen tcp :{port}: {exc.message}", stderr=True)
            return 1
        say(ctx, f"{go_time(ctx)} Starting up on port {port}", stderr=True)
        code = await stopped(ctx, stop)
        listener.close()
        return code
    return run
