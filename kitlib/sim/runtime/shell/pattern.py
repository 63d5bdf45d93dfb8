"""Shell patterns (``*``, ``?``, ``[a-z]``): for ``case``, ``${x#pat}`` and filenames.

Patterns arrive with quoted characters escaped by a backslash (``"*"`` is ``\\*``), as the
expander builds them.  Matching never backtracks exponentially: a whole-string match is the
classic two-pointer walk, and prefix or suffix searches run one pass over the text with a
set of pattern positions.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterator, Union

_CLASSES = {
    "alpha": str.isalpha, "digit": str.isdigit, "alnum": str.isalnum,
    "upper": str.isupper, "lower": str.islower, "space": str.isspace,
    "blank": lambda c: c in " \t", "punct": lambda c: c.isprintable() and not c.isalnum()
    and not c.isspace(), "print": str.isprintable,
    "graph": lambda c: c.isprintable() and not c.isspace(),
    "cntrl": lambda c: ord(c) < 32 or ord(c) == 127,
    "xdigit": lambda c: c in "0123456789abcdefABCDEF",
}


class CharSet:
    __slots__ = ("negate", "chars", "ranges", "classes")

    def __init__(self) -> None:
        self.negate = False
        self.chars: set[str] = set()
        self.ranges: list[tuple[str, str]] = []
        self.classes: list[str] = []

    def contains(self, c: str) -> bool:
        hit = c in self.chars or any(lo <= c <= hi for lo, hi in self.ranges) or \
            any(_CLASSES[name](c) for name in self.classes)
        return hit != self.negate


class _Star:
    pass


class _Any:
    pass


STAR = _Star()
ANY = _Any()
Token = Union[str, _Star, _Any, CharSet]


def _bracket(pattern: str, i: int) -> tuple[CharSet, int] | None:
    """The set starting at ``pattern[i] == "["`` and the index after it, or None."""
    out = CharSet()
    j = i + 1
    if j < len(pattern) and pattern[j] in "!^":
        out.negate = True
        j += 1
    first = True
    while j < len(pattern):
        c = pattern[j]
        if c == "]" and not first:
            return out, j + 1
        first = False
        if c == "[" and pattern.startswith("[:", j):
            end = pattern.find(":]", j + 2)
            if end > 0 and pattern[j + 2:end] in _CLASSES:
                out.classes.append(pattern[j + 2:end])
                j = end + 2
                continue
        if c == "\\" and j + 1 < len(pattern):
            j += 1
            c = pattern[j]
        if pattern.startswith("-", j + 1) and j + 2 < len(pattern) and pattern[j + 2] != "]":
            hi = pattern[j + 2]
            if hi == "\\" and j + 3 < len(pattern):
                hi = pattern[j + 3]
                j += 1
            out.ranges.append((c, hi))
            j += 3
            continue
        out.chars.add(c)
        j += 1
    return None


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> tuple[Token, ...]:
    tokens: list[Token] = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            tokens.append(pattern[i + 1])
            i += 2
        elif c == "*":
            if not tokens or tokens[-1] is not STAR:
                tokens.append(STAR)
            i += 1
        elif c == "?":
            tokens.append(ANY)
            i += 1
        elif c == "[":
            found = _bracket(pattern, i)
            if found is None:
                tokens.append("[")
                i += 1
            else:
                tokens.append(found[0])
                i = found[1]
        else:
            tokens.append(c)
            i += 1
    return tuple(tokens)


def _one(token: Token, c: str) -> bool:
    if isinstance(token, str):
        return token == c
    if token is ANY:
        return True
    return isinstance(token, CharSet) and token.contains(c)


def match(text: str, pattern: str) -> bool:
    """Does the whole of ``text`` match ``pattern``?"""
    tokens = compile_pattern(pattern)
    t = p = 0
    star_p = -1
    star_t = 0
    n, m = len(text), len(tokens)
    while t < n:
        if p < m and tokens[p] is STAR:
            star_p = p
            star_t = t
            p += 1
        elif p < m and _one(tokens[p], text[t]):
            t += 1
            p += 1
        elif star_p >= 0:
            star_t += 1
            t = star_t
            p = star_p + 1
        else:
            return False
    while p < m and tokens[p] is STAR:
        p += 1
    return p == m


def _ends(tokens: tuple[Token, ...], text: str) -> Iterator[int]:
    """Every k (ascending) for which ``tokens`` match ``text[:k]``, in one pass."""
    m = len(tokens)

    def close(states: set[int]) -> set[int]:
        out = set(states)
        for s in sorted(states):
            while s < m and tokens[s] is STAR:
                s += 1
                out.add(s)
        return out

    states = close({0})
    if m in states:
        yield 0
    for k, c in enumerate(text, 1):
        nxt: set[int] = set()
        for s in states:
            if s < m:
                token = tokens[s]
                if token is STAR:
                    nxt.add(s)
                elif _one(token, c):
                    nxt.add(s + 1)
        if not nxt:
            return
        states = close(nxt)
        if m in states:
            yield k


def prefix_lengths(text: str, pattern: str) -> list[int]:
    """Lengths of the prefixes of ``text`` that ``pattern`` matches, shortest first."""
    tokens = compile_pattern(pattern)
    if not any(isinstance(t, (_Star, _Any, CharSet)) for t in tokens):
        lit = "".join(t for t in tokens if isinstance(t, str))
        return [len(lit)] if text.startswith(lit) else []
    return list(_ends(tokens, text))


def suffix_lengths(text: str, pattern: str) -> list[int]:
    """Lengths of the suffixes of ``text`` that ``pattern`` matches, shortest first."""
    tokens = compile_pattern(pattern)
    if not any(isinstance(t, (_Star, _Any, CharSet)) for t in tokens):
        lit = "".join(t for t in tokens if isinstance(t, str))
        return [len(lit)] if text.endswith(lit) else []
    return list(_ends(tuple(reversed(tokens)), text[::-1]))


def has_magic(pattern: str) -> bool:
    """Does ``pattern`` hold an unescaped ``*`` or ``?``, or a ``[`` that a ``]`` closes?"""
    if not any(c in pattern for c in "*?["):
        return False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c in "*?" or (c == "[" and "]" in pattern[i + 2:]):
            return True
        i += 1
    return False


def escape(text: str) -> str:
    """``text`` as a pattern that matches it literally."""
    if not any(c in "*?[]\\" for c in text):
        return text
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


def unescape(pattern: str) -> str:
    if "\\" not in pattern:
        return pattern
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(pattern[i + 1])
            i += 2
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)
