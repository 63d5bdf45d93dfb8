"""The Table for a kind without a printer of its own: NAME and CREATED AT.

This is the generic apiserver's ``rest.DefaultTableConvertor``: the second column is of
type ``date`` and holds the creation time as an RFC 3339 UTC string (Go's zero time,
``0001-01-01T00:00:00Z``, when unset), not a human duration.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from kitlib.sim.printers.humanize import parse_time
from kitlib.sim.printers.table import CREATION_TIMESTAMP_DOC, NAME, Column, Printer, Row, \
    creation_of, name_of

JSON = dict[str, Any]

COLUMNS = (NAME, Column("Created At", type="date", description=CREATION_TIMESTAMP_DOC))


def created_at(obj: JSON) -> str:
    moment = parse_time(creation_of(obj))
    if moment is None:
        return "0001-01-01T00:00:00Z"
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def print_default(obj: JSON, now: datetime) -> Row:
    return Row([name_of(obj), created_at(obj)])


DEFAULT = Printer(COLUMNS, print_default)
