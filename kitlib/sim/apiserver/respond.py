"""Writing answers: JSON (or YAML) bodies, Status objects, and the Warning header."""

from __future__ import annotations

from typing import Any

import orjson
import yaml
from aiohttp import web

from kitlib.sim.machinery.errors import StatusError

JSON_TYPE = "application/json"


def encode(body: Any, *, encoding: str = "json") -> tuple[bytes, str]:
    if encoding == "yaml":
        if isinstance(body, (bytes, bytearray)):
            body = orjson.loads(body)
        return yaml.safe_dump(body, sort_keys=False).encode(), "application/yaml"
    if isinstance(body, (bytes, bytearray)):
        return bytes(body), JSON_TYPE
    try:
        return orjson.dumps(body), JSON_TYPE
    except TypeError:
        # A lone surrogate echoed from a request: sent as U+FFFD, as Go would.
        return orjson.dumps(_without_surrogates(body)), JSON_TYPE


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def respond(body: Any, *, status: int = 200, encoding: str = "json",
            warnings: list[str] | None = None) -> web.Response:
    data, content_type = encode(body, encoding=encoding)
    response = web.Response(body=data, status=status, content_type=content_type)
    for warning in warnings or ():
        # RFC 7234 warn-code 299, agent "-", the text quoted: what the apiserver sends.
        escaped = warning.replace("\\", "\\\\").replace('"', '\\"')
        # A header cannot carry control characters (a field name with a line break):
        # they are written as Go's %q would write them.
        escaped = "".join(c if c >= " " and c != "\x7f" else repr(c)[1:-1] for c in escaped)
        response.headers.add("Warning", f'299 - "{escaped}"')
    return response


def status_response(err: StatusError) -> web.Response:
    response = respond(err.status(), status=err.code)
    if err.code == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="kubernetes-master"'
    return response


def success_status(*, details: dict[str, Any] | None = None, code: int = 200) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": "Status", "apiVersion": "v1", "metadata": {},
                            "status": "Success"}
    if details is not None:
        body["details"] = details
    body["code"] = code
    return body
