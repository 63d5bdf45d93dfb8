"""/openapi/v2 and /openapi/v3: the schema documents kubectl reads for explain, apply and
field validation.  Each document is generated once, on first request, and kept encoded."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

import orjson
from aiohttp import web

from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.apiserver.negotiate import negotiate
from kitlib.sim.machinery.errors import NoSuchPath

_cache: dict[tuple[int, str], bytes] = {}


def _build(api: ApiContext, path: str) -> bytes | None:
    from kitlib.sim.schema import openapi
    resources = api.resources
    if path == "/openapi/v2":
        return orjson.dumps(openapi.v2_document(resources=resources))
    if path == "/openapi/v3":
        return orjson.dumps(openapi.v3_index(resources=resources))
    gv = path.removeprefix("/openapi/v3/")
    parts = gv.split("/")
    if parts[0] == "api" and len(parts) == 2:
        group, version = "", parts[1]
    elif parts[0] == "apis" and len(parts) == 3:
        group, version = parts[1], parts[2]
    else:
        return None
    served = [r for r in resources if r.group == group and r.version == version]
    if not served:
        return None
    doc: Any = openapi.v3_document(group=group, version=version, resources=resources)
    return orjson.dumps(doc)


async def serve(request: web.Request, path: str) -> web.StreamResponse:
    api: ApiContext = request.app["api"]
    negotiate(request.headers.get("Accept"))
    key = (id(api), path)
    body = _cache.get(key)
    if body is None:
        # Generating a document takes a moment: keep the event loop answering meanwhile.
        loop = asyncio.get_running_loop()
        body = await loop.run_in_executor(None, partial(_build, api, path))
        if body is None:
            raise NoSuchPath()
        _cache[key] = body
    response = web.Response(body=body, content_type="application/json")
    if path.startswith("/openapi/v3/"):
        # Documents are addressed by content hash; clients may cache them forever.
        response.headers["Cache-Control"] = "public, immutable"
    return response
