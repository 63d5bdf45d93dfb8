"""Subresources: status, scale, binding, eviction and a namespace's finalize; the
node-backed ones (log, exec, attach, portforward, proxy) have modules of their own.

Each is a view of, or a narrow write to, its parent object: ``/scale`` shows and sets
``spec.replicas`` as an autoscaling/v1 Scale, ``/binding`` assigns a pod to a node (what the
scheduler does), ``/status`` writes only status.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from kitlib.sim.apiserver import decoding, objects, paths, tokenrequest
from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.apiserver.patching import patch_transform
from kitlib.sim.apiserver.respond import respond, success_status
from kitlib.sim.machinery import errors, labels
from kitlib.sim.printers import to_table
from kitlib.sim.registry.base import ResourceType
from kitlib.sim.registry.options import DeleteOptions

JSON = dict[str, Any]

SCALE = ResourceType(group="autoscaling", version="v1", kind="Scale", plural="scale",
                     singular="scale", namespaced=True)
SCALE_TYPE = "io.k8s.api.autoscaling.v1.Scale"


async def serve(request: web.Request, api: ApiContext, res: ResourceType,
                info: paths.RequestInfo) -> web.StreamResponse:
    sub, method = info.subresource, request.method
    if sub not in res.subresources:
        raise errors.NoSuchPath()
    if sub == "status":
        if method == "GET":
            return objects.get(request, api, res, info)
        if method == "PUT":
            return await objects.update(request, api, res, info, subresource="status")
        if method == "PATCH":
            return await objects.patch(request, api, res, info, subresource="status")
    elif sub == "scale":
        return await scale(request, api, res, info)
    elif sub == "binding" and method == "POST":
        return await bind(request, api, res, info)
    elif sub == "eviction" and method == "POST":
        return await evict(request, api, res, info)
    elif sub == "finalize" and method == "PUT":
        return await finalize(request, api, res, info)
    # The ways to a node (logs, exec, port-forward, proxy) are imported on first use: the
    # server answers sooner after its start without them (SPDY, WebSockets, the network).
    elif sub == "log":
        from kitlib.sim.apiserver import logs
        return await logs.serve(request, api, res, info)
    elif sub in ("exec", "attach"):
        from kitlib.sim.apiserver import streaming
        return await streaming.serve(request, api, res, info, action=sub)
    elif sub == "portforward":
        from kitlib.sim.apiserver import portforward
        return await portforward.serve(request, api, res, info)
    elif sub == "proxy":
        from kitlib.sim.apiserver import proxy
        return await proxy.serve(request, api, res, info)
    elif sub == "token":
        return await tokenrequest.serve(request, api, res, info)
    raise errors.MethodNotAllowed()


# --- scale --------------------------------------------------------------------------------

def scale_of(obj: JSON, res: ResourceType) -> JSON:
    meta = obj["metadata"]
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    if res.kind == "ReplicationController":
        selector = str(labels.from_map(spec.get("selector")))
    else:
        selector = str(labels.from_label_selector(spec.get("selector") or {}))
    return {
        "kind": "Scale", "apiVersion": "autoscaling/v1",
        "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion",
                                         "creationTimestamp") if k in meta},
        "spec": {"replicas": spec.get("replicas", 0)},
        "status": {"replicas": status.get("replicas", 0), "selector": selector},
    }


async def scale(request: web.Request, api: ApiContext, res: ResourceType,
                info: paths.RequestInfo) -> web.StreamResponse:
    storage = api.storage(res)
    if request.method == "GET":
        record = storage.get(namespace=info.namespace, name=info.name)
        scale_obj = scale_of(record.object(), res)
        want = objects.wanted(request)
        if want.form == "Table":
            return respond(to_table(group="autoscaling", resource="scale", objects=[scale_obj],
                                    now=api.clock.now(), resource_version=str(record.rv),
                                    include_object=request.query.get("includeObject",
                                                                     "Metadata")),
                           encoding=want.encoding)
        return respond(scale_obj, encoding=want.encoding)
    if request.method not in ("PUT", "PATCH"):
        raise errors.MethodNotAllowed()
    options = decoding.write_options(request, subresource="scale")
    if request.method == "PUT":
        body = await decoding.read_object(request, api=api, res=SCALE, options=options)

        def change(current: JSON | None) -> JSON:
            return body
    else:
        change, _ = await patch_transform(request, api=api, res=SCALE, options=options,
                                          type_name=SCALE_TYPE)

    def transform(current: JSON | None) -> JSON:
        assert current is not None
        wanted = change(scale_of(current, res))
        replicas = (wanted.get("spec") or {}).get("replicas", 0)
        if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
            raise errors.Invalid(kind="Scale", group="autoscaling", name=info.name, errors=[
                errors.invalid("spec.replicas", replicas,
                               "must be greater than or equal to 0")])
        rv = (wanted.get("metadata") or {}).get("resourceVersion")
        if rv:
            current["metadata"]["resourceVersion"] = str(rv)
        current.setdefault("spec", {})["replicas"] = replicas
        return current

    record, _ = await storage.update(namespace=info.namespace, name=info.name,
                                     transform=transform, options=options)
    return respond(scale_of(record.object(), res), warnings=options.warnings)


# --- binding, eviction, finalize --------------------------------------------------------------

async def bind(request: web.Request, api: ApiContext, res: ResourceType,
               info: paths.RequestInfo) -> web.StreamResponse:
    body = await request.read()
    binding, _ = decoding.parse(body, media=decoding.object_media(request), res=res)
    binding = _shaped(binding, "Binding", {"target": dict, "metadata": dict})
    metadata = _shaped(binding.get("metadata"), "Binding", {"annotations": dict})
    target = _shaped(binding.get("target"), "Binding", {"name": str})
    node = target.get("name")
    if not node:
        raise errors.Invalid(kind="Binding", name=info.name,
                             errors=[errors.required("target.name")])
    annotations = metadata.get("annotations") or {}
    storage = api.storage(res)
    now = api.clock.timestamp()

    def assign(current: JSON | None) -> JSON:
        assert current is not None
        meta, spec = current["metadata"], current.setdefault("spec", {})
        if meta.get("deletionTimestamp"):
            raise errors.Conflict(resource="pods/binding", name=info.name,
                                  detail=f"pod {info.name} is being deleted, cannot be "
                                         f"assigned to a host")
        if spec.get("nodeName"):
            raise errors.Conflict(resource="pods/binding", name=info.name,
                                  detail=f'pod {info.name} is already assigned to node '
                                         f'"{spec["nodeName"]}"')
        spec["nodeName"] = node
        if annotations:
            meta.setdefault("annotations", {}).update(annotations)
        status = current.setdefault("status", {})
        conditions = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"]
        conditions.append({"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                           "lastTransitionTime": now})
        status["conditions"] = conditions
        return current

    options = decoding.write_options(request, subresource="binding")
    await storage.update(namespace=info.namespace, name=info.name, transform=assign,
                         options=options)
    return respond(success_status(code=201), status=201)


async def evict(request: web.Request, api: ApiContext, res: ResourceType,
                info: paths.RequestInfo) -> web.StreamResponse:
    body = await request.read()
    eviction, _ = decoding.parse(body, media=decoding.object_media(request), res=res) \
        if body.strip() else ({}, [])
    eviction = _shaped(eviction, "Eviction", {"deleteOptions": dict})
    delete_options = DeleteOptions.from_body(eviction.get("deleteOptions"),
                                             query=dict(request.query))
    await api.storage(res).delete(namespace=info.namespace, name=info.name,
                                  options=delete_options)
    return respond(success_status(code=201), status=201)


async def finalize(request: web.Request, api: ApiContext, res: ResourceType,
                   info: paths.RequestInfo) -> web.StreamResponse:
    options = decoding.write_options(request, subresource="finalize")
    body = await decoding.read_object(request, api=api, res=res, options=options)
    finalizers = (body.get("spec") or {}).get("finalizers") or []

    def transform(current: JSON | None) -> JSON:
        assert current is not None
        current.setdefault("spec", {})["finalizers"] = finalizers
        if not finalizers:
            current["spec"].pop("finalizers")
        return current

    record, _ = await api.storage(res).update(namespace=info.namespace, name=info.name,
                                              transform=transform, options=options)
    return objects.object_response(request, api, res, record)


def _shaped(value: Any, kind: str, fields: dict[str, type]) -> JSON:
    """``value`` as an object whose listed fields have the right JSON types, or the 400 a
    real server answers for a body its decoder cannot read."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise errors.not_handled(kind=kind, version="v1", problem=(
            f"json: cannot unmarshal {_go_kind(value)} into Go value of type v1.{kind}"))
    for name, wanted in fields.items():
        field_value = value.get(name)
        if field_value is not None and not isinstance(field_value, wanted):
            raise errors.not_handled(kind=kind, version="v1", problem=(
                f"json: cannot unmarshal {_go_kind(field_value)} into Go struct field "
                f"{kind}.{name} of type {'string' if wanted is str else 'object'}"))
    if "annotations" in fields:
        for key, text in (value.get("annotations") or {}).items():
            if not isinstance(text, str):
                raise errors.not_handled(kind=kind, version="v1", problem=(
                    f"json: cannot unmarshal {_go_kind(text)} into Go struct field "
                    f"ObjectMeta.metadata.annotations of type string"))
    return value


def _go_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array"}.get(type(value), "object")
