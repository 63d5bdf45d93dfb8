"""``kubectl get`` for the small kinds: namespaces, configmaps, secrets, serviceaccounts and
leases.

Their DATA and SECRETS columns are declared ``string`` by the real server, yet the cells
are JSON integers (the Go printers put an ``int64`` there); kubectl prints either alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kitlib.sim.printers.humanize import parse_time, since
from kitlib.sim.printers.table import AGE, NAME, Column, Printer, Row, creation_of, name_of

JSON = dict[str, Any]

NAMESPACE_COLUMNS = (NAME, Column("Status", description=(
    "The namespace's phase: Active, or Terminating while it is being deleted.")), AGE)

CONFIG_MAP_COLUMNS = (
    NAME,
    Column("Data", description=(
        "How many keys the ConfigMap holds, in data and binaryData together.")),
    AGE,
)

SECRET_COLUMNS = (
    NAME,
    Column("Type", description=(
        "The secret's type, e.g. Opaque or kubernetes.io/tls, which tells what keys it should "
        "hold. See https://kubernetes.io/docs/concepts/configuration/secret/#secret-types")),
    Column("Data", description="How many keys the secret's data holds."),
    AGE,
)

SERVICE_ACCOUNT_COLUMNS = (
    NAME,
    Column("Secrets", description=(
        "How many secrets the service account lists in its secrets field (usually 0 since "
        "Kubernetes 1.24, which stopped creating token secrets for it).")),
    AGE,
)

LEASE_COLUMNS = (
    NAME,
    Column("Holder", description=(
        "Who holds the lease now (spec.holderIdentity), e.g. the current leader's identity.")),
    AGE,
)


def _age(obj: JSON, now: datetime) -> str:
    return since(parse_time(creation_of(obj)), now=now)


def print_namespace(obj: JSON, now: datetime) -> Row:
    return Row([name_of(obj), (obj.get("status") or {}).get("phase") or "", _age(obj, now)])


def print_config_map(obj: JSON, now: datetime) -> Row:
    keys = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
    return Row([name_of(obj), keys, _age(obj, now)])


def print_secret(obj: JSON, now: datetime) -> Row:
    return Row([name_of(obj), obj.get("type") or "", len(obj.get("data") or {}), _age(obj, now)])


def print_service_account(obj: JSON, now: datetime) -> Row:
    return Row([name_of(obj), len(obj.get("secrets") or []), _age(obj, now)])


def print_lease(obj: JSON, now: datetime) -> Row:
    holder = (obj.get("spec") or {}).get("holderIdentity") or ""
    return Row([name_of(obj), holder, _age(obj, now)])


NAMESPACES = Printer(NAMESPACE_COLUMNS, print_namespace)
CONFIG_MAPS = Printer(CONFIG_MAP_COLUMNS, print_config_map)
SECRETS = Printer(SECRET_COLUMNS, print_secret)
SERVICE_ACCOUNTS = Printer(SERVICE_ACCOUNT_COLUMNS, print_service_account)
LEASES = Printer(LEASE_COLUMNS, print_lease)
