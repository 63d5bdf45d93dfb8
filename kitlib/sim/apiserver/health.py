"""/version and the health endpoints (/healthz, /livez, /readyz), as kube-apiserver has them."""

from __future__ import annotations

import json
from typing import Awaitable, Callable

from aiohttp import web

from kitlib.sim.apiserver.context import VERSION
from kitlib.sim.apiserver.respond import respond

# The checks a real server lists with ?verbose; the simulator has each of them in-process.
_CHECKS = ("ping", "log", "etcd", "poststarthook/start-apiserver-admission-initializer",
           "poststarthook/generic-apiserver-start-informers",
           "poststarthook/bootstrap-controller")


async def version(request: web.Request) -> web.StreamResponse:
    # Written with WriteRawJSON, which indents by two spaces (what `kubectl get --raw
    # /version` and curl show), unlike the compact encoding of API objects.
    return respond(json.dumps(VERSION, indent=2).encode())


def _health(name: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def check(request: web.Request) -> web.StreamResponse:
        if "verbose" in request.query:
            lines = [f"[+]{c} ok" for c in _CHECKS]
            lines.append(f"{name} check passed")
            return web.Response(text="\n".join(lines) + "\n", content_type="text/plain")
        return web.Response(text="ok", content_type="text/plain")
    return check


ROUTES: dict[str, Callable[[web.Request], Awaitable[web.StreamResponse]]] = {
    "/version": version,
    "/healthz": _health("healthz"),
    "/livez": _health("livez"),
    "/readyz": _health("readyz"),
}
for _c in _CHECKS:
    for _root in ("healthz", "livez", "readyz"):
        ROUTES[f"/{_root}/{_c}"] = _health(_c)
