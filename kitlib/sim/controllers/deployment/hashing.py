"""pod-template-hash: how a Deployment names each ReplicaSet after its pod template.

Every ReplicaSet a Deployment creates is called ``<deployment>-<hash>`` and carries the
hash as the ``pod-template-hash`` label (on itself, its selector and its pods), so that two
templates never share pods.  The real controller hashes the template with FNV-32a, mixes
in ``status.collisionCount`` (bumped when the name is taken by a ReplicaSet it doesn't
own), and renders the decimal number with ``SafeEncodeString``: each digit maps to one of
the letters and digits below, which is why real names look like
``nginx-deployment-7c79c4bf97``.

Kubernetes hashes a Go-struct dump of the template; here the template's normalised JSON
is hashed instead.  Names therefore look like real ones and are stable across restarts,
and two templates that are equal to the controller (``templates_equal``) get one hash.
"""

from __future__ import annotations

from typing import Any

import orjson

JSON = dict[str, Any]

#: The label that ties a ReplicaSet and its pods to one template of a Deployment.
POD_TEMPLATE_HASH = "pod-template-hash"

# k8s.io/apimachinery/pkg/util/rand: no vowels (no words), no look-alikes (0/o, 1/l).
_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193

# Empty objects that still mean something: a volume's emptyDir source is ``{}``.
_MEANINGFUL_EMPTY = frozenset({"emptyDir"})


def fnv32a(data: bytes, seed: int = _FNV_OFFSET) -> int:
    """FNV-1a, 32 bits (Go's hash/fnv New32a); ``seed`` continues an earlier sum."""
    value = seed
    for byte in data:
        value = ((value ^ byte) * _FNV_PRIME) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    """``rand.SafeEncodeString``: each character mapped onto the safe alphabet."""
    return "".join(_ALPHANUMS[ord(ch) % len(_ALPHANUMS)] for ch in text)


def normalize(value: Any, key: str = "") -> Any:
    """A template as the controller compares it: null, [] and {} are the same as absent.

    Go's semantic equality treats a nil map or slice like an empty one; the JSON a client
    sends may have ``labels: {}``, ``creationTimestamp: null`` or ``args: []``.
    """
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = normalize(v, k)
            if v is None or v == [] or (v == {} and k not in _MEANINGFUL_EMPTY):
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [normalize(v, key) for v in value]
    return value


def without_hash(template: JSON | None) -> JSON:
    """The template minus the pod-template-hash label, normalised."""
    template = normalize(template or {})
    labels = (template.get("metadata") or {}).get("labels")
    if labels and POD_TEMPLATE_HASH in labels:
        labels.pop(POD_TEMPLATE_HASH)
        if not labels:
            template["metadata"].pop("labels")
            if not template["metadata"]:
                template.pop("metadata")
    return template


def templates_equal(a: JSON | None, b: JSON | None) -> bool:
    """``EqualIgnoreHash``: the same pod template, whatever their pod-template-hash."""
    return without_hash(a) == without_hash(b)


def pod_template_hash(template: JSON, collision_count: int | None = None) -> str:
    """The ``pod-template-hash`` of a Deployment's template (``controller.ComputeHash``)."""
    canonical = orjson.dumps(without_hash(template), option=orjson.OPT_SORT_KEYS)
    value = fnv32a(canonical)
    if collision_count is not None:
        # As the real hasher: the count as a little-endian uint32 in an 8-byte buffer.
        value = fnv32a((collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4), value)
    return safe_encode(str(value))
