"""The Swagger 2.0 document of the whole API, as ``/openapi/v2`` serves it (JSON form).

Older kubectl versions, and current ones when a v3 lookup fails, read this one document
for the same purposes as the v3 ones: schemas, patch extensions, supported parameters.
"""

from __future__ import annotations

from typing import Any

from kitlib.sim.registry.base import ResourceType
from kitlib.sim.schema.openapi_params import Param
from kitlib.sim.schema.openapi_paths import (
    STRING, Operation, group_version_paths, tag,
)
from kitlib.sim.schema.openapi_schemas import Renderer
from kitlib.sim.schema.openapi_v3 import SECURITY_SCHEMES
from kitlib.sim.schema.types import Schema

JSON = dict[str, Any]


def build_document(schema: Schema, *, groups: dict[tuple[str, str], list[ResourceType]],
                   server_version: str) -> JSON:
    renderer = Renderer(schema, v3=False)
    paths: JSON = {}
    roots: list[str] = []
    for (group, version), resources in groups.items():
        group_tag = tag(group, version)
        for item in group_version_paths(group, version, resources):
            body: JSON = {}
            for op in item.operations:
                body[op.method] = _operation(renderer, op, group_tag)
                roots.extend(d for d in (op.body, *(r[2] for r in op.responses))
                             if d and d != STRING)
            if item.params:
                body["parameters"] = [_param(p) for p in sorted(item.params, key=_key)]
            paths[item.path] = body
    return {
        "definitions": renderer.definitions(roots),
        "info": {"title": "Kubernetes", "version": server_version},
        "paths": paths,
        "security": [{"BearerToken": []}],
        "securityDefinitions": SECURITY_SCHEMES,
        "swagger": "2.0",
    }


def _key(p: Param) -> tuple[str, str]:
    return (p.name, p.location)


def _param(p: Param) -> JSON:
    out: JSON = {"description": p.description, "in": p.location, "name": p.name}
    if p.required:
        out["required"] = True
    out["type"] = p.type
    out["uniqueItems"] = True
    return out


def _operation(renderer: Renderer, op: Operation, group_tag: str) -> JSON:
    out: JSON = {"consumes": list(op.consumes), "description": op.description,
                 "operationId": op.op_id}
    params = [_param(p) for p in sorted(op.params, key=_key)]
    if op.body:
        body: JSON = {"in": "body", "name": "body", "schema": renderer.ref(op.body)}
        if op.body_required:
            body["required"] = True
        params.insert(0, body)
    if params:
        out["parameters"] = params
    out["produces"] = list(op.produces)
    responses: JSON = {}
    for code, text, definition in op.responses:
        schema = {"type": "string"} if definition == STRING else renderer.ref(definition)
        responses[code] = {"description": text, "schema": schema}
    responses["401"] = {"description": "Unauthorized"}
    out["responses"] = responses
    out["schemes"] = ["https"]
    out["tags"] = [group_tag]
    if op.action:
        out["x-kubernetes-action"] = op.action
    if op.gvk is not None:
        group, version, kind = op.gvk
        out["x-kubernetes-group-version-kind"] = {"group": group, "kind": kind,
                                                  "version": version}
    return out
