"""kill -9 in the middle of a burst of writes: every acknowledged write survives.

The store promises that a 201 leaves only after the object is committed to SQLite (a group
commit per turn of the event loop).  A SIGKILL gives the server no chance to flush, so
after a restart on the same state file every object a client was told about must be there,
with the resourceVersion it was given, and the counter must go on above all of them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.reliability.conftest import Kubeconfig, ServedCluster, ensure_namespace

pytestmark = pytest.mark.slow

NAMESPACE = "crash"
CLIENTS = 8
#: Acknowledged creates to wait for before the kill, per round.
BEFORE_KILL = 150


@dataclass
class Outcomes:
    """What the clients were told: acknowledged (name -> rv), and requests left unanswered."""

    acked: dict[tuple[str, str], int] = field(default_factory=dict)
    unknown: set[tuple[str, str]] = field(default_factory=set)
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def manifest(kind: str, name: str) -> dict[str, Any]:
    if kind == "pods":
        # A scheduler nobody runs: no component touches these pods after their creation,
        # so the versions the clients were told stay the stored ones.
        return {"metadata": {"name": name, "labels": {"burst": "yes"}},
                "spec": {"schedulerName": "nobody", "containers": [{"name": "c",
                                                                    "image": "busybox"}]}}
    return {"metadata": {"name": name, "labels": {"burst": "yes"}}, "data": {"n": name}}


def burst(config: Kubeconfig, outcomes: Outcomes, *, prefix: str, stop: threading.Event,
          client: int) -> None:
    """Create objects until the server goes away (or ``stop``)."""
    session = config.session()
    kind = "pods" if client % 2 else "configmaps"
    url = f"{config.url}/api/v1/namespaces/{NAMESPACE}/{kind}"
    n = 0
    while not stop.is_set():
        name = f"{prefix}-c{client}-{n}"
        n += 1
        try:
            response = session.post(url, json=manifest(kind, name), timeout=10)
        except Exception:       # the connection died under the request: outcome unknown
            with outcomes.lock:
                outcomes.unknown.add((kind, name))
            return
        with outcomes.lock:
            if response.status_code == 201:
                outcomes.acked[(kind, name)] = int(response.json()["metadata"]
                                                   ["resourceVersion"])
            else:
                outcomes.refused.append(f"{response.status_code} {response.text[:200]}")


def crash_during_burst(served: ServedCluster, config: Kubeconfig, outcomes: Outcomes, *,
                       prefix: str) -> None:
    stop = threading.Event()
    before = len(outcomes.acked)
    threads = [threading.Thread(target=burst, args=(config, outcomes),
                                kwargs={"prefix": prefix, "stop": stop, "client": i})
               for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(outcomes.acked) - before < BEFORE_KILL and time.monotonic() < deadline:
        time.sleep(0.005)
    served.kill()           # while every client has a request in flight
    stop.set()
    for thread in threads:
        thread.join(15)
    assert len(outcomes.acked) - before >= BEFORE_KILL, served.server_log()[-3000:]


def stored(config: Kubeconfig) -> tuple[dict[tuple[str, str], dict[str, Any]], int]:
    """Every object of the burst now stored, and the list's resourceVersion."""
    session = config.session()
    found: dict[tuple[str, str], dict[str, Any]] = {}
    list_rv = 0
    for kind in ("configmaps", "pods"):
        body = session.get(f"{config.url}/api/v1/namespaces/{NAMESPACE}/{kind}",
                           timeout=30).json()
        list_rv = max(list_rv, int(body["metadata"]["resourceVersion"]))
        names = [item["metadata"]["name"] for item in body["items"]]
        assert len(names) == len(set(names)), "an object is listed twice"
        for item in body["items"]:
            found[(kind, item["metadata"]["name"])] = item
    return found, list_rv


def test_acknowledged_creates_survive_sigkill(served: ServedCluster) -> None:
    config = served.start()
    ensure_namespace(config, NAMESPACE)
    outcomes = Outcomes()
    for round_ in range(2):
        crash_during_burst(served, config, outcomes, prefix=f"r{round_}")
        assert outcomes.unknown, "the kill came after the burst, not during it"
        config = served.start()

    assert not outcomes.refused, outcomes.refused[:5]
    found, list_rv = stored(config)
    missing = sorted(set(outcomes.acked) - set(found))
    assert not missing, f"{len(missing)} acknowledged creates lost, e.g. {missing[:5]}"
    invented = set(found) - set(outcomes.acked) - outcomes.unknown
    assert not invented, f"objects nobody created: {sorted(invented)[:5]}"
    for key, rv in outcomes.acked.items():
        assert int(found[key]["metadata"]["resourceVersion"]) == rv, key
    uids = [item["metadata"]["uid"] for item in found.values()]
    assert len(uids) == len(set(uids))
    acked_rvs = list(outcomes.acked.values())
    assert len(acked_rvs) == len(set(acked_rvs)), "two writes were given one resourceVersion"

    highest = max([*acked_rvs, *(int(i["metadata"]["resourceVersion"]) for i in found.values())])
    assert list_rv >= highest
    # The first write after the restart continues the sequence above everything acknowledged.
    session = config.session()
    after = session.post(f"{config.url}/api/v1/namespaces/{NAMESPACE}/configmaps",
                         json={"metadata": {"name": "after-restart"}}, timeout=10)
    assert after.status_code == 201, after.text
    assert int(after.json()["metadata"]["resourceVersion"]) > highest

    # And the server works as before: reads, updates, a watch resumed from the list.
    watch = session.get(f"{config.url}/api/v1/namespaces/{NAMESPACE}/configmaps",
                        params={"watch": "true", "resourceVersion": str(list_rv),
                                "timeoutSeconds": "1"}, timeout=10)
    assert watch.status_code == 200
    assert '"name":"after-restart"' in watch.text.replace(" ", "")
    assert session.get(f"{config.url}/readyz", timeout=10).text == "ok"
    served.terminate()
