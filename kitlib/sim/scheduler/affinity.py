"""Which nodes a pod may (or would rather) run on: nodeSelector and node affinity, compiled.

A pod's ``nodeSelector`` and its ``requiredDuringSchedulingIgnoredDuringExecution`` node
affinity are checked against every node for every scheduling attempt, so they are parsed
once into plain tuples here (nodeaffinity.GetRequiredNodeAffinity).  The rules are the
API's: terms are ORed, the expressions and fields inside a term ANDed; ``NotIn`` and
``DoesNotExist`` match a node without the label; ``Gt``/``Lt`` compare integers; a term
that does not parse (a ``Gt`` with a word, a field other than ``metadata.name``) or that
is empty matches no node, without spoiling the other terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

JSON = dict[str, Any]

_INTEGER = re.compile(r"[+-]?[0-9]+")
_INT64 = (-(2 ** 63), 2 ** 63 - 1)


def _int64(text: str) -> int | None:
    """strconv.ParseInt(text, 10, 64), or None."""
    if not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    return value if _INT64[0] <= value <= _INT64[1] else None


@dataclass(frozen=True, slots=True)
class Requirement:
    key: str
    operator: str
    values: frozenset[str]
    number: int | None = None        # the bound of Gt / Lt

    def matches(self, labels: Mapping[str, str]) -> bool:
        op = self.operator
        if op == "In":
            return self.key in labels and labels[self.key] in self.values
        if op == "NotIn":
            return self.key not in labels or labels[self.key] not in self.values
        if op == "Exists":
            return self.key in labels
        if op == "DoesNotExist":
            return self.key not in labels
        if self.key not in labels or self.number is None:
            return False
        value = _int64(labels[self.key])
        if value is None:
            return False
        return value > self.number if op == "Gt" else value < self.number


def _requirement(expr: Any) -> Requirement | None:
    """One matchExpressions entry, or None when it cannot be a selector."""
    if not isinstance(expr, dict):
        return None
    key, op = str(expr.get("key") or ""), expr.get("operator")
    raw = expr.get("values") or []
    values = [str(v) for v in raw] if isinstance(raw, list) else []
    if op in ("In", "NotIn"):
        return Requirement(key, op, frozenset(values)) if values else None
    if op in ("Exists", "DoesNotExist"):
        return None if values else Requirement(key, op, frozenset())
    if op in ("Gt", "Lt"):
        number = _int64(values[0]) if len(values) == 1 else None
        return None if number is None else Requirement(key, op, frozenset(values), number)
    return None


@dataclass(frozen=True, slots=True)
class Term:
    """A NodeSelectorTerm: label expressions and ``metadata.name`` fields, ANDed."""

    expressions: tuple[Requirement, ...]
    fields: tuple[Requirement, ...]

    def matches(self, labels: Mapping[str, str], name: str) -> bool:
        for req in self.expressions:
            if not req.matches(labels):
                return False
        for req in self.fields:
            if not req.matches({"metadata.name": name}):
                return False
        return True


def compile_term(term: Any) -> Term | None:
    """A term, or None for one that matches nothing (empty, or not parseable)."""
    if not isinstance(term, dict):
        return None
    exprs, fields = term.get("matchExpressions") or [], term.get("matchFields") or []
    if not isinstance(exprs, list) or not isinstance(fields, list) or not (exprs or fields):
        return None
    expressions = tuple(_requirement(e) for e in exprs)
    compiled_fields = []
    for f in fields:
        req = _requirement(f)
        # Only metadata.name is a node field, and only In/NotIn with one value.
        if (req is None or req.key != "metadata.name" or req.operator not in ("In", "NotIn")
                or len(req.values) != 1):
            return None
        compiled_fields.append(req)
    if any(e is None for e in expressions):
        return None
    return Term(tuple(e for e in expressions if e is not None), tuple(compiled_fields))


@dataclass(frozen=True, slots=True)
class RequiredAffinity:
    """nodeSelector plus required node affinity: both must match."""

    selector: tuple[tuple[str, str], ...]
    terms: tuple[Term, ...] | None          # None: the pod has no required node affinity
    #: The PreFilter's answer: the only node names that can match, or None for "any".
    node_names: frozenset[str] | None

    def matches(self, labels: Mapping[str, str], name: str) -> bool:
        for key, value in self.selector:
            if labels.get(key) != value:
                return False
        if self.terms is None:
            return True
        for term in self.terms:
            if term.matches(labels, name):
                return True
        return False


def _prefilter_names(raw_terms: list[Any]) -> frozenset[str] | None:
    """NodeAffinity PreFilter: node names named by ``metadata.name In`` in every term."""
    names: set[str] = set()
    for term in raw_terms:
        fields = term.get("matchFields") if isinstance(term, dict) else None
        term_names: set[str] | None = None
        for f in fields if isinstance(fields, list) else []:
            if (isinstance(f, dict) and f.get("key") == "metadata.name"
                    and f.get("operator") == "In"):
                values = {str(v) for v in f.get("values") or []}
                term_names = values if term_names is None else term_names & values
        if term_names is None:
            return None         # this term may match any node: the terms are ORed
        names |= term_names
    return frozenset(names)


def required_affinity(spec: JSON) -> RequiredAffinity | None:
    """The pod's hard node constraints, or None when it has none."""
    selector = spec.get("nodeSelector")
    pairs = tuple(sorted((str(k), str(v)) for k, v in selector.items())) \
        if isinstance(selector, dict) else ()
    affinity = spec.get("affinity") if isinstance(spec.get("affinity"), dict) else {}
    node_affinity = affinity.get("nodeAffinity") if isinstance(affinity, dict) else None
    required = (node_affinity or {}).get("requiredDuringSchedulingIgnoredDuringExecution") \
        if isinstance(node_affinity, dict) else None
    if not isinstance(required, dict):
        if not isinstance(selector, dict):
            return None
        return RequiredAffinity(pairs, None, None)
    raw_terms = required.get("nodeSelectorTerms") or []
    raw_terms = raw_terms if isinstance(raw_terms, list) else []
    terms = tuple(t for t in (compile_term(r) for r in raw_terms) if t is not None)
    names = _prefilter_names(raw_terms) if raw_terms else None
    return RequiredAffinity(pairs, terms, names)


def preferred_terms(spec: JSON) -> tuple[tuple[int, Term], ...]:
    """preferredDuringSchedulingIgnoredDuringExecution as (weight, term), empty terms dropped."""
    affinity = spec.get("affinity") if isinstance(spec.get("affinity"), dict) else {}
    node_affinity = affinity.get("nodeAffinity") if isinstance(affinity, dict) else None
    preferred = node_affinity.get("preferredDuringSchedulingIgnoredDuringExecution") \
        if isinstance(node_affinity, dict) else None
    result = []
    for item in preferred if isinstance(preferred, list) else []:
        if not isinstance(item, dict):
            continue
        weight = item.get("weight")
        term = compile_term(item.get("preference"))
        if isinstance(weight, int) and weight != 0 and term is not None:
            result.append((weight, term))
    return tuple(result)
