"""A node fails and recovers through POST /kit/v1/nodes/{node}/kubelet, as a lesson drives it.

Stopping a kubelet stops its lease renewals; once the clock has passed the node monitor's
grace period (50 s), the node is NotReady, as ``kubectl get nodes`` shows it; started again,
the kubelet reports Ready at once.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import Http, assert_status
from tests.control.steps import advance, advance_until, kubectl, wait_for

NODE = "kit-worker2"
LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases"


def _renewed(http: Http, node: str) -> str:
    return http.get(f"{LEASES}/{node}").json()["spec"]["renewTime"]


def _ready(http: Http, node: str) -> str:
    conditions = http.get(f"/api/v1/nodes/{node}").json()["status"]["conditions"]
    return next(c["status"] for c in conditions if c["type"] == "Ready")


def _kubectl_status(sim: Any, node: str) -> str | None:
    out = kubectl(sim.kubeconfig_path, "get", "nodes", node, "--no-headers")
    return None if out is None else out.split()[1]


def _kubelet(http: Http, node: str) -> str:
    nodes = http.get("/kit/v1/info").json()["nodes"]
    return next(n["kubelet"] for n in nodes if n["name"] == node)


def test_a_stopped_kubelet_makes_its_node_not_ready(http: Http, sim: Any) -> None:
    wait_for(lambda: _kubelet(http, NODE) == "running", what="the kubelet registered")
    wait_for(lambda: _ready(http, NODE) == "True", what="Ready at start")
    answer = http.post(f"/kit/v1/nodes/{NODE}/kubelet", {"action": "stop"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"node": NODE, "action": "stop", "kubelet": "stopped",
                             "changed": True}
    assert _kubelet(http, NODE) == "stopped"
    try:
        stopped_at = _renewed(http, NODE)
        other = _renewed(http, "kit-worker")
        advance(http, 30)
        wait_for(lambda: _renewed(http, "kit-worker") > other, what="kit-worker renewing")
        assert _renewed(http, NODE) == stopped_at          # no more heartbeats
        assert _ready(http, NODE) == "True"                # within the grace period
        taken = advance_until(http, lambda: _ready(http, NODE) == "Unknown", step=5,
                              limit=60, what="Ready=Unknown")
        assert 30 + taken > 40        # the lease lasts 40 s; the grace period is 50 s
        assert _kubectl_status(sim, NODE) in ("NotReady", None)
        assert _ready(http, "kit-worker") == "True"
    finally:
        answer = http.post(f"/kit/v1/nodes/{NODE}/kubelet", {"action": "start"})
    assert answer.json() == {"node": NODE, "action": "start", "kubelet": "running",
                             "changed": True}
    advance_until(http, lambda: _ready(http, NODE) == "True", step=1, limit=30,
                  what="Ready again")
    assert _kubectl_status(sim, NODE) in ("Ready", None)
    assert _renewed(http, NODE) > stopped_at


def test_stopping_twice_changes_nothing(http: Http) -> None:
    path = "/kit/v1/nodes/kit-control-plane/kubelet"
    assert http.post(path, {"action": "start"}).json()["changed"] is False
    assert http.post(path, {"action": "stop"}).json()["changed"] is True
    assert http.post(path, {"action": "stop"}).json() == {
        "node": "kit-control-plane", "action": "stop", "kubelet": "stopped", "changed": False}
    assert http.post(path, {"action": "start"}).json()["kubelet"] == "running"


def test_refusals(http: Http) -> None:
    body = assert_status(http.post("/kit/v1/nodes/kit-worker9/kubelet", {"action": "stop"}),
                         404, "NotFound")
    assert body["message"] == 'nodes "kit-worker9" not found'
    assert body["details"] == {"name": "kit-worker9", "kind": "nodes"}
    body = assert_status(http.post(f"/kit/v1/nodes/{NODE}/kubelet", {"action": "reboot"}),
                         400, "BadRequest")
    assert body["message"] == 'unknown action "reboot": use one of "stop", "start"'
    body = assert_status(http.post(f"/kit/v1/nodes/{NODE}/kubelet", {}), 400, "BadRequest")
    assert body["message"] == 'an action is required: use one of "stop", "start"'
    body = assert_status(http.post(f"/kit/v1/nodes/{NODE}/kubelet",
                                   {"action": "stop", "force": True}), 400, "BadRequest")
    assert body["message"] == 'unknown field "force": expected "action"'
    assert_status(http.post(f"/kit/v1/nodes/{NODE}/kubelet", [1]), 400, "BadRequest")
    assert_status(http.get(f"/kit/v1/nodes/{NODE}/kubelet"), 405, "MethodNotAllowed")
    assert_status(http.post(f"/kit/v1/nodes/{NODE}", {"action": "stop"}), 404, "NotFound")
    assert _kubelet(http, NODE) == "running"
