"""Reading request bodies: parsing, strict field validation, and the query's write options.

``fieldValidation`` decides what happens to unknown or duplicate fields: ``Strict`` (what
kubectl sends) refuses the request with 400, ``Warn`` (the server's default) accepts it and
returns a Warning header per problem, ``Ignore`` accepts it silently.  Unknown fields are
dropped from what is stored in every case, as decoding into Go structs drops them.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
from aiohttp import web

from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.machinery import errors
from kitlib.sim.registry.base import ResourceType
from kitlib.sim.registry.options import WriteOptions
from kitlib.sim.schema import decode
from kitlib.sim.schema.protobuf import MEDIA_TYPE as PROTOBUF
from kitlib.sim.schema.protobuf import decode_protobuf

JSON = dict[str, Any]
VALIDATION_MODES = ("Ignore", "Warn", "Strict")
MAX_MANAGER_LENGTH = 128


def field_validation(request: web.Request) -> str:
    mode = request.query.get("fieldValidation", "Warn") or "Warn"
    if mode not in VALIDATION_MODES:
        raise errors.BadRequest(f"fieldValidation parameter unsupported: {mode}. Must be one "
                                f"of: {', '.join(VALIDATION_MODES)}")
    return mode


def write_options(request: web.Request, *, subresource: str = "") -> WriteOptions:
    dry_run = request.query.getall("dryRun", [])
    for value in dry_run:
        if value != "All":
            raise errors.BadRequest(f'Invalid dry run value "{value}". Valid values: "All"')
    manager = request.query.get("fieldManager", "")
    if len(manager) > MAX_MANAGER_LENGTH:
        raise errors.Invalid(kind="", name="", errors=[errors.too_long("fieldManager",
                                                                       MAX_MANAGER_LENGTH)])
    if not manager:
        manager = decode_default_manager(request.headers.get("User-Agent", ""))
    return WriteOptions(dry_run=bool(dry_run), field_manager=manager, subresource=subresource)


def decode_default_manager(user_agent: str) -> str:
    from kitlib.sim.machinery.patch.managedfields import default_manager
    return default_manager(user_agent)


def content_type(request: web.Request) -> str:
    return (request.headers.get("Content-Type") or "application/json").split(";")[0].strip().lower()


#: What an object (create, update, a subresource's body) may be sent as.
OBJECT_TYPES = ("application/json", "application/yaml", PROTOBUF)


def object_media(request: web.Request) -> str:
    """The body's media type, if the server can decode an object from it (else 415)."""
    media = content_type(request)
    if media not in OBJECT_TYPES:
        raise errors.UnsupportedMediaType(", ".join(OBJECT_TYPES))
    return media


def parse(body: bytes, *, media: str, res: ResourceType) -> tuple[Any, list[str]]:
    """Parse a patch or subresource body: its data and duplicate-field problems."""
    if media == PROTOBUF:
        return decode_protobuf(body)[2], []
    if media == "application/json-patch+json":
        return _json_patch(body), []
    return decode.parse_body(body, content_type=media)


def _json_patch(body: bytes) -> Any:
    """A JSON Patch body is a list of operations, not an object: only its JSON is read
    here (the patch engine words a body of the wrong shape as jsonpatch.DecodePatch)."""
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass                # reparse for Go's wording of the fault
    text = body.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise errors.BadRequest(decode.go_json_error(exc.msg, text, exc.pos)) from None


def check_fields(obj: JSON, *, api: ApiContext, res: ResourceType, mode: str,
                 problems: list[str], warnings: list[str], type_name: str | None = None) -> None:
    """Apply the fieldValidation ``mode`` to ``problems`` plus the object's unknown fields."""
    schema = api.schema
    name = type_name or schema.kinds[(res.group, res.version, res.kind)]
    kind_errors = decode.type_errors(obj, schema=schema, type_name=name)
    if kind_errors:
        raise errors.not_handled(kind=res.kind, version=res.version, problem=kind_errors[0])
    # Unknown fields are looked for whatever the mode: they are dropped in every case.
    found = list(problems) + decode.unknown_fields(obj, schema=schema, type_name=name)
    if found and mode == "Strict":
        raise errors.not_handled(kind=res.kind, version=res.version,
                                 problem="strict decoding error: " + ", ".join(found))
    if found and mode == "Warn":
        warnings.extend(found)
    decode.prune_unknown_fields(obj, schema=schema, type_name=name)


async def read_object(request: web.Request, *, api: ApiContext, res: ResourceType,
                      options: WriteOptions, type_name: str | None = None) -> JSON:
    """The body of a create or update, decoded and checked against the kind's schema."""
    media = object_media(request)
    body = await request.read()
    if media == PROTOBUF:
        # kubectl's typed clients (create deployment, create namespace, ...) send protobuf;
        # it is never strict and cannot carry unknown fields.
        _, _, data = decode_protobuf(body, into=(res.api_version, res.kind))
        _check_kind(data, res)
        return data
    schema = api.schema
    name = type_name or schema.kinds[(res.group, res.version, res.kind)]
    try:
        decoded = decode.decode_object(body, content_type=media, schema=schema, type_name=name)
    except decode.MalformedBody as bad:
        raise decode.unrecognized(kind=res.kind, problem=bad.problem, body=body) from None
    data = decoded.data
    if not isinstance(data, dict):
        raise decode.unrecognized(kind=res.kind, problem="couldn't get version/kind; json "
                                  "parse error: json: cannot unmarshal "
                                  f"{_go_type(data)} into Go value of type struct "
                                  '{ APIVersion string "json:\\"apiVersion,omitempty\\""; '
                                  'Kind string "json:\\"kind,omitempty\\"" }', body=body)
    _check_kind(data, res)
    if decoded.type_errors:
        raise errors.not_handled(kind=res.kind, version=res.version,
                                 problem=decoded.type_errors[0])
    mode = field_validation(request)
    if decoded.strict and mode == "Strict":
        raise errors.not_handled(kind=res.kind, version=res.version,
                                 problem="strict decoding error: " + ", ".join(decoded.strict))
    if decoded.strict and mode == "Warn":
        options.warnings.extend(decoded.strict)
    decode.prune_unknown_fields(data, schema=schema, type_name=name)
    return data


def _go_type(value: Any) -> str:
    return {list: "array", str: "string", bool: "bool", type(None): "null"}.get(
        type(value), "number")


def _check_kind(data: JSON, res: ResourceType) -> None:
    api_version, kind = data.get("apiVersion"), data.get("kind")
    if api_version not in (None, "", res.api_version):
        raise errors.BadRequest(f"the API version in the data ({api_version}) does not match "
                                f"the expected API version ({res.api_version})")
    if kind not in (None, "", res.kind):
        raise errors.BadRequest(f"the kind in the data ({kind}) does not match the expected "
                                f"kind ({res.kind})")
