"""The registry's hooks into machinery: metadata validation and managedFields bookkeeping."""

from __future__ import annotations

from typing import Any

from kitlib.sim.machinery.patch.managedfields import update_managed_fields
from kitlib.sim.machinery.validation import validate_object_meta_update
from kitlib.sim.registry.base import ResourceType
from kitlib.sim.registry.generic import Hooks
from kitlib.sim.schema.builder import load_schema

JSON = dict[str, Any]


def track_managed_fields(*, old: JSON | None, new: JSON, manager: str, operation: str,
                         resource: ResourceType, subresource: str, now: str) -> None:
    schema = load_schema()
    type_name = schema.kinds[(resource.group, resource.version, resource.kind)]
    update_managed_fields(old=old, new=new, manager=manager, operation=operation,
                          schema=schema, type_name=type_name, api_version=resource.api_version,
                          now=now, subresource=subresource)


def registry_hooks() -> Hooks:
    return Hooks(validate_meta_update=validate_object_meta_update,
                 update_managed_fields=track_managed_fields)
