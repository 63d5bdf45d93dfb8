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

from tests.fuzz.oracle import Answer, Sent


@dataclass(frozen=True)
class KnownBug:
    id: str
    summary: str
    matches: Callable[[Answer], bool]


def _decoded_path(sent: Sent) -> str:
    return unquote(sent.path)


KNOWN: list[KnownBug] = [
    KnownBug(
        "newline-in-path",
        "a path with a line break (%0A, %0D) after decoding misses the catch-all route "
        "'/{tail:.*}' ('.' does not match a newline): aiohttp answers its own text/plain "
        "'404: Not Found' instead of a Status (kitlib/sim/apiserver/app.py build_app)",
        lambda a: a.code == 404 and a.content_type.startswith("text/plain")
        and any(c in _decoded_path(a.sent) for c in "\n\r")),
    KnownBug(
        "long-request-line",
        "a request line over 8190 bytes (a 10,000-character name in the URL) is refused by "
        "aiohttp's HTTP parser before any handler runs: a text/plain 400 'Got more than "
        "8190 bytes when reading', and an ERROR 'Error handling request' with a traceback "
        "in the aiohttp.server log; kube-apiserver (Go net/http, 1 MiB of headers) answers "
        "a Status (404 NotFound for a GET). Fix: pass max_line_size/max_field_size to "
        "web.AppRunner in kitlib/sim/cluster.py, or render the parser's 400 as a Status",
        lambda a: a.code == 400 and a.content_type.startswith("text/plain")
        and "Got more than 8190 bytes" in a.text and len(a.sent.path) > 8000),
    KnownBug(
        "deep-nesting",
        "a body nested about 1,000 levels deep ('[' * 2000 + ']' * 2000, or {\"a\": ...}) "
        "makes the JSON decoder (json.loads with hooks, kitlib/sim/schema/decode.py "
        "parse_json) or PyYAML's composer (parse_yaml) raise RecursionError: a 500 "
        "InternalError. kube-apiserver refuses such bodies with a 400 (its JSON decoder "
        "has a depth limit of 10,000; orjson's of 1,024 already answers 400 on the DELETE "
        "path). Fix: catch RecursionError in parse_json/parse_yaml as a MalformedBody",
        lambda a: a.code == 500 and "RecursionError" in a.text),
    KnownBug(
        "yaml-reader-error",
        "a YAML body (application/yaml, application/apply-patch+yaml) with a control "
        "character such as NUL: yaml.reader.ReaderError is raised by the loader's "
        "constructor, which is outside parse_yaml's try (kitlib/sim/schema/decode.py "
        "parse_yaml: '_StrictLoader(...)' before 'try:'): a 500 InternalError instead of "
        "a 400 'error converting YAML to JSON'",
        lambda a: a.code == 500 and "ReaderError" in a.text),
    KnownBug(
        "warning-header-control-character",
        "an unknown field whose name has a line break ({\"a\\nb\": 1}) becomes a Warning "
        "header with that line break (kitlib/sim/apiserver/respond.py respond): aiohttp "
        "refuses to send it ('Forbidden control character detected in headers', an "
        "'Unhandled exception' in aiohttp.server's log) and drops the connection without "
        "an answer, after the object was stored. Fix: escape control characters in "
        "warning texts (or drop those warnings)",
        lambda a: a.code == 0 and "Forbidden control character detected in headers" in a.log
        and "/proxy" not in a.sent.path),
    KnownBug(
        "binding-body-shape",
        "POST pods/NAME/binding with a body of the wrong shape ({\"target\": 1}, "
        "{\"metadata\": \"x\"}, annotations that are not a map, a YAML !!set): "
        "kitlib/sim/apiserver/subresources.py bind calls .get on whatever it got: a 500 "
        "AttributeError instead of a 400 'cannot be handled as a Binding'",
        lambda a: a.code == 500 and a.sent.path.endswith("/binding")),
    KnownBug(
        "delete-options-shape",
        "DeleteOptions of the wrong shape: {\"preconditions\": \"x\"} on DELETE "
        "(DeleteOptions.from_body in kitlib/sim/registry/options.py calls .get on it; "
        "objects._delete_options catches only TypeError/ValueError), and on pods/NAME/eviction "
        "any bad deleteOptions ({\"deleteOptions\": \"x\"}, gracePeriodSeconds \"x\", a YAML "
        "!!set body: subresources.evict catches nothing) or a bad ?gracePeriodSeconds: a "
        "500 instead of a 400 (before the pod's 404, too)",
        lambda a: a.code == 500 and ("from_body" in a.log or a.sent.path.endswith("/eviction"))),
    KnownBug(
        "event-without-name",
        "a core/v1 Event created without metadata.name (nor generateName): its strategy "
        "skips metadata validation (validates_object_meta = False), so "
        "kitlib/sim/registry/generic.py create reads meta[\"name\"]: a 500 KeyError "
        "instead of a 422 'metadata.name: Required value: name or generateName is required'",
        lambda a: a.code == 500 and "KeyError" in a.text and "/events" in a.sent.path),
    KnownBug(
        "lone-surrogate-in-message",
        "a string with a lone UTF-16 surrogate (JSON \"\\ud800\", which Python's json "
        "decodes into an unencodable str) that the server echoes in an error message, e.g. "
        "metadata.name \"a\\ud800\" (422 Invalid): orjson refuses to encode the Status "
        "(TypeError 'str is not valid UTF-8: surrogates not allowed') inside the error "
        "middleware, and aiohttp sends its own text/plain '500 Internal Server Error'. Go "
        "decodes a lone surrogate as U+FFFD; doing the same when decoding (or encoding "
        "Status with a fallback) fixes it (kitlib/sim/schema/decode.py, "
        "kitlib/sim/apiserver/respond.py)",
        lambda a: a.code == 500 and "surrogates not allowed" in a.log),
    KnownBug(
        "metadata-null-on-update",
        "PUT of an object whose metadata is null ({\"metadata\": null}): "
        "kitlib/sim/registry/generic.py _check_url_identity does "
        "obj.setdefault(\"metadata\", {}), which returns the None already there: a 500 "
        "AttributeError instead of a 400 (create says 'metadata must be an object')",
        lambda a: a.code == 500 and "_check_url_identity" in a.log),
    KnownBug(
        "error-inside-watch-stream",
        "a watch whose request is only found bad once the stream has begun, e.g. "
        "?watch=true&includeObject=x with Accept: application/json;as=Table;v=v1;"
        "g=meta.k8s.io: the 200 and its chunked headers are already sent when the Table "
        "encoder raises BadRequest, and the error middleware then writes a whole second "
        "HTTP response ('HTTP/1.1 400 Bad Request ...') into the open chunked stream, which "
        "clients see as a corrupt stream. kube-apiserver checks includeObject before "
        "answering (a plain 400 Status). Fix: check the Table options before _open in "
        "kitlib/sim/apiserver/watch.py, and turn any StatusError raised after _open into "
        "an ERROR event that ends the stream",
        lambda a: a.code == 0 and "got length b'HTTP/1.1" in a.text),
    KnownBug(
        "proxy-redirect-control-character",
        "GET or HEAD .../pods/NAME/proxy (and services/NAME/proxy) where the decoded path "
        "has a control character (a%1Fb, %08): the trailing-slash redirect puts "
        "request.path, decoded, into the Location header (kitlib/sim/apiserver/proxy.py, "
        "'Location': request.path + '/'); aiohttp refuses the header ('Forbidden control "
        "character detected in headers') and drops the connection. Fix: build Location "
        "from request.raw_path (still percent-encoded). Found by schemathesis",
        lambda a: a.code == 0 and "Forbidden control character detected in headers" in a.log
        and "/proxy" in a.sent.path),
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
