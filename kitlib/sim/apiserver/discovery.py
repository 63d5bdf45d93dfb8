"""Discovery: how kubectl learns which resources exist and what it may do with them.

Both forms are served: the classic one (/api, /apis, /api/v1, /apis/GROUP/VERSION) and the
aggregated one (apidiscovery.k8s.io/v2, everything in two requests), which kubectl 1.30+
asks for first.  Both are built once from the catalogue of served resources.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any, Awaitable, Callable

from aiohttp import web

from kitlib.sim.apiserver.context import API_KEY, ApiContext
from kitlib.sim.apiserver.negotiate import negotiate
from kitlib.sim.apiserver.respond import respond
from kitlib.sim.machinery.errors import NoSuchPath
from kitlib.sim.registry.base import ResourceType

JSON = dict[str, Any]
AGGREGATED_TYPE = "application/json;g=apidiscovery.k8s.io;v={v};as=APIGroupDiscoveryList"

# What each subresource answers with, and which verbs it takes.
_SUBRESOURCES: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    # name: (group, version, kind, verbs); kind "" means the parent's kind
    "status": ("", "", "", ("get", "patch", "update")),
    "scale": ("autoscaling", "v1", "Scale", ("get", "patch", "update")),
    "binding": ("", "v1", "Binding", ("create",)),
    "eviction": ("policy", "v1", "Eviction", ("create",)),
    "exec": ("", "v1", "PodExecOptions", ("create", "get")),
    "attach": ("", "v1", "PodAttachOptions", ("create", "get")),
    "log": ("", "", "", ("get",)),
    "portforward": ("", "v1", "PodPortForwardOptions", ("create", "get")),
    "finalize": ("", "", "", ("update",)),
    "token": ("authentication.k8s.io", "v1", "TokenRequest", ("create",)),
    "proxy": ("", "v1", "{kind}ProxyOptions",
              ("create", "delete", "get", "head", "options", "patch", "update")),
}


def storage_version_hash(res: ResourceType) -> str:
    digest = hashlib.sha256(f"{res.group}/{res.version}/{res.kind}".encode()).digest()
    return base64.b64encode(digest[:8]).decode()


def _subresource(res: ResourceType, sub: str) -> tuple[str, str, str, tuple[str, ...]]:
    group, version, kind, verbs = _SUBRESOURCES[sub]
    if not kind:
        return res.group, res.version, res.kind, verbs
    return group, version, kind.format(kind=res.kind), verbs


def resource_list(group: str, version: str, resources: list[ResourceType]) -> JSON:
    """The classic APIResourceList of one group-version."""
    entries: list[JSON] = []
    for res in resources:
        entry: JSON = {"name": res.plural, "singularName": res.singular,
                       "namespaced": res.namespaced, "kind": res.kind,
                       "verbs": list(res.verbs)}
        if res.short_names:
            entry["shortNames"] = list(res.short_names)
        if res.categories:
            entry["categories"] = list(res.categories)
        entry["storageVersionHash"] = storage_version_hash(res)
        entries.append(entry)
        for sub in res.subresources:
            sub_group, sub_version, kind, verbs = _subresource(res, sub)
            sub_entry: JSON = {"name": f"{res.plural}/{sub}", "singularName": "",
                               "namespaced": res.namespaced, "kind": kind, "verbs": list(verbs)}
            if sub_group != res.group or sub_version != res.version:
                sub_entry["group"], sub_entry["version"] = sub_group, sub_version
            entries.append(sub_entry)
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
            "resources": entries}


def _aggregated_resource(res: ResourceType) -> JSON:
    entry: JSON = {
        "resource": res.plural,
        "responseKind": {"group": res.group, "version": res.version, "kind": res.kind},
        "scope": "Namespaced" if res.namespaced else "Cluster",
        "singularResource": res.singular,
        "verbs": list(res.verbs),
    }
    if res.short_names:
        entry["shortNames"] = list(res.short_names)
    if res.categories:
        entry["categories"] = list(res.categories)
    subs = []
    for sub in res.subresources:
        group, version, kind, verbs = _subresource(res, sub)
        subs.append({"subresource": sub,
                     "responseKind": {"group": group, "version": version, "kind": kind},
                     "verbs": list(verbs)})
    if subs:
        entry["subresources"] = subs
    return entry


def _aggregated_group(name: str, versions: dict[str, list[ResourceType]]) -> JSON:
    item: JSON = {"metadata": {"creationTimestamp": None}}
    if name:
        item["metadata"]["name"] = name
    item["versions"] = [{"version": v, "resources": [_aggregated_resource(r) for r in rs],
                         "freshness": "Current"} for v, rs in versions.items()]
    return item


@lru_cache(maxsize=8)
def _documents(resources: tuple[ResourceType, ...]) -> dict[str, JSON]:
    """Every discovery document, keyed by path (plus the two aggregated lists)."""
    groups: dict[str, dict[str, list[ResourceType]]] = {}
    for res in resources:
        groups.setdefault(res.group, {}).setdefault(res.version, []).append(res)
    docs: dict[str, JSON] = {}
    docs["/api"] = {"kind": "APIVersions", "versions": list(groups.get("", {})),
                    "serverAddressByClientCIDRs": [
                        {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]}
    named = [g for g in groups if g]
    group_entries = []
    for name in named:
        versions = [{"groupVersion": f"{name}/{v}", "version": v} for v in groups[name]]
        entry = {"name": name, "versions": versions, "preferredVersion": versions[0]}
        group_entries.append(entry)
        docs[f"/apis/{name}"] = {"kind": "APIGroup", "apiVersion": "v1", **entry}
    docs["/apis"] = {"kind": "APIGroupList", "apiVersion": "v1", "groups": group_entries}
    for name, versions in groups.items():
        for version, rs in versions.items():
            path = f"/api/{version}" if not name else f"/apis/{name}/{version}"
            docs[path] = resource_list(name, version, rs)
    docs["aggregated:/api"] = {"kind": "APIGroupDiscoveryList",
                               "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {},
                               "items": [_aggregated_group("", groups.get("", {}))]}
    docs["aggregated:/apis"] = {"kind": "APIGroupDiscoveryList",
                                "apiVersion": "apidiscovery.k8s.io/v2", "metadata": {},
                                "items": [_aggregated_group(n, groups[n]) for n in named]}
    return docs


def route(path: str) -> Callable[[web.Request], Awaitable[web.StreamResponse]] | None:
    if path in ("/api", "/apis") or path.startswith("/api/") and path.count("/") == 2 or (
            path.startswith("/apis/") and path.count("/") in (2, 3)):
        async def serve(request: web.Request) -> web.StreamResponse:
            return _serve(request, path)
        return serve
    return None


def _serve(request: web.Request, path: str) -> web.StreamResponse:
    api: ApiContext = request.app[API_KEY]
    docs = _documents(api.resources)
    wanted = negotiate(request.headers.get("Accept"), forms=("APIGroupDiscoveryList",))
    if wanted.form == "APIGroupDiscoveryList" and path in ("/api", "/apis") and \
            wanted.version in ("v2", "v2beta1"):
        body = dict(docs[f"aggregated:{path}"])
        body["apiVersion"] = f"apidiscovery.k8s.io/{wanted.version}"
        response = respond(body)
        response.content_type = "application/json"
        response.headers["Content-Type"] = AGGREGATED_TYPE.format(v=wanted.version)
        return response
    doc = docs.get(path)
    if doc is None:
        raise NoSuchPath()
    return respond(doc, encoding=wanted.encoding)
