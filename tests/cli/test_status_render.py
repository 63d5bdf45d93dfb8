"""The status panel and its pieces, rendered to plain strings."""

from __future__ import annotations

import io

import pytest

from kitlib.cli.console import KitError, console, report
from kitlib.cli.status import NodeRow, Snapshot, _node_row, format_uptime, render


@pytest.mark.parametrize(("seconds", "text"), [
    (0, "0s"), (59.9, "59s"), (60, "1m00s"), (307, "5m07s"), (3600, "1h00m"),
    (11520, "3h12m"), (86400 * 2 + 4 * 3600 + 5, "2d04h"), (-3, "0s")])
def test_format_uptime(seconds: float, text: str) -> None:
    assert format_uptime(seconds) == text


def _text(renderable: object) -> str:
    out = io.StringIO()
    console(file=out).print(renderable)
    return out.getvalue()


def test_the_panel_shows_everything() -> None:
    snapshot = Snapshot(url="https://127.0.0.1:6443", kubeconfig="/home/u/.kit/kubeconfig",
                        state="/home/u/.kit/state.db", pid=4242, uptime=307,
                        version="v1.32.0",
                        nodes=[NodeRow(name="kit-worker", ready="True", version="v1.32.0"),
                               NodeRow(name="kit-worker2", ready="False", version="v1.32.0")],
                        counts={"namespaces": 4, "pods": 0, "deployments": 12})
    text = _text(render(snapshot))
    assert "\x1b[" not in text                       # not a terminal: no colour codes
    for expected in ("https://127.0.0.1:6443", "/home/u/.kit/kubeconfig", "v1.32.0",
                     "5m07s (pid 4242)", "2 (1 ready)", "kit-worker2", "False"):
        assert expected in text
    lines = text.splitlines()
    assert any(line.split()[1:3] == ["namespaces", "4"] for line in lines if "namespaces" in line)
    assert any(line.split()[1:3] == ["deployments", "12"] for line in lines
               if "deployments" in line)


def test_no_nodes_reads_zero() -> None:
    text = _text(render(Snapshot(url="u", kubeconfig="k", state="", pid=1, uptime=1)))
    assert "(in memory)" in text
    assert any(line.split()[1:3] == ["nodes", "0"] for line in text.splitlines()
               if "nodes" in line)


def test_node_rows_read_the_ready_condition() -> None:
    node = {"metadata": {"name": "n1"},
            "status": {"conditions": [{"type": "MemoryPressure", "status": "False"},
                                      {"type": "Ready", "status": "True"}],
                       "nodeInfo": {"kubeletVersion": "v1.32.0"}}}
    assert _node_row(node) == NodeRow(name="n1", ready="True", version="v1.32.0")
    assert _node_row({"metadata": {"name": "n2"}}).ready == "Unknown"


def test_an_error_is_one_unwrapped_line() -> None:
    out = io.StringIO()
    long = "port 6443 on 127.0.0.1 is already in use; " * 4 + "[not markup]"
    report(KitError(long), file=out)
    assert out.getvalue() == f"kit: {long}\n"
