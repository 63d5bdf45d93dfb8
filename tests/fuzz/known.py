"""Bugs the fuzzers found that are not fixed yet, so the fuzzers can go on looking past them.

Each has an exact reproduction in ``test_findings.py`` marked ``xfail(strict=True)``: when
a bug is fixed its reproduction passes, the strict xfail turns that into a failure, and
its entry here (and the xfail) are to be deleted.  A predicate matches the request and the
answer as narrowly as it can, so that other bugs of a similar shape are still reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import unquote

from tests.fuzz.oracle import Sent


@dataclass(frozen=True)
class KnownBug:
    id: str
    summary: str
    matches: Callable[[Sent, int, str, str], bool]    # (sent, code, content type, text)


def _decoded_path(sent: Sent) -> str:
    return unquote(sent.path)


KNOWN: list[KnownBug] = [
    KnownBug(
        "newline-in-path",
        "a path with a line break (%0A, %0D) after decoding misses the catch-all route "
        "'/{tail:.*}' ('.' does not match a newline): aiohttp answers its own text/plain "
        "'404: Not Found' instead of a Status (kitlib/sim/apiserver/app.py build_app)",
        lambda sent, code, ctype, text: code == 404 and ctype.startswith("text/plain")
        and any(c in _decoded_path(sent) for c in "\n\r")),
    KnownBug(
        "long-request-line",
        "a request line over 8190 bytes (a 10,000-character name in the URL) is refused by "
        "aiohttp's HTTP parser before any handler runs: a text/plain 400 'Got more than "
        "8190 bytes when reading', and an ERROR 'Error handling request' with a traceback "
        "in the aiohttp.server log; kube-apiserver (Go net/http, 1 MiB of headers) answers "
        "a Status (404 NotFound for a GET). Fix: pass max_line_size/max_field_size to "
        "web.AppRunner in kitlib/sim/cluster.py, or render the parser's 400 as a Status",
        lambda sent, code, ctype, text: code == 400 and ctype.startswith("text/plain")
        and "Got more than 8190 bytes" in text and len(sent.path) > 8000),
]


def known_bug(sent: Sent, code: int, ctype: str, text: str) -> KnownBug | None:
    for bug in KNOWN:
        if bug.matches(sent, code, ctype, text):
            return bug
    return None


def seen() -> dict[str, int]:
    """How often each known bug was hit in this run (for the fuzzers' summary)."""
    return dict(_SEEN)


_SEEN: dict[str, int] = {}


def note(bug: KnownBug) -> None:
    _SEEN[bug.id] = _SEEN.get(bug.id, 0) + 1


__all__ = ["KNOWN", "KnownBug", "known_bug", "note", "seen"]
