"""The fuzzers' oracle itself: it must reject what it is meant to reject."""

from __future__ import annotations

import json

import pytest

from tests.fuzz.oracle import ServerLog, Sent, check, check_status, leaks

GOOD = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": 'pods "x" not found', "reason": "NotFound", "code": 404}


def test_a_real_status_passes() -> None:
    assert check_status(GOOD, 404) == []


@pytest.mark.parametrize("change, problem", [
    ({"code": 400}, "Status code 400 != HTTP 404"),
    ({"reason": "Oops"}, "unknown reason 'Oops'"),
    ({"reason": "Conflict"}, "reason Conflict with code 404"),
    ({"kind": "Pod"}, "error body is not a Status"),
    ({"status": "Success"}, "Status status 'Success'"),
])
def test_a_wrong_status_is_caught(change: dict[str, object], problem: str) -> None:
    assert any(p.startswith(problem) for p in check_status(dict(GOOD, **change), 404))


def test_leaks_ignore_what_the_request_said() -> None:
    sent = Sent("GET", "/api/v1/namespaces/default/pods/__init__")
    assert leaks('pods "__init__" not found', sent) == []
    assert leaks('Traceback (most recent call last):\n  File "x.py", line 1', sent) != []
    assert leaks("<function f at 0x7f00>", sent) == ["<function "]


def test_500_fails_but_servers_own_apply_500_does_not() -> None:
    log = ServerLog()
    sent = Sent("PATCH", "/api/v1/namespaces/default/pods/x")
    internal = dict(GOOD, code=500, reason="InternalError", message="Internal error occurred")
    with pytest.raises(AssertionError, match="HTTP 500"):
        check(sent, 500, "application/json", json.dumps(internal), log, strict=True)
    apply_failure = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                     "message": "failed to create typed patch object (/x; /v1, Kind=Pod): "
                                "element 0: associative list with keys has an element that "
                                "omits key field \"name\"", "code": 500}
    check(sent, 500, "application/json", json.dumps(apply_failure), log, strict=True)


def test_plain_text_errors_and_dropped_connections_fail() -> None:
    log = ServerLog()
    sent = Sent("GET", "/x")
    with pytest.raises(AssertionError, match="Content-Type"):
        check(sent, 404, "text/plain", "404: Not Found", log, strict=True)
    with pytest.raises(AssertionError, match="no answer"):
        check(sent, 0, "", "no answer: reset", log, strict=True)
