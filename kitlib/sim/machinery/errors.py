"""API errors, rendered as the v1 Status objects a real kube-apiserver sends.

Every failure the simulated API server reports goes through one of these classes, so that
clients (kubectl, the official Python client, kitlib) see the same ``reason``, ``code`` and
message shape as on a real cluster.  The message texts follow k8s.io/apimachinery's
``errors`` and ``validation/field`` packages; they are facts of the wire protocol, and
learners read them, so they must match.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


class StatusError(Exception):
    """An error that the API server answers with a ``Status`` object."""

    code: int = 500
    reason: str = "InternalError"

    def __init__(self, message: str, *, details: JSON | None = None,
                 code: int | None = None, reason: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code
        if reason is not None:
            self.reason = reason

    def status(self) -> JSON:
        """The ``Status`` body as a real server would serialise it."""
        body: JSON = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.details is not None:
            body["details"] = self.details
        body["code"] = self.code
        return body


def _details(*, name: str | None, group: str, kind: str, **extra: Any) -> JSON:
    details: JSON = {}
    if name is not None:
        details["name"] = name
    if group:
        details["group"] = group
    details["kind"] = kind
    details.update(extra)
    return details


def qualified(resource: str, group: str) -> str:
    """``pods`` or ``deployments.apps``: how messages name a resource."""
    return f"{resource}.{group}" if group else resource


class BadRequest(StatusError):
    code = 400
    reason = "BadRequest"


class Unauthorized(StatusError):
    code = 401
    reason = "Unauthorized"

    def __init__(self, message: str = "Unauthorized") -> None:
        super().__init__(message)


class Forbidden(StatusError):
    code = 403
    reason = "Forbidden"


class NotFound(StatusError):
    code = 404
    reason = "NotFound"

    def __init__(self, *, resource: str, group: str = "", name: str) -> None:
        super().__init__(f'{qualified(resource, group)} "{name}" not found',
                         details=_details(name=name, group=group, kind=resource))


class NoSuchPath(StatusError):
    """A URL that names no resource: the server's generic 404."""

    code = 404
    reason = "NotFound"

    def __init__(self) -> None:
        super().__init__("the server could not find the requested resource", details={})


class MethodNotAllowed(StatusError):
    code = 405
    reason = "MethodNotAllowed"

    def __init__(self) -> None:
        super().__init__("the server does not allow this method on the requested resource",
                         details={})


class NotAcceptable(StatusError):
    code = 406
    reason = "NotAcceptable"


class AlreadyExists(StatusError):
    code = 409
    reason = "AlreadyExists"

    def __init__(self, *, resource: str, group: str = "", name: str) -> None:
        super().__init__(f'{qualified(resource, group)} "{name}" already exists',
                         details=_details(name=name, group=group, kind=resource))


class Conflict(StatusError):
    code = 409
    reason = "Conflict"

    def __init__(self, *, resource: str, group: str = "", name: str, detail: str,
                 causes: list[JSON] | None = None) -> None:
        extra: JSON = {"causes": causes} if causes else {}
        super().__init__(
            f'Operation cannot be fulfilled on {qualified(resource, group)} "{name}": {detail}',
            details=_details(name=name, group=group, kind=resource, **extra))


STALE_OBJECT = ("the object has been modified; please apply your changes "
                "to the latest version and try again")


class Gone(StatusError):
    code = 410
    reason = "Expired"


class RequestEntityTooLarge(StatusError):
    code = 413
    reason = "RequestEntityTooLarge"

    def __init__(self, limit: int) -> None:
        super().__init__(f"Request entity too large: limit is {limit}")


class UnsupportedMediaType(StatusError):
    code = 415
    reason = "UnsupportedMediaType"

    def __init__(self, content_type: str) -> None:
        super().__init__(f"the body of the request was in an unknown format - "
                         f"accepted media types include: {content_type}")


class TooManyRequests(StatusError):
    code = 429
    reason = "TooManyRequests"


class InternalError(StatusError):
    code = 500
    reason = "InternalError"

    def __init__(self, message: str) -> None:
        super().__init__(f"Internal error occurred: {message}",
                         details={"causes": [{"message": message}]})


# --- field errors: k8s.io/apimachinery/pkg/util/validation/field ------------------------

def format_value(value: Any) -> str:
    """Render a bad value the way field.Error does (Go's %q for strings, %d for ints)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (int, float)):
        return str(value)
    if value is None:
        return "null"
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


_OMIT = object()


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: what ``details.causes`` lists."""

    type: str                 # the cause reason, e.g. "FieldValueRequired"
    field: str                # the path, e.g. "spec.containers[0].image"
    bad_value: Any = _OMIT
    detail: str = ""
    supported: tuple[str, ...] = field(default=())

    _BODIES = {
        "FieldValueRequired": "Required value",
        "FieldValueInvalid": "Invalid value",
        "FieldValueNotSupported": "Unsupported value",
        "FieldValueDuplicate": "Duplicate value",
        "FieldValueForbidden": "Forbidden",
        "FieldValueTooLong": "Too long",
        "FieldValueTooMany": "Too many",
        "FieldValueNotFound": "Not found",
        "InternalError": "Internal error",
    }

    def body(self) -> str:
        """The part after ``field: `` in the message (field.Error.ErrorBody)."""
        text = self._BODIES.get(self.type, self.type)
        if self.type in ("FieldValueRequired", "FieldValueForbidden", "FieldValueTooLong",
                         "FieldValueTooMany", "InternalError"):
            return f"{text}: {self.detail}" if self.detail else text
        if self.bad_value is not _OMIT:
            text = f"{text}: {format_value(self.bad_value)}"
        if self.type == "FieldValueNotSupported" and self.supported:
            text += ": supported values: " + ", ".join(f'"{v}"' for v in self.supported)
        elif self.detail:
            text += f": {self.detail}"
        return text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"

    def cause(self) -> JSON:
        return {"reason": self.type, "message": self.body(), "field": self.field}


def required(path: str, detail: str = "") -> FieldError:
    return FieldError("FieldValueRequired", path, detail=detail)


def invalid(path: str, value: Any, detail: str = "") -> FieldError:
    return FieldError("FieldValueInvalid", path, value, detail)


def not_supported(path: str, value: Any, supported: tuple[str, ...] | list[str]) -> FieldError:
    return FieldError("FieldValueNotSupported", path, value, supported=tuple(supported))


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError("FieldValueDuplicate", path, value)


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError("FieldValueForbidden", path, detail=detail)


def too_long(path: str, limit: int) -> FieldError:
    return FieldError("FieldValueTooLong", path, detail=f"may not be more than {limit} bytes")


def too_many(path: str, limit: int) -> FieldError:
    return FieldError("FieldValueTooMany", path, detail=f"must have at most {limit} items")


class Invalid(StatusError):
    """422: the object failed validation; ``details.causes`` names each field."""

    code = 422
    reason = "Invalid"

    def __init__(self, *, kind: str, group: str = "", name: str,
                 errors: list[FieldError]) -> None:
        self.errors = list(errors)
        if len(errors) == 1:
            summary = str(errors[0])
        else:
            summary = "[" + ", ".join(str(e) for e in errors) + "]"
        super().__init__(
            f'{kind}{"." + group if group else ""} "{name}" is invalid: {summary}',
            details=_details(name=name, group=group, kind=kind,
                             causes=[e.cause() for e in errors]))


def not_handled(*, kind: str, version: str, problem: str) -> BadRequest:
    """A body that could not be decoded into the kind (bad JSON, wrong types, strict errors)."""
    return BadRequest(f'{kind} in version "{version}" cannot be handled as a {kind}: {problem}')
