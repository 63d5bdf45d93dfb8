"""/openapi/v2 and /openapi/v3: the schema documents kubectl reads for explain, apply and
field validation.  Each document is generated once, on first request, and kept encoded;
v3 documents are addressed by their content hash, so clients may cache them for good."""

from __future__ import annotations

import asyncio
from functools import partial

import orjson
from aiohttp import web

from kitlib.sim.apiserver.context import API_KEY, VERSION, ApiContext
from kitlib.sim.apiserver.negotiate import negotiate
from kitlib.sim.machinery.errors import NoSuchPath
from kitlib.sim.schema import openapi


def _build(api: ApiContext, path: str) -> tuple[bytes, str] | None:
    """The served bytes and their digest (for ETag), or None for an unknown path."""
    resources, version = api.resources, VERSION["gitVersion"]
    if path == "/openapi/v2":
        doc = openapi.v2(resources=resources, server_version=version)
        return doc.data, doc.hash
    if path == "/openapi/v3":
        return orjson.dumps(openapi.v3_index(resources=resources, server_version=version)), ""
    parts = path.removeprefix("/openapi/v3/").split("/")
    if parts[0] == "api" and len(parts) == 2:
        group, gv_version = "", parts[1]
    elif parts[0] == "apis" and len(parts) == 3:
        group, gv_version = parts[1], parts[2]
    else:
        return None
    try:
        doc = openapi.v3_group_version(group=group, version=gv_version, resources=resources,
                                       server_version=version)
    except KeyError:
        return None
    return doc.data, doc.hash


async def serve(request: web.Request, path: str) -> web.StreamResponse:
    api: ApiContext = request.app[API_KEY]
    negotiate(request.headers.get("Accept"))
    # Generating a document takes a moment the first time: keep the loop answering meanwhile.
    built = await asyncio.get_running_loop().run_in_executor(None, partial(_build, api, path))
    if built is None:
        raise NoSuchPath()
    data, digest = built
    response = web.Response(body=data, content_type="application/json")
    if digest:
        response.headers["Etag"] = f'"{digest}"'
    if path.startswith("/openapi/v3/") and "hash" in request.query:
        response.headers["Cache-Control"] = "public, immutable"
        response.headers["Expires"] = "Fri, 01 Jan 2100 00:00:00 GMT"
    return response
