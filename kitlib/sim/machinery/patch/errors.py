"""The failures a PATCH body can cause, as the real server reports each of them.

k8s.io/apiserver answers patch failures in three shapes, and clients show each
differently: a 400 BadRequest with the patch library's sentence (malformed directives);
a 422 whose message is the generic "the server rejected our request due to an error in
our request" (JSON Patch operations that do not apply, lists of lists); and, for most
strategic merge patch mistakes, a bare Go error that the real server's fallback turns
into a 500 Status with no reason.  The simulator never answers 500 for a client's mistake:
those become a 400 BadRequest with the same message (kubectl prints "Error from server
(BadRequest): <message>").  The first two have no class in ``machinery.errors``, so they
live here.
"""

from __future__ import annotations

from typing import Any

from ..errors import JSON, BadRequest, StatusError
from .golang import go_string_verb, go_type, go_value

__all__ = ["BadRequest", "PatchFailed", "UnprocessablePatch", "TooManyOperations",
           "BAD_PRIMITIVE_LIST", "BAD_RETAIN_KEYS", "BAD_SET_ELEMENT_ORDER",
           "NO_LIST_OF_LISTS", "no_merge_key", "bad_arg_type", "bad_patch_type"]

# k8s.io/apimachinery/pkg/util/mergepatch's sentinel errors.
BAD_PRIMITIVE_LIST = "invalid patch format of primitive list"
BAD_RETAIN_KEYS = "invalid patch format of retainKeys"
BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list"
NO_LIST_OF_LISTS = "lists of lists are not supported"


class PatchFailed(BadRequest):
    """A plain Go error from the patch code (a 500 on a real server): 400, its text."""


class UnprocessablePatch(StatusError):
    """422 from ``NewGenericServerResponse``: the real cause is not shown to clients."""

    code = 422
    reason = "Invalid"
    MESSAGE = "the server rejected our request due to an error in our request"

    def __init__(self, cause: str) -> None:
        super().__init__(self.MESSAGE, details={})
        self.cause = cause              # what went wrong, for logs and tests


class TooManyOperations(StatusError):
    """413 for a JSON Patch longer than the server accepts."""

    code = 413
    reason = "RequestEntityTooLarge"

    def __init__(self, limit: int, count: int) -> None:
        super().__init__("Request entity too large: The allowed maximum operations "
                         f"in a JSON patch is {limit}, got {count}")


def no_merge_key(item: Any, key: str) -> PatchFailed:
    """``mergepatch.ErrNoMergeKey``: a list item without the list's merge key."""
    return PatchFailed(f"map: {go_value(item)} does not contain declared merge key: {key}")


def bad_arg_type(expected: str, actual: Any) -> PatchFailed:
    """``mergepatch.ErrBadArgType``: ``expected`` is the Go type that was wanted."""
    return PatchFailed(f"expected a {expected}, but received a {go_type(actual)}")


def bad_patch_type(directive: Any, item: Any) -> PatchFailed:
    """``mergepatch.ErrBadPatchType``: an unknown ``$patch`` value."""
    return PatchFailed(f"unknown patch type: {go_string_verb(directive)} in map: "
                       f"{go_value(item)}")


MAP = "map[string]interface {}"
SLICE = "[]interface {}"
