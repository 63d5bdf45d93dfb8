"""What Deployments and ReplicaSets share: a label selector that must select the template.

``ValidatePodTemplateSpecForReplicaSet`` plus the selector checks around it, including the
real server's quirks: a missing selector also reports that it does not match the
template's labels, and the ReplicaSet check says "invalid for deployment".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kitlib.sim.machinery.errors import FieldError, required
from kitlib.sim.machinery.validation import (go_label_selector, go_string_map, invalid_go,
                                             is_label_value, is_qualified_name,
                                             selector_matches, validate_label_selector)
from kitlib.sim.registry.core.podspec import validate_controller_template
from kitlib.sim.registry.core.jsonish import d, l

_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def _selector_convertible(selector: Mapping[str, Any]) -> bool:
    """Whether LabelSelectorAsSelector would succeed (it rejects bad keys, values, operators)."""
    for key, value in d(selector.get("matchLabels")).items():
        if is_qualified_name(str(key)) or is_label_value(str(value)):
            return False
    for expr in l(selector.get("matchExpressions")):
        if not isinstance(expr, Mapping) or expr.get("operator") not in _OPERATORS:
            return False
        values = l(expr.get("values"))
        if expr["operator"] in ("In", "NotIn") and not values:
            return False
        if expr["operator"] in ("Exists", "DoesNotExist") and values:
            return False
        if is_qualified_name(str(expr.get("key", ""))):
            return False
    return True


def validate_selector_and_template(spec: Mapping[str, Any], path: str, *,
                                   owner: str) -> list[FieldError]:
    """The selector and template of a Deployment or ReplicaSet spec."""
    errs: list[FieldError] = []
    selector = spec.get("selector")
    template = spec.get("template") if isinstance(spec.get("template"), Mapping) else {}
    if not isinstance(selector, Mapping):
        errs.append(required(f"{path}.selector"))
    else:
        errs += validate_label_selector(selector, f"{path}.selector")
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            errs.append(invalid_go(f"{path}.selector", go_label_selector(selector),
                                   "empty selector is invalid for deployment"))
    if isinstance(selector, Mapping) and not _selector_convertible(selector):
        errs.append(invalid_go(f"{path}.selector", go_label_selector(selector),
                               "invalid label selector"))
        return errs
    labels = d(template.get("metadata")).get("labels")
    empty = isinstance(selector, Mapping) and not selector.get("matchLabels") \
        and not selector.get("matchExpressions")
    # A missing selector selects nothing, so it does not match the template either.
    if not empty and not selector_matches(selector, labels):
        errs.append(invalid_go(f"{path}.template.metadata.labels", go_string_map(labels),
                               "`selector` does not match template `labels`"))
    errs += validate_controller_template(template, f"{path}.template", owner=owner)
    return errs


def validate_selector_unchanged(new: Any, old: Any) -> list[FieldError]:
    """apps/v1 forbids changing a selector once set."""
    new_sel, old_sel = d(new.get("spec")).get("selector"), d(old.get("spec")).get("selector")
    if _normal(new_sel) == _normal(old_sel):
        return []
    return [invalid_go("spec.selector", go_label_selector(new_sel), "field is immutable")]


def _normal(selector: Any) -> Any:
    """Semantic equality: nil and empty maps and lists are the same."""
    if not isinstance(selector, Mapping):
        return None
    return (dict(d(selector.get("matchLabels"))),
            [dict(e) for e in l(selector.get("matchExpressions")) if isinstance(e, Mapping)])
