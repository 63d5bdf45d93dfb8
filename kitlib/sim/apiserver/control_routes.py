"""``/kit/v1/...``: the simulator's controls over HTTP (clock, failure injection).

Not part of the Kubernetes API: paths no Kubernetes client asks for, behind the same
token, answering JSON; errors are Status objects like everywhere else.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from kitlib.sim.apiserver.context import API_KEY
from kitlib.sim.apiserver.respond import respond
from kitlib.sim.machinery import errors


async def _body(request: web.Request) -> Any:
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise errors.BadRequest(f"the body is not JSON: {exc}") from None


async def serve(request: web.Request, path: str) -> web.StreamResponse:
    control = request.app[API_KEY].control
    if control is None:
        raise errors.NoSuchPath()
    parts = path.removeprefix("/kit/v1").strip("/").split("/")
    if parts == ["clock"]:
        if request.method == "GET":
            return respond(control.clock_state())
        if request.method == "POST":
            return respond(control.clock_command(await _body(request)))
        raise errors.MethodNotAllowed()
    if len(parts) == 3 and parts[0] == "nodes" and parts[2] == "kubelet":
        if request.method != "POST":
            raise errors.MethodNotAllowed()
        return respond(control.kubelet_command(parts[1], await _body(request)))
    if len(parts) == 7 and parts[0] == "namespaces" and parts[2] == "pods" \
            and parts[4] == "containers" and parts[6] == "failure":
        if request.method != "POST":
            raise errors.MethodNotAllowed()
        return respond(control.container_failure(namespace=parts[1], pod=parts[3],
                                                 container=parts[5],
                                                 body=await _body(request)))
    if parts == ["images"] and request.method == "POST":
        return respond(control.image_failure(await _body(request)))
    raise errors.NoSuchPath()
