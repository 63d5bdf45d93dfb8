"""``services/NAME[:PORT]/proxy/PATH`` and ``pods/NAME[:PORT]/proxy/PATH``: HTTP through
the API server to a pod; ``nodes/NAME/proxy/PATH``: to the node's kubelet (its
``/healthz``, ``/pods``, ``/configz``: see ``kitlib.sim.kubelet.httpapi``).

The API server is on the cluster network: a service proxy picks one ready endpoint of the
Service (from its Endpoints, not through the ClusterIP) and a pod proxy dials the pod's
IP.  The name may carry a scheme and a port (``https:web:443``, ``web:http``); the path
after ``proxy/`` becomes the backend's path, cleaned, its trailing slash kept, and a bare
``.../proxy`` is redirected to ``.../proxy/``.  Headers pass both ways but for hop-by-hop
ones and the caller's credentials; links and redirects in answers are rewritten to go
back through the proxy (``proxyrewrite``).  Failures are the real ones: ``no endpoints
available for service "web"``, ``error trying to reach service: dial tcp ...``.
"""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web
from multidict import CIMultiDict

from kitlib.sim.apiserver import paths, podlocation, proxyrewrite
from kitlib.sim.apiserver.connector import NodeError, ProxiedRequest
from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.machinery import errors
from kitlib.sim.registry.base import ResourceType

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate",
              "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"}
CORS = {"access-control-allow-credentials", "access-control-allow-headers",
        "access-control-allow-methods", "access-control-allow-origin"}


def split_scheme_name_port(ident: str) -> tuple[str, str, str] | None:
    """utilnet.SplitSchemeNamePort: ``name``, ``name:port`` or ``scheme:name:port``."""
    parts = ident.split(":")
    if len(parts) == 1:
        scheme, name, port = "", parts[0], ""
    elif len(parts) == 2:
        scheme, name, port = "", parts[0], parts[1]
    elif len(parts) == 3:
        scheme, name, port = parts
    else:
        return None
    if not name or scheme not in ("", "http", "https"):
        return None
    return scheme, name, port


def go_quote(text: str) -> str:
    """Go's %q for the plain strings these messages quote."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def backend_path(request: web.Request, info: paths.RequestInfo) -> str:
    """ProxyOptions.path joined onto the location (JoinPreserveTrailingSlash)."""
    sub = info.rest
    if sub and not sub.startswith("/"):
        sub = "/" + sub
    if request.path.endswith("/") and not sub.endswith("/"):
        sub += "/"
    if not sub:
        return ""
    joined = proxyrewrite.clean("/" + sub.lstrip("/"))
    return joined + "/" if sub.endswith("/") and not joined.endswith("/") else joined


def path_prefix(request: web.Request, res: ResourceType, info: paths.RequestInfo) -> str:
    """The request path up to and including ``/proxy``."""
    segments = request.path.split("/")
    for i in range(2, len(segments)):
        if segments[i] == "proxy" and segments[i - 1] == info.name and \
                segments[i - 2] == res.plural:
            return "/".join(segments[:i + 1])
    return request.path


def _request_headers(request: web.Request) -> list[tuple[str, str]]:
    listed = {h.strip().lower() for h in request.headers.get("Connection", "").split(",")}
    out = [(k, v) for k, v in request.headers.items()
           if k.lower() not in HOP_BY_HOP and k.lower() not in listed
           and k.lower() not in ("authorization", "host", "content-length")]
    client = request.remote or ""
    prior = request.headers.get("X-Forwarded-For")
    out = [(k, v) for k, v in out if k.lower() != "x-forwarded-for"]
    if client:
        out.append(("X-Forwarded-For", f"{prior}, {client}" if prior else client))
    return out


async def serve(request: web.Request, api: ApiContext, res: ResourceType,
                info: paths.RequestInfo) -> web.StreamResponse:
    if request.method not in METHODS:
        raise errors.MethodNotAllowed()
    split = split_scheme_name_port(info.name)
    if split is None:
        kind = {"services": "service", "pods": "pod"}.get(res.plural, "node")
        raise errors.BadRequest(f"invalid {kind} request {go_quote(info.name)}")
    scheme, name, port = split
    if res.plural == "nodes":                           # the node's kubelet (port 10250)
        api.storage(res).get(namespace=None, name=name)
    location = backend_path(request, info)
    raw_query = request.rel_url.raw_query_string
    if not location and request.method in ("GET", "HEAD"):
        # Upgrade-aware handler: an empty path is redirected to end in a slash.
        query = f"?{raw_query}" if raw_query else ""
        # The raw (still percent-encoded) path: a decoded one may hold control characters.
        return web.Response(status=301, headers={
            "Location": request.rel_url.raw_path + "/" + query})
    outgoing = location or "/"
    rewriter = proxyrewrite.Rewriter(prefix=path_prefix(request, res, info),
                                     request_host=request.host)
    headers = _request_headers(request)
    headers.append(("X-Forwarded-Uri", rewriter.forwarded_uri(outgoing)))
    target = quote(outgoing, safe="/$&+,:;=@") + (f"?{raw_query}" if raw_query else "")
    body = await request.read()
    connector = podlocation.connector_of(api)
    outgoing_request = ProxiedRequest(method=request.method, target=target,
                                      headers=tuple(headers), body=body, host=request.host,
                                      client_ip=request.remote or "")
    try:
        if res.plural == "nodes":
            answer = await connector.kubelet_http(node=name, request=outgoing_request)
        else:
            answer = await connector.proxy_http(
                resource=res.plural, namespace=info.namespace or "", name=name, port=port,
                scheme=scheme, request=outgoing_request)
    except NodeError as err:
        raise errors.StatusError(f"error trying to reach service: {err.message}", code=503,
                                 reason="ServiceUnavailable") from None
    out_headers: list[tuple[str, str]] = []
    content_type = encoding = ""
    for key, value in answer.headers:
        lower = key.lower()
        if lower in HOP_BY_HOP or lower in CORS or lower == "content-length":
            continue
        if lower == "location":
            value = rewriter.rewrite_url(value)
        elif lower == "content-type":
            content_type = value
        elif lower == "content-encoding":
            encoding = value
        out_headers.append((key, value))
    payload = answer.body
    is_html = content_type.split(";")[0].strip().lower() == "text/html"
    if is_html and not encoding and not any(k.lower() == "location" for k, _ in answer.headers):
        payload = proxyrewrite.rewrite_html(payload, rewriter.rewrite_url)
    return web.Response(status=answer.status, reason=answer.reason or None, body=payload,
                        headers=CIMultiDict(out_headers))
