"""Hypothesis strategies for bad requests: names, query strings, media types and bodies.

They lean towards what breaks parsers and handlers: values of the wrong JSON type at real
field paths, selector grammar fragments, numbers just outside what Go's strconv accepts,
names with slashes and dots, deep nesting, and every patch type's own directives.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

JSON = dict[str, Any]

# --- names ----------------------------------------------------------------------------------

ODD_NAMES = ["", ".", "..", "a/b", "a.b", "-a", "a-", "A", "a b", "a%2Fb", "%", "?", "#",
             "a\u0000b", "\n", "ünï", "名前", "\U0001F600", "a" * 63, "a" * 64, "a" * 254,
             "x" * 10_000, "kube-system", "default", "fx", "fuzz-target", "kit-worker",
             "..%2F..", "a;b", "a\\b", "$", "status", "scale", "null", "true", "0",
             "a\x1fb", "\x08", "\x7f", "a\tb"]

names = st.one_of(st.sampled_from(ODD_NAMES),
                  st.text(min_size=0, max_size=40),
                  st.from_regex(r"[a-z0-9]([-a-z0-9.]{0,20}[a-z0-9])?", fullmatch=True))

# --- JSON values ----------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2 ** 70), max_value=2 ** 70),
    st.sampled_from([0, -1, 1, 2 ** 31, 2 ** 63, -(2 ** 63) - 1, 2 ** 64]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.5, -0.0, 1e308, 1e-308]),
    st.text(max_size=20),
    st.sampled_from(["", "x", "-1", "1.5", "true", "null", "{}", "[]", "1Gi", "100m",
                     "10.0.0.1", "TCP", "Always", "2026-01-01T00:00:00Z", "$patch",
                     "a" * 300, "é" * 10]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.text(max_size=10), st.sampled_from(
                                ["metadata", "spec", "status", "name", "labels", "items",
                                 "$patch", "$retainKeys", "kind", "apiVersion"])),
                                inner, max_size=4)),
    max_leaves=12)

# --- patch and mutation of real objects -------------------------------------------------------

DIRECTIVES = ["$patch", "$retainKeys", "$setElementOrder/containers", "$setElementOrder/ports",
              "$deleteFromPrimitiveList/finalizers", "$setElementOrder/finalizers",
              "$deleteFromPrimitiveList/args", "$setElementOrder/env"]
DIRECTIVE_VALUES = ["replace", "merge", "delete", "deleteFromPrimitiveList", "", None, 1,
                    [], {}, ["name"], [{"name": "c"}], [{"$patch": "delete"}], [1, "x"]]


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path (keys and indexes) into a JSON value, the value itself included."""
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += paths_of(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += paths_of(child, prefix + (index,))
    return out


def set_at(obj: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    node = obj
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return obj


FIELD_KEYS = ["metadata", "spec", "status", "name", "namespace", "labels", "annotations",
              "finalizers", "ownerReferences", "managedFields", "resourceVersion", "uid",
              "deletionTimestamp", "generateName", "containers", "ports", "replicas",
              "selector", "template", "data", "type", "clusterIP"]


@dataclass(frozen=True)
class Change:
    """One spoiling of an object, drawn without looking at the object (so a test may
    apply it to whatever the server returned without upsetting Hypothesis' replay)."""

    action: str         # replace, add, directive, drop
    pick: int           # which path: an index into paths_of(object), modulo their number
    key: str
    value: Any


changes = st.lists(st.builds(
    Change,
    action=st.sampled_from(["replace", "replace", "add", "directive", "drop"]),
    pick=st.integers(0, 10_000),
    key=st.one_of(st.sampled_from(FIELD_KEYS), st.text(max_size=12)),
    value=json_values), min_size=1, max_size=3)


def apply_changes(base: JSON, planned: list[Change]) -> JSON:
    obj = copy.deepcopy(base)
    for change in planned:
        paths = paths_of(obj)
        path = paths[change.pick % len(paths)]
        target = obj
        for step in path:
            target = target[step]
        # Drawn values may be shared (sampled_from): never put the same object in twice.
        value = copy.deepcopy(change.value)
        if change.action == "replace" and path:
            set_at(obj, path, value)
        elif change.action == "add" and isinstance(target, dict):
            target[change.key] = value
        elif change.action == "directive" and isinstance(target, dict):
            target[DIRECTIVES[change.pick % len(DIRECTIVES)]] = copy.deepcopy(
                DIRECTIVE_VALUES[change.pick % len(DIRECTIVE_VALUES)])
        elif change.action == "drop" and path:
            parent = obj
            for step in path[:-1]:
                parent = parent[step]
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
    return obj


def mutated(base: JSON) -> st.SearchStrategy[JSON]:
    """``base`` with a few values replaced by garbage, keys added, or directives spliced in."""
    return changes.map(lambda planned: apply_changes(base, planned))


POINTERS = ["", "/", "/metadata", "/metadata/labels", "/metadata/labels/a~1b",
            "/metadata/labels/x", "/metadata/name", "/metadata/resourceVersion",
            "/spec", "/spec/containers/0", "/spec/containers/-", "/spec/containers/99",
            "/spec/containers/-1", "/spec/containers/01", "/spec/replicas", "/status",
            "/data/a", "/a/b/c", "metadata", "/~", "/~2", "/spec/ports/0/port", "/kind",
            "/apiVersion", "//", "/metadata/finalizers/-"]


@st.composite
def json_patches(draw: st.DrawFn) -> Any:
    """RFC 6902 documents, mostly well-shaped, with bad ops, pointers and values."""
    op = st.fixed_dictionaries(
        {"op": st.sampled_from(["add", "remove", "replace", "move", "copy", "test", "nope",
                                "", "ADD"])},
        optional={"path": st.one_of(st.sampled_from(POINTERS), st.text(max_size=20),
                                    json_values),
                  "from": st.one_of(st.sampled_from(POINTERS), json_values),
                  "value": json_values})
    return draw(st.one_of(st.lists(op, max_size=4),
                          st.lists(json_values, max_size=3), json_values))


# --- raw bodies -------------------------------------------------------------------------------

def deep(depth: int, *, kind: str = "list") -> bytes:
    if kind == "list":
        return b"[" * depth + b"]" * depth
    if kind == "yaml":
        return b"a:\n" + b"".join(b"  " * i + b"- \n" for i in range(1, min(depth, 300)))
    return b'{"a":' * depth + b"1" + b"}" * depth


MALFORMED = [b"", b" ", b"{", b"}", b"[", b"null", b"true", b"1", b'"x"', b"[]", b"{}",
             b'{"a":1,"a":2}', b'{"metadata":{"name":"x","name":"y"}}', b"\xff\xfe\x00",
             b"\x00", b"{'a': 1}", b'{"a":NaN}', b'{"a":Infinity}', b'{"a":1e400}',
             b'{"a":-}', b'{"a":"\\ud800"}', b"a: b\n  c: d", b"- - -", b"&a [*a]",
             b"!!python/object/apply:os.system ['true']", b"---\na: 1\n---\nb: 2",
             b"a: &x 1\nb: *y", b"{a: 1, a: 2}", b"key: value\nkey: value2",
             b"? [1, 2]\n: x", b"!!binary AAA", b"!!set {a, b}", b"\t{}",
             b"\xef\xbb\xbf{}", b'{"metadata": []}', b'{"metadata": "x"}', b'{"kind": 1}',
             b'{"apiVersion": {}}', b'{"metadata":{"name":1}}', b'{"spec": null}',
             deep(50), deep(2_000), deep(200_000), deep(2_000, kind="object"),
             deep(100_000, kind="object"), deep(300, kind="yaml"),
             b"[" * 20 + b"1" + b",[1]" * 1000, b"a" * 100_000]

raw_bodies = st.one_of(
    st.sampled_from(MALFORMED),
    st.binary(max_size=64),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.text(max_size=64).map(lambda t: t.encode("utf-8", "surrogatepass")),
)

# --- media types and queries -------------------------------------------------------------------

PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json",
               "application/strategic-merge-patch+json", "application/apply-patch+yaml"]
CONTENT_TYPES = [*PATCH_TYPES, "application/json", "application/yaml", "text/plain", "",
                 "application/vnd.kubernetes.protobuf", "application/json; charset=utf-16",
                 "application/JSON", "application/json;;;", "multipart/form-data; boundary=x",
                 "application/x-www-form-urlencoded", "*/*", "application/apply-patch+json",
                 "application/strategic-merge-patch+json; charset=utf-8", ";", "é/é"]
# Header values as a client can send them (no leading or trailing blanks).
_header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126),
                       max_size=30).map(str.strip)
content_types = st.one_of(st.sampled_from(CONTENT_TYPES), _header_text)

ACCEPTS = ["application/json", "application/yaml", "*/*", "",
           "application/json;as=Table;v=v1;g=meta.k8s.io",
           "application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json",
           "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io",
           "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io",
           "application/yaml;as=Table;v=v1;g=meta.k8s.io",
           "application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io",
           "application/vnd.kubernetes.protobuf", "text/html", "application/json;as=",
           "application/json;as=Table;g=meta.k8s.io;v=v1;includeObject=Object",
           "application/json;q=0, application/yaml", ",,,", "application/json;=;"]
accepts = st.one_of(st.sampled_from(ACCEPTS), _header_text)

SELECTOR_BITS = ["a", "b", "app", "=", "==", "!=", " in ", " notin ", "(", ")", ",", "!",
                 "x", " ", "a.b/c", "-", "_", "/", "\\", "ü", "metadata.name", "spec.nodeName",
                 "status.phase", "metadata.namespace", "a" * 64, "=fx", "in (a,b)"]
selectors = st.one_of(st.lists(st.sampled_from(SELECTOR_BITS), max_size=8).map("".join),
                      st.text(max_size=30))

NUMBERS = ["-1", "0", "1", "abc", "1e3", "1.5", "", " 1", "+1", "0x10", "99999999999999999999",
           "-9223372036854775809", "9223372036854775807", "١", "NaN", "inf", "1_000"]
BOOLS = ["true", "false", "1", "0", "True", "yes", "", "garbage"]

QUERY_VALUES: dict[str, Any] = {
    "labelSelector": selectors,
    "fieldSelector": selectors,
    "limit": st.sampled_from(NUMBERS),
    "continue": st.one_of(st.sampled_from(["", "x", "eyJ2IjoxfQ==", "e30=", "!!!",
                                           "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6ImEiLCJzdGFydCI6MX0="]),
                          st.text(max_size=20)),
    "resourceVersion": st.sampled_from([*NUMBERS, "0", "1", "2"]),
    "resourceVersionMatch": st.sampled_from(["", "Exact", "NotOlderThan", "x"]),
    "timeoutSeconds": st.sampled_from(NUMBERS),
    "watch": st.sampled_from(BOOLS),
    "allowWatchBookmarks": st.sampled_from(BOOLS),
    "sendInitialEvents": st.sampled_from(BOOLS),
    "dryRun": st.sampled_from(["All", "all", "", "x", "None"]),
    "fieldManager": st.one_of(st.sampled_from(["", "m", "x" * 129, "ü", "kubectl"]),
                              st.text(max_size=10)),
    "fieldValidation": st.sampled_from(["Strict", "Warn", "Ignore", "", "strict", "x"]),
    "force": st.sampled_from(BOOLS),
    "propagationPolicy": st.sampled_from(["Orphan", "Background", "Foreground", "", "x"]),
    "gracePeriodSeconds": st.sampled_from(NUMBERS),
    "orphanDependents": st.sampled_from(BOOLS),
    "pretty": st.sampled_from(BOOLS),
    "includeObject": st.sampled_from(["Object", "None", "Metadata", "x"]),
    "container": st.text(max_size=10),
}
_key = st.one_of(st.sampled_from(sorted(QUERY_VALUES)), st.text(max_size=10))


@st.composite
def queries(draw: st.DrawFn, *, watch: bool | None = None) -> list[tuple[str, str]]:
    """A query string as (key, value) pairs, keys sometimes repeated."""
    pairs: list[tuple[str, str]] = []
    for key in draw(st.lists(_key, max_size=5)):
        values = QUERY_VALUES.get(key, st.text(max_size=10))
        for _ in range(draw(st.integers(1, 2)) if draw(st.booleans()) else 1):
            pairs.append((key, draw(values)))
    if watch:
        pairs.append(("watch", "true"))
    return bounded(pairs)


def bounded(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Keep watches short: a valid (or empty: the default) timeoutSeconds becomes 0;
    garbage stays garbage."""
    out = []
    for key, value in pairs:
        if key == "timeoutSeconds":
            try:
                int(value or "0")
                value = "0"
            except ValueError:
                pass
        out.append((key, value))
    if not any(k == "timeoutSeconds" for k, _ in out):
        out.append(("timeoutSeconds", "0"))
    return out
