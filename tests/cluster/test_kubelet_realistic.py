"""The realistic profile: stages take human-visible time, so a watcher sees each step.

A learner running ``kubectl get pods -w`` on a realistic cluster sees Pending, then
ContainerCreating while the image is pulled, then Running.  The cluster's clock runs 20
times faster here, so the seconds pass quickly for the test.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

import pytest
import requests

from kitlib.sim.cluster import SimConfig, ThreadedCluster
from tests.cluster.kubelet_lab import in_loop


@pytest.fixture(scope="module")
def realistic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    with ThreadedCluster(SimConfig(seed=4, profile="realistic")) as sim:
        in_loop(sim, sim.cluster.clock.set_speed, 20.0)
        ca = tmp_path_factory.mktemp("realistic") / "ca.crt"
        ca.write_bytes(sim.ca_pem)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {sim.token}"
        session.verify = str(ca)
        session.trust_env = False
        yield sim, session


def column(pod: dict[str, Any]) -> str:
    """The STATUS a learner reads, for a pod with one container."""
    statuses = pod.get("status", {}).get("containerStatuses") or []
    waiting = statuses[0]["state"].get("waiting") if statuses else None
    return waiting["reason"] if waiting else pod["status"]["phase"]


def test_a_watcher_sees_each_step(realistic: tuple[Any, Any]) -> None:
    sim, session = realistic
    base = f"{sim.url}/api/v1/namespaces/default"
    watching = session.get(f"{base}/pods?watch=true&timeoutSeconds=30", stream=True, timeout=40)
    created = session.post(f"{base}/pods", json={"metadata": {"name": "web"}, "spec": {
        "nodeName": "kit-worker", "containers": [{"name": "nginx", "image": "nginx:1.14.2"}]}},
        timeout=10)
    assert created.status_code == 201, created.text
    seen: list[str] = []
    for line in watching.iter_lines():
        state = column(json.loads(line)["object"])
        if not seen or seen[-1] != state:
            seen.append(state)
        if state == "Running":
            break
    watching.close()
    assert seen == ["Pending", "ContainerCreating", "Running"]
    events = session.get(f"{base}/events", timeout=10).json()["items"]
    pulled = next(e["message"] for e in events if e["reason"] == "Pulled")
    seconds = float(pulled.split(" in ")[1].split("s ")[0])
    assert 0.5 < seconds < 10                       # a pull takes human-visible time
