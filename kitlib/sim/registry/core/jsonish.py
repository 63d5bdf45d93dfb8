"""Defensive access to decoded JSON: a wrong type reads as absent, never as a crash.

Request bodies are checked against the schema before a strategy sees them, but strategies
also meet stored objects, patches and hand-made test input; these helpers keep every rule
total.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def d(value: Any) -> Mapping[str, Any]:
    """The value if it is an object, else an empty one."""
    # A dict first: the ABC check is slow, and this runs for every field.
    return value if type(value) is dict or isinstance(value, Mapping) else {}


def l(value: Any) -> list[Any]:  # noqa: E743 - short on purpose, used in every rule
    """The value if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def s(value: Any) -> str:
    """The value if it is a string, else ""."""
    return value if isinstance(value, str) else ""
