"""nodeSelector and node affinity, compiled: every operator, fields, and broken terms."""

from __future__ import annotations

from typing import Any

import pytest

from kitlib.sim.scheduler.affinity import preferred_terms, required_affinity

LABELS = {"disktype": "ssd", "zone": "a", "cores": "16", "kubernetes.io/hostname": "n1"}


def spec(*terms: dict[str, Any], selector: dict[str, str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if selector is not None:
        out["nodeSelector"] = selector
    if terms:
        out["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": list(terms)}}}
    return out


def expr(key: str, operator: str, *values: str) -> dict[str, Any]:
    out: dict[str, Any] = {"key": key, "operator": operator}
    if values:
        out["values"] = list(values)
    return out


def matches(pod_spec: dict[str, Any], labels: dict[str, str] = LABELS, name: str = "n1") -> bool:
    required = required_affinity(pod_spec)
    assert required is not None
    return required.matches(labels, name)


def test_no_constraints_at_all() -> None:
    assert required_affinity({}) is None
    assert required_affinity({"containers": []}) is None


def test_node_selector_needs_every_label() -> None:
    assert matches(spec(selector={"disktype": "ssd"}))
    assert matches(spec(selector={"disktype": "ssd", "zone": "a"}))
    assert not matches(spec(selector={"disktype": "ssd", "zone": "b"}))
    assert not matches(spec(selector={"gpu": "true"}))


@pytest.mark.parametrize(("operator", "values", "expected"), [
    ("In", ("ssd", "nvme"), True),
    ("In", ("hdd",), False),
    ("NotIn", ("hdd",), True),
    ("NotIn", ("ssd",), False),
    ("Exists", (), True),
    ("DoesNotExist", (), False),
])
def test_label_operators(operator: str, values: tuple[str, ...], expected: bool) -> None:
    assert matches(spec({"matchExpressions": [expr("disktype", operator, *values)]})) is expected


def test_missing_label_matches_only_not_in_and_does_not_exist() -> None:
    for operator, values, expected in (("In", ("x",), False), ("NotIn", ("x",), True),
                                       ("Exists", (), False), ("DoesNotExist", (), True),
                                       ("Gt", ("1",), False), ("Lt", ("1",), False)):
        term = {"matchExpressions": [expr("gpu", operator, *values)]}
        assert matches(spec(term)) is expected, operator


@pytest.mark.parametrize(("operator", "bound", "expected"), [
    ("Gt", "8", True), ("Gt", "16", False), ("Lt", "32", True), ("Lt", "16", False),
    ("Gt", "-3", True),
])
def test_gt_and_lt_compare_integers(operator: str, bound: str, expected: bool) -> None:
    assert matches(spec({"matchExpressions": [expr("cores", operator, bound)]})) is expected


def test_gt_against_a_word_matches_nothing() -> None:
    assert not matches(spec({"matchExpressions": [expr("disktype", "Gt", "1")]}))
    # A bound that is not an integer makes the whole term unusable...
    bad = {"matchExpressions": [expr("cores", "Gt", "many")]}
    assert not matches(spec(bad))
    # ...but not the other terms, which are ORed.
    assert matches(spec(bad, {"matchExpressions": [expr("zone", "In", "a")]}))


def test_expressions_in_a_term_are_anded_terms_ored() -> None:
    both = {"matchExpressions": [expr("disktype", "In", "ssd"), expr("zone", "In", "b")]}
    assert not matches(spec(both))
    assert matches(spec(both, {"matchExpressions": [expr("zone", "In", "a")]}))


def test_empty_term_matches_nothing() -> None:
    assert not matches(spec({}))
    assert not matches(spec({"matchExpressions": []}))


def test_selector_and_affinity_must_both_match() -> None:
    term = {"matchExpressions": [expr("zone", "In", "a")]}
    assert matches(spec(term, selector={"disktype": "ssd"}))
    assert not matches(spec(term, selector={"disktype": "hdd"}))


def test_match_fields_on_the_node_name() -> None:
    by_name = spec({"matchFields": [expr("metadata.name", "In", "n1")]})
    assert matches(by_name, name="n1")
    assert not matches(by_name, name="n2")
    assert required_affinity(by_name).node_names == frozenset({"n1"})  # type: ignore[union-attr]
    not_named = spec({"matchFields": [expr("metadata.name", "NotIn", "n1")]})
    assert not matches(not_named, name="n1")
    assert matches(not_named, name="n2")
    assert required_affinity(not_named).node_names is None  # type: ignore[union-attr]


def test_prefilter_names_union_over_terms_and_any_term_without_names() -> None:
    two = spec({"matchFields": [expr("metadata.name", "In", "n1")]},
               {"matchFields": [expr("metadata.name", "In", "n2")]})
    assert required_affinity(two).node_names == frozenset({"n1", "n2"})  # type: ignore
    open_term = spec({"matchFields": [expr("metadata.name", "In", "n1")]},
                     {"matchExpressions": [expr("zone", "In", "a")]})
    assert required_affinity(open_term).node_names is None  # type: ignore[union-attr]
    conflict = spec({"matchFields": [expr("metadata.name", "In", "n1"),
                                     expr("metadata.name", "In", "n2")]})
    assert required_affinity(conflict).node_names == frozenset()  # type: ignore[union-attr]


def test_a_field_other_than_the_name_spoils_its_term() -> None:
    assert not matches(spec({"matchFields": [expr("metadata.uid", "In", "x")]}))


def test_preferred_terms_skip_zero_weights_and_empty_terms() -> None:
    pod_spec = {"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 10, "preference": {"matchExpressions": [expr("zone", "In", "a")]}},
        {"weight": 0, "preference": {"matchExpressions": [expr("zone", "In", "a")]}},
        {"weight": 5, "preference": {}},
    ]}}}
    terms = preferred_terms(pod_spec)
    assert [w for w, _ in terms] == [10]
    assert terms[0][1].matches(LABELS, "n1")
