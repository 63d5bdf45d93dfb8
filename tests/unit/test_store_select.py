"""The store's label index: ``Store.select`` answers exactly what scanning every object would.

Whatever sequence of creates, relabelling updates, deletes and restarts, and whatever
selector, the indexed answer is the scan's answer in the same order; and versions whose
labels did not change share them (the index relies on that to skip work).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kitlib.sim.machinery import labels
from kitlib.sim.store.persistence import Persistence
from kitlib.sim.store.store import Store

KEYS = ["app", "tier", "env"]
VALUES = ["a", "b", "c"]


def obj(namespace: str, name: str, lbls: dict[str, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace, "labels": dict(lbls)}}


def scan(store: Store, namespace: str | None, selector: labels.LabelSelector) -> list[str]:
    found = [r for r in store.list("pods", namespace) if selector.matches(r.labels)]
    return [f"{r.namespace}/{r.name}" for r in sorted(found, key=lambda r: (r.namespace, r.name))]


def select(store: Store, namespace: str | None, selector: labels.LabelSelector) -> list[str]:
    return [f"{r.namespace}/{r.name}" for r in store.select("pods", namespace, selector)]


label_maps = st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=3)
operations = st.lists(st.tuples(st.sampled_from(["put", "put", "delete"]),
                                st.sampled_from(["ns1", "ns2"]), st.sampled_from("pqrst"),
                                label_maps), max_size=40)
requirement_texts = st.one_of(
    st.builds(lambda k, v: f"{k}={v}", st.sampled_from(KEYS), st.sampled_from(VALUES)),
    st.builds(lambda k, v: f"{k}!={v}", st.sampled_from(KEYS), st.sampled_from(VALUES)),
    st.builds(lambda k, vs: f"{k} in ({','.join(vs)})", st.sampled_from(KEYS),
              st.lists(st.sampled_from(VALUES), min_size=1, max_size=3)),
    st.builds(lambda k, vs: f"{k} notin ({','.join(vs)})", st.sampled_from(KEYS),
              st.lists(st.sampled_from(VALUES), min_size=1, max_size=3)),
    st.sampled_from(KEYS), st.sampled_from(KEYS).map(lambda k: "!" + k))
selectors = st.lists(requirement_texts, max_size=3).map(",".join)


def apply(store: Store, ops: list[tuple[str, str, str, dict[str, str]]]) -> None:
    for op, namespace, name, lbls in ops:
        current = store.get("pods", namespace, name)
        if op == "delete":
            if current is not None:
                store.delete("pods", current)
        elif current is None:
            store.create("pods", obj(namespace, name, lbls), fields={})
        else:
            store.update("pods", obj(namespace, name, lbls), prev=current, fields={})


@settings(max_examples=150, derandomize=True, deadline=None)
@given(ops=operations, text=selectors, namespace=st.sampled_from([None, "ns1", "ns2", "ns3"]))
def test_select_is_the_scan(ops: list[tuple[str, str, str, dict[str, str]]], text: str,
                            namespace: str | None) -> None:
    store = Store()
    apply(store, ops)
    selector = labels.parse(text)
    assert select(store, namespace, selector) == scan(store, namespace, selector)
    assert_index_exact(store)


def assert_index_exact(store: Store) -> None:
    """The index holds every current label and nothing else (no leftovers of old versions
    or deleted objects: they would only cost time and memory, so selects cannot show it)."""
    indexed = {(ns, key, value, name)
               for ns, pairs in store._by_label.get("pods", {}).items()
               for (key, value), names in pairs.items() for name in names}
    current = {(r.namespace, key, value, r.name)
               for r in store.list("pods") for key, value in r.labels.items()}
    assert indexed == current
    assert all(names for pairs in store._by_label.get("pods", {}).values()
               for names in pairs.values()), "empty sets are removed"


def test_select_after_a_restart(tmp_path: Path) -> None:
    store = Store(persistence=Persistence(tmp_path / "state.db"))
    apply(store, [("put", "ns1", "p", {"app": "a"}), ("put", "ns1", "q", {"app": "b"}),
                  ("put", "ns2", "r", {"app": "a"}), ("put", "ns1", "p", {"app": "c"})])
    store.flush()
    store.persistence.close()
    again = Store(persistence=Persistence(tmp_path / "state.db"))
    again.load(fields_for=lambda resource, o: {})
    assert select(again, None, labels.parse("app=a")) == ["ns2/r"]
    assert select(again, "ns1", labels.parse("app in (a,c)")) == ["ns1/p"]


def test_nothing_selects_nothing() -> None:
    store = Store()
    apply(store, [("put", "ns1", "p", {})])
    assert select(store, None, labels.NOTHING) == []
    assert select(store, None, labels.EVERYTHING) == ["ns1/p"]


def test_unchanged_labels_and_fields_are_shared_between_versions() -> None:
    store = Store()
    first = store.create("pods", obj("ns1", "p", {"app": "a"}), fields={"status.phase": "Pending"})
    second = store.update("pods", obj("ns1", "p", {"app": "a"}), prev=first,
                          fields={"status.phase": "Pending"})
    assert second.labels is first.labels and second.fields is first.fields
    third = store.update("pods", obj("ns1", "p", {"app": "b"}), prev=second,
                         fields={"status.phase": "Running"})
    assert third.labels == {"app": "b"} and third.fields["status.phase"] == "Running"
    assert first.labels == {"app": "a"}, "an older version must not change"
    assert select(store, "ns1", labels.parse("app=a")) == []
    assert select(store, "ns1", labels.parse("app=b")) == ["ns1/p"]
