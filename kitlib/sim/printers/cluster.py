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

NAMESPACE_COLUMNS = (NAME, Column("Status", description="The status of the namespace"), AGE)

CONFIG_MAP_COLUMNS = (
    NAME,
    Column("Data", description=(
        "Data contains the configuration data. Each key must consist of alphanumeric "
        "characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the "
        "BinaryData field. The keys stored in Data must not overlap with the keys in the "
        "BinaryData field, this is enforced during validation process.")),
    AGE,
)

SECRET_COLUMNS = (
    NAME,
    Column("Type", description=(
        "Used to facilitate programmatic handling of secret data. More info: "
        "https://kubernetes.io/docs/concepts/configuration/secret/#secret-types")),
    Column("Data", description=(
        "Data contains the secret data. Each key must consist of alphanumeric characters, '-', "
        "'_' or '.'. The serialized form of the secret data is a base64 encoded string, "
        "representing the arbitrary (possibly non-string) data value here. Described in "
        "https://tools.ietf.org/html/rfc4648#section-4")),
    AGE,
)

SERVICE_ACCOUNT_COLUMNS = (
    NAME,
    Column("Secrets", description=(
        "Secrets is a list of the secrets in the same namespace that pods running using this "
        "ServiceAccount are allowed to use. Pods are only limited to this list if this service "
        "account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". "
        "The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32. "
        "Prefer separate namespaces to isolate access to mounted secrets. This field should not "
        "be used to find auto-generated service account token secrets for use outside of pods. "
        "Instead, tokens can be requested directly using the TokenRequest API, or service "
        "account token secrets can be manually created. More info: "
        "https://kubernetes.io/docs/concepts/configuration/secret")),
    AGE,
)

LEASE_COLUMNS = (
    NAME,
    Column("Holder", description=(
        "holderIdentity contains the identity of the holder of a current lease. If Coordinated "
        "Leader Election is used, the holder identity must be equal to the elected "
        "LeaseCandidate.metadata.name field.")),
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
