"""Any method, any resource path, any query, any media type, any body: never a 500.

The paths are those of every served resource: collections and objects, namespaced and
cluster-scoped (and the wrong way round), with and without subresources, with odd names
and versions; the object ``fx`` of each kind exists, so requests get past the 404.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from kitlib.sim.registry.base import ResourceType
from tests.fuzz import strategies as fz
from tests.fuzz.conftest import Fuzzer, fuzz_settings
from tests.fuzz.manifests import (NAMESPACE, RESOURCES, collection_path, fixture_name,
                                  manifest, prefix)
from tests.fuzz.oracle import Sent

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
SUBRESOURCES = ["status", "scale", "binding", "eviction", "finalize", "log", "exec", "proxy",
                "token", "attach", "portforward", "nope", ""]


@st.composite
def resource_paths(draw: st.DrawFn) -> tuple[ResourceType, str, bool]:
    """(resource, path, whether it names one object)."""
    res = draw(st.sampled_from(RESOURCES))
    base = prefix(res)
    if draw(st.integers(0, 9)) == 0:
        base = draw(st.sampled_from(["/api/v2", "/apis/apps/v1beta1", "/apis/nope/v1", "/api",
                                     "/apis/" + res.group, f"{base}/watch"]))
    namespace = draw(st.one_of(st.just(NAMESPACE), st.none(), fz.names)) \
        if res.namespaced else draw(st.one_of(st.none(), st.none(), st.just(NAMESPACE)))
    path = base + (f"/namespaces/{quote(namespace, safe='')}" if namespace is not None else "")
    path += f"/{res.plural}"
    one = draw(st.booleans())
    if one:
        name = draw(st.one_of(st.just(fixture_name(res)), fz.names))
        path += "/" + quote(name, safe="")
        sub = draw(st.one_of(st.none(), st.sampled_from([*res.subresources, *SUBRESOURCES])))
        if sub is not None:
            path += "/" + sub
            if draw(st.integers(0, 4)) == 0:
                path += "/" + quote(draw(fz.names), safe="")
    if draw(st.integers(0, 9)) == 0:
        path += draw(st.sampled_from(["/", "//", "/.", "/..", "?", "%", "%2F"]))
    return res, path, one


@st.composite
def bodies_for(draw: st.DrawFn, res: ResourceType) -> bytes | None:
    kind = draw(st.sampled_from(["none", "raw", "manifest", "mutated"]))
    if kind == "none":
        return None
    if kind == "raw":
        return draw(fz.raw_bodies)
    base = manifest(res, draw(st.one_of(st.just(fixture_name(res)), fz.names)))
    if kind == "mutated":
        base = draw(fz.mutated(base))
    return json.dumps(base).encode()


@st.composite
def requests_(draw: st.DrawFn) -> Sent:
    res, path, _one = draw(resource_paths())
    method = draw(st.sampled_from(METHODS))
    headers: dict[str, str] = {}
    if draw(st.booleans()):
        headers["Content-Type"] = draw(fz.content_types)
    if draw(st.booleans()):
        headers["Accept"] = draw(fz.accepts)
    body = draw(bodies_for(res)) if method != "GET" else None
    return Sent(method, path, draw(fz.queries()), headers, body)


@fuzz_settings(150)
@given(sent=requests_())
def test_any_request_anywhere(fuzzer: Fuzzer, sent: Sent) -> None:
    fuzzer.send(sent)
    if sent.method in ("DELETE", "PUT", "PATCH", "POST"):
        fuzzer.ensure_fixtures()


@fuzz_settings(50)
@given(res=st.sampled_from(RESOURCES), query=fz.queries(watch=True),
       accept=st.one_of(st.none(), fz.accepts), everywhere=st.booleans())
def test_list_and_watch_with_odd_queries(fuzzer: Fuzzer, res: ResourceType,
                                         query: list[tuple[str, str]], accept: str | None,
                                         everywhere: bool) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    path = collection_path(res, None if everywhere else NAMESPACE)
    fuzzer.send(Sent("GET", path, query, headers))
    fuzzer.send(Sent("GET", path, [(k, v) for k, v in query if k != "watch"], headers))
