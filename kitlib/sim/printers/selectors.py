"""Label maps and label selectors as the printers' SELECTOR columns spell them.

Two Go helpers are at work, and they differ in small ways that show up in ``-o wide``:
``labels.FormatLabels`` (a plain map, e.g. a Service or ReplicationController selector:
``app=web,tier=fe``, ``<none>`` when empty) and ``labels.Selector.String()`` of a
``metav1.LabelSelector`` (Deployments and ReplicaSets: requirements sorted by key,
``env in (a,b)``, ``!key``; ReplicaSets print ``<none>`` for an empty one, Deployments an
empty string).
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


class SelectorError(ValueError):
    """A LabelSelector that ``metav1.LabelSelectorAsSelector`` would reject."""


def format_labels(labels: JSON | None) -> str:
    """``labels.FormatLabels``: ``k=v`` pairs sorted as whole strings, or ``<none>``."""
    pairs = sorted(f"{key}={value}" for key, value in (labels or {}).items())
    return ",".join(pairs) or "<none>"


def _requirement(key: str, operator: str, values: list[str]) -> str:
    if operator == "DoesNotExist":
        return "!" + key
    if operator == "Exists":
        return key
    joined = values[0] if len(values) == 1 else ",".join(sorted(values))
    if operator == "Equals":
        return f"{key}={joined}"
    word = "in" if operator == "In" else "notin"
    return f"{key} {word} ({joined})"


def selector_string(selector: JSON | None) -> str:
    """``LabelSelectorAsSelector(selector).String()``: "" for a missing or empty selector."""
    if not selector:
        return ""
    requirements: list[tuple[str, str]] = []
    for key, value in (selector.get("matchLabels") or {}).items():
        requirements.append((key, _requirement(key, "Equals", [value])))
    for expression in selector.get("matchExpressions") or []:
        key = expression.get("key", "")
        operator = expression.get("operator", "")
        values = list(expression.get("values") or [])
        if operator in ("In", "NotIn"):
            if not values:
                raise SelectorError(f"{operator} needs values")
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                raise SelectorError(f"{operator} takes no values")
        else:
            raise SelectorError(f"{operator!r} is not a valid label selector operator")
        requirements.append((key, _requirement(key, operator, values)))
    # selector.Add sorts by key; Python's stable sort keeps Go's order for equal keys.
    requirements.sort(key=lambda item: item[0])
    return ",".join(text for _, text in requirements)


def format_label_selector(selector: JSON | None) -> str:
    """``metav1.FormatLabelSelector``: the selector string, ``<none>`` or ``<error>``."""
    try:
        text = selector_string(selector)
    except SelectorError:
        return "<error>"
    return text or "<none>"
