"""``kubectl get`` for a namespace's resource policies, and for CustomResourceDefinitions.

ResourceQuotas print ``NAME AGE REQUEST LIMIT``: each resource the quota's status knows,
as ``used/hard``, the ``limits.*`` ones in LIMIT and all others in REQUEST (the real
printer reads ``status``, which the quota controller fills in).  LimitRanges print
``NAME CREATED AT``, as the generic table does, and so do CustomResourceDefinitions
(apiextensions-apiserver has no printer of its own for them).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kitlib.sim.machinery.quantity import QuantityError, canonical
from kitlib.sim.printers.default import COLUMNS as CREATED_COLUMNS
from kitlib.sim.printers.default import print_default
from kitlib.sim.printers.humanize import parse_time, since
from kitlib.sim.printers.table import AGE, NAME, Column, Printer, Row, creation_of, name_of

JSON = dict[str, Any]

RESOURCE_QUOTA_COLUMNS = (
    NAME, AGE,
    Column("Request", description=(
        "What the namespace uses of each resource the quota bounds, out of what the quota "
        "allows (used/hard): object counts and requests.")),
    Column("Limit", description=(
        "The same for the quota's limits.* resources: the sum of the containers' limits, "
        "out of what the quota allows.")),
)


def _quantity(raw: Any) -> str:
    try:
        return canonical(raw)
    except QuantityError:
        return str(raw)


def print_resource_quota(obj: JSON, now: datetime) -> Row:
    status = obj.get("status") or {}
    hard, used = status.get("hard") or {}, status.get("used") or {}
    requests: list[str] = []
    limits: list[str] = []
    for resource in sorted(hard):
        column = limits if resource.split(".")[0] == "limits" and "." in resource else requests
        column.append(f"{resource}: {_quantity(used.get(resource, '0'))}/"
                      f"{_quantity(hard[resource])}")
    age = since(parse_time(creation_of(obj)), now=now)
    return Row([name_of(obj), age, ", ".join(requests), ", ".join(limits)])


RESOURCE_QUOTAS = Printer(RESOURCE_QUOTA_COLUMNS, print_resource_quota)
LIMIT_RANGES = Printer(CREATED_COLUMNS, print_default)
CUSTOM_RESOURCE_DEFINITIONS = Printer(CREATED_COLUMNS, print_default)
