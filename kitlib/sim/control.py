"""The simulator's own controls: its clock and failure injection.

These are what an instructor or a test turns that a real cluster does not have: slow time
down to narrate a rollout, fast-forward a 300 s eviction, stop a node's kubelet, make a
container crash.  They are served on the API server under ``/kit/v1/`` (same token) for
the ``kit`` command and kitlib, and callable in-process.  Everything here runs in the
cluster's event loop.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from kitlib.sim.clock import Clock
from kitlib.sim.machinery import errors

JSON = dict[str, Any]

_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?"
                       r"(?:(\d+(?:\.\d+)?)ms)?$")


def parse_duration(text: str | float | int) -> float:
    """Seconds from ``30``, ``"30s"``, ``"5m"``, ``"1h30m"``, ``"250ms"`` (Go's forms)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        seconds = float(text)
    else:
        value = str(text).strip()
        try:
            seconds = float(value)
        except ValueError:
            match = _DURATION.match(value)
            if not value or not match or not any(match.groups()):
                raise errors.BadRequest(f'invalid duration "{value}": use e.g. 30s, 5m, 1h30m')
            h, m, s, ms = (float(g) if g else 0.0 for g in match.groups())
            seconds = h * 3600 + m * 60 + s + ms / 1000
    if seconds < 0:
        raise errors.BadRequest("a duration cannot be negative: time only moves forward")
    return seconds


class FailureInjection(Protocol):
    """What the nodes' kubelets offer for lessons about failure (see ``kubelet.fleet``)."""

    def stop_kubelet(self, node: str) -> None: ...

    def start_kubelet(self, node: str) -> None: ...


class Control:
    def __init__(self, *, clock: Clock, fleet: Any = None) -> None:
        self.clock = clock
        self.fleet = fleet

    # --- the clock ----------------------------------------------------------------------

    def clock_state(self) -> JSON:
        return self.clock.state()

    def clock_command(self, body: JSON) -> JSON:
        """Apply one of: {"pause": true}, {"resume": true}, {"speed": 10},
        {"advance": "30s"}; returns the new state."""
        if not isinstance(body, dict) or not body:
            raise errors.BadRequest('expected one of {"pause": true}, {"resume": true}, '
                                    '{"speed": N}, {"advance": "30s"}')
        for key, value in body.items():
            if key == "pause" and value:
                self.clock.pause()
            elif key == "resume" and value:
                self.clock.resume()
            elif key == "speed":
                try:
                    self.clock.set_speed(float(value))
                except (TypeError, ValueError):
                    raise errors.BadRequest(f"speed must be a positive number, not {value!r}")
            elif key == "advance":
                self.clock.advance(parse_duration(value))
            elif key not in ("pause", "resume"):
                raise errors.BadRequest(f'unknown clock command "{key}": use pause, resume, '
                                        f"speed or advance")
        return self.clock.state()
