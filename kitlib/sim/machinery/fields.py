"""Field selectors: ``?fieldSelector=spec.nodeName=kit-worker,status.phase!=Running``.

Only equality and inequality exist, values may escape ``\\,`` ``\\=`` and ``\\\\``, and each
kind accepts just the fields its strategy declares (plus metadata.name and
metadata.namespace); anything else is the real server's 400 ``field label not supported``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from kitlib.sim.machinery.errors import BadRequest

ALWAYS = ("metadata.name", "metadata.namespace")


@dataclass(frozen=True)
class FieldRequirement:
    field: str
    operator: str        # "=" or "!="
    value: str

    def matches(self, values: Mapping[str, str]) -> bool:
        have = values.get(self.field, "")
        return (have == self.value) == (self.operator == "=")


@dataclass(frozen=True)
class FieldSelector:
    requirements: tuple[FieldRequirement, ...] = ()

    def matches(self, values: Mapping[str, str]) -> bool:
        return all(r.matches(values) for r in self.requirements)

    @property
    def empty(self) -> bool:
        return not self.requirements

    def value_of(self, field: str) -> str | None:
        """The value an ``=`` requirement pins ``field`` to, for index look-ups."""
        for r in self.requirements:
            if r.field == field and r.operator == "=":
                return r.value
        return None


EVERYTHING = FieldSelector()


def _split_terms(text: str) -> list[str]:
    terms, current, escaped = [], [], False
    for ch in text:
        if escaped:
            current.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ",":
            terms.append("".join(current))
            current = []
        else:
            current.append(ch)
    if escaped:
        current.append("\\")
    terms.append("".join(current))
    return terms


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            if i + 1 >= len(value) or value[i + 1] not in "\\,=":
                raise BadRequest(f"invalid field selector: unexpected escape in {value!r}"
                                 .replace("'", '"'))
            out.append(value[i + 1])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _split_operator(term: str) -> tuple[str, str, str]:
    # Find the first unescaped operator, as fields.parseSelector does: != before == before =.
    i = 0
    while i < len(term):
        if term[i] == "\\":
            i += 2
            continue
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i], ("=" if op == "==" else op), term[i + len(op):]
        i += 1
    raise BadRequest(f"invalid selector: '{term}'; can't understand '{term}'")


def parse(text: str | None, *, supported: tuple[str, ...] = ()) -> FieldSelector:
    """Parse ``?fieldSelector=``, checking each field against what the kind supports."""
    if text is None or not text.strip():
        return EVERYTHING
    requirements = []
    for term in _split_terms(text):
        if not term:
            continue
        field, op, raw = _split_operator(term)
        field = field.strip()
        if field not in ALWAYS and field not in supported:
            raise BadRequest(f"field label not supported: {field}")
        requirements.append(FieldRequirement(field, op, _unescape(raw)))
    return FieldSelector(tuple(requirements))
