"""The resource handlers: get, list, create, update, patch, delete, deletecollection.

HTTP in, registry calls, HTTP out.  The rules of each write live in the registry and the
kind's strategy; this module only reads requests and shapes answers (plain objects,
Tables, PartialObjectMetadata, lists with continue tokens).
"""

from __future__ import annotations

import base64
from typing import Any

import orjson
from aiohttp import web

from kitlib.sim.apiserver import decoding, params, paths, subresources, tables, watch
from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.apiserver.negotiate import Wanted, negotiate
from kitlib.sim.apiserver.patching import patch_transform
from kitlib.sim.apiserver.respond import respond
from kitlib.sim.machinery import errors, fields, labels
from kitlib.sim.registry.base import ResourceType
from kitlib.sim.registry.options import DeleteOptions
from kitlib.sim.schema.protobuf import decode_protobuf
from kitlib.sim.store.records import Record

JSON = dict[str, Any]
FORMS = ("Table", "PartialObjectMetadata", "PartialObjectMetadataList")


async def serve(request: web.Request, api: ApiContext) -> web.StreamResponse:
    watching = params.flag(request, "watch")
    info = paths.parse(request.path, request.method, watch=watching)
    res = api.find(info.group, info.version, info.resource)
    if res is None or (info.namespace is not None and not res.namespaced):
        raise errors.NoSuchPath()
    if res.namespaced and info.name and info.namespace is None:
        raise errors.NoSuchPath()
    if info.subresource:
        return await subresources.serve(request, api, res, info)
    if info.verb not in res.verbs:
        raise errors.MethodNotAllowed()
    if info.verb == "get":
        return get(request, api, res, info)
    if info.verb == "list":
        return list_objects(request, api, res, info)
    if info.verb == "watch":
        return await watch.serve(request, api, res, info)
    if info.verb == "create":
        if res.namespaced and info.namespace is None:
            raise errors.MethodNotAllowed()
        return await create(request, api, res, info)
    if info.verb == "update":
        return await update(request, api, res, info)
    if info.verb == "patch":
        return await patch(request, api, res, info)
    if info.verb == "delete":
        return await delete(request, api, res, info)
    if info.verb == "deletecollection":
        return await delete_collection(request, api, res, info)
    raise errors.MethodNotAllowed()


# --- answers ------------------------------------------------------------------------------

def wanted(request: web.Request) -> Wanted:
    return negotiate(request.headers.get("Accept"), forms=FORMS)


def object_response(request: web.Request, api: ApiContext, res: ResourceType, record: Record,
                    *, status: int = 200, warnings: list[str] | None = None) -> web.Response:
    want = wanted(request)
    if want.form == "Table":
        body: Any = tables.table(api, res, [record], request=request, rv=record.rv)
    elif want.form == "PartialObjectMetadata":
        body = tables.partial(record.object())
    else:
        body = record.raw
    return respond(body, status=status, encoding=want.encoding, warnings=warnings)


def get(request: web.Request, api: ApiContext, res: ResourceType,
        info: paths.RequestInfo) -> web.Response:
    record = api.storage(res).get(namespace=info.namespace, name=info.name)
    return object_response(request, api, res, record)


# --- lists --------------------------------------------------------------------------------

def selectors(request: web.Request, res: ResourceType) -> tuple[labels.LabelSelector,
                                                               fields.FieldSelector]:
    return (labels.parse(request.query.get("labelSelector")),
            fields.parse(request.query.get("fieldSelector"),
                         supported=res.strategy.selectable_fields))


def matching(api: ApiContext, res: ResourceType, namespace: str | None,
             label_sel: labels.LabelSelector, field_sel: fields.FieldSelector) -> list[Record]:
    storage = api.storage(res)
    name = field_sel.value_of("metadata.name")
    if name is not None and namespace is not None:
        one = storage.find(namespace=namespace, name=name)
        candidates = [one] if one is not None else []
    else:
        candidates = list(storage.list(namespace))
    found = [r for r in candidates
             if label_sel.matches(r.labels) and field_sel.matches(r.fields)]
    found.sort(key=lambda r: (r.namespace, r.name))
    return found


def _continue_token(rv: int, last: Record) -> str:
    raw = orjson.dumps({"v": "meta.k8s.io/v1", "rv": rv,
                        "start": f"{last.namespace}/{last.name}\u0000"})
    return base64.b64encode(raw).decode()


def _parse_continue(token: str) -> tuple[int, tuple[str, str]]:
    try:
        data = orjson.loads(base64.b64decode(token, validate=True))
        start = data["start"].rstrip("\u0000")
        namespace, _, name = start.partition("/")
        return int(data["rv"]), (namespace, name)
    except Exception:
        raise errors.BadRequest("continue key is not valid: incorrect encoded start "
                                "resourceVersion (version meta.k8s.io/v1)") from None


def list_objects(request: web.Request, api: ApiContext, res: ResourceType,
                 info: paths.RequestInfo) -> web.Response:
    label_sel, field_sel = selectors(request, res)
    items = matching(api, res, info.namespace, label_sel, field_sel)
    rv = api.store.rv
    token = request.query.get("continue", "")
    if token:
        rv, after = _parse_continue(token)
        items = [r for r in items if (r.namespace, r.name) > after]
    meta: JSON = {"resourceVersion": str(rv)}
    limit = _int_param(request, "limit")
    if limit and limit > 0 and len(items) > limit:
        meta["continue"] = _continue_token(rv, items[limit - 1])
        meta["remainingItemCount"] = len(items) - limit
        items = items[:limit]
    want = wanted(request)
    if want.form == "Table":
        body: Any = tables.table(api, res, items, request=request, rv=rv,
                                 continue_token=meta.get("continue", ""),
                                 remaining=meta.get("remainingItemCount"))
        return respond(body, encoding=want.encoding)
    if want.form == "PartialObjectMetadataList":
        body = {"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1",
                "metadata": meta, "items": [tables.partial(r.object()) for r in items]}
        return respond(body, encoding=want.encoding)
    head = orjson.dumps({"kind": res.list_kind_name(), "apiVersion": res.api_version,
                         "metadata": meta})
    # Splice the stored JSON of each item into the list without decoding it.
    raw = head[:-1] + b',"items":[' + b",".join(r.raw for r in items) + b"]}"
    return respond(raw, encoding=want.encoding)


def _int_param(request: web.Request, name: str) -> int | None:
    value = request.query.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise errors.BadRequest(f'strconv.ParseInt: parsing "{value}": invalid syntax') from None


# --- writes -------------------------------------------------------------------------------

async def create(request: web.Request, api: ApiContext, res: ResourceType,
                 info: paths.RequestInfo) -> web.Response:
    options = decoding.write_options(request)
    obj = await decoding.read_object(request, api=api, res=res, options=options)
    record = await api.storage(res).create(obj, namespace=info.namespace, options=options)
    return object_response(request, api, res, record, status=201, warnings=options.warnings)


async def update(request: web.Request, api: ApiContext, res: ResourceType,
                 info: paths.RequestInfo, *, subresource: str = "") -> web.Response:
    options = decoding.write_options(request, subresource=subresource)
    obj = await decoding.read_object(request, api=api, res=res, options=options)
    record, created = await api.storage(res).update(
        namespace=info.namespace, name=info.name, transform=lambda _current: obj,
        options=options)
    return object_response(request, api, res, record, status=201 if created else 200,
                           warnings=options.warnings)


async def patch(request: web.Request, api: ApiContext, res: ResourceType,
                info: paths.RequestInfo, *, subresource: str = "") -> web.Response:
    options = decoding.write_options(request, subresource=subresource)
    transform, is_apply = await patch_transform(request, api=api, res=res, options=options)
    record, created = await api.storage(res).update(
        namespace=info.namespace, name=info.name, transform=transform, options=options,
        create_missing=is_apply and not subresource, operation="Apply" if is_apply else "Update")
    return object_response(request, api, res, record, status=201 if created else 200,
                           warnings=options.warnings)


async def _delete_options(request: web.Request) -> DeleteOptions:
    body = await request.read()
    data = None
    if body.strip() and decoding.content_type(request) == decoding.PROTOBUF:
        # kubectl drain --disable-eviction sends its DeleteOptions as protobuf.
        data = decode_protobuf(body, into=("v1", "DeleteOptions"))[2]
    elif body.strip():
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise errors.BadRequest(f"couldn't get version/kind; json parse error: {exc}") \
                from None
        if not isinstance(data, dict):
            raise errors.BadRequest("DeleteOptions must be a JSON object")
    try:
        return DeleteOptions.from_body(data, query=dict(request.query))
    except (TypeError, ValueError) as exc:
        raise errors.BadRequest(f"invalid DeleteOptions: {exc}") from None


async def delete(request: web.Request, api: ApiContext, res: ResourceType,
                 info: paths.RequestInfo) -> web.Response:
    options = await _delete_options(request)
    record, _gone = await api.storage(res).delete(namespace=info.namespace, name=info.name,
                                                  options=options)
    return object_response(request, api, res, record)


async def delete_collection(request: web.Request, api: ApiContext, res: ResourceType,
                            info: paths.RequestInfo) -> web.Response:
    options = await _delete_options(request)
    label_sel, field_sel = selectors(request, res)
    storage = api.storage(res)
    deleted = []
    for record in matching(api, res, info.namespace, label_sel, field_sel):
        try:
            final, _gone = await storage.delete(namespace=record.namespace, name=record.name,
                                                options=options)
        except errors.NotFound:
            continue
        deleted.append(final)
    head = orjson.dumps({"kind": res.list_kind_name(), "apiVersion": res.api_version,
                         "metadata": {"resourceVersion": str(api.store.rv)}})
    return respond(head[:-1] + b',"items":[' + b",".join(r.raw for r in deleted) + b"]}")
