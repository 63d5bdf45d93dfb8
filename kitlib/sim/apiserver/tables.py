"""Server-side printing: Tables for ``kubectl get`` and PartialObjectMetadata for metadata-only
clients.  The columns themselves are the printers' business (``kitlib.sim.printers``)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.machinery import errors
from kitlib.sim.printers import to_table
from kitlib.sim.registry.base import ResourceType
from kitlib.sim.store.records import Record

JSON = dict[str, Any]
INCLUDE = ("None", "Metadata", "Object")


def include_object(request: web.Request) -> str:
    value = request.query.get("includeObject", "Metadata") or "Metadata"
    if value not in INCLUDE:
        raise errors.BadRequest(f'includeObject: Unsupported value: "{value}": supported '
                                f'values: "Metadata", "None", "Object"')
    return value


def table(api: ApiContext, res: ResourceType, records: list[Record], *,
          request: web.Request, rv: int, continue_token: str = "") -> JSON:
    return to_table(group=res.group, resource=res.plural,
                    objects=[r.object() for r in records], now=api.clock.now(),
                    resource_version=str(rv), continue_token=continue_token,
                    include_object=include_object(request))


def partial(obj: JSON) -> JSON:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
            "metadata": obj.get("metadata", {})}
