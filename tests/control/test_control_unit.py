"""Control and its router without a cluster: the checks that need no running nodes."""

from __future__ import annotations

import pytest

from kitlib.sim.apiserver.control_routes import route
from kitlib.sim.clock import Clock
from kitlib.sim.control import Control, default_container, parse_duration
from kitlib.sim.machinery import errors


@pytest.mark.parametrize(("text", "seconds"), [
    ("30s", 30), ("5m", 300), ("1h30m", 5400), ("250ms", 0.25), ("1m30s", 90), (45, 45),
    ("2.5", 2.5)])
def test_parse_duration(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["soon", "", "5d", "-5s", "m", "1s1h"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(errors.BadRequest):
        parse_duration(text)


def test_without_nodes_the_failures_are_unavailable() -> None:
    control = Control(clock=Clock(seed=1), seed=1)
    assert route(control, "GET", "/kit/v1/info")["nodes"] == []
    with pytest.raises(errors.StatusError) as refused:
        route(control, "POST", "/kit/v1/nodes/kit-worker/kubelet", {"action": "stop"})
    assert (refused.value.code, refused.value.reason) == (503, "ServiceUnavailable")


@pytest.mark.parametrize(("method", "path", "error"), [
    ("GET", "/kit/v1/nope", errors.NoSuchPath),
    ("POST", "/kit/v1/info", errors.MethodNotAllowed),
    ("PUT", "/kit/v1/clock", errors.MethodNotAllowed),
    ("POST", "/kit/v1/namespaces/a/pods/b/volumes/c/failure", errors.NoSuchPath),
    ("POST", "/kit/v1/namespaces/a/pods/b/containers/c", errors.NoSuchPath)])
def test_routes(method: str, path: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        route(Control(clock=Clock()), method, path, {})


def test_default_container() -> None:
    pod = {"metadata": {"annotations": {}},
           "spec": {"containers": [{"name": "app"}, {"name": "log"}]}}
    assert default_container(pod) == "app"
    pod["metadata"]["annotations"]["kubectl.kubernetes.io/default-container"] = "log"
    assert default_container(pod) == "log"
    pod["metadata"]["annotations"]["kubectl.kubernetes.io/default-container"] = "gone"
    assert default_container(pod) == "app"
