"""Bugs the fuzzers found that are not fixed yet, so the fuzzers can go on looking past them.

Each has an exact reproduction in ``test_findings.py`` marked ``xfail(strict=True)``: when
a bug is fixed its reproduction passes, the strict xfail turns that into a failure, and
its entry here (and the xfail) are to be deleted.  A predicate matches the request and the
answer as narrowly as it can, so that other bugs of a similar shape are still reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from tests.fuzz.oracle import Answer


@dataclass(frozen=True)
class KnownBug:
    id: str
    summary: str
    matches: Callable[[Answer], bool]
    #: False for a bug seen only now and then (timing, garbage collection): it has no
    #: reproduction in test_findings.py, only this description.
    reproducible: bool = True


#: Found by the fuzzers (and schemathesis) and fixed since; their reproductions in
#: test_findings.py now guard against their return.
FIXED = (
    "deep-nesting",                     # ~1,000-deep JSON/YAML: RecursionError, 500
    "yaml-reader-error",                # a NUL in a YAML body: ReaderError, 500
    "lone-surrogate-in-message",        # "\\ud800" echoed in a Status: text/plain 500
    "newline-in-path",                  # %0A in a path: aiohttp's text/plain 404
    "warning-header-control-character",  # {"a\\nb": 1}: Warning header, connection dropped
    "binding-body-shape",               # {"target": 1} to pods/x/binding: 500
    "delete-options-shape",             # {"preconditions": "x"}, bad eviction bodies: 500
    "event-without-name",               # a core/v1 Event without a name: KeyError, 500
    "error-inside-watch-stream",        # includeObject=x on a Table watch: 2nd response
    "proxy-redirect-control-character",  # pods/a%1Fb/proxy: Location header, dropped
    "long-request-line",                # a 10,000-character name: aiohttp's text/plain 400
    "metadata-null-on-update",          # PUT {"metadata": null}: AttributeError, 500
    "null-list-items-stored",           # conditions [null]: stored, then printers fail
)

#: Open bugs (none now): the fuzzers excuse what these match.  A bug found again goes here
#: with its reproduction in test_findings.py.
KNOWN: list[KnownBug] = [
    # Fixed without a reproduction (garbage-collection timing): "runtime-task-destroyed-
    # pending", asyncio's 'Task was destroyed but it is pending!' for a container's process
    # task, once in 24,000 requests; running processes are now held strongly
    # (kitlib/sim/runtime/task.py _RUNNING).
]


def known_bug(answer: Answer) -> KnownBug | None:
    for bug in KNOWN:
        if bug.matches(answer):
            return bug
    return None


def seen() -> dict[str, int]:
    """How often each known bug was hit in this run (for the fuzzers' summary)."""
    return dict(_SEEN)


_SEEN: dict[str, int] = {}


def note(bug: KnownBug) -> None:
    _SEEN[bug.id] = _SEEN.get(bug.id, 0) + 1


__all__ = ["KNOWN", "KnownBug", "known_bug", "note", "seen"]
