"""The OpenAPI 3.0 document of one group-version, as ``/openapi/v3/<gv>`` serves it.

kubectl reads these for ``explain`` (schemas found by their
``x-kubernetes-group-version-kind``), for client-side apply (the patch extensions) and to
learn whether the server validates fields itself (a ``fieldValidation`` parameter on the
kind's PATCH operation).
"""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import ResourceType
from kitlib.sim.schema.openapi_params import Param
from kitlib.sim.schema.openapi_paths import (
    STRING, Operation, group_version_paths, tag,
)
from kitlib.sim.schema.openapi_schemas import Renderer
from kitlib.sim.schema.types import Schema

JSON = dict[str, Any]

SECURITY_SCHEMES: JSON = {"BearerToken": {"description": "Bearer Token authentication",
                                          "in": "header", "name": "authorization",
                                          "type": "apiKey"}}


def build_document(schema: Schema, *, group: str, version: str,
                   resources: list[ResourceType], server_version: str) -> JSON:
    renderer = Renderer(schema, v3=True)
    paths: JSON = {}
    roots: list[str] = []
    group_tag = tag(group, version)
    for item in group_version_paths(group, version, resources):
        body: JSON = {}
        for op in item.operations:
            body[op.method] = _operation(renderer, op, group_tag)
            roots.extend(d for d in (op.body, *(r[2] for r in op.responses))
                         if d and d != STRING)
        if item.params:
            body["parameters"] = [_param(p) for p in sorted(item.params, key=_param_key)]
        paths[item.path] = body
    return {
        "components": {"schemas": renderer.definitions(roots),
                       "securitySchemes": SECURITY_SCHEMES},
        "info": {"title": "Kubernetes", "version": server_version},
        "openapi": "3.0.0",
        "paths": paths,
    }


def _param_key(p: Param) -> tuple[str, str]:
    return (p.name, p.location)


def _param(p: Param) -> JSON:
    out: JSON = {"description": p.description, "in": p.location, "name": p.name}
    if p.required:
        out["required"] = True
    out["schema"] = {"type": p.type, "uniqueItems": True}
    return out


def _operation(renderer: Renderer, op: Operation, group_tag: str) -> JSON:
    out: JSON = {"description": op.description, "operationId": op.op_id}
    if op.params:
        out["parameters"] = [_param(p) for p in sorted(op.params, key=_param_key)]
    if op.body:
        out["requestBody"] = {"content": {ct: {"schema": renderer.ref(op.body)}
                                          for ct in op.consumes}}
        if op.body_required:
            out["requestBody"]["required"] = True
    responses: JSON = {}
    for code, text, definition in op.responses:
        schema = {"type": "string"} if definition == STRING else renderer.ref(definition)
        responses[code] = {"content": {ct: {"schema": schema} for ct in op.produces},
                           "description": text}
    responses["401"] = {"description": "Unauthorized"}
    out["responses"] = responses
    out["tags"] = [group_tag]
    if op.action:
        out["x-kubernetes-action"] = op.action
    if op.gvk is not None:
        group, version, kind = op.gvk
        out["x-kubernetes-group-version-kind"] = {"group": group, "kind": kind,
                                                  "version": version}
    return out
