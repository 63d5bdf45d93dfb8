"""The ReplicaSet index: owners, orphans and parsed copies, kept current per change."""

from __future__ import annotations

from typing import Any

from kitlib.sim.controllers.deployment.ownership import (ReplicaSetIndex, controller_ref,
                                                         owner_reference)
from kitlib.sim.store.records import Record, make_record

JSON = dict[str, Any]
DEPLOYMENT = {"metadata": {"name": "web", "namespace": "ns", "uid": "d-1"}}


def record(name: str, rv: int, *, owners: list[JSON] | None = None) -> Record:
    meta: JSON = {"name": name, "namespace": "ns", "labels": {"app": "web"}}
    if owners is not None:
        meta["ownerReferences"] = owners
    return make_record({"metadata": meta, "spec": {"replicas": 1}}, rv=rv, fields={})


def test_owned_then_orphaned_then_adopted() -> None:
    index = ReplicaSetIndex()
    assert index.observe("ADDED", record("web-1", 1, owners=[owner_reference(DEPLOYMENT)])) \
        == (None, "web")
    assert index.owned("ns", "web") == ["web-1"] and index.orphans("ns") == []
    assert index.owner("ns", "web-1") == "web"
    assert index.observe("MODIFIED", record("web-1", 2, owners=[])) == ("web", None)
    assert index.owned("ns", "web") == [] and index.orphans("ns") == ["web-1"]
    assert index.is_orphan("ns", "web-1")
    index.observe("MODIFIED", record("web-1", 3, owners=[owner_reference(DEPLOYMENT)]))
    assert index.owned("ns", "web") == ["web-1"] and not index.is_orphan("ns", "web-1")
    assert index.observe("DELETED", record("web-1", 4)) == ("web", None)
    assert index.owned("ns", "web") == [] and index.orphans("ns") == []


def test_foreign_controllers_are_neither_ours_nor_orphans() -> None:
    index = ReplicaSetIndex()
    foreign = {"apiVersion": "example.com/v1", "kind": "Rollout", "name": "web",
               "uid": "r-1", "controller": True}
    assert index.observe("ADDED", record("web-1", 1, owners=[foreign])) == (None, None)
    assert index.owned("ns", "web") == [] and not index.is_orphan("ns", "web-1")
    # A non-controller owner does not make it owned either.
    plain = {**owner_reference(DEPLOYMENT), "controller": False}
    index.observe("MODIFIED", record("web-1", 2, owners=[plain]))
    assert index.is_orphan("ns", "web-1") and controller_ref(
        index.parsed(record("web-1", 2, owners=[plain]))) is None


def test_parsed_copies_are_reused_per_version() -> None:
    index = ReplicaSetIndex()
    first = record("web-1", 1, owners=[])
    index.observe("ADDED", first)
    assert index.parsed(first) is index.parsed(first)
    newer = record("web-1", 2, owners=[])
    assert index.parsed(newer) is not index.parsed(first)
