"""The lines ``kit clock`` / ``node`` / ``fail`` print, from the simulator's answers."""

from __future__ import annotations

import io

import pytest

from kitlib.cli import control_text as text
from kitlib.cli.console import console


@pytest.mark.parametrize(("value", "shown"), [(0.25, "0.25x"), (1.0, "1x"), (10, "10x"),
                                              (1.5, "1.5x")])
def test_speed(value: float, shown: str) -> None:
    assert text.speed(value) == shown


@pytest.mark.parametrize(("typed", "shown"), [("30s", "30s"), ("300", "300s"),
                                              ("1.5", "1.5s"), ("1h30m", "1h30m")])
def test_duration(typed: str, shown: str) -> None:
    assert text.duration(typed) == shown


def test_clock_lines() -> None:
    running = {"time": "2026-11-26T16:00:00Z", "speed": 2.0, "paused": False}
    paused = dict(running, paused=True)
    assert text.clock_state(running) == (
        "The simulated clock reads 2026-11-26T16:00:00Z, running at 2x.")
    assert text.clock_state(paused) == (
        "The simulated clock is paused at 2026-11-26T16:00:00Z (2x once resumed).")
    assert text.clock_advanced(running, "90") == (
        "Advanced the clock by 90s to 2026-11-26T16:00:00Z.")
    assert text.clock_speed(running) == "The clock now runs at 2x real time (2026-11-26T16:00:00Z)."


@pytest.mark.parametrize(("image", "every"), [
    ("nginx", True), ("nginx:1.99", False), ("localhost:5000/app", True),
    ("localhost:5000/app:v2", False), ("nginx@sha256:" + "a" * 64, False)])
def test_an_image_without_a_tag_means_every_tag(image: str, every: bool) -> None:
    line = text.image({"image": image, "fail": True, "message": ""})
    assert ("(every tag)" in line) is every
    assert line.endswith(f"'kit fail image {image} --clear' undoes it.")


def test_the_node_table_colours_only_a_terminal() -> None:
    info = {"nodes": [
        {"name": "kit-control-plane", "kubelet": "running", "controlPlane": True,
         "internalIP": "172.18.0.2"},
        {"name": "kit-worker", "kubelet": "stopped", "controlPlane": False,
         "internalIP": "172.18.0.3"}]}
    out = io.StringIO()
    console(file=out).print(text.nodes(info))
    rows = [line.split() for line in out.getvalue().splitlines() if line.strip()]
    assert "\x1b[" not in out.getvalue()
    assert rows[0] == ["NODE", "ROLE", "KUBELET", "INTERNAL-IP"]
    assert rows[-1] == ["kit-worker", "worker", "stopped", "172.18.0.3"]
