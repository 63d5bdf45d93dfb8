"""Writes to objects that exist: every patch type, replaced and created objects, subresources.

These reach past the 404 into the patch engines, decoding against the schema, defaulting
and validation of every kind, with bodies that are almost right: the real object with a
few values of the wrong type, directives in odd places, bad pointers.
"""

from __future__ import annotations

import json
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kitlib.sim.registry.base import ResourceType
from tests.fuzz import strategies as fz
from tests.fuzz.conftest import Fuzzer, fuzz_settings
from tests.fuzz.manifests import (RESOURCES, collection_path, fixture_name, item_path,
                                  manifest)
from tests.fuzz.oracle import Sent

PODS = next(r for r in RESOURCES if r.key == "pods")
NAMESPACES = next(r for r in RESOURCES if r.key == "namespaces")


def targets(res: ResourceType) -> list[str]:
    """The writable paths of the kind's fixture object: itself, /status, /scale."""
    return [item_path(res, fixture_name(res), subresource=sub)
            for sub in ("", "status", "scale") if not sub or sub in res.subresources]


@st.composite
def patch_bodies(draw: st.DrawFn, res: ResourceType, patch_type: str) -> bytes:
    shape = draw(st.sampled_from(["typed", "typed", "raw", "values"]))
    if shape == "raw":
        return draw(fz.raw_bodies)
    if shape == "values":
        return json.dumps(draw(fz.json_values)).encode()
    if patch_type.startswith("application/json-patch"):
        return json.dumps(draw(fz.json_patches())).encode()
    body = draw(fz.mutated(manifest(res, fixture_name(res))))
    if draw(st.booleans()):
        # A partial patch: only some of the top-level fields.
        keys = draw(st.lists(st.sampled_from(sorted(body)), unique=True))
        body = {k: body[k] for k in keys}
    if patch_type.startswith("application/apply-patch") and draw(st.booleans()):
        return yaml.safe_dump(body).encode()
    return json.dumps(body).encode()


@st.composite
def patches(draw: st.DrawFn) -> tuple[ResourceType, Sent]:
    res = draw(st.sampled_from(RESOURCES))
    path = draw(st.sampled_from(targets(res)))
    patch_type = draw(st.one_of(st.sampled_from(fz.PATCH_TYPES), fz.content_types))
    query = draw(fz.queries())
    if patch_type.startswith("application/apply-patch") and draw(st.booleans()):
        query.append(("fieldManager", draw(st.sampled_from(["fuzz", "kubectl", "x" * 129]))))
    return res, Sent("PATCH", path, query, {"Content-Type": patch_type},
                     draw(patch_bodies(res, patch_type)))


@fuzz_settings(100)
@given(case=patches())
def test_every_patch_type_on_every_kind(fuzzer: Fuzzer, case: tuple[ResourceType, Sent]) -> None:
    res, sent = case
    fuzzer.send(sent)
    fuzzer.ensure_fixtures([res])


@fuzz_settings(50)
@given(res=st.sampled_from(RESOURCES), data=st.data())
def test_replace_with_mutated_current_object(fuzzer: Fuzzer, res: ResourceType,
                                             data: st.DataObject) -> None:
    """GET the object (or its /status, /scale), spoil it a little, PUT it back."""
    path = data.draw(st.sampled_from(targets(res)), label="path")
    current = fuzzer.raw("GET", path)
    if current.status_code != 200:
        fuzzer.ensure_fixtures([res])
        current = fuzzer.raw("GET", path)
    assert current.status_code == 200, current.text
    body = fz.apply_changes(current.json(), data.draw(fz.changes, label="changes"))
    query = data.draw(fz.queries(), label="query")
    content_type = data.draw(st.sampled_from(["application/json", "application/yaml"]))
    raw = yaml.safe_dump(body).encode() if content_type == "application/yaml" \
        else json.dumps(body).encode()
    fuzzer.send(Sent("PUT", path, query, {"Content-Type": content_type}, raw))
    fuzzer.ensure_fixtures([res])


@fuzz_settings(50)
@given(res=st.sampled_from(RESOURCES), data=st.data())
def test_create_mutated_manifests(fuzzer: Fuzzer, res: ResourceType,
                                  data: st.DataObject) -> None:
    name = data.draw(st.one_of(fz.names, st.just("fx-new")), label="name")
    body = data.draw(fz.mutated(manifest(res, name)), label="body")
    query = data.draw(fz.queries(), label="query")
    fuzzer.send(Sent("POST", collection_path(res), query, {"Content-Type": "application/json"},
                     json.dumps(body).encode()))


BINDINGS = [{"target": {"kind": "Node", "name": "kit-worker"}}, {"target": None}, {"target": 1},
            {"target": "x"}, {"target": {"name": 5}}, {"target": {"name": ["a"]}}, [], 1, "x",
            None, {"metadata": "x", "target": {"name": "n"}},
            {"metadata": {"annotations": "x"}, "target": {"name": "n"}},
            {"metadata": {"annotations": {"a": 1}}, "target": {"name": "n"}}]
EVICTIONS = [{"deleteOptions": {"gracePeriodSeconds": "x"}}, {"deleteOptions": "x"},
             {"deleteOptions": {"preconditions": "x"}}, {"deleteOptions": {"dryRun": 1}},
             {"deleteOptions": {"propagationPolicy": 7}}, [], 1, "x", None,
             {"deleteOptions": {"preconditions": {"uid": 5}}}, {}]


@fuzz_settings(40)
@given(sub=st.sampled_from(["binding", "eviction"]),
       body=st.one_of(st.sampled_from(BINDINGS + EVICTIONS).map(lambda b: json.dumps(b).encode()),
                      fz.raw_bodies),
       content_type=st.one_of(st.sampled_from(["application/json", "application/yaml"]),
                              fz.content_types),
       query=fz.queries())
def test_pod_binding_and_eviction(fuzzer: Fuzzer, sub: str, body: bytes, content_type: str,
                                  query: list[tuple[str, str]]) -> None:
    fuzzer.send(Sent("POST", item_path(PODS, subresource=sub), query,
                     {"Content-Type": content_type}, body))
    fuzzer.ensure_fixtures([PODS])


DELETE_OPTIONS = [{"gracePeriodSeconds": "x"}, {"gracePeriodSeconds": -5},
                  {"gracePeriodSeconds": 2 ** 70}, {"preconditions": "x"},
                  {"preconditions": {"uid": 1}}, {"preconditions": {"resourceVersion": []}},
                  {"propagationPolicy": 1}, {"propagationPolicy": "Sideways"},
                  {"orphanDependents": "x"}, {"dryRun": "x"}, {"dryRun": ["All", 1]},
                  {"dryRun": {}}, {"kind": "DeleteOptions", "apiVersion": "v1"}, [], "x", 1]


@fuzz_settings(40)
@given(res=st.sampled_from(RESOURCES), collection=st.booleans(),
       body=st.one_of(st.none(), st.sampled_from(DELETE_OPTIONS).map(
           lambda b: json.dumps(b).encode()), fz.raw_bodies),
       query=fz.queries())
def test_delete_with_odd_options(fuzzer: Fuzzer, res: ResourceType, collection: bool,
                                 body: bytes | None, query: list[tuple[str, str]]) -> None:
    # dryRun keeps the collection deletes from wiping every fixture (not always: odd values).
    path = collection_path(res) if collection else item_path(res, fixture_name(res))
    if collection:
        query = [*query, ("dryRun", "All")]
    fuzzer.send(Sent("DELETE", path, query, {"Content-Type": "application/json"}, body))
    fuzzer.ensure_fixtures([res])


@fuzz_settings(15)
@given(body=st.one_of(fz.mutated(manifest(NAMESPACES, "fuzz-target")).map(
    lambda b: json.dumps(b).encode()), fz.raw_bodies), query=fz.queries())
def test_namespace_finalize(fuzzer: Fuzzer, body: bytes, query: list[tuple[str, str]]) -> None:
    fuzzer.send(Sent("PUT", item_path(NAMESPACES, "fuzz-target", subresource="finalize"), query,
                     {"Content-Type": "application/json"}, body))
    fuzzer.ensure_fixtures([NAMESPACES])
