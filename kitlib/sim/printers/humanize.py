"""Times as ``kubectl get`` shows them: ``AGE`` columns, ``LAST SEEN``, ``(5m ago)``.

The real server renders every duration in a Table with apimachinery's
``duration.HumanDuration``: about two significant figures, switching units at fixed
thresholds (``119s`` then ``2m0s``...``9m59s``, ``10m``...``179m``, ``3h0m``...``7h59m``,
``8h``...``47h``, ``2d0h``...``7d23h``, ``8d``...``729d``, ``2y0d``...``7y364d``, ``8y``).
Learners compare these strings with a real cluster, so the thresholds are exact.

Timestamps arrive as the RFC 3339 strings found in objects; a missing one is Go's zero
time, which the printers show as ``<unknown>``.  The clock is always passed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

_SECOND = 1_000_000          # durations are handled in whole microseconds
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE


def parse_time(value: object) -> datetime | None:
    """An RFC 3339 timestamp (``Time`` or ``MicroTime``) as an aware datetime; None if unset."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    # Go's zero time (0001-01-01T00:00:00Z) counts as unset, as metav1.Time.IsZero() says.
    if parsed.year == 1 and parsed.month == 1 and parsed.day == 1 and parsed.hour == 0 \
            and parsed.minute == 0 and parsed.second == 0 and parsed.microsecond == 0:
        return None
    return parsed


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def human_duration(delta: timedelta) -> str:
    """``duration.HumanDuration``: a short, approximate rendering of ``delta``."""
    micros = (delta.days * 86400 + delta.seconds) * _SECOND + delta.microseconds
    # Go's int(d.Seconds()) truncates toward zero; up to 2s in the future reads as "0s".
    seconds = micros // _SECOND if micros >= 0 else -((-micros) // _SECOND)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 120:
        return f"{seconds}s"
    minutes = micros // _MINUTE
    if minutes < 10:
        rest = (micros // _SECOND) % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = micros // _HOUR
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        years, days = divmod(hours // 24, 365)
        return f"{years}y" if days == 0 else f"{years}y{days}d"
    return f"{hours // 24 // 365}y"


def since(moment: datetime | None, *, now: datetime) -> str:
    """``translateTimestampSince``: how long ago ``moment`` was, or ``<unknown>`` if unset."""
    if moment is None:
        return "<unknown>"
    return human_duration(_aware(now) - moment)


def age(value: object, *, now: datetime) -> str:
    """The ``AGE`` cell for a timestamp string as found in an object."""
    return since(parse_time(value), now=now)
