"""Pod control's pure parts: owner references, pods from templates, the order of deletion,
slow-start batches and expectations (pkg/controller's rules)."""

from __future__ import annotations

import asyncio
import dataclasses

import orjson
import pytest

from kitlib.sim.clock import Clock
from kitlib.sim.controllers.podcontrol import (Expectations, OwnerRef, PodFacts,
                                               controller_of, deletion_order,
                                               owner_references, pod_from_template,
                                               slow_start_batch)
from kitlib.sim.machinery import errors

NOW = 1_800_000_000.0
BASE = PodFacts(rv=1, uid="u", node="node-1", phase="Running", ready=True,
                ready_since=NOW - 100, restarts=0, created=NOW - 200, deleting=False,
                deletion_cost=0, controller=None)


def pod(name: str, **changes: object) -> PodFacts:
    return dataclasses.replace(BASE, uid=name, **changes)


def first_deleted(*pods: PodFacts, related: list[PodFacts] | None = None) -> str:
    order = deletion_order(list(pods), lambda p: p, related=related or [], now=NOW)
    return order[0].uid


# --- owner references ---------------------------------------------------------------------

REF = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": "1234",
       "controller": True, "blockOwnerDeletion": True}


def test_owner_references_read_from_the_raw_object() -> None:
    other = {"apiVersion": "v1", "kind": "ConfigMap", "name": "c", "uid": "9"}
    raw = orjson.dumps({"metadata": {"name": "p", "labels": {"ownerReferences": "x"},
                                     "ownerReferences": [other, REF]}, "spec": {}})
    refs = owner_references(raw)
    assert refs == (OwnerRef("v1", "ConfigMap", "c", "9"),
                    OwnerRef("apps/v1", "ReplicaSet", "web", "1234", True, True))
    assert controller_of(refs) == refs[1]
    assert refs[1].group == "apps" and refs[0].group == ""


def test_owner_references_absent_or_with_awkward_names() -> None:
    assert owner_references(orjson.dumps({"metadata": {"name": "p"}})) == ()
    odd = dict(REF, name="a]b")
    raw = orjson.dumps({"metadata": {"ownerReferences": [odd]}})
    assert owner_references(raw)[0].name == "a]b"          # falls back to a full parse
    quoted = orjson.dumps({"metadata": {"annotations": {"x": '"ownerReferences":[1]'}}})
    assert owner_references(quoted) == ()



def test_owner_references_parsed_once_per_distinct_array() -> None:
    one = orjson.dumps({"metadata": {"name": "a", "ownerReferences": [REF]}})
    two = orjson.dumps({"metadata": {"name": "b", "ownerReferences": [REF]}})
    other = orjson.dumps({"metadata": {"name": "c", "ownerReferences": [dict(REF, uid="5")]}})
    assert owner_references(one) is owner_references(two)      # shared, not re-parsed
    assert owner_references(other)[0].uid == "5"
    assert owner_references(one)[0].uid == "1234"

# --- pods from templates --------------------------------------------------------------------

def test_pod_from_template_takes_labels_and_spec_but_not_the_name() -> None:
    template = {"metadata": {"name": "nginx", "labels": {"app": "nginx"},
                             "annotations": {"a": "b"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}
    pod = pod_from_template(template, owner_name="nginx", controller_ref=REF)
    assert pod == {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"generateName": "nginx-", "labels": {"app": "nginx"},
                                "annotations": {"a": "b"}, "ownerReferences": [REF]},
                   "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}
    pod["spec"]["containers"][0]["image"] = "changed"
    pod["metadata"]["labels"]["x"] = "y"
    assert template["spec"]["containers"][0]["image"] == "nginx"
    assert template["metadata"]["labels"] == {"app": "nginx"}


# --- which pods go first when scaling down ----------------------------------------------------

def test_unscheduled_pods_go_first() -> None:
    assert first_deleted(pod("a"), pod("b", node="", phase="Pending", ready=False)) == "b"


def test_pending_then_unknown_then_running() -> None:
    assert first_deleted(pod("run"), pod("unk", phase="Unknown", ready=False),
                         pod("pend", phase="Pending", ready=False)) == "pend"
    assert first_deleted(pod("run", ready=False), pod("unk", phase="Unknown",
                                                       ready=False)) == "unk"


def test_not_ready_before_ready() -> None:
    assert first_deleted(pod("ready"), pod("late", ready=False, ready_since=None)) == "late"


def test_lower_deletion_cost_first() -> None:
    assert first_deleted(pod("cheap", deletion_cost=-5), pod("dear", restarts=9)) == "cheap"


def test_pods_doubled_up_on_a_node_first() -> None:
    crowded = pod("crowded", node="node-2")
    related = [pod("x", node="node-2"), pod("y", node="node-2"), pod("z", node="node-1")]
    assert first_deleted(pod("alone", restarts=3), crowded, related=related) == "crowded"


def test_recently_ready_first_by_powers_of_two() -> None:
    fresh = pod("b-fresh", ready_since=NOW - 1)
    assert first_deleted(pod("a-old", ready_since=NOW - 100), fresh) == "b-fresh"
    # 100 s and 120 s of readiness are the same power of two: the UID decides.
    assert first_deleted(pod("b", ready_since=NOW - 100), pod("a", ready_since=NOW - 120)) == "a"


def test_more_restarts_first_then_newer() -> None:
    assert first_deleted(pod("calm"), pod("crashy", restarts=4)) == "crashy"
    assert first_deleted(pod("z-old", created=NOW - 5000), pod("z-new", created=NOW - 2)) \
        == "z-new"
    assert first_deleted(pod("dated"), pod("undated", created=None)) == "undated"


# --- slow start and expectations ------------------------------------------------------------

def test_slow_start_batches_double_and_stop_at_the_first_failure() -> None:
    calls: list[int] = []

    async def succeed() -> None:
        calls.append(1)

    assert asyncio.run(slow_start_batch(10, succeed)) == (10, None)
    assert len(calls) == 10

    calls.clear()

    async def fail_from_the_fourth() -> None:
        calls.append(1)
        if len(calls) >= 4:
            raise errors.Forbidden("no")

    made, failure = asyncio.run(slow_start_batch(100, fail_from_the_fourth))
    # Batches of 1 and 2 succeed; the batch of 4 fails; no batch of 8 is tried.
    assert (made, len(calls)) == (3, 7)
    assert isinstance(failure, errors.Forbidden)


def test_expectations() -> None:
    clock = Clock(seed=1)
    clock.pause()
    expect = Expectations(clock)
    assert expect.satisfied("ns/rs")
    expect.expect_creations("ns/rs", 2)
    assert not expect.satisfied("ns/rs")
    expect.creation_observed("ns/rs")
    assert not expect.satisfied("ns/rs")
    expect.creation_observed("ns/rs")
    assert expect.satisfied("ns/rs")
    expect.expect_deletions("ns/rs", ["ns/a", "ns/b"])
    expect.deletion_observed("ns/rs", "ns/a")
    expect.deletion_observed("ns/rs", "ns/other")
    assert not expect.satisfied("ns/rs")
    clock.advance(301)          # expectations expire after five minutes
    assert expect.satisfied("ns/rs")
    expect.expect_creations("ns/rs", 1)
    expect.forget("ns/rs")
    assert expect.satisfied("ns/rs")


@pytest.mark.parametrize("count", [0, 1, 3, 500])
def test_slow_start_makes_exactly_count_calls(count: int) -> None:
    calls: list[int] = []

    async def call() -> None:
        calls.append(1)

    assert asyncio.run(slow_start_batch(count, call)) == (count, None)
    assert len(calls) == count
