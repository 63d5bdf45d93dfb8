"""``$(( ... ))``: shell arithmetic on 64-bit signed integers, as C does it.

A small precedence-climbing evaluator over a fixed tokeniser.  Short-circuit operators
parse their other side without evaluating it (no assignments happen there), numbers wrap
at 64 bits, and variables holding expressions are evaluated to a bounded depth.
"""

from __future__ import annotations

import re
from typing import Callable

_TOKEN = re.compile(r"""\s*(?:
    (?P<num>0[xX][0-9A-Fa-f]+|[0-9]+\#[0-9A-Za-z@_]+|[0-9]+)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*=|<<=|>>=|\*\*|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&^|]=|[-+*/%<>=!~&^|?:(),])
)""", re.X)
_MASK = (1 << 64) - 1
_BINARY = {
    "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6,
    "<": 7, "<=": 7, ">": 7, ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9,
    "*": 10, "/": 10, "%": 10, "**": 11,
}
_SIMPLE: dict[str, Callable[[int, int], int]] = {
    "+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y,
    "&": lambda x, y: x & y, "|": lambda x, y: x | y, "^": lambda x, y: x ^ y,
    "<": lambda x, y: int(x < y), "<=": lambda x, y: int(x <= y),
    ">": lambda x, y: int(x > y), ">=": lambda x, y: int(x >= y),
    "==": lambda x, y: int(x == y), "!=": lambda x, y: int(x != y),
}
_ASSIGN = {"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|=", "**="}


class ArithError(Exception):
    """``kind``: syntax | divzero | exponent | recursion; ``expr`` is the whole text."""

    def __init__(self, kind: str, expr: str, token: str = "") -> None:
        super().__init__(f"{kind}: {expr}")
        self.kind = kind
        self.expr = expr
        self.token = token


def wrap(value: int) -> int:
    value &= _MASK
    return value - (1 << 64) if value >> 63 else value


def _number(text: str, expr: str) -> int:
    try:
        if "#" in text:
            base_text, digits = text.split("#", 1)
            base = int(base_text)
            if not 2 <= base <= 64:
                raise ArithError("syntax", expr, text)
            value = 0
            for ch in digits:
                if ch.isdigit():
                    d = int(ch)
                elif ch.islower():
                    d = ord(ch) - ord("a") + 10
                elif ch.isupper():
                    d = ord(ch) - ord("A") + (36 if base > 36 else 10)
                else:
                    d = 62 if ch == "@" else 63
                if d >= base:
                    raise ArithError("syntax", expr, text)
                value = value * base + d
            return wrap(value)
        if text[:2] in ("0x", "0X"):
            return wrap(int(text[2:], 16))
        if len(text) > 1 and text[0] == "0":
            return wrap(int(text, 8))
        return wrap(int(text))
    except ValueError:
        raise ArithError("syntax", expr, text) from None


class Arith:
    def __init__(self, expr: str, get: Callable[[str], str], put: Callable[[str, str], None],
                 *, depth: int = 0) -> None:
        self.expr = expr
        self.get = get
        self.put = put
        self.depth = depth
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        text = expr.rstrip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                raise ArithError("syntax", expr, text[pos:].strip())
            kind = m.lastgroup or "op"
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
        self.i = 0

    # --- helpers ------------------------------------------------------------------------

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        tok = self.peek()
        self.i += 1
        return tok

    def value_of(self, name: str) -> int:
        raw = self.get(name).strip()
        if not raw:
            return 0
        if raw.lstrip("-+").isdigit():
            return wrap(int(raw))
        if self.depth > 8:
            raise ArithError("recursion", self.expr, name)
        return Arith(raw, self.get, self.put, depth=self.depth + 1).evaluate()

    # --- grammar ------------------------------------------------------------------------

    def evaluate(self) -> int:
        if not self.tokens:
            return 0
        value = self.comma(True)
        if self.i < len(self.tokens):
            raise ArithError("syntax", self.expr, self.peek()[1])
        return value

    def comma(self, live: bool) -> int:
        value = self.assignment(live)
        while self.peek() == ("op", ","):
            self.take()
            value = self.assignment(live)
        return value

    def assignment(self, live: bool) -> int:
        kind, text = self.peek()
        if kind == "name" and self.i + 1 < len(self.tokens) and \
                self.tokens[self.i + 1][0] == "op" and self.tokens[self.i + 1][1] in _ASSIGN:
            self.i += 1
            op = self.take()[1]
            right = self.assignment(live)
            if not live:
                return 0
            value = right if op == "=" else self.binary(op[:-1], self.value_of(text), right)
            self.put(text, str(value))
            return value
        return self.conditional(live)

    def conditional(self, live: bool) -> int:
        cond = self.binary_chain(1, live)
        if self.peek() != ("op", "?"):
            return cond
        self.take()
        yes = self.comma(live and cond != 0)
        if self.take() != ("op", ":"):
            raise ArithError("syntax", self.expr, self.peek()[1])
        no = self.assignment(live and cond == 0)
        return yes if cond else no

    def binary_chain(self, level: int, live: bool) -> int:
        if level > 11:
            return self.unary(live)
        left = self.binary_chain(level + 1, live)
        while True:
            kind, op = self.peek()
            if kind != "op" or _BINARY.get(op) != level:
                return left
            self.take()
            if op == "&&":
                right = self.binary_chain(level + 1, live and left != 0)
                left = int(left != 0 and right != 0)
            elif op == "||":
                right = self.binary_chain(level + 1, live and left == 0)
                left = int(left != 0 or right != 0)
            elif op == "**":
                right = self.binary_chain(level, live)     # right-associative
                left = self.binary(op, left, right) if live else 0
            else:
                right = self.binary_chain(level + 1, live)
                left = self.binary(op, left, right) if live else 0

    def binary(self, op: str, a: int, b: int) -> int:
        if op in ("/", "%"):
            if b == 0:
                raise ArithError("divzero", self.expr, str(b))
            q = abs(a) // abs(b)
            if (a < 0) != (b < 0):
                q = -q
            return wrap(q) if op == "/" else wrap(a - b * q)
        if op == "**":
            if b < 0:
                raise ArithError("exponent", self.expr, str(b))
            return wrap(pow(a, b, 1 << 64))
        if op in ("<<", ">>"):
            b &= 63
            return wrap(a << b) if op == "<<" else a >> b
        return wrap(_SIMPLE[op](a, b))

    def unary(self, live: bool) -> int:
        kind, text = self.peek()
        if kind == "op" and text in ("++", "--"):
            self.take()
            name_kind, name = self.take()
            if name_kind != "name":
                raise ArithError("syntax", self.expr, name)
            if not live:
                return 0
            value = wrap(self.value_of(name) + (1 if text == "++" else -1))
            self.put(name, str(value))
            return value
        if kind == "op" and text in ("+", "-", "!", "~"):
            self.take()
            value = self.unary(live)
            return {"+": value, "-": wrap(-value), "!": int(value == 0), "~": ~value}[text]
        return self.postfix(live)

    def postfix(self, live: bool) -> int:
        kind, text = self.take()
        if kind == "num":
            return _number(text, self.expr)
        if kind == "name":
            nxt = self.peek()
            if nxt[0] == "op" and nxt[1] in ("++", "--"):
                self.take()
                if not live:
                    return 0
                value = self.value_of(text)
                self.put(text, str(wrap(value + (1 if nxt[1] == "++" else -1))))
                return value
            return self.value_of(text) if live else 0
        if (kind, text) == ("op", "("):
            value = self.comma(live)
            if self.take() != ("op", ")"):
                raise ArithError("syntax", self.expr, ")")
            return value
        raise ArithError("syntax", self.expr, text)


def evaluate(expr: str, get: Callable[[str], str], put: Callable[[str, str], None]) -> int:
    return Arith(expr, get, put).evaluate()
