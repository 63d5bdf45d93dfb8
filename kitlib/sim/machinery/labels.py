"""Label selectors: the language that ties Services and controllers to their pods.

Parses the string form a client sends in ``?labelSelector=`` (``app=web,tier!=db``,
``env in (prod,staging)``, ``!canary``) with the grammar and error texts of
k8s.io/apimachinery/pkg/labels, and converts the structured ``LabelSelector`` of
Deployments and ReplicaSets (matchLabels, matchExpressions) into the same form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from kitlib.sim.machinery.errors import BadRequest

_OPERATORS = ("=", "==", "!=", "in", "notin", "exists", "!", "gt", "lt")


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str                 # one of _OPERATORS
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        op = self.operator
        if op == "exists":
            return self.key in labels
        if op == "!":
            return self.key not in labels
        if op in ("=", "==", "in"):
            return self.key in labels and labels[self.key] in self.values
        if op in ("!=", "notin"):
            return self.key not in labels or labels[self.key] not in self.values
        # gt / lt: both sides must be integers
        if self.key not in labels:
            return False
        try:
            have, want = int(labels[self.key]), int(self.values[0])
        except ValueError:
            return False
        return have > want if op == "gt" else have < want

    def __str__(self) -> str:
        op = self.operator
        if op == "exists":
            return self.key
        if op == "!":
            return f"!{self.key}"
        if op in ("in", "notin"):
            return f"{self.key} {op} ({','.join(sorted(self.values))})"
        if op in ("gt", "lt"):
            return f"{self.key}{'>' if op == 'gt' else '<'}{self.values[0]}"
        return f"{self.key}{op}{self.values[0]}"


@dataclass(frozen=True)
class LabelSelector:
    requirements: tuple[Requirement, ...] = ()
    #: A selector that matches nothing (a LabelSelector of null in some APIs).
    nothing: bool = False

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self.nothing:
            return False
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    @property
    def empty(self) -> bool:
        return not self.requirements and not self.nothing

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


EVERYTHING = LabelSelector()
NOTHING = LabelSelector(nothing=True)

# --- validation of keys and values (k8s.io/apimachinery/pkg/util/validation) ------------

_NAME_RE = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_PREFIX_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_VALUE_RE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")

QUALIFIED_NAME_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
    "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
    "or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")
PREFIX_MSG = (
    "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
    "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
    "'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")


def qualified_name_problems(key: str) -> list[str]:
    """What is wrong with a label key (``IsQualifiedName``); empty when it is valid."""
    parts = key.split("/")
    if len(parts) == 1:
        prefix, name = "", parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            return ["prefix part must be non-empty"]
    else:
        return ["a qualified name " + QUALIFIED_NAME_MSG.replace("name part ", "", 1)]
    problems = []
    if prefix:
        if len(prefix) > 253:
            problems.append("prefix part must be no more than 253 characters")
        elif not _PREFIX_RE.match(prefix):
            problems.append(PREFIX_MSG)
    if not name:
        problems.append("name part must be non-empty")
    elif len(name) > 63:
        problems.append("name part must be no more than 63 characters")
    elif not _NAME_RE.match(name):
        problems.append(QUALIFIED_NAME_MSG)
    return problems


def label_value_problems(value: str) -> list[str]:
    problems = []
    if len(value) > 63:
        problems.append("must be no more than 63 characters")
    if not _VALUE_RE.match(value):
        problems.append(LABEL_VALUE_MSG)
    return problems


# --- the string form ----------------------------------------------------------------------
# A lexer and a recursive-descent parser with the grammar of apimachinery's labels parser:
# special symbols  = == != ! ( ) , > <  and the keywords  in  notin.

_SPECIAL = set("=!(),><")
_SYMBOLS = {"=", "==", "!=", "!", "(", ")", ",", ">", "<"}
_END = ("END", "")


def _lex(text: str) -> list[tuple[str, str]]:
    """Tokens as (type, literal): type is the symbol itself, "in", "notin", "ID" or "END"."""
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while True:
        while i < n and text[i] in " \t\r\n":
            i += 1
        if i >= n:
            tokens.append(_END)
            return tokens
        if text[i] in _SPECIAL:
            # The longest run of special characters that is still a symbol.
            j, best = i, ""
            while j < n and text[j] in _SPECIAL:
                if text[i:j + 1] in _SYMBOLS:
                    best = text[i:j + 1]
                elif best:
                    break
                j += 1
            if not best:
                raise BadRequest(f"unable to parse requirement: found "
                                 f"'error expected: keyword found '{text[i:j]}'', expected: "
                                 f"identifier")
            tokens.append((best, best))
            i += len(best)
            continue
        j = i
        while j < n and text[j] not in _SPECIAL and text[j] not in " \t\r\n":
            j += 1
        word = text[i:j]
        tokens.append((word if word in ("in", "notin") else "ID", word))
        i = j


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _lex(text)
        self.pos = 0

    def peek(self, *, values: bool = True) -> tuple[str, str]:
        kind, lit = self.tokens[self.pos]
        # Where values are expected, the keywords are just identifiers.
        return ("ID", lit) if values and kind in ("in", "notin") else (kind, lit)

    def take(self, *, values: bool = True) -> tuple[str, str]:
        token = self.peek(values=values)
        self.pos += 1
        return token

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            kind, lit = self.peek()
            if kind == "END":
                return requirements
            if kind not in ("ID", "!"):
                raise BadRequest(f"found '{lit}', expected: !, identifier, or 'end of string'")
            try:
                requirements.append(self.requirement())
            except _Problem as problem:
                raise BadRequest(f"unable to parse requirement: {problem}") from None
            kind, lit = self.take()
            if kind == "END":
                return requirements
            if kind != ",":
                raise BadRequest(f"found '{lit}', expected: ',' or 'end of string'")
            after, lit = self.peek()
            if after not in ("ID", "!"):
                raise BadRequest(f"found '{lit}', expected: identifier after ','")

    def requirement(self) -> Requirement:
        kind, key = self.take()
        negated = kind == "!"
        if negated:
            kind, key = self.take()
        if kind != "ID":
            raise _Problem(f"found '{key}', expected: identifier")
        _check_key(key)
        # "!key" is whole whatever follows: "!app=x" fails after it, outside the requirement.
        if negated or self.peek()[0] in ("END", ","):
            return Requirement(key, "!" if negated else "exists")
        kind, lit = self.take(values=False)
        operator = {"in": "in", "notin": "notin", "=": "=", "==": "==", "!=": "!=",
                    ">": "gt", "<": "lt"}.get(kind)
        if operator is None:
            raise _Problem(f"found '{lit}', expected: '=', '!=', '==', 'in', notin'")
        if operator in ("in", "notin"):
            return Requirement(key, operator, tuple(self.value_set(key)))
        value = self.exact_value()
        if operator in ("gt", "lt"):
            try:
                int(value)
            except ValueError:
                raise _Problem(f"for 'Gt', 'Lt' operators, the value must be an integer: "
                               f"{value}") from None
        else:
            _check_value(key, value, 0)
        return Requirement(key, operator, (value,))

    def exact_value(self) -> str:
        kind, lit = self.peek()
        if kind in ("END", ","):
            return ""
        self.take()
        if kind == "ID":
            return lit
        raise _Problem(f"found '{lit}', expected: identifier")

    def value_set(self, key: str) -> list[str]:
        kind, lit = self.take()
        if kind != "(":
            raise _Problem(f"found '{lit}' expected: '('")
        kind, lit = self.peek()
        if kind == ")":
            self.take()
            return [""]
        if kind not in ("ID", ","):
            raise _Problem(f"found '{lit}', expected: ',', ')' or identifier")
        values: list[str] = []
        while True:
            kind, lit = self.take()
            if kind == "ID":
                _check_value(key, lit, len(values))
                values.append(lit)
                after, lit2 = self.peek()
                if after == ",":
                    continue
                if after == ")":
                    self.take()
                    return sorted(set(values))
                raise _Problem(f"found '{lit2}', expected: ',' or ')'")
            if kind == ",":
                if not values:
                    values.append("")
                after, _ = self.peek()
                if after == ")":
                    self.take()
                    values.append("")
                    return sorted(set(values))
                if after == ",":
                    self.take()
                    values.append("")
                continue
            raise _Problem(f"found '{lit}', expected: ',', or identifier")


class _Problem(Exception):
    """A problem inside one requirement (reported as "unable to parse requirement: ...")."""


def _check_key(key: str) -> None:
    problems = qualified_name_problems(key)
    if problems:
        raise _Problem(f'key: Invalid value: "{key}": ' + "; ".join(problems))


def _check_value(key: str, value: str, index: int) -> None:
    problems = label_value_problems(value)
    if problems:
        raise _Problem(f'values[{index}][{key}]: Invalid value: "{value}": '
                       + "; ".join(problems))


def parse(text: str | None) -> LabelSelector:
    """Parse ``?labelSelector=``; raises BadRequest with the real parser's messages."""
    if text is None or not text.strip():
        return EVERYTHING
    return LabelSelector(tuple(_Parser(text).parse()))


def from_label_selector(selector: Mapping[str, Any] | None) -> LabelSelector:
    """A ``metav1.LabelSelector`` (matchLabels, matchExpressions) as a selector.

    A null selector matches nothing; an empty one matches everything (as in
    metav1.LabelSelectorAsSelector).
    """
    if selector is None:
        return NOTHING
    requirements = [Requirement(k, "=", (v,)) for k, v in
                    sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or []:
        op = {"In": "in", "NotIn": "notin", "Exists": "exists",
              "DoesNotExist": "!"}.get(expr.get("operator", ""))
        if op is None:
            raise BadRequest(f'"{expr.get("operator")}" is not a valid label selector operator')
        requirements.append(Requirement(expr.get("key", ""), op,
                                        tuple(expr.get("values") or ())))
    return LabelSelector(tuple(requirements))


def from_map(labels: Mapping[str, str] | None) -> LabelSelector:
    """A Service's or ReplicationController's plain map selector; empty/None selects nothing
    for services (callers decide), everything here."""
    return LabelSelector(tuple(Requirement(k, "=", (v,)) for k, v in
                               sorted((labels or {}).items())))
