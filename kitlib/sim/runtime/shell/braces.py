"""bash's brace expansion: ``file{1,2}.txt``, ``{1..5}``, ``{a..e}``, ``{0..10..2}``.

Only bash does this (busybox ash and dash print ``{a,b}`` as it is).  It applies to text
written unquoted, before any other expansion, and its results are counted so that
``{1..99999999}`` is refused instead of exhausting memory.
"""

from __future__ import annotations

MAX_WORDS = 100_000


class TooManyWords(Exception):
    pass


def _matching(text: str, start: int) -> int:
    """The index of the ``}`` closing the ``{`` at ``start``, or -1."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _split_top(body: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for c in body:
        if c == "," and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        current.append(c)
    parts.append("".join(current))
    return parts


def _sequence(body: str) -> list[str] | None:
    pieces = body.split("..")
    if len(pieces) not in (2, 3):
        return None
    step_text = pieces[2] if len(pieces) == 3 else "1"
    try:
        step = abs(int(step_text)) or 1
    except ValueError:
        return None
    first, last = pieces[0], pieces[1]
    if _is_int(first) and _is_int(last):
        a, b = int(first), int(last)
        count = abs(b - a) // step + 1
        if count > MAX_WORDS:
            raise TooManyWords()
        width = max(len(first), len(last)) if (first.lstrip("-").startswith("0") and
                                                len(first.lstrip("-")) > 1) or \
            (last.lstrip("-").startswith("0") and len(last.lstrip("-")) > 1) else 0
        values = range(a, b + 1, step) if a <= b else range(a, b - 1, -step)
        return [str(v).zfill(width) if width else str(v) for v in values]
    if len(first) == 1 and len(last) == 1 and first.isalpha() and last.isalpha():
        a, b = ord(first), ord(last)
        values = range(a, b + 1, step) if a <= b else range(a, b - 1, -step)
        return [chr(v) for v in values]
    return None


def _is_int(text: str) -> bool:
    return text.lstrip("-").isdigit() and text.count("-") <= 1 and not text.endswith("-")


def expand(text: str) -> list[str]:
    """The words ``text`` expands to (``[text]`` when it holds no brace expression)."""
    out: list[str] = []
    _expand(text, out)
    return out


def _expand(text: str, out: list[str]) -> None:
    i = 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "{":
            end = _matching(text, i)
            if end < 0:
                break
            body = text[i + 1:end]
            choices = _split_top(body)
            alternatives = choices if len(choices) > 1 else _sequence(body)
            if alternatives is None:
                i += 1
                continue
            head, tail = text[:i], text[end + 1:]
            for choice in alternatives:
                _expand(head + choice + tail, out)
                if len(out) > MAX_WORDS:
                    raise TooManyWords()
            return
        i += 1
    out.append(text)


def has_braces(text: str) -> bool:
    return "{" in text and "}" in text and ("," in text or ".." in text)
