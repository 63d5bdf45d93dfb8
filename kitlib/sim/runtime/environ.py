"""A container's environment, shared with every container that has the same one.

A container's environment is its image's variables, the pod's ``env`` and, with service
links, seven variables per Service of the namespace: the same twenty or so variables for
every replica of a Deployment, except ``HOSTNAME`` (the pod's name).  Ten thousand
replicas hold one table of them here, and each its own hostname.  Programs only read
their environment (a shell copies it into its own variables), as a process reads the
block the kernel gave it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

#: Tables of variables, one copy of each (bounded: a fresh table once full).
_TABLES: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
_TABLES_MAX = 1024


class Environment(Mapping[str, str]):
    """Read-only variables: a shared table, and this container's ``HOSTNAME``."""

    __slots__ = ("_table", "_hostname")

    def __init__(self, variables: Mapping[str, str], *, hostname: str | None = None) -> None:
        """``variables`` in order; ``hostname``, if given, is HOSTNAME's value (the table
        keeps its place only)."""
        items = tuple((key, "" if key == "HOSTNAME" and hostname is not None else value)
                      for key, value in variables.items())
        table = _TABLES.get(items)
        if table is None:
            if len(_TABLES) >= _TABLES_MAX:
                _TABLES.clear()
            table = _TABLES[items] = dict(items)
        self._table = table
        self._hostname = hostname if "HOSTNAME" in table else None

    def __getitem__(self, key: str) -> str:
        if key == "HOSTNAME" and self._hostname is not None:
            return self._hostname
        return self._table[key]

    def get(self, key: str, default: object = None) -> object:    # type: ignore[override]
        if key == "HOSTNAME" and self._hostname is not None:
            return self._hostname
        return self._table.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def copy(self) -> dict[str, str]:
        return dict(self)

    def __repr__(self) -> str:
        return f"Environment({dict(self)!r})"
