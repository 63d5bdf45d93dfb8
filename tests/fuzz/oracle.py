"""What every answer must look like, however bad the request: the fuzzers' oracle.

A real kube-apiserver never answers a client's mistake with a 500 or a stack trace: every
failure is a v1 Status whose ``code`` is the HTTP status and whose ``reason`` is one of
the StatusReasons clients switch on.  The server's own log must stay free of errors too
(an exception caught by the error middleware is still a bug).
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from typing import Any

#: metav1.StatusReason values, and the codes they go with (None: any code).
REASONS: dict[str, int | None] = {
    "Unauthorized": 401, "Forbidden": 403, "NotFound": 404, "AlreadyExists": 409,
    "Conflict": 409, "Gone": 410, "Expired": 410, "Invalid": 422, "BadRequest": 400,
    "MethodNotAllowed": 405, "NotAcceptable": 406, "RequestEntityTooLarge": 413,
    "UnsupportedMediaType": 415, "TooManyRequests": 429, "ServiceUnavailable": 503,
    "Timeout": 504, "ServerTimeout": 500,
}
#: Server faults a client may legitimately see here: a subresource the simulator lacks.
ALLOWED_5XX = {503}
#: 500s that kube-apiserver itself sends, copied on purpose: server-side apply's field
#: manager fails with a plain Go error (a Status with no reason) for, e.g., a list item
#: that lacks its merge key.
DELIBERATE_500 = ("failed to create typed patch object",)

_LEAKS = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line"
                    r"|object at 0x[0-9a-f]+|<(?:class|function|module|bound method) "
                    r"|kitlib\.|site-packages|\bNoneType\b|\b__\w+__\b")
WATCH_TYPES = {"ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"}


@dataclass
class Sent:
    """One request, as the fuzzer built it (for the failure report)."""

    method: str
    path: str
    params: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    def __str__(self) -> str:
        body = self.body if self.body is None or len(self.body) < 600 else \
            self.body[:600] + b"...(%d bytes)" % len(self.body)
        path = self.path if len(self.path) < 400 else \
            f"{self.path[:200]}...({len(self.path)} chars)...{self.path[-100:]}"
        return f"{self.method} {path} params={self.params!r} headers={self.headers!r} " \
               f"body={body!r}"


class ServerLog(logging.Handler):
    """Collects error records of the in-process server (and aiohttp's, asyncio's)."""

    NAMES = ("kitlib", "aiohttp", "asyncio")

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self._lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._lock:
            self.records.append(record)

    def take(self) -> list[str]:
        with self._lock:
            records, self.records = self.records, []
        formatter = logging.Formatter("%(name)s %(levelname)s: %(message)s")
        return [formatter.format(r) for r in records]

    def install(self) -> None:
        for name in self.NAMES:
            logging.getLogger(name).addHandler(self)

    def remove(self) -> None:
        for name in self.NAMES:
            logging.getLogger(name).removeHandler(self)


def _deliberate(code: int, text: str) -> bool:
    if code != 500:
        return False
    try:
        body = json.loads(text)
    except ValueError:
        return False
    return (isinstance(body, dict) and body.get("kind") == "Status" and body.get("code") == 500
            and "reason" not in body
            and str(body.get("message", "")).startswith(DELIBERATE_500))


def leaks(text: str, sent: Sent) -> list[str]:
    """Python internals in an answer (ignoring what the request itself contained)."""
    echoed = f"{sent.path} {sent.params!r} {sent.headers!r} {sent.body!r}"
    return [m.group(0) for m in _LEAKS.finditer(text) if m.group(0) not in echoed]


def check_status(body: Any, code: int) -> list[str]:
    problems = []
    if not isinstance(body, dict) or body.get("kind") != "Status":
        return [f"error body is not a Status: {str(body)[:300]}"]
    if body.get("apiVersion") != "v1":
        problems.append(f"Status apiVersion {body.get('apiVersion')!r}")
    if body.get("status") != "Failure":
        problems.append(f"Status status {body.get('status')!r}")
    if body.get("code") != code:
        problems.append(f"Status code {body.get('code')!r} != HTTP {code}")
    reason = body.get("reason")
    if reason not in REASONS:
        problems.append(f"unknown reason {reason!r}")
    elif REASONS[reason] not in (None, code):
        problems.append(f"reason {reason} with code {code}")
    if not isinstance(body.get("message"), str):
        problems.append("Status without a message")
    return problems


@dataclass(frozen=True)
class Answer:
    """What came back for one request (code 0: the connection was dropped instead)."""

    sent: Sent
    code: int
    content_type: str
    text: str
    log: str            # the server's error records while it was being served


def check_response(response: Any, sent: Sent, server_log: ServerLog, *,
                   strict: bool = False) -> None:
    """Assert the answer to ``sent`` is well-formed; the report has the server's traceback.
    ``strict``: known bugs are not excused (for their reproductions)."""
    check(sent, response.status_code, response.headers.get("Content-Type", ""),
          response.content.decode("utf-8", errors="replace"), server_log, strict=strict)


def check_dropped(sent: Sent, server_log: ServerLog, error: Exception, *,
                  strict: bool = False) -> None:
    """The server closed the connection instead of answering: always a bug."""
    check(sent, 0, "", f"no answer: {error}", server_log, strict=strict)


def check(sent: Sent, code: int, ctype: str, text: str, server_log: ServerLog, *,
          strict: bool = False) -> None:
    problems: list[str] = []
    if code == 0:
        problems.append(text)
    elif code >= 500 and code not in ALLOWED_5XX and not _deliberate(code, text):
        problems.append(f"HTTP {code}")
    problems += [f"leaks {x!r}" for x in leaks(text, sent)]
    if code >= 400:
        if not ctype.startswith("application/json"):
            problems.append(f"error with Content-Type {ctype!r}: {text[:300]!r}")
        else:
            try:
                if not _deliberate(code, text):
                    problems += check_status(json.loads(text), code)
            except ValueError:
                problems.append(f"error body is not JSON: {text[:300]!r}")
    elif ctype.startswith("application/json"):
        problems += _check_json_body(text)
    logged = server_log.take()
    problems += [f"server log: {line}" for line in logged]
    if not problems:
        return
    from tests.fuzz.known import known_bug, note

    bug = None if strict else known_bug(Answer(sent, code, ctype, text, "\n".join(logged)))
    if bug is not None:
        note(bug)
        return
    if REPORT and not strict:
        _record(sent, code, ctype, text, problems, logged)
        return
    raise AssertionError(
        "\n".join(["bad answer to:", f"  {sent}", f"got HTTP {code} {ctype}:",
                   f"  {text[:1500]}", "problems:", *(f"  - {p[:3000]}" for p in problems)]))


#: KIT_FUZZ_REPORT=FILE: collect findings in FILE (JSON lines) instead of failing at the
#: first, to survey a long run; each distinct signature is written once.
REPORT = os.environ.get("KIT_FUZZ_REPORT", "")
_signatures: set[str] = set()


def signature(code: int, text: str, logged: list[str]) -> str:
    """Where a failure comes from: the exception and the deepest frame in kitlib."""
    for line in logged:
        frames = re.findall(r'File "([^"]*kitlib[^"]*)", line (\d+), in (\w+)', line)
        last = line.strip().splitlines()[-1] if line.strip() else ""
        if frames:
            path, number, function = frames[-1]
            return f"{last.split(':')[0]} at {path.split('kitlib/')[-1]}:{number} {function}"
        if last:
            return last[:120]
    return f"HTTP {code}: {text[:80]}"


def _record(sent: Sent, code: int, ctype: str, text: str, problems: list[str],
            logged: list[str]) -> None:
    key = signature(code, text, logged)
    if key in _signatures:
        return
    _signatures.add(key)
    with open(REPORT, "a", encoding="utf-8") as out:
        out.write(json.dumps({"signature": key, "request": str(sent), "code": code,
                              "content_type": ctype, "body": text[:1000],
                              "problems": problems[:3], "log": logged[:2]}) + "\n")


def _check_json_body(text: str) -> list[str]:
    try:
        json.loads(text)
        return []
    except ValueError:
        pass
    # A watch: one JSON event per line.
    problems = []
    for line in filter(None, text.split("\n")):
        try:
            event = json.loads(line)
        except ValueError:
            return [f"body is neither JSON nor a watch stream: {text[:300]!r}"]
        if not isinstance(event, dict) or event.get("type") not in WATCH_TYPES:
            problems.append(f"bad watch event {line[:300]!r}")
        elif event["type"] == "ERROR":
            problems += check_status(event.get("object"), event["object"].get("code"))
    return problems
