"""Label and field selector parsing: the grammar, the matching, and the errors."""

from __future__ import annotations

import pytest

from kitlib.sim.machinery import errors, fields, labels

POD = {"app": "web", "tier": "frontend", "env": "prod", "version": "3"}


@pytest.mark.parametrize("text, expected", [
    ("app=web", True),
    ("app==web", True),
    ("app!=web", False),
    ("app=db", False),
    ("missing!=x", True),
    ("app in (web,db)", True),
    ("app in (db)", False),
    ("app notin (db, cache)", True),
    ("app notin (web)", False),
    ("tier", True),
    ("!tier", False),
    ("!canary", True),
    ("app=web,tier=frontend", True),
    ("app=web, tier=backend", False),
    ("version>2", True),
    ("version<2", False),
    ("", True),
])
def test_label_selector_matches(text: str, expected: bool) -> None:
    assert labels.parse(text).matches(POD) is expected


@pytest.mark.parametrize("text, message", [
    ("app=web,", "found '', expected: identifier after ','"),
    ("app in (a", "found '', expected: ',' or ')'"),
    ("app in a", "expected: '('"),
    ("a b", "found 'b', expected: '=', '!=', '==', 'in', notin'"),
    ("=x", "found '=', expected: !, identifier, or 'end of string'"),
    ("app=a b", "found 'b'"),
    ("bad key!=x", "found 'key'"),
    ("app=-bad-", 'Invalid value: "-bad-"'),
    ("-app=x", 'key: Invalid value: "-app"'),
])
def test_label_selector_errors_are_bad_requests(text: str, message: str) -> None:
    with pytest.raises(errors.BadRequest) as info:
        labels.parse(text)
    assert message in info.value.message
    assert info.value.status()["code"] == 400


def test_structured_selector() -> None:
    selector = labels.from_label_selector({
        "matchLabels": {"app": "web"},
        "matchExpressions": [{"key": "tier", "operator": "In", "values": ["frontend"]},
                             {"key": "canary", "operator": "DoesNotExist"}]})
    assert selector.matches(POD)
    assert not selector.matches({"app": "web"})
    assert str(selector) == "app=web,tier in (frontend),!canary"
    assert not labels.from_label_selector(None).matches(POD)
    assert labels.from_label_selector({}).matches(POD)


def test_field_selector() -> None:
    values = {"metadata.name": "web-1", "metadata.namespace": "default",
              "status.phase": "Running", "spec.nodeName": "kit-worker"}
    supported = ("status.phase", "spec.nodeName")
    assert fields.parse("status.phase=Running", supported=supported).matches(values)
    assert fields.parse("status.phase!=Pending,spec.nodeName==kit-worker",
                        supported=supported).matches(values)
    assert not fields.parse("metadata.name=web-2", supported=supported).matches(values)
    escaped = fields.parse(r"metadata.name=a\,b", supported=())
    assert escaped.requirements[0].value == "a,b"


def test_unsupported_field_selector() -> None:
    with pytest.raises(errors.BadRequest) as info:
        fields.parse("spec.foo=bar", supported=("status.phase",))
    assert info.value.message == "field label not supported: spec.foo"
