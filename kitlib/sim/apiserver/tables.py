"""Server-side printing: Tables for ``kubectl get`` and PartialObjectMetadata for metadata-only
clients.  The columns themselves are the printers' business (``kitlib.sim.printers``)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from kitlib.sim.apiserver.context import ApiContext
from kitlib.sim.printers import to_table
from kitlib.sim.printers.table import partial_object_metadata
from kitlib.sim.registry.base import ResourceType
from kitlib.sim.store.records import Record

JSON = dict[str, Any]


def table(api: ApiContext, res: ResourceType, records: list[Record], *,
          request: web.Request, rv: int, continue_token: str = "",
          remaining: int | None = None, no_headers: bool = False) -> JSON:
    return to_table(group=res.group, resource=res.plural,
                    objects=[r.object() for r in records], now=api.clock.now(),
                    resource_version=str(rv), continue_token=continue_token,
                    include_object=request.query.get("includeObject", "Metadata"),
                    remaining_item_count=remaining, no_headers=no_headers)


def partial(obj: JSON) -> JSON:
    return partial_object_metadata(obj)
