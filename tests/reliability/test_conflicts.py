"""Optimistic concurrency: concurrent read-modify-write never loses an update.

Several clients increment one counter in a ConfigMap the way controllers do: GET, change,
PUT with the resourceVersion they read; a 409 Conflict means someone else wrote first, so
they read again and retry.  If the server ever accepted a PUT based on a stale version, an
increment would vanish and the final count would come out short.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest

from tests.reliability.conftest import Kubeconfig, ServedCluster, ensure_namespace

pytestmark = pytest.mark.slow

CLIENTS = 6
INCREMENTS = 40          # per client


def increment(config: Kubeconfig, url: str, *, times: int, tally: Counter[str],
              lock: threading.Lock, errors: list[str]) -> None:
    session = config.session()
    done = 0
    while done < times:
        current = session.get(url, timeout=10)
        if current.status_code != 200:
            errors.append(f"GET {current.status_code}: {current.text[:200]}")
            return
        obj: dict[str, Any] = current.json()
        obj["data"]["count"] = str(int(obj["data"]["count"]) + 1)
        written = session.put(url, json=obj, timeout=10)
        with lock:
            tally[str(written.status_code)] += 1
        if written.status_code == 200:
            done += 1
        elif written.status_code == 409:
            body = written.json()
            if body.get("reason") != "Conflict":
                errors.append(f"409 without reason Conflict: {body}")
                return
        else:
            errors.append(f"PUT {written.status_code}: {written.text[:200]}")
            return


def test_no_update_is_lost_under_contention(served: ServedCluster) -> None:
    config = served.start()
    ensure_namespace(config, "counters")
    url = f"{config.url}/api/v1/namespaces/counters/configmaps/counter"
    made = config.session().post(f"{config.url}/api/v1/namespaces/counters/configmaps",
                                 json={"metadata": {"name": "counter"},
                                       "data": {"count": "0"}}, timeout=10)
    assert made.status_code == 201
    start_rv = int(made.json()["metadata"]["resourceVersion"])

    tally: Counter[str] = Counter()
    lock = threading.Lock()
    errors: list[str] = []
    threads = [threading.Thread(target=increment, args=(config, url),
                                kwargs={"times": INCREMENTS, "tally": tally, "lock": lock,
                                        "errors": errors})
               for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert not errors, errors[:5]
    final = config.session().get(url, timeout=10).json()
    assert final["data"]["count"] == str(CLIENTS * INCREMENTS)
    assert tally["200"] == CLIENTS * INCREMENTS
    assert tally["409"] > 0, "no conflict happened: the clients never raced"
    # Every accepted write took a resourceVersion of its own (controllers may write too).
    assert int(final["metadata"]["resourceVersion"]) >= start_rv + CLIENTS * INCREMENTS
    served.terminate()


def test_stale_resource_version_is_refused(served: ServedCluster) -> None:
    """The rule itself, once, with the exact Status a client sees."""
    config = served.start()
    ensure_namespace(config, "counters")
    session = config.session()
    base = f"{config.url}/api/v1/namespaces/counters/configmaps"
    first = session.post(base, json={"metadata": {"name": "c"}, "data": {"count": "0"}},
                         timeout=10).json()
    winner = dict(first, data={"count": "1"})
    assert session.put(f"{base}/c", json=winner, timeout=10).status_code == 200
    loser = dict(first, data={"count": "1"})       # still carries the old resourceVersion
    refused = session.put(f"{base}/c", json=loser, timeout=10)
    assert refused.status_code == 409
    body = refused.json()
    assert body["kind"] == "Status" and body["reason"] == "Conflict" and body["code"] == 409
    assert body["message"] == ('Operation cannot be fulfilled on configmaps "c": the object '
                               'has been modified; please apply your changes to the latest '
                               'version and try again')
    served.terminate()
