"""The rollout arithmetic: fenceposts, the new ReplicaSet's size, proportions, orders."""

from __future__ import annotations

from typing import Any

import pytest

from kitlib.sim.controllers.deployment import replicas as r
from kitlib.sim.controllers.deployment.history import DESIRED_REPLICAS, MAX_REPLICAS

JSON = dict[str, Any]
TEMPLATE = {"metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.25"}]}}


def deployment(replicas: int, *, surge: Any = "25%", unavailable: Any = "25%",
               kind: str = "RollingUpdate", template: JSON | None = None) -> JSON:
    strategy: JSON = {"type": kind}
    if kind == "RollingUpdate":
        strategy["rollingUpdate"] = {"maxSurge": surge, "maxUnavailable": unavailable}
    return {"metadata": {"name": "web", "generation": 1},
            "spec": {"replicas": replicas, "strategy": strategy,
                     "template": template or TEMPLATE}, "status": {}}


def replica_set(name: str, size: int, *, created: str = "2026-01-01T00:00:00Z",
                available: int = 0, desired: int | None = None, maximum: int | None = None,
                image: str = "nginx:1.25") -> JSON:
    annotations = {}
    if desired is not None:
        annotations[DESIRED_REPLICAS] = str(desired)
    if maximum is not None:
        annotations[MAX_REPLICAS] = str(maximum)
    template = {**TEMPLATE, "spec": {"containers": [{"name": "web", "image": image}]}}
    return {"metadata": {"name": name, "uid": f"uid-{name}", "creationTimestamp": created,
                         "annotations": annotations},
            "spec": {"replicas": size, "template": template},
            "status": {"replicas": size, "availableReplicas": available}}


@pytest.mark.parametrize("surge, unavailable, desired, expected", [
    ("25%", "25%", 3, (1, 0)),        # surge rounds up, unavailable rounds down
    ("25%", "25%", 10, (3, 2)),
    ("25%", "25%", 1, (1, 0)),
    (0, "25%", 3, (0, 1)),            # both zero after rounding: one may be unavailable
    (2, 0, 5, (2, 0)),
    ("50%", "100%", 5, (3, 5)),
    (None, None, 4, (0, 1)),
])
def test_fenceposts(surge: Any, unavailable: Any, desired: int,
                    expected: tuple[int, int]) -> None:
    assert r.resolve_fenceposts(surge, unavailable, desired) == expected


def test_max_unavailable_is_capped_and_zero_for_recreate() -> None:
    assert r.max_unavailable(deployment(3, unavailable=5)) == 3
    assert r.max_unavailable(deployment(0)) == 0
    assert r.max_unavailable(deployment(3, kind="Recreate")) == 0
    assert r.max_surge(deployment(3, kind="Recreate")) == 0


def test_new_replica_set_grows_within_the_surge() -> None:
    d = deployment(10)                                      # maxSurge 25% of 10 -> 3
    old, new = replica_set("old", 10), replica_set("new", 0)
    assert r.new_rs_new_replicas(d, [old, new], new) == 3
    new = replica_set("new", 3)
    assert r.new_rs_new_replicas(d, [old, new], new) == 3   # at 13 already: wait
    assert r.new_rs_new_replicas(d, [replica_set("old", 2), new], new) == 10
    assert r.new_rs_new_replicas(deployment(10, kind="Recreate"), [old, new], new) == 10


def test_proportional_scaling_as_in_the_documentation() -> None:
    # docs "Proportional scaling": 10 replicas, maxSurge 3, maxUnavailable 2, a rollout
    # stuck at 8 old + 5 new, then scaled to 15: 3 more to the old, 2 to the new.
    d = deployment(15, surge=3, unavailable=2)
    d["status"]["replicas"] = 13
    old = replica_set("old", 8, desired=10, maximum=13)
    new = replica_set("new", 5, desired=10, maximum=13, created="2026-01-01T00:01:00Z")
    to_add = 15 + 3 - 13
    ordered = r.by_size_newer([new, old])
    assert [rs["metadata"]["name"] for rs in ordered] == ["old", "new"]
    first = r.proportion(ordered[0], d, to_add, 0)
    second = r.proportion(ordered[1], d, to_add, first)
    assert (first, second) == (3, 2)


def test_proportion_when_scaling_to_zero_takes_everything() -> None:
    d = deployment(0)
    assert r.proportion(replica_set("a", 4, maximum=5), d, -6, 0) == -4


def test_orders() -> None:
    a = replica_set("a", 2, created="2026-01-01T00:00:01Z")
    b = replica_set("b", 2, created="2026-01-01T00:00:02Z")
    c = replica_set("c", 5, created="2026-01-01T00:00:03Z")
    name = lambda rss: [x["metadata"]["name"] for x in rss]   # noqa: E731
    assert name(r.by_creation([c, b, a])) == ["a", "b", "c"]
    assert name(r.by_size_older([a, b, c])) == ["c", "a", "b"]
    assert name(r.by_size_newer([a, b, c])) == ["c", "b", "a"]
    # Same second: the name decides.
    twin = replica_set("0", 1, created="2026-01-01T00:00:01Z")
    assert name(r.by_creation([a, twin])) == ["0", "a"]


def test_which_replica_set_is_new() -> None:
    d = deployment(3)
    old = replica_set("old", 3, image="nginx:1.14.2")
    new = replica_set("new", 0)
    assert r.find_new_replica_set(d, [old, new]) is new
    assert r.find_new_replica_set(d, [old]) is None
    assert r.old_replica_sets([old, new], new) == [old]


def test_active_or_latest() -> None:
    old = replica_set("old", 0, created="2026-01-01T00:00:01Z")
    older = replica_set("older", 0, created="2026-01-01T00:00:00Z")
    new = replica_set("new", 0, created="2026-01-01T00:00:02Z")
    assert r.find_active_or_latest(new, [old, older]) is new
    assert r.find_active_or_latest(None, [older, old]) is old
    running = replica_set("running", 2)
    assert r.find_active_or_latest(new, [running]) is running
    assert r.find_active_or_latest(replica_set("n", 1), [running]) is None


def test_saturation_needs_size_annotation_and_availability() -> None:
    d = deployment(3)
    assert r.is_saturated(d, replica_set("new", 3, available=3, desired=3))
    assert not r.is_saturated(d, replica_set("new", 3, available=2, desired=3))
    assert not r.is_saturated(d, replica_set("new", 3, available=3, desired=2))
    assert not r.is_saturated(d, None)
