"""kitlib's SimulatorControl: the same calls, answers and refusals in-process
(``ThreadedCluster.control``) as over HTTPS (``SimulatorControl.connect``), from any thread.
"""

from __future__ import annotations

import socket
import threading
from datetime import datetime
from typing import Any

import pytest

from kitlib.sim.remote import ControlError, SimulatorControl, Unreachable
from tests.conftest import Http
from tests.control.steps import wait_for


@pytest.fixture(scope="module")
def remote(sim: Any) -> SimulatorControl:
    return SimulatorControl.connect(sim.url, token=sim.token, ca_pem=sim.ca_pem)


def _seconds(state: dict[str, Any]) -> float:
    return datetime.strptime(state["time"], "%Y-%m-%dT%H:%M:%SZ").timestamp()


def test_info(sim: Any, remote: SimulatorControl, http: Http) -> None:
    from importlib.metadata import version

    wait_for(lambda: all(n["kubelet"] == "running" for n in sim.control.info()["nodes"]),
             what="the kubelets registered")
    info = sim.control.info()
    assert info["version"] == version("kitlib")
    assert (info["profile"], info["seed"]) == ("fast", 1)
    assert info["uptimeSeconds"] >= 0
    assert set(info["clock"]) >= {"time", "speed", "paused"}
    assert [(n["name"], n["controlPlane"]) for n in info["nodes"]] == [
        ("kit-control-plane", True), ("kit-worker", False), ("kit-worker2", False)]
    assert info["nodes"][1]["internalIP"] == "172.18.0.3"
    over_http = remote.info()
    assert over_http["nodes"] == info["nodes"] == http.get("/kit/v1/info").json()["nodes"]
    assert over_http["version"] == info["version"]


@pytest.mark.parametrize("call", [
    lambda c: c.stop_kubelet("kit-worker9"),
    lambda c: c.crash_container("nope", namespace="default"),
    lambda c: c.advance("soon"),
    lambda c: c.set_speed(-1),
    lambda c: c.fail_image_pulls("UPPER"),
    lambda c: c.transport.send("DELETE", "/kit/v1/clock"),
    lambda c: c.transport.send("GET", "/kit/v1/nothing"),
], ids=["node", "pod", "duration", "speed", "image", "method", "path"])
def test_refusals_are_the_same_in_process_and_remote(sim: Any, remote: SimulatorControl,
                                                     call: Any) -> None:
    with pytest.raises(ControlError) as local:
        call(sim.control)
    with pytest.raises(ControlError) as wire:
        call(remote)
    assert (local.value.code, local.value.reason, local.value.message, local.value.details) \
        == (wire.value.code, wire.value.reason, wire.value.message, wire.value.details)
    assert local.value.code in (400, 404, 405)


def test_many_threads_step_one_clock(sim: Any, remote: SimulatorControl) -> None:
    start = _seconds(sim.control.pause())
    try:
        def step(control: SimulatorControl) -> None:
            for _ in range(10):
                control.advance("1s")

        threads = [threading.Thread(target=step, args=(c,))
                   for c in [sim.control, remote] * 4]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert _seconds(remote.clock()) - start == 80
    finally:
        sim.control.resume()
    assert remote.clock()["paused"] is False


def test_speed_and_nodes_in_process(sim: Any, remote: SimulatorControl) -> None:
    assert sim.control.set_speed(4)["speed"] == 4.0
    assert remote.clock()["speed"] == 4.0
    assert remote.set_speed(1)["speed"] == 1.0
    assert sim.control.stop_kubelet("kit-worker")["kubelet"] == "stopped"
    try:
        nodes = {n["name"]: n["kubelet"] for n in remote.info()["nodes"]}
        assert nodes["kit-worker"] == "stopped"
    finally:
        assert remote.start_kubelet("kit-worker")["changed"] is True


def test_called_from_the_loop_itself(sim: Any) -> None:
    async def inside() -> dict[str, Any]:
        return sim.control.clock()          # no hop to make: served at once, no deadlock

    assert "time" in sim.call(inside(), timeout=5)


def test_a_wrong_token_and_a_closed_port(sim: Any) -> None:
    with pytest.raises(ControlError) as refused:
        SimulatorControl.connect(sim.url, token="wrong", ca_pem=sim.ca_pem).clock()
    assert (refused.value.code, refused.value.reason) == (401, "Unauthorized")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(Unreachable) as nobody:
        SimulatorControl.connect(f"https://127.0.0.1:{port}", token="t").clock()
    assert nobody.value.code is None and "refused" in nobody.value.message
    with pytest.raises(Unreachable) as untrusted:
        SimulatorControl.connect(sim.url, token=sim.token).clock()     # the system's CAs
    assert "certificate is not trusted" in untrusted.value.message


def test_a_stopped_cluster_is_unreachable() -> None:
    from kitlib.sim.cluster import SimConfig, ThreadedCluster

    with ThreadedCluster(SimConfig(nodes=1)) as cluster:
        control = cluster.control
        assert control.clock()["paused"] is False
    with pytest.raises(Unreachable):
        control.clock()
