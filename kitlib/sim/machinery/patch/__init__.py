"""PATCH engines: JSON Patch, JSON merge patch and strategic merge patch.

Each engine takes the stored object and the decoded request body and returns the patched
object without touching either input, or raises the ``StatusError`` a real
kube-apiserver (v1.32) answers for that body.  Server-side apply lives next door
(``apply``, ``managedfields``).  The strategic engine also computes patches, as kubectl's
client-side apply does, for the places where the server needs to reason like kubectl.
"""

from __future__ import annotations

from .errors import PatchFailed, TooManyOperations, UnprocessablePatch
from .jsonpatch import apply_json_patch
from .merge import apply_merge_patch, create_merge_patch
from .strategic import apply_strategic_merge_patch
from .strategic_diff import create_three_way_merge_patch, create_two_way_merge_patch

__all__ = [
    "apply_json_patch",
    "apply_merge_patch",
    "create_merge_patch",
    "apply_strategic_merge_patch",
    "create_two_way_merge_patch",
    "create_three_way_merge_patch",
    "PatchFailed",
    "UnprocessablePatch",
    "TooManyOperations",
]
