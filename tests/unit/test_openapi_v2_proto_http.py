"""/openapi/v2 over HTTP as kube-openapi's handler answers it: goautoneg's choice between
JSON and protobuf, a bare 406, the shared ETag and Go's conditional requests."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from kitlib.sim.apiserver import openapi_routes
from kitlib.sim.apiserver.context import API_KEY
from kitlib.sim.apiserver.openapi_routes import accept_clauses, v2_content_type
from kitlib.sim.registry.catalog import RESOURCES
from kitlib.sim.schema import openapi_v2_proto
from kitlib.sim.schema.openapi_v2_proto import MEDIA_TYPE, Mismatch, message_class

#: What client-go's discovery sends for the v2 document.
KUBECTL = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
JSON = "application/json"


@pytest.mark.parametrize(("accept", "answer"), [
    (KUBECTL, MEDIA_TYPE),
    (MEDIA_TYPE, MEDIA_TYPE),
    ("application/json, */*", JSON),                 # kubectl get --raw
    (None, JSON),
    ("", JSON),
    ("*/*", JSON),
    ("application/*", JSON),
    ("*", JSON),
    (f"{JSON};q=0.5, {KUBECTL}", MEDIA_TYPE),        # q orders the clauses
    (f"*/*;q=0.9, {KUBECTL};q=0.1", MEDIA_TYPE),     # goautoneg: specific before wildcard
    (f"{JSON};q=0", JSON),                           # q=0 is not a refusal there
    ("application/json;as=Table;v=v1;g=meta.k8s.io", JSON),
    ("application/yaml", None),
    ("application/vnd.kubernetes.protobuf", None),
    ("text/plain, image/*", None),
    ("Application/JSON", None),                       # compared case-sensitively
])
def test_negotiation(accept: str | None, answer: str | None) -> None:
    assert v2_content_type(accept) == answer


def test_clause_order() -> None:
    clauses = accept_clauses("text/*;q=0.3, text/html;q=0.7, text/html;level=1, */*;q=0.5")
    assert [(c.type, c.subtype, c.q) for c in clauses] == [
        ("text", "html", 1.0), ("text", "html", 0.7), ("*", "*", 0.5), ("text", "*", 0.3)]


async def _exchange(requests: list[dict[str, Any]]) -> list[tuple[int, dict[str, str], bytes]]:
    async def handler(request: web.Request) -> web.StreamResponse:
        return await openapi_routes.serve(request, request.path)

    app = web.Application()
    app[API_KEY] = SimpleNamespace(resources=RESOURCES)  # type: ignore[assignment]
    app.router.add_route("*", "/{tail:.*}", handler)
    async with TestClient(TestServer(app)) as client:
        out = []
        for options in requests:
            method = options.pop("method", "GET")
            response = await client.request(method, "/openapi/v2", **options)
            out.append((response.status, dict(response.headers), await response.read()))
        return out


def exchange(*requests: dict[str, Any]) -> list[tuple[int, dict[str, str], bytes]]:
    return asyncio.run(_exchange(list(requests)))


def test_both_forms_share_the_json_etag() -> None:
    (json_status, json_headers, json_body), (pb_status, pb_headers, pb_body) = exchange(
        {"headers": {"Accept": "application/json"}}, {"headers": {"Accept": KUBECTL}})
    assert (json_status, pb_status) == (200, 200)
    assert json_headers["Content-Type"] == JSON
    assert pb_headers["Content-Type"] == MEDIA_TYPE
    assert json_headers["Etag"] == pb_headers["Etag"] and len(json_headers["Etag"]) == 130
    assert json_headers["Vary"] == pb_headers["Vary"] == "Accept"
    assert "Last-Modified" in pb_headers
    doc = message_class("Document").FromString(pb_body)
    assert doc.swagger == "2.0" and json_body.startswith(b"{")


def test_unacceptable_is_a_bare_406() -> None:
    ((status, headers, body),) = exchange({"headers": {"Accept": "application/yaml"}})
    assert (status, body, headers["Vary"]) == (406, b"", "Accept")


def test_conditional_requests() -> None:
    ((_, headers, _),) = exchange({"headers": {"Accept": KUBECTL}})
    etag, modified = headers["Etag"], headers["Last-Modified"]
    current, weak, stale, since, head = exchange(
        {"headers": {"Accept": KUBECTL, "If-None-Match": etag}},
        {"headers": {"Accept": KUBECTL, "If-None-Match": f'"x", W/{etag}'}},
        {"headers": {"Accept": KUBECTL, "If-None-Match": '"x"', "If-Modified-Since": modified}},
        {"headers": {"Accept": KUBECTL, "If-Modified-Since": modified}},
        {"method": "HEAD", "headers": {"Accept": KUBECTL}})
    assert (current[0], current[2], current[1]["Etag"]) == (304, b"", etag)
    assert weak[0] == 304
    assert stale[0] == 200                       # If-None-Match wins over If-Modified-Since
    assert since[0] == 304
    assert (head[0], head[2], head[1]["Content-Type"]) == (200, b"", MEDIA_TYPE)



def test_a_document_gnostic_rejects_is_a_bare_503(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(document: bytes, *, digest: str) -> bytes:
        raise Mismatch("Document is missing required property paths")

    monkeypatch.setattr(openapi_v2_proto, "encoded", broken)
    (failed, json_form) = exchange({"headers": {"Accept": KUBECTL}},
                                   {"headers": {"Accept": JSON}})
    assert (failed[0], failed[2]) == (503, b"")
    assert json_form[0] == 200
