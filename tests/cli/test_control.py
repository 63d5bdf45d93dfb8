"""``kit clock``, ``kit node``, ``kit fail`` against a real ``kit serve``: lines and effects."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from tests.cli.conftest import Api, Kit, free_port, wait_for

NOT_RUNNING = "kit: the simulator is not running; start it with 'kit up'\n"
STAMP = "%Y-%m-%dT%H:%M:%SZ"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kit]:
    """One foreground ``kit serve`` for the module, writing the kit home's kubeconfig."""
    kit = Kit(tmp_path_factory.mktemp("control") / "kit-home")
    proc = kit.spawn("serve", "--port", "0", "--ephemeral", "--seed", "3")
    wait_for(lambda: kit.kubeconfig.exists() or proc.poll() is not None, what="the kubeconfig")
    assert proc.poll() is None, proc.communicate()
    yield kit
    kit.cleanup()


@pytest.fixture(scope="module")
def api(served: Kit) -> Api:
    return Api(served.kubeconfig)


def _ok(kit: Kit, *args: str) -> str:
    result = kit.run(*args)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout


def _fails(kit: Kit, *args: str, code: int = 1) -> str:
    result = kit.run(*args)
    assert (result.returncode, result.stdout) == (code, ""), result
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def _later(stamp: str, seconds: int) -> str:
    return (datetime.strptime(stamp, STAMP) + timedelta(seconds=seconds)).strftime(STAMP)


def test_the_clock(served: Kit, api: Api) -> None:
    assert re.fullmatch(r"The simulated clock reads \S+Z, running at 1x\.\n",
                        _ok(served, "clock"))
    out = _ok(served, "clock", "pause")
    now = api.get("/kit/v1/clock")[1]["time"]
    assert out == (f"Paused the clock at {now}; 'kit clock advance 30s' steps it, "
                   "'kit clock resume' restarts it.\n")
    try:
        assert _ok(served, "clock", "advance", "5m") == (
            f"Advanced the clock by 5m to {_later(now, 300)} (still paused).\n")
        assert api.get("/kit/v1/clock")[1]["time"] == _later(now, 300)
        assert _ok(served, "clock", "advance", "90") == (
            f"Advanced the clock by 90s to {_later(now, 390)} (still paused).\n")
        assert _ok(served, "clock", "speed", "0.25") == (
            f"The clock will run at 0.25x once resumed; it is paused at {_later(now, 390)}.\n")
        assert _ok(served, "clock") == (
            f"The simulated clock is paused at {_later(now, 390)} (0.25x once resumed).\n")
    finally:
        out = _ok(served, "clock", "resume")
    assert out == f"Resumed the clock at {_later(now, 390)}, running at 0.25x.\n"
    assert api.get("/kit/v1/clock")[1]["paused"] is False
    assert re.fullmatch(r"The clock now runs at 1x real time \(\S+Z\)\.\n",
                        _ok(served, "clock", "speed", "1"))


def test_clock_refusals(served: Kit, api: Api) -> None:
    assert _fails(served, "clock", "advance", "soon") == (
        'kit: invalid duration "soon": use e.g. 30s, 5m, 1h30m\n')
    assert _fails(served, "clock", "speed", "0", code=2) == (
        "kit: argument FACTOR: must be more than 0, not 0; 'kit clock pause' stops time; "
        "see 'kit clock speed --help'\n")
    assert "invalid choice: 'rewind'" in _fails(served, "clock", "rewind", code=2)
    assert api.get("/kit/v1/clock")[1]["speed"] == 1.0


def _kubelets(api: Api) -> dict[str, str]:
    return {n["name"]: n["kubelet"] for n in api.get("/kit/v1/info")[1]["nodes"]}


def test_a_node_fails_and_recovers(served: Kit, api: Api) -> None:
    wait_for(lambda: set(_kubelets(api).values()) == {"running"}, what="running kubelets")
    rows = [line.split() for line in _ok(served, "node").splitlines()]
    assert rows[0] == ["NODE", "ROLE", "KUBELET", "INTERNAL-IP"]
    assert ["kit-control-plane", "control-plane", "running", "172.18.0.2"] in rows
    assert ["kit-worker2", "worker", "running", "172.18.0.4"] in rows
    assert _ok(served, "node", "stop", "kit-worker2") == (
        "Stopped the kubelet of node kit-worker2: without its heartbeats the node turns "
        "NotReady after 50s; 'kit node start kit-worker2' brings it back.\n")
    try:
        assert _kubelets(api)["kit-worker2"] == "stopped"
        assert ["kit-worker2", "worker", "stopped", "172.18.0.4"] in [
            line.split() for line in _ok(served, "node", "list").splitlines()]
        assert _ok(served, "node", "stop", "kit-worker2") == (
            "The kubelet of node kit-worker2 is already stopped.\n")
    finally:
        out = _ok(served, "node", "start", "kit-worker2")
    assert out == "Started the kubelet of node kit-worker2: the node reports Ready again.\n"
    assert _kubelets(api)["kit-worker2"] == "running"
    assert _ok(served, "node", "start", "kit-worker2") == (
        "The kubelet of node kit-worker2 is already running.\n")
    assert _fails(served, "node", "stop", "kit-worker9") == (
        'kit: nodes "kit-worker9" not found (the nodes are: kit-control-plane, kit-worker, '
        "kit-worker2)\n")
    assert "the following arguments are required: NODE" in _fails(served, "node", "stop",
                                                                    code=2)


def _pod(api: Api, namespace: str, name: str, image: str = "nginx:1.25") -> None:
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"nodeName": "kit-worker",
                     "containers": [{"name": "main", "image": image}]}}
    status, answer = api.request("POST", f"/api/v1/namespaces/{namespace}/pods", body=body)
    assert status == 201, answer


def _main(api: Api, namespace: str, name: str) -> dict[str, Any]:
    pod = api.get(f"/api/v1/namespaces/{namespace}/pods/{name}")[1]
    return next(iter(pod.get("status", {}).get("containerStatuses") or []), {})


def test_a_container_crashes(served: Kit, api: Api) -> None:
    api.create_namespace("lesson")
    _pod(api, "lesson", "web")
    wait_for(lambda: _main(api, "lesson", "web").get("ready"), what="web Ready")
    assert _ok(served, "fail", "container", "web", "-n", "lesson", "--crash", "--exit-code",
               "2") == "Container main of pod lesson/web exited with code 2 (Error).\n"
    wait_for(lambda: _main(api, "lesson", "web").get("restartCount") == 1, what="a restart")
    assert _main(api, "lesson", "web")["lastState"]["terminated"]["exitCode"] == 2
    assert _ok(served, "fail", "container", "web", "-n", "lesson", "-c", "main", "--hang") == (
        "Container main of pod lesson/web now ignores SIGTERM: stopping it takes the pod's "
        "whole grace period ('--unhang' undoes it).\n")
    assert _ok(served, "fail", "container", "web", "--namespace", "lesson", "--unhang") == (
        "Container main of pod lesson/web stops on SIGTERM again.\n")
    assert _fails(served, "fail", "container", "web", "--crash") == (
        'kit: pods "web" not found in namespace "default"\n')
    assert _fails(served, "fail", "container", "web", "-n", "lesson", "-c", "db",
                  "--oom") == "kit: container db is not valid for pod web\n"
    assert _fails(served, "fail", "container", "web", "-n", "lesson", "--oom", "--exit-code",
                  "3", code=2) == ("kit: argument --exit-code: only with --crash; "
                                   "see 'kit fail container --help'\n")
    assert "one of the arguments --crash --oom --hang --unhang is required" in _fails(
        served, "fail", "container", "web", code=2)
    assert _main(api, "lesson", "web")["restartCount"] == 1


def test_an_image_fails_to_pull(served: Kit, api: Api) -> None:
    api.create_namespace("images")
    assert _ok(served, "fail", "image", "nginx:1.97", "--message", "registry down") == (
        'Pulls of nginx:1.97 now fail on every node ("registry down"): new containers using '
        "it end in ErrImagePull; 'kit fail image nginx:1.97 --clear' undoes it.\n")
    try:
        _pod(api, "images", "unlucky", "nginx:1.97")
        wait_for(lambda: _main(api, "images", "unlucky").get("state", {}).get(
            "waiting", {}).get("reason") in ("ErrImagePull", "ImagePullBackOff"),
            what="ErrImagePull")
    finally:
        out = _ok(served, "fail", "image", "nginx:1.97", "--clear")
    assert out == "Pulls of nginx:1.97 work again.\n"
    _pod(api, "images", "lucky", "nginx:1.97")
    wait_for(lambda: _main(api, "images", "lucky").get("ready"), what="pulled once cleared")
    assert "(every tag)" in _ok(served, "fail", "image", "redis")
    assert _ok(served, "fail", "image", "--clear") == (
        "Image pulls work again, for every image.\n")
    assert _fails(served, "fail", "image", code=2) == (
        "kit: the following arguments are required: IMAGE (or --clear, for every image); "
        "see 'kit fail image --help'\n")
    assert _fails(served, "fail", "image", "Nginx") == (
        'kit: invalid image "Nginx": invalid reference format: repository name '
        "(library/Nginx) must be lowercase\n")
    assert "not allowed with argument --message" in _fails(
        served, "fail", "image", "x", "--message", "m", "--clear", code=2)


def test_another_kubeconfig(served: Kit, kit: Kit) -> None:
    """An empty kit home: nothing running, unless --kubeconfig points at a simulator."""
    assert _fails(kit, "clock", code=3) == NOT_RUNNING
    assert _fails(kit, "node", "stop", "kit-worker", code=3) == NOT_RUNNING
    assert "The simulated clock reads" in _ok(kit, "clock", "--kubeconfig",
                                              str(served.kubeconfig))
    assert "Advanced the clock by 1s" in _ok(kit, "clock", "advance", "1s", "--kubeconfig",
                                             str(served.kubeconfig))
    missing = kit.home / "missing"
    assert _fails(kit, "clock", "--kubeconfig", str(missing)) == (
        f"kit: no kubeconfig at {missing}\n")
    stale = kit.home.parent / "stale"
    config = yaml.safe_load(served.kubeconfig.read_text())
    port = free_port()
    config["clusters"][0]["cluster"]["server"] = f"https://127.0.0.1:{port}"
    stale.write_text(yaml.safe_dump(config))
    assert _fails(kit, "fail", "image", "x", "--kubeconfig", str(stale), code=3) == (
        f"kit: the simulator is not running (nothing answers at https://127.0.0.1:{port}: "
        "connection refused); start it with 'kit up'\n")


def test_the_background_simulator_is_found_through_its_record(kit: Kit,
                                                               tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere" / "config"
    result = kit.run("up", "--port", str(free_port()), "--kubeconfig", str(elsewhere))
    assert result.returncode == 0, result.stderr
    assert not kit.kubeconfig.exists()
    assert "The simulated clock reads" in _ok(kit, "clock")
    assert "kit-worker2" in _ok(kit, "node")


def test_help_names_the_verbs(served: Kit) -> None:
    top = _ok(served, "--help")
    for command in ("clock", "node", "fail"):
        assert re.search(rf"^\s+{command}\s", top, re.MULTILINE)
    assert "kit node stop NODE" in _ok(served, "node", "--help")
    assert "kit clock advance 30s" in _ok(served, "clock", "--help")
    assert "kit fail image IMAGE --clear" in _ok(served, "fail", "--help")
