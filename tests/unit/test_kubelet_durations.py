"""Go's Duration.String() as the kubelet prints it, and durations as stages.yaml writes them."""

from __future__ import annotations

import pytest

from kitlib.sim.kubelet.durations import go_duration, parse_duration, truncate_ms


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0s"), (0.313, "313ms"), (1.594, "1.594s"), (10, "10s"), (80, "1m20s"),
    (300, "5m0s"), (3600, "1h0m0s"), (0.0015, "1.5ms"), (2e-6, "2µs"), (5e-9, "5ns"),
    (90.5, "1m30.5s"), (-2, "-2s"),
])
def test_go_duration(seconds: float, text: str) -> None:
    assert go_duration(seconds) == text


def test_pulled_times_are_truncated_to_milliseconds() -> None:
    assert go_duration(truncate_ms(1.3934567)) == "1.393s"
    assert go_duration(truncate_ms(0.0009)) == "0s"


@pytest.mark.parametrize(("text", "seconds"), [
    ("1.5s", 1.5), ("300ms", 0.3), ("2m30s", 150.0), (3, 3.0), ("1h", 3600.0), ("250us", 2.5e-4),
])
def test_parse_duration(text: object, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "5", "1x", "s", "1s2"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)
