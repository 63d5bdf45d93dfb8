"""PATCH: choosing the engine by Content-Type and turning a patch into an update.

The four patch types a real server accepts are served: JSON Patch (RFC 6902), JSON merge
patch (RFC 7386), strategic merge patch and server-side apply.  Each becomes a transform
of the current object that the registry runs inside its read-modify-write.
"""

from __future__ import annotations

from typing import Any, Callable

from aiohttp import web

from kitlib.sim.apiserver import decoding, params
from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.machinery import errors
from kitlib.sim.machinery.patch.apply import server_side_apply
from kitlib.sim.machinery.patch.jsonpatch import apply_json_patch
from kitlib.sim.machinery.patch.merge import apply_merge_patch
from kitlib.sim.machinery.patch.strategic import apply_strategic_merge_patch
from kitlib.sim.registry.base import ResourceType
from kitlib.sim.registry.options import WriteOptions

JSON = dict[str, Any]
Transform = Callable[[JSON | None], JSON]

PATCH_TYPES = {
    "application/json-patch+json": "json",
    "application/merge-patch+json": "merge",
    "application/strategic-merge-patch+json": "strategic",
    "application/apply-patch+yaml": "apply",
}


def _unsupported() -> errors.UnsupportedMediaType:
    return errors.UnsupportedMediaType(", ".join(PATCH_TYPES))


async def patch_transform(request: web.Request, *, api: ApiContext, res: ResourceType,
                          options: WriteOptions,
                          type_name: str | None = None) -> tuple[Transform, bool]:
    """The transform a PATCH request asks for, and whether it is a server-side apply."""
    media = decoding.content_type(request)
    kind = PATCH_TYPES.get(media)
    if kind is None:
        raise _unsupported()
    mode = decoding.field_validation(request)
    body = await request.read()
    patch, problems = decoding.parse(body, media=media, res=res)
    schema = api.schema
    name = type_name or schema.kinds[(res.group, res.version, res.kind)]
    if kind == "apply" and not isinstance(patch, dict):
        raise errors.BadRequest("error decoding YAML: the applied configuration must be an "
                                "object")
    force = params.flag(request, "force")
    if kind == "apply":
        if not request.query.get("fieldManager"):
            raise errors.BadRequest("PATCH, application/apply-patch+yaml requests must specify "
                                    "a fieldManager")
    elif "force" in request.query:
        raise errors.BadRequest("force: Forbidden: may not be specified for non-apply patch")

    def transform(current: JSON | None) -> JSON:
        if kind == "json":
            result = apply_json_patch(current or {}, patch)
        elif kind == "merge":
            result = apply_merge_patch(current or {}, patch)
        elif kind == "strategic":
            result = apply_strategic_merge_patch(current or {}, patch, schema=schema,
                                                 type_name=name)
        else:
            applied = dict(patch)
            decoding.check_fields(applied, api=api, res=res, mode=mode, problems=problems,
                                  warnings=options.warnings, type_name=name)
            return server_side_apply(live=current, applied=applied,
                                     manager=options.field_manager, force=force,
                                     schema=schema, type_name=name,
                                     api_version=res.api_version, now=api.clock.timestamp(),
                                     subresource=options.subresource)
        if not isinstance(result, dict):
            raise errors.BadRequest("the patched object is not a JSON object")
        decoding.check_fields(result, api=api, res=res, mode=mode, problems=problems,
                              warnings=options.warnings, type_name=name)
        return result

    return transform, kind == "apply"
