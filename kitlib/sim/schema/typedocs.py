"""Descriptions the official client's models lost (placeholder, filled below)."""

from __future__ import annotations

TYPES: dict[str, str] = {}
FIELDS: dict[tuple[str, str], str] = {}
