"""Strategies never crash on odd input, and accept every documentation example."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kitlib.sim.machinery.errors import StatusError
from kitlib.sim.machinery.validation import validate_metadata_for
from kitlib.sim.registry.catalog import RESOURCES
from kitlib.sim.registry.core.ipallocator import ClusterIPAllocator, NodePortAllocator
from kitlib.sim.registry.core.pod import PodStrategy
from kitlib.sim.registry.core.servicealloc import ServiceAllocator

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "k8s-docs-examples"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 70000) | st.sampled_from(
        ["", "a", "Bad_Name", "1Gi", "None", "TCP", "Always", "10.96.0.5", "25%", "nginx"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(
        ["name", "image", "ports", "containerPort", "port", "protocol", "selector",
         "matchLabels", "template", "metadata", "labels", "spec", "containers", "volumes",
         "resources", "limits", "requests", "cpu", "env", "value", "valueFrom", "type",
         "clusterIP", "clusterIPs", "nodePort", "targetPort", "strategy", "rollingUpdate",
         "maxSurge", "data", "stringData", "emptyDir", "configMap", "httpGet", "livenessProbe",
         "tolerations", "key", "operator", "volumeMounts", "mountPath", "replicas"]),
        inner, max_size=4),
    max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(spec=json_values, other=json_values, index=st.integers(0, len(RESOURCES) - 1))
def test_no_strategy_crashes(spec: Any, other: Any, index: int) -> None:
    res = RESOURCES[index]
    strategy = res.strategy
    obj = {"apiVersion": res.api_version, "kind": res.kind,
           "metadata": {"name": "x", "namespace": "default"}, "spec": spec, "data": other,
           "subsets": other, "endpoints": other, "ports": other}
    try:
        strategy.default(obj)
        old = copy.deepcopy(obj)
        strategy.prepare_for_create(obj)
        validate_metadata_for(strategy, obj, namespaced=res.namespaced)
        strategy.validate(obj)
        new = copy.deepcopy(old)
        new["spec"] = other
        strategy.default(new)
        strategy.prepare_for_update(new, obj)
        strategy.validate_update(new, obj)
    except StatusError:
        pass  # a decoding error or an admission refusal is an answer, not a crash


def _documents() -> list[tuple[str, dict[str, Any]]]:
    if not EXAMPLES.is_dir():
        return []
    found = []
    for path in sorted(EXAMPLES.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if isinstance(doc, dict):
                found.append((str(path.relative_to(EXAMPLES)), doc))
    return found


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="no ../shared/conformance in this checkout")
@pytest.mark.parametrize(("name", "doc"), _documents())
def test_documentation_examples_are_valid(name: str, doc: dict[str, Any]) -> None:
    group, _, version = doc["apiVersion"].rpartition("/")
    res = next(r for r in RESOURCES if r.kind == doc["kind"] and r.group == group
               and r.version == version)
    strategy = PodStrategy(rng=random.Random(0)) if res.kind == "Pod" else res.strategy
    doc.setdefault("metadata", {}).setdefault("namespace", "default")
    if not res.namespaced:
        doc["metadata"].pop("namespace")
    strategy.default(doc)
    if res.kind == "Service":
        rng = random.Random(0)
        ServiceAllocator(cluster_ips=ClusterIPAllocator(rng=rng),
                         node_ports=NodePortAllocator(rng=rng)).allocate_create(doc)
    strategy.prepare_for_create(doc)
    errors = validate_metadata_for(strategy, doc, namespaced=res.namespaced)
    errors += strategy.validate(doc)
    assert [str(e) for e in errors] == [], name
