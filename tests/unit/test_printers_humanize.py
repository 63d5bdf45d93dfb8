"""duration.HumanDuration and the AGE cell, threshold by threshold."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kitlib.sim.printers.humanize import age, human_duration, parse_time, since

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("delta", "text"), [
    (timedelta(seconds=-5), "<invalid>"),
    (timedelta(seconds=-1.5), "0s"),          # up to 2s of clock skew reads as now
    (timedelta(0), "0s"),
    (timedelta(seconds=59), "59s"),
    (timedelta(seconds=119), "119s"),
    (timedelta(seconds=120), "2m"),
    (timedelta(seconds=123), "2m3s"),
    (timedelta(minutes=9, seconds=59), "9m59s"),
    (timedelta(minutes=10, seconds=30), "10m"),
    (timedelta(minutes=179), "179m"),
    (timedelta(hours=3), "3h"),
    (timedelta(hours=3, minutes=5), "3h5m"),
    (timedelta(hours=7, minutes=59, seconds=59), "7h59m"),
    (timedelta(hours=8, minutes=30), "8h"),
    (timedelta(hours=47), "47h"),
    (timedelta(hours=48), "2d"),
    (timedelta(days=2, hours=3), "2d3h"),
    (timedelta(days=7, hours=23), "7d23h"),
    (timedelta(days=9, hours=5), "9d"),
    (timedelta(days=729), "729d"),
    (timedelta(days=730), "2y"),
    (timedelta(days=733), "2y3d"),
    (timedelta(days=365 * 8 + 40), "8y"),
])
def test_human_duration_thresholds(delta: timedelta, text: str) -> None:
    assert human_duration(delta) == text


def test_sub_second_precision_is_truncated() -> None:
    assert human_duration(timedelta(seconds=119, microseconds=999_999)) == "119s"
    assert human_duration(timedelta(minutes=2, seconds=59, microseconds=900_000)) == "2m59s"


def test_age_of_rfc3339_and_microtime_strings() -> None:
    assert age("2024-05-01T11:55:00Z", now=NOW) == "5m"
    assert age("2024-05-01T11:59:58.123456Z", now=NOW) == "1s"
    assert age("2024-05-01T13:55:00+02:00", now=NOW) == "5m"


@pytest.mark.parametrize("value", [None, "", "0001-01-01T00:00:00Z", "not a time"])
def test_zero_or_missing_time_is_unknown(value: object) -> None:
    assert parse_time(value) is None
    assert age(value, now=NOW) == "<unknown>"


def test_naive_now_is_taken_as_utc() -> None:
    naive = datetime(2024, 5, 1, 12, 0, 0)
    assert since(parse_time("2024-04-30T12:00:00Z"), now=naive) == "24h"
