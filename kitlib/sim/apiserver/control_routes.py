"""``/kit/v1/...``: the simulator's controls over HTTP (clock, failure injection).

Not part of the Kubernetes API: paths no Kubernetes client asks for, behind the same
token, answering JSON; errors are Status objects like everywhere else.  ``route`` maps a
method and path to a ``Control`` call without any HTTP in it, so that kitlib's in-process
control (``ThreadedCluster.control``) takes exactly the paths, and meets exactly the
answers and refusals, that a remote client does.

    GET  /kit/v1/info                                   the simulator, its nodes and clock
    GET  /kit/v1/clock                                  the clock
    POST /kit/v1/clock                                  {"pause": true} | {"advance": "30s"} ...
    POST /kit/v1/nodes/{node}/kubelet                   {"action": "stop" | "start"}
    POST /kit/v1/namespaces/{ns}/pods/{pod}/containers/{container}/failure
                                                        {"action": "crash", "exitCode": 1} ...
    POST /kit/v1/namespaces/{ns}/pods/{pod}/failure     the same, on the default container
    POST /kit/v1/images                                 {"image": "nginx:1.99", "fail": true}
"""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from kitlib.sim.apiserver.context import API_KEY
from kitlib.sim.apiserver.respond import respond
from kitlib.sim.control import Control
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
    body = await _body(request) if request.method == "POST" else None
    return respond(route(control, request.method, path, body))


def route(control: Control, method: str, path: str, body: Any = None) -> Any:
    """The answer to ``method path`` (with a decoded JSON ``body``); StatusErrors else."""
    parts = path.removeprefix("/kit/v1").strip("/").split("/")
    if parts == ["info"]:
        _only("GET", method)
        return control.info()
    if parts == ["clock"]:
        if method == "GET":
            return control.clock_state()
        _only("POST", method)
        return control.clock_command(body)
    if len(parts) == 3 and parts[0] == "nodes" and parts[2] == "kubelet":
        _only("POST", method)
        return control.kubelet_command(parts[1], body)
    if len(parts) in (5, 7) and parts[0] == "namespaces" and parts[2] == "pods" \
            and parts[-1] == "failure" and (len(parts) == 5 or parts[4] == "containers"):
        _only("POST", method)
        return control.container_failure(namespace=parts[1], pod=parts[3],
                                         container=parts[5] if len(parts) == 7 else None,
                                         body=body)
    if parts == ["images"]:
        _only("POST", method)
        return control.image_failure(body)
    raise errors.NoSuchPath()


def _only(allowed: str, method: str) -> None:
    if method != allowed:
        raise errors.MethodNotAllowed()
