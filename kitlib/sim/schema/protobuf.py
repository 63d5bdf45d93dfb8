"""Decoding ``application/vnd.kubernetes.protobuf`` request bodies, as the apiserver does.

kubectl's typed clients (``kubectl create deployment|configmap|secret|service|...``,
``kubectl create token``, ``kubectl debug``, the DeleteOptions of ``kubectl drain
--disable-eviction``) send built-in kinds as Kubernetes protobuf: the magic ``k8s\\x00``,
then a ``runtime.Unknown`` envelope naming the apiVersion and kind, whose ``raw`` field
holds the typed message.  A real kube-apiserver
decodes that into its Go struct; this module gives the JSON dict of that struct (what
``protobuf_json`` explains), so the rest of the server handles it like a JSON body.

Errors follow the protobuf serializer (k8s.io/apimachinery/pkg/runtime/serializer/protobuf)
and the create/update handlers' ``transformDecodeError``: faults found before the kind is
known are "the object provided is unrecognized", later ones "X in version "v" cannot be
handled as a Y".
"""

from __future__ import annotations

import threading
from typing import Any

from google.protobuf.message import DecodeError

from kitlib.sim.machinery.errors import BadRequest
from kitlib.sim.schema.decode import unrecognized
from kitlib.sim.schema.protobuf_fields import field_table
from kitlib.sim.schema.protobuf_json import BodyProblem, JsonWriter
from kitlib.sim.schema.protobuf_messages import message_classes

JSON = dict[str, Any]
MEDIA_TYPE = "application/vnd.kubernetes.protobuf"
MAGIC = b"k8s\x00"
# How the serializer prints its prefix in errors (Go's %v of a []byte).
_MAGIC_TEXT = "[" + " ".join(str(b) for b in MAGIC) + "]"
SCHEME = "pkg/api/legacyscheme/scheme.go:30"
# gogo-protobuf's error for truncated or malformed input (io.ErrUnexpectedEOF).
WIRE_ERROR = "unexpected EOF"


def decode_protobuf(body: bytes, *,
                    into: tuple[str, str] | None = None) -> tuple[str, str, JSON]:
    """Decode a protobuf request body into (apiVersion, kind, the object as JSON).

    ``into`` is the endpoint's (apiVersion, kind), e.g. ``("apps/v1", "Deployment")``; like
    the apiserver's default GVK it fills an envelope's missing kind or version, and errors
    name it as the type the body should have been.  Raises ``BadRequest``: with ``into``,
    worded as the real server words it; without, just the decoder's problem.
    """
    problem = _envelope_problem(body)
    if problem:
        raise _unrecognized(problem, body=body, into=into)
    classes = message_classes()
    table = field_table()
    try:
        envelope = classes[table.envelope].FromString(body[len(MAGIC):])
    except DecodeError:
        raise _unrecognized(WIRE_ERROR, body=body, into=into) from None
    group, version, kind = _gvk(envelope, into)
    api_version = f"{group}/{version}" if group else version
    if not kind or not version:
        type_meta = (f'runtime.TypeMeta{{APIVersion:{_go_quote(_text(envelope.f1.f1))}, '
                     f'Kind:{_go_quote(_text(envelope.f1.f2))}}}')
        field = "Kind" if not kind else "apiVersion"
        raise _not_handled(f"Object '{field}' is missing in '{type_meta}'",
                           kind=kind, version=version, into=into)
    message = table.kind_message(api_version, kind)
    if message is None:
        raise _not_handled(f'no kind "{kind}" is registered for version "{api_version}" '
                           f'in scheme "{SCHEME}"', kind=kind, version=version, into=into)
    try:
        decoded = classes[message].FromString(envelope.f2)
        obj = _writer().message(decoded, message)
    except DecodeError:
        raise _not_handled(WIRE_ERROR, kind=kind, version=version, into=into) from None
    except BodyProblem as err:
        raise _not_handled(str(err), kind=kind, version=version, into=into) from None
    return api_version, kind, {"kind": kind, "apiVersion": api_version, **obj}


def _envelope_problem(body: bytes) -> str:
    if not body:
        return "empty data"
    if not body.startswith(MAGIC):
        return ("provided data does not appear to be a protobuf message, expected prefix "
                + _MAGIC_TEXT)
    if len(body) == len(MAGIC):
        return "empty body"
    return ""


def _gvk(envelope: Any, into: tuple[str, str] | None) -> tuple[str, str, str]:
    """The envelope's group, version and kind, defaulted from ``into`` (copyKindDefaults)."""
    group, version = _group_version(_text(envelope.f1.f1))
    kind = _text(envelope.f1.f2)
    if into is not None:
        default_group, default_version = _group_version(into[0])
        kind = kind or into[1]
        if not version and default_version:
            group, version = default_group, default_version
    return group, version, kind


def _group_version(api_version: str) -> tuple[str, str]:
    """schema.ParseGroupVersion; an unparsable value leaves both empty."""
    if api_version in ("", "/"):
        return "", ""
    parts = api_version.split("/")
    if len(parts) == 1:
        return "", api_version
    if len(parts) == 2:
        return parts[0], parts[1]
    return "", ""


def _unrecognized(problem: str, *, body: bytes, into: tuple[str, str] | None) -> BadRequest:
    if into is None:
        return BadRequest(problem)
    return unrecognized(kind=into[1], problem=problem, body=body)


def _not_handled(problem: str, *, kind: str, version: str,
                 into: tuple[str, str] | None) -> BadRequest:
    if into is None:
        return BadRequest(problem)
    return BadRequest(f'{kind} in version "{version}" cannot be handled as a {into[1]}: '
                      f'{problem}')


def _text(value: bytes) -> str:
    return value.decode("utf-8", "replace")


def _go_quote(text: str) -> str:
    """Go's %q for the strings an envelope carries."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256
                         else f"\\u{ord(c):04x}" for c in escaped) + '"'


_lock = threading.Lock()
_json_writer: JsonWriter | None = None


def _writer() -> JsonWriter:
    global _json_writer
    if _json_writer is None:
        with _lock:
            if _json_writer is None:
                _json_writer = JsonWriter(field_table())
    return _json_writer
