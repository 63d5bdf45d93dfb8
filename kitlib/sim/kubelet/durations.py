"""Durations as a kubelet prints them (Go's time.Duration) and as stages.yaml writes them.

Event and status texts carry Go-formatted durations: ``pulled in 1.393s``, ``back-off
1m20s``, ``back-off 5m0s``.  Learners compare these with what a real cluster shows, so
the formatting follows Go exactly.
"""

from __future__ import annotations

import re

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def _fraction(value: int, precision: int) -> str:
    """``value`` / 10**precision, printed without trailing zeros (Go's fmtFrac)."""
    whole, frac = divmod(value, 10 ** precision)
    digits = f"{frac:0{precision}d}".rstrip("0")
    return f"{whole}.{digits}" if digits else str(whole)


def go_duration(seconds: float) -> str:
    """time.Duration(seconds).String(): ``0s``, ``313ms``, ``1.594s``, ``1m20s``, ``5m0s``."""
    nanos = int(round(seconds * 1e9))
    sign = "-" if nanos < 0 else ""
    nanos = abs(nanos)
    if nanos == 0:
        return "0s"
    if nanos < 1_000:
        return f"{sign}{nanos}ns"
    if nanos < 1_000_000:
        return f"{sign}{_fraction(nanos, 3)}µs"
    if nanos < 1_000_000_000:
        return f"{sign}{_fraction(nanos, 6)}ms"
    hours, rest = divmod(nanos, 3_600 * 10**9)
    minutes, rest = divmod(rest, 60 * 10**9)
    text = f"{_fraction(rest, 9)}s"
    if hours:
        return f"{sign}{hours}h{minutes}m{text}"
    if minutes:
        return f"{sign}{minutes}m{text}"
    return sign + text


def truncate_ms(seconds: float) -> float:
    """Duration.Truncate(time.Millisecond), as the Pulled event's times are."""
    return int(seconds * 1000) / 1000


def parse_duration(value: object) -> float:
    """Seconds from ``1.5s``, ``300ms``, ``2m30s`` or a plain number of seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    total, position = 0.0, 0
    for match in _PART.finditer(text):
        if match.start() != position:
            break
        total += float(match.group(1)) * _UNITS[match.group(2)]
        position = match.end()
    if position != len(text) or not text:
        raise ValueError(f"invalid duration {value!r}")
    return total
