"""The REST operations of one group-version, as the OpenAPI documents describe them.

A kube-apiserver documents every route it installs: for each resource the collection
(list, create, delete collection), the item (read, replace, patch, delete), the legacy
watch routes, and each subresource.  Operation ids, descriptions, ``x-kubernetes-action``
and ``x-kubernetes-group-version-kind`` follow the server's own naming, which clients
(kubectl's field-validation probe, API browsers, client generators) rely on.  This module
builds that list in a neutral form; ``openapi_v3``/``openapi_v2`` render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kitlib.sim.registry.base import ResourceType
from kitlib.sim.schema import gotypes
from kitlib.sim.schema.openapi_params import (
    CONNECT_PARAMS, CREATE, DELETE, DELETE_COLLECTION, LIST, LOG_PARAMS, PARAMS, PATCH,
    PROXY_PATH, PROXY_PATH_QUERY, Param, name_param,
)

GVK = tuple[str, str, str]

SERIALIZED = ("application/json", "application/yaml", "application/vnd.kubernetes.protobuf")
STREAMED = SERIALIZED + ("application/json;stream=watch",
                         "application/vnd.kubernetes.protobuf;stream=watch")
PATCH_TYPES = ("application/apply-patch+yaml", "application/json-patch+json",
               "application/merge-patch+json", "application/strategic-merge-patch+json")
STATUS = f"{gotypes.META}.Status"
DELETE_OPTIONS = f"{gotypes.META}.DeleteOptions"
WATCH_EVENT = f"{gotypes.META}.WatchEvent"
PATCH_BODY = f"{gotypes.META}.Patch"
STRING = "string"          # a response whose schema is a plain string

_GROUP_WORDS = {"": "Core", "apps": "Apps", "coordination.k8s.io": "Coordination",
                "discovery.k8s.io": "Discovery", "events.k8s.io": "Events"}
_SUBRESOURCE_KINDS: dict[str, tuple[str, GVK]] = {
    "scale": ("io.k8s.api.autoscaling.v1.Scale", ("autoscaling", "v1", "Scale")),
    "binding": (f"{gotypes.CORE}.Binding", ("", "v1", "Binding")),
    "eviction": ("io.k8s.api.policy.v1.Eviction", ("policy", "v1", "Eviction")),
    "token": ("io.k8s.api.authentication.v1.TokenRequest",
              ("authentication.k8s.io", "v1", "TokenRequest")),
}
_CONNECT_KINDS = {"exec": "PodExecOptions", "attach": "PodAttachOptions",
                  "portforward": "PodPortForwardOptions"}
_PROXY_METHODS = ("delete", "get", "head", "options", "patch", "post", "put")


@dataclass
class Operation:
    method: str
    op_id: str
    description: str
    action: str
    gvk: GVK | None
    params: tuple[Param, ...] = ()
    body: str = ""                       # definition name of the request body
    body_required: bool = True
    consumes: tuple[str, ...] = ("*/*",)
    produces: tuple[str, ...] = SERIALIZED
    responses: tuple[tuple[str, str, str], ...] = ()   # (code, description, definition)


@dataclass
class PathItem:
    path: str
    params: tuple[Param, ...]
    operations: list[Operation] = field(default_factory=list)


def group_word(group: str) -> str:
    return _GROUP_WORDS.get(group) or group.split(".")[0].capitalize()


def tag(group: str, version: str) -> str:
    return f"{group_word(group).lower()}_{version}"


def base_path(group: str, version: str) -> str:
    return f"/apis/{group}/{version}" if group else f"/api/{version}"


def _p(*names: str) -> tuple[Param, ...]:
    return tuple(PARAMS[n] for n in names)


def _ok(definition: str, *codes: str) -> tuple[tuple[str, str, str], ...]:
    words = {"200": "OK", "201": "Created", "202": "Accepted"}
    return tuple((c, words[c], definition) for c in codes)


def group_version_paths(group: str, version: str,
                        resources: list[ResourceType]) -> list[PathItem]:
    base = base_path(group, version)
    items = [PathItem(f"{base}/", (), [Operation(
        "get", f"get{group_word(group)}{version.capitalize()}APIResources",
        "get available resources", "", None,
        consumes=SERIALIZED, responses=_ok(f"{gotypes.META}.APIResourceList", "200"))])]
    for res in resources:
        items.extend(resource_paths(res))
    return sorted(items, key=lambda item: item.path)


def resource_paths(res: ResourceType) -> list[PathItem]:
    base = base_path(res.group, res.version)
    word = f"{group_word(res.group)}{res.version.capitalize()}"
    scope = "Namespaced" if res.namespaced else ""
    ns_path = "/namespaces/{namespace}" if res.namespaced else ""
    ns = _p("namespace") if res.namespaced else ()
    kind, gvk = res.kind, (res.group, res.version, res.kind)
    package = gotypes.PACKAGES[res.group]
    kind_def, list_def = f"{package}.{kind}", f"{package}.{res.list_kind_name()}"
    verbs = set(res.verbs)
    collection = PathItem(f"{base}{ns_path}/{res.plural}", ns + _p("pretty"))
    item = PathItem(f"{base}{ns_path}/{res.plural}/{{name}}",
                    (name_param(kind),) + ns + _p("pretty"))
    out = [collection, item]

    if "deletecollection" in verbs:
        collection.operations.append(Operation(
            "delete", f"delete{word}Collection{scope}{kind}", f"delete collection of {kind}",
            "deletecollection", gvk, _p(*DELETE_COLLECTION), body=DELETE_OPTIONS,
            body_required=False, responses=_ok(STATUS, "200")))
    if "list" in verbs:
        collection.operations.append(Operation(
            "get", f"list{word}{scope}{kind}", f"list or watch objects of kind {kind}",
            "list", gvk, _p(*LIST), consumes=("*/*",), produces=STREAMED,
            responses=_ok(list_def, "200")))
    if "create" in verbs:
        collection.operations.append(Operation(
            "post", f"create{word}{scope}{kind}", f"create a {kind}", "post", gvk,
            _p(*CREATE), body=kind_def, responses=_ok(kind_def, "200", "201", "202")))
    if "delete" in verbs:
        item.operations.append(Operation(
            "delete", f"delete{word}{scope}{kind}", f"delete a {kind}", "delete", gvk,
            _p(*DELETE), body=DELETE_OPTIONS, body_required=False,
            responses=_ok(STATUS, "200", "202")))
    if "get" in verbs:
        item.operations.append(Operation(
            "get", f"read{word}{scope}{kind}", f"read the specified {kind}", "get", gvk,
            responses=_ok(kind_def, "200")))
    if "patch" in verbs:
        item.operations.append(_patch(f"patch{word}{scope}{kind}",
                                      f"partially update the specified {kind}", gvk, kind_def))
    if "update" in verbs:
        item.operations.append(Operation(
            "put", f"replace{word}{scope}{kind}", f"replace the specified {kind}", "put", gvk,
            _p(*CREATE), body=kind_def, responses=_ok(kind_def, "200", "201")))

    if res.namespaced and "list" in verbs:
        out.append(PathItem(f"{base}/{res.plural}", _p(*LIST, "pretty"), [Operation(
            "get", f"list{word}{kind}ForAllNamespaces", f"list or watch objects of kind {kind}",
            "list", gvk, produces=STREAMED, responses=_ok(list_def, "200"))]))
    if "watch" in verbs:
        out.extend(_watch_paths(res, base, word, scope, ns_path, ns, gvk))
    for sub in res.subresources:
        out.extend(_subresource_paths(res, sub, item, word, scope, ns, kind_def, gvk))
    return [p for p in out if p.operations]


def _patch(op_id: str, description: str, gvk: GVK | None, definition: str) -> Operation:
    return Operation("patch", op_id, description, "patch", gvk, _p(*PATCH), body=PATCH_BODY,
                     consumes=PATCH_TYPES, responses=_ok(definition, "200", "201"))


def _watch_paths(res: ResourceType, base: str, word: str, scope: str, ns_path: str,
                 ns: tuple[Param, ...], gvk: GVK) -> list[PathItem]:
    kind = res.kind
    list_text = (f"watch individual changes to a list of {kind}. deprecated: use the 'watch' "
                 "parameter with a list operation instead.")
    one_text = (f"watch changes to an object of kind {kind}. deprecated: use the 'watch' "
                "parameter with a list operation instead, filtered to a single item with "
                "the 'fieldSelector' parameter.")
    responses = _ok(WATCH_EVENT, "200")
    out = [
        PathItem(f"{base}/watch{ns_path}/{res.plural}", _p(*LIST) + ns + _p("pretty"), [
            Operation("get", f"watch{word}{scope}{kind}List", list_text, "watchlist", gvk,
                      produces=STREAMED, responses=responses)]),
        PathItem(f"{base}/watch{ns_path}/{res.plural}/{{name}}",
                 _p(*LIST) + (name_param(kind),) + ns + _p("pretty"), [
                     Operation("get", f"watch{word}{scope}{kind}", one_text, "watch", gvk,
                               produces=STREAMED, responses=responses)]),
    ]
    if res.namespaced:
        out.append(PathItem(f"{base}/watch/{res.plural}", _p(*LIST, "pretty"), [
            Operation("get", f"watch{word}{kind}ListForAllNamespaces", list_text, "watchlist",
                      gvk, produces=STREAMED, responses=responses)]))
    return out


def _subresource_paths(res: ResourceType, sub: str, item: PathItem, word: str, scope: str,
                       ns: tuple[Param, ...], kind_def: str, gvk: GVK) -> list[PathItem]:
    kind = res.kind
    path = f"{item.path}/{sub}"
    title = sub.capitalize()
    if sub in ("status", "scale"):
        definition, sub_gvk = (kind_def, gvk) if sub == "status" else _SUBRESOURCE_KINDS[sub]
        return [PathItem(path, item.params, [
            Operation("get", f"read{word}{scope}{kind}{title}",
                      f"read {sub} of the specified {kind}", "get", sub_gvk,
                      responses=_ok(definition, "200")),
            _patch(f"patch{word}{scope}{kind}{title}",
                   f"partially update {sub} of the specified {kind}", sub_gvk, definition),
            Operation("put", f"replace{word}{scope}{kind}{title}",
                      f"replace {sub} of the specified {kind}", "put", sub_gvk, _p(*CREATE),
                      body=definition, responses=_ok(definition, "200", "201")),
        ])]
    if sub in _SUBRESOURCE_KINDS:                     # binding, eviction, token: POST only
        definition, sub_gvk = _SUBRESOURCE_KINDS[sub]
        return [PathItem(path, (name_param(kind, sub_gvk[2]),) + ns + _p("pretty"), [
            Operation("post", f"create{word}{scope}{kind}{title}",
                      f"create {sub} of a {kind}", "post", sub_gvk, _p(*CREATE),
                      body=definition, responses=_ok(definition, "200", "201", "202"))])]
    if sub == "finalize":
        return [PathItem(path, (name_param(kind),) + _p("dryRun", "fieldManager",
                                                        "fieldValidation", "pretty"), [
            Operation("put", f"replace{word}{scope}{kind}Finalize",
                      f"replace finalize of the specified {kind}", "put", gvk, body=kind_def,
                      responses=_ok(kind_def, "200", "201"))])]
    if sub == "log":
        return [PathItem(path, (name_param(kind),) + ns + _p("pretty"), [
            Operation("get", f"read{word}{scope}{kind}Log", f"read log of the specified {kind}",
                      "get", gvk, LOG_PARAMS,
                      produces=("text/plain", "application/json", "application/yaml",
                                "application/vnd.kubernetes.protobuf"),
                      responses=_ok(STRING, "200"))])]
    if sub in _CONNECT_KINDS:
        options = _CONNECT_KINDS[sub]
        return [PathItem(path, CONNECT_PARAMS[sub] + (name_param(kind, options),) + ns, [
            Operation(method, f"connect{word}{method.capitalize()}{scope}{kind}{title}",
                      f"connect {method.upper()} requests to {sub} of {kind}", "connect",
                      ("", "v1", options), produces=("*/*",), responses=_ok(STRING, "200"))
            for method in ("get", "post")])]
    if sub == "proxy":
        options = f"{kind}ProxyOptions"
        query = PROXY_PATH_QUERY._replace(description=PROXY_PATH_QUERY.description.format(
            kind=kind.lower() if kind != "Service" else "service"))
        out = []
        for suffix, extra in (("", (query,)), ("/{path}", (PROXY_PATH, query))):
            out.append(PathItem(path + suffix, (name_param(kind, options),) + ns + extra, [
                Operation(method, f"connect{word}{method.capitalize()}{scope}{kind}Proxy"
                                  f"{'WithPath' if suffix else ''}",
                          f"connect {method.upper()} requests to proxy of {kind}", "connect",
                          ("", "v1", options), produces=("*/*",), responses=_ok(STRING, "200"))
                for method in _PROXY_METHODS]))
        return out
    return []
