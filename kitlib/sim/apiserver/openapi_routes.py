"""/openapi/v2 and /openapi/v3: the schema documents kubectl reads for explain, apply and
field validation.  Each document is generated once, on first request, and kept encoded;
v3 documents are addressed by their content hash, so clients may cache them for good.

/openapi/v2 is served by kube-openapi's handler, whose rules differ from the API's: it
offers JSON and gnostic protobuf (client-go's discovery asks only for the latter), picks
the first acceptable one in goautoneg's order of the ``Accept`` clauses, answers anything
else with a bare 406, labels both forms with the JSON's ETag (``Vary: Accept``) and answers
conditional requests as Go's ``http.ServeContent`` does.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from functools import partial

import orjson
from aiohttp import web

from kitlib.sim.apiserver.context import API_KEY, VERSION, ApiContext
from kitlib.sim.apiserver.negotiate import negotiate
from kitlib.sim.machinery.errors import NoSuchPath
from kitlib.sim.schema import openapi, openapi_v2_proto

log = logging.getLogger("kitlib.sim.apiserver")

JSON_TYPE = "application/json"
#: kube-openapi's offers for /openapi/v2, in its order: (type, subtype) -> Content-Type.
V2_OFFERS: tuple[tuple[str, str, str], ...] = (
    ("application", "json", JSON_TYPE),
    ("application", openapi_v2_proto.MEDIA_TYPE_DEPRECATED.split("/")[1],
     openapi_v2_proto.MEDIA_TYPE),
    ("application", openapi_v2_proto.MEDIA_TYPE.split("/")[1], openapi_v2_proto.MEDIA_TYPE),
)
_GO_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
#: When each v2 document (by digest) was first served: its Last-Modified.
_born: dict[str, float] = {}


@dataclass(frozen=True)
class Clause:
    type: str
    subtype: str
    q: float


def accept_clauses(header: str) -> list[Clause]:
    """goautoneg.ParseAccept: the clauses of ``Accept``, best first by its ordering."""
    clauses: list[Clause] = []
    for part in header.split(","):
        media_range, *params = part.strip(" ").split(";")
        pieces = media_range.split("/")
        kind = pieces[0].strip(" ")
        if len(pieces) == 1 and kind == "*":
            subtype = "*"
        elif len(pieces) == 2:
            subtype = pieces[1].strip(" ")
        else:
            continue
        q = 1.0
        for param in params:
            name, eq, value = param.partition("=")
            if eq and name.strip(" ") == "q":
                q = float(value) if _GO_FLOAT.fullmatch(value) else 0.0
        clauses.append(Clause(kind, subtype, q))
    # sort.Sort on a few clauses is an insertion sort with goautoneg's Less.
    for i in range(1, len(clauses)):
        j = i
        while j > 0 and _before(clauses[j], clauses[j - 1]):
            clauses[j - 1], clauses[j] = clauses[j], clauses[j - 1]
            j -= 1
    return clauses


def _before(a: Clause, b: Clause) -> bool:
    return (a.q > b.q or (a.type != "*" and b.type == "*")
            or (a.subtype != "*" and b.subtype == "*"))


def v2_content_type(accept: str | None) -> str | None:
    """The Content-Type /openapi/v2 answers ``accept`` with, or None for 406."""
    for clause in accept_clauses(accept or "*/*"):
        for kind, subtype, content_type in V2_OFFERS:
            if clause.type in (kind, "*") and clause.subtype in (subtype, "*"):
                return content_type
    return None


def _build(api: ApiContext, path: str) -> tuple[bytes, str] | None:
    """The served bytes and their digest (for ETag), or None for an unknown path."""
    resources, version = api.resources, VERSION["gitVersion"]
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


def _build_v2(api: ApiContext, content_type: str) -> tuple[bytes, str]:
    doc = openapi.v2(resources=api.resources, server_version=VERSION["gitVersion"])
    if content_type == JSON_TYPE:
        return doc.data, doc.hash
    # The protobuf form shares the JSON's ETag: Vary: Accept tells caches apart.
    return openapi_v2_proto.encoded(doc.data, digest=doc.hash), doc.hash


async def serve(request: web.Request, path: str) -> web.StreamResponse:
    api: ApiContext = request.app[API_KEY]
    loop = asyncio.get_running_loop()
    if path == "/openapi/v2":
        content_type = v2_content_type(request.headers.get("Accept"))
        if content_type is None:
            return web.Response(status=406, headers={"Vary": "Accept"})
        # Generating (and compiling) takes a moment the first time: keep the loop answering.
        try:
            data, digest = await loop.run_in_executor(None, partial(_build_v2, api, content_type))
        except openapi_v2_proto.Mismatch:       # kube-openapi: logged, then a bare 503
            log.exception("the OpenAPI v2 document does not compile to protobuf")
            return web.Response(status=503)
        return _serve_content(request, data, digest=digest, content_type=content_type)
    negotiate(request.headers.get("Accept"))
    built = await loop.run_in_executor(None, partial(_build, api, path))
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


def _serve_content(request: web.Request, data: bytes, *, digest: str,
                   content_type: str) -> web.Response:
    """http.ServeContent's answer for a GET or HEAD: the body, or 304 when the client's copy
    is current (If-None-Match, else If-Modified-Since)."""
    etag = f'"{digest}"'
    modified = int(_born.setdefault(digest, time.time()))
    headers = {"Vary": "Accept", "Etag": etag}
    if _not_modified(request, etag, modified):
        return web.Response(status=304, headers=headers)
    headers.update({"Content-Type": content_type, "Accept-Ranges": "bytes",
                    "Last-Modified": formatdate(modified, usegmt=True)})
    return web.Response(body=data, headers=headers)


def _not_modified(request: web.Request, etag: str, modified: int) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag in tags
    since = request.headers.get("If-Modified-Since")
    if since:
        try:
            return modified <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False
